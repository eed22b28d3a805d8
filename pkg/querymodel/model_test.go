package querymodel

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/kqlhunt/anomaly-datasource/pkg/anomaly"
	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
	"github.com/kqlhunt/anomaly-datasource/pkg/pivots"
)

func TestParseDefaults(t *testing.T) {
	for _, raw := range []string{``, `{}`, `{"refId":"A","datasource":{"uid":"x"},"intervalMs":1000,"maxDataPoints":100}`} {
		q, err := Parse([]byte(raw))
		if err != nil {
			t.Fatalf("%q: %v", raw, err)
		}
		if q.QueryType != TypeKQL || q.KQL != DefaultKQL || q.TimeRangeMode != TimeRangeDashboard || q.Workspaces != nil {
			t.Errorf("%q: defaults %+v", raw, q)
		}
		if a := q.Anomaly; !reflect.DeepEqual(a, anomaly.NotebookOptions()) {
			t.Errorf("anomaly defaults %+v, want the notebook's %+v", a, anomaly.NotebookOptions())
		}
		if q.Pivot.Lookback != "7d" {
			t.Errorf("lookback default %q", q.Pivot.Lookback)
		}
	}
}

func TestParseKeys(t *testing.T) {
	q, err := Parse([]byte(`{"queryType":"anomaly","kql":"T | take 5","timeRangeMode":"query","workspaces":[" a ",""],
		"fields":["A","B"],"encoding":"frequency","contamination":"auto","nEstimators":50,"maxSamples":0.5,"randomState":7,
		"output":"top","topN":3,"search":{"column":"DeviceName","value":"pc"}}`))
	if err != nil {
		t.Fatal(err)
	}
	a := q.Anomaly
	if q.QueryType != "anomaly" || q.KQL != "T | take 5" || q.TimeRangeMode != "query" || !reflect.DeepEqual(q.Workspaces, []string{"a"}) {
		t.Errorf("common keys: %+v", q)
	}
	f := a.Forest
	if !reflect.DeepEqual(a.Fields, []string{"A", "B"}) || a.Encoding != "frequency" || !f.Contamination.IsAuto() || f.NEstimators != 50 ||
		f.MaxSamples != iforest.MaxSamplesFraction(0.5) || f.RandomState != 7 || a.Output != "top" || a.TopN != 3 ||
		*a.Search != (anomaly.Search{Column: "DeviceName", Value: "pc"}) {
		t.Errorf("anomaly keys: %+v", a)
	}
	q, err = Parse([]byte(`{"queryType":"anomaly","field":"DeviceName","maxSamples":300,"contamination":0.05,"search":{"column":"C","value":" x ","mode":"text"}}`))
	if err != nil || q.Anomaly.Fields[0] != "DeviceName" || q.Anomaly.Forest.MaxSamples != iforest.MaxSamplesCount(300) ||
		q.Anomaly.Forest.Contamination != iforest.ContaminationFraction(0.05) || *q.Anomaly.Search != (anomaly.Search{Column: "C", Value: " x ", Mode: "text"}) {
		t.Errorf("%+v %v", q, err)
	}
	q, err = Parse([]byte(`{"queryType":"pivot","pivot":"temp-folder","values":[" a.exe"],"lookback":"3d"}`))
	if err != nil || q.Pivot.Name != "temp-folder" || !reflect.DeepEqual(q.Pivot.Values, []string{" a.exe"}) || q.Pivot.Lookback != "3d" {
		t.Errorf("values are kept exactly: %+v %v", q, err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		raw, want string
		is        error
	}{
		{`{"queryType":"sql"}`, `queryType "sql" is not known`, ErrInvalid},
		{`{"timeRangeMode":"always"}`, `timeRangeMode "always" is not known`, ErrInvalid},
		{`{"kql":"  "}`, `the KQL query is empty`, ErrInvalid},
		{`{"kql":5}`, `"kql" must be a string`, ErrInvalid},
		{`not json`, `not a valid query object`, ErrInvalid},
		{`{"queryType":"anomaly","contamination":0}`, `contamination 0 is not valid: must be "auto" or a number in (0, 0.5]`, iforest.ErrInvalidConfig},
		{`{"queryType":"anomaly","contamination":0.6}`, `contamination 0.6 is not valid`, anomaly.ErrInvalid},
		{`{"queryType":"anomaly","contamination":"most"}`, `contamination "most" is not valid`, ErrInvalid},
		{`{"queryType":"anomaly","nEstimators":0}`, `nEstimators 0 is not valid: must be an integer in [1, 10000]`, anomaly.ErrInvalid},
		{`{"queryType":"anomaly","nEstimators":10001}`, `nEstimators 10001 is not valid`, iforest.ErrInvalidConfig},
		{`{"queryType":"anomaly","nEstimators":2.5}`, `nEstimators 2.5 is not valid: use a whole number`, ErrInvalid},
		{`{"queryType":"anomaly","maxSamples":1.5}`, `maxSamples 1.5 is not valid: as a fraction must be in (0, 1]`, anomaly.ErrInvalid},
		{`{"queryType":"anomaly","maxSamples":-3}`, `maxSamples -3 is not valid`, ErrInvalid},
		{`{"queryType":"anomaly","maxSamples":100000000000000000000}`, `a row count is at least 1 and at most 2147483647`, ErrInvalid},
		{`{"queryType":"anomaly","maxSamples":1e20}`, `maxSamples 1e20 is not valid`, iforest.ErrInvalidConfig},
		{`{"queryType":"anomaly","encoding":"onehot"}`, `encoding "onehot" is not known`, anomaly.ErrInvalid},
		{`{"queryType":"anomaly","output":"chart"}`, `output "chart" is not known`, anomaly.ErrInvalid},
		{`{"queryType":"anomaly","topN":0}`, `topN 0 is not valid`, anomaly.ErrInvalid},
		{`{"queryType":"anomaly","randomState":-1}`, `randomState -1 is not valid`, anomaly.ErrInvalid},
		{`{"queryType":"anomaly","search":{"value":"x"}}`, `search needs a column`, anomaly.ErrInvalid},
		{`{"queryType":"anomaly","fields":["DeviceName"," "]}`, `field is empty: name the column to score`, anomaly.ErrInvalid},
		{`{"queryType":"anomaly","fields":[""],"field":"DeviceName"}`, `field is empty: name the column to score`, anomaly.ErrInvalid},
		{`{"queryType":"pivot"}`, `pivot is not set`, pivots.ErrInvalid},
		{`{"queryType":"pivot","pivot":"registry"}`, `pivot "registry" is not known`, pivots.ErrInvalid},
		{`{"queryType":"pivot","pivot":"temp-folder","lookback":"7 days"}`, `lookback "7 days" is not a KQL timespan`, pivots.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			_, err := Parse([]byte(tt.raw))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, tt.is) {
				t.Fatalf("want %q, got %v", tt.want, err)
			}
		})
	}
}

