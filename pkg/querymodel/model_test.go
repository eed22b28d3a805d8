package querymodel

import (
	"errors"
	"reflect"
	"strings"
	"testing"
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
		a := q.Anomaly
		want := Anomaly{Fields: []string{"InitiatingProcessFileName"}, Encoding: "label", Contamination: 0.01, NEstimators: 100, MaxSamplesAuto: true, RandomState: 42, Output: "rows", TopN: 10}
		if !reflect.DeepEqual(a, want) {
			t.Errorf("anomaly defaults %+v, want %+v", a, want)
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
	if !reflect.DeepEqual(a.Fields, []string{"A", "B"}) || a.Encoding != "frequency" || !a.ContaminationAuto || a.NEstimators != 50 ||
		a.MaxSamplesAuto || a.MaxSamplesFraction != 0.5 || a.RandomState != 7 || a.Output != "top" || a.TopN != 3 || a.Search.Value != "pc" {
		t.Errorf("anomaly keys: %+v", a)
	}
	q, err = Parse([]byte(`{"queryType":"anomaly","field":"DeviceName","maxSamples":300,"contamination":0.05}`))
	if err != nil || q.Anomaly.Fields[0] != "DeviceName" || q.Anomaly.MaxSamplesCount != 300 || q.Anomaly.Contamination != 0.05 {
		t.Errorf("%+v %v", q, err)
	}
	q, err = Parse([]byte(`{"queryType":"pivot","pivot":"temp-folder","values":["a.exe"],"lookback":"3d"}`))
	if err != nil || q.Pivot.Name != "temp-folder" || q.Pivot.Values[0] != "a.exe" || q.Pivot.Lookback != "3d" {
		t.Errorf("%+v %v", q, err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ raw, want string }{
		{`{"queryType":"sql"}`, `queryType "sql" is not known`},
		{`{"timeRangeMode":"always"}`, `timeRangeMode "always" is not known`},
		{`{"kql":"  "}`, `the KQL query is empty`},
		{`{"kql":5}`, `"kql" must be a string`},
		{`not json`, `not a valid query object`},
		{`{"queryType":"anomaly","contamination":0}`, `contamination 0 is not valid`},
		{`{"queryType":"anomaly","contamination":0.6}`, `contamination 0.6 is not valid`},
		{`{"queryType":"anomaly","contamination":"most"}`, `contamination "most" is not valid`},
		{`{"queryType":"anomaly","nEstimators":0}`, `nEstimators 0 is not valid`},
		{`{"queryType":"anomaly","nEstimators":10001}`, `nEstimators 10001 is not valid`},
		{`{"queryType":"anomaly","nEstimators":2.5}`, `nEstimators 2.5 is not valid`},
		{`{"queryType":"anomaly","maxSamples":1.5}`, `maxSamples 1.5 is not valid`},
		{`{"queryType":"anomaly","maxSamples":-3}`, `maxSamples -3 is not valid`},
		{`{"queryType":"anomaly","encoding":"onehot"}`, `encoding "onehot" is not known`},
		{`{"queryType":"anomaly","output":"chart"}`, `output "chart" is not known`},
		{`{"queryType":"anomaly","topN":0}`, `topN 0 is not valid`},
		{`{"queryType":"anomaly","randomState":-1}`, `randomState -1 is not valid`},
		{`{"queryType":"anomaly","search":{"value":"x"}}`, `search needs a column`},
		{`{"queryType":"pivot"}`, `pivot is not set`},
		{`{"queryType":"pivot","pivot":"registry"}`, `pivot "registry" is not known`},
		{`{"queryType":"pivot","pivot":"temp-folder","lookback":"7 days"}`, `lookback "7 days" is not a KQL timespan`},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			_, err := Parse([]byte(tt.raw))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalid) {
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