func TestKQLQueryIgnoresAnomalyKeys(t *testing.T) {
	if _, err := Parse([]byte(`{"queryType":"kql","kql":"T","contamination":7,"pivot":"nope"}`)); err != nil {
		t.Fatalf("a kql query must not check anomaly or pivot keys: %v", err)
	}
}

// TestPivotWithValuesIgnoresAnomalyKeys: a pivot on given values does not score, so anomaly keys
// left by the editor are not errors; a pivot that finds its values by scoring checks them.
func TestPivotWithValuesIgnoresAnomalyKeys(t *testing.T) {
	if _, err := Parse([]byte(`{"queryType":"pivot","pivot":"parent-process","values":["x.exe"],"nEstimators":1.5,"contamination":7}`)); err != nil {
		t.Fatalf("a pivot with values must not check anomaly keys: %v", err)
	}
	_, err := Parse([]byte(`{"queryType":"pivot","pivot":"parent-process","nEstimators":1.5}`))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "nEstimators") {
		t.Fatalf("a pivot without values scores, so its anomaly keys count: %v", err)
	}
}

func TestKQLValuesOutput(t *testing.T) {
	q, err := Parse([]byte(`{"queryType":"kql","kql":"T","output":"values","field":" DeviceName "}`))
	if err != nil || q.ValuesOf != "DeviceName" {
		t.Fatalf("%+v %v", q, err)
	}
	for raw, want := range map[string]string{
		`{"queryType":"kql","output":"values"}`: "needs field",
	} {
		if _, err := Parse([]byte(raw)); err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", raw, err, want)
		}
	}
	if q, err := Parse([]byte(`{"queryType":"kql","output":"count","field":"X"}`)); err != nil || q.ValuesOf != "" {
		t.Errorf("an anomaly output left on a kql query is ignored: %+v %v", q, err)
	}
}

func TestRowOrderAndAggregate(t *testing.T) {
	q, err := Parse([]byte(`{"queryType":"anomaly"}`))
	if err != nil || q.Anomaly.Forest.RowOrder != iforest.Canonical || q.Aggregate != AggregateAuto {
		t.Fatalf("defaults: %v %v %q", err, q.Anomaly.Forest.RowOrder, q.Aggregate)
	}
	q, err = Parse([]byte(`{"queryType":"anomaly","rowOrder":"asReturned","aggregate":"always"}`))
	if err != nil || q.Anomaly.Forest.RowOrder != iforest.AsReturned || q.Aggregate != AggregateAlways {
		t.Fatalf("%v %v %q", err, q.Anomaly.Forest.RowOrder, q.Aggregate)
	}
	for raw, want := range map[string]string{
		`{"queryType":"anomaly","rowOrder":"sorted"}`: `rowOrder "sorted" is not known`,
		`{"queryType":"anomaly","aggregate":"yes"}`:   `aggregate "yes" is not known`,
	} {
		if _, err := Parse([]byte(raw)); err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", raw, err)
		}
	}
}

// TestMaxSamplesAsText: "1.0" is the fraction of all rows (what an editor sends, since JavaScript
// writes 1.0 as 1), "256" a count, anything else the usual message.
func TestMaxSamplesAsText(t *testing.T) {
	for raw, want := range map[string]iforest.MaxSamples{
		`"1.0"`: iforest.MaxSamplesFraction(1), `"0.25"`: iforest.MaxSamplesFraction(0.25), `"256"`: iforest.MaxSamplesCount(256),
		`1.0`: iforest.MaxSamplesFraction(1), `1`: iforest.MaxSamplesCount(1), `" auto "`: iforest.MaxSamplesAuto(),
	} {
		q, err := Parse([]byte(`{"queryType":"anomaly","maxSamples":` + raw + `}`))
		if err != nil || q.Anomaly.Forest.MaxSamples != want {
			t.Errorf("%s: %v %v, want %v", raw, q, err, want)
		}
	}
	if _, err := Parse([]byte(`{"queryType":"anomaly","maxSamples":"half"}`)); err == nil || !strings.Contains(err.Error(), `maxSamples "half" is not valid`) {
		t.Errorf("half: %v", err)
	}
}
