package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"

	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
)

// -update rewrites testdata/*.jsonc; they are written only after the explicit checks of each case
// pass (see testdata/README.md).
var update = flag.Bool("update", false, "rewrite the golden responses")

const testWorkspace = "11111111-2222-3333-4444-555555555555"

// newTestDatasource is a datasource with client-secret settings whose Log Analytics is q.
func newTestDatasource(t *testing.T, q loganalytics.Querier) *Datasource {
	t.Helper()
	jd := `{"azureCredentials":{"authType":"clientsecret","tenantId":"t","clientId":"c"},"workspaceId":"` + testWorkspace + `"}`
	d := newDatasource(context.Background(), Deps{}, backend.DataSourceInstanceSettings{
		JSONData: []byte(jd), DecryptedSecureJSONData: map[string]string{"azureClientSecret": "s"},
	})
	if d.configErr != nil {
		t.Fatal(d.configErr)
	}
	d.querier = q
	return d
}

// run sends one query object as Grafana would and returns its response.
func run(t *testing.T, d *Datasource, model map[string]any) backend.DataResponse {
	t.Helper()
	raw, err := json.Marshal(model)
	if err != nil {
		t.Fatal(err)
	}
	res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "A", JSON: raw, Interval: 10 * time.Minute, MaxDataPoints: 100,
		TimeRange: backend.TimeRange{From: fixtureStart.Add(-time.Hour), To: fixtureStart.Add(3 * time.Hour)},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	return res.Responses["A"]
}

// expectedFlags is the notebook's answer on the fixture, computed without the plugin: label codes
// of the sorted distinct process names, then iforest with the notebook's settings.
func expectedFlags(t *testing.T) []int64 {
	t.Helper()
	names := make([]string, fixtureRows)
	for i := range names {
		names[i] = fixtureProcess(i)
	}
	classes := slices.Clone(names)
	slices.Sort(classes)
	classes = slices.Compact(classes)
	codes := make([]int64, len(names))
	for i, n := range names {
		codes[i] = int64(slices.Index(classes, n))
	}
	x, err := iforest.MatrixFromCodes(codes)
	if err != nil {
		t.Fatal(err)
	}
	f, err := iforest.New(iforest.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	labels, _, err := f.FitPredictDecision(x)
	if err != nil {
		t.Fatal(err)
	}
	return labels
}

func TestQueryTypesAndOutputs(t *testing.T) {
	flags := expectedFlags(t)
	var flaggedRows int64
	var flaggedNames []string
	for i, l := range flags {
		if l < 0 {
			flaggedRows++
			if !slices.Contains(flaggedNames, fixtureProcess(i)) {
				flaggedNames = append(flaggedNames, fixtureProcess(i))
			}
		}
	}
	if flaggedRows == 0 {
		t.Fatal("the fixture must have anomalies for these tests to mean anything")
	}
	for _, tc := range []struct {
		name  string
		model map[string]any
		// check makes the explicit assertions; the golden file then pins the whole response.
		check func(t *testing.T, res backend.DataResponse, kql []string)
	}{
		{"kql", map[string]any{"queryType": "kql", "kql": "T | where $__timeFilter() | take 5"}, func(t *testing.T, res backend.DataResponse, kql []string) {
			want := "T | where ['TimeGenerated'] >= datetime(2026-11-27T07:00:00Z) and ['TimeGenerated'] <= datetime(2026-11-27T11:00:00Z) | take 5"
			if len(kql) != 1 || kql[0] != want {
				t.Errorf("sent %q, want %q", kql, want)
			}
		}},
		{"anomaly_rows", map[string]any{"queryType": "anomaly", "kql": "T"}, func(t *testing.T, res backend.DataResponse, _ []string) {
			got, _ := res.Frames[0].FieldByName("Anomaly")
			for i, l := range flags {
				if got.At(i).(int64) != l {
					t.Fatalf("row %d: Anomaly %d, want %d", i, got.At(i), l)
				}
			}
		}},
		{"anomaly_anomalies", map[string]any{"queryType": "anomaly", "kql": "T", "output": "anomalies"}, func(t *testing.T, res backend.DataResponse, _ []string) {
			if n, _ := res.Frames[0].RowLen(); int64(n) != flaggedRows {
				t.Errorf("%d rows, want %d", n, flaggedRows)
			}
		}},
		{"anomaly_top", map[string]any{"queryType": "anomaly", "kql": "T", "output": "top", "topN": 1}, func(t *testing.T, res backend.DataResponse, _ []string) {
			if n, _ := res.Frames[0].RowLen(); n != 1 {
				t.Errorf("%d rows, want 1", n)
			}
		}},
		{"anomaly_count", map[string]any{"queryType": "anomaly", "kql": "T", "output": "count"}, func(t *testing.T, res backend.DataResponse, _ []string) {
			if got := res.Frames[0].Fields[0].At(0).(int64); got != flaggedRows {
				t.Errorf("count %d, want %d", got, flaggedRows)
			}
		}},
		{"anomaly_countByValue", map[string]any{"queryType": "anomaly", "kql": "T", "output": "countByValue"}, func(t *testing.T, res backend.DataResponse, _ []string) {
			if n, _ := res.Frames[0].RowLen(); n != 6 {
				t.Errorf("%d values, want 6", n)
			}
		}},
		{"anomaly_series", map[string]any{"queryType": "anomaly", "kql": "T", "output": "series"}, func(t *testing.T, res backend.DataResponse, _ []string) {
			var sum int64
			f := res.Frames[0].Fields[1]
			for i := 0; i < f.Len(); i++ {
				sum += f.At(i).(int64)
			}
			if sum != flaggedRows || res.Frames[0].Meta.Type != data.FrameTypeTimeSeriesWide {
				t.Errorf("series sums to %d, want %d; type %s", sum, flaggedRows, res.Frames[0].Meta.Type)
			}
		}},
		{"anomaly_search", map[string]any{"queryType": "anomaly", "kql": "T", "search": map[string]any{"column": "InitiatingProcessFileName", "value": `^Acro`}}, func(t *testing.T, res backend.DataResponse, _ []string) {
			if n, _ := res.Frames[0].RowLen(); n != 2 {
				t.Errorf("%d rows, want the 2 AcroRd32Update.exe rows", n)
			}
		}},
		{"pivot_values", map[string]any{"queryType": "pivot", "pivot": "temp-folder", "values": []string{"AcroRd32Update.exe", `a"b`}, "lookback": "3d"}, func(t *testing.T, res backend.DataResponse, kql []string) {
			if len(kql) != 1 || !strings.Contains(kql[0], `InitiatingProcessFileName in ("AcroRd32Update.exe", "a\"b")`) || !strings.Contains(kql[0], "ago(3d)") {
				t.Errorf("sent %q", kql)
			}
		}},
		{"pivot_auto_values", map[string]any{"queryType": "pivot", "pivot": "parent-process", "kql": "T"}, func(t *testing.T, res backend.DataResponse, kql []string) {
			if len(kql) != 2 || kql[0] != "T" {
				t.Fatalf("sent %q: want the anomaly query, then the pivot", kql)
			}
			for _, n := range flaggedNames {
				if !strings.Contains(kql[1], `"`+n+`"`) {
					t.Errorf("the pivot does not list %s: %s", n, kql[1])
				}
			}
		}},
		{"error_bad_option", map[string]any{"queryType": "anomaly", "contamination": 0.9}, func(t *testing.T, res backend.DataResponse, kql []string) {
			if res.Status != backend.StatusBadRequest || res.ErrorSource != backend.ErrorSourceDownstream || len(kql) != 0 ||
				res.Error.Error() != `contamination 0.9 is not valid: must be "auto" or a number in (0, 0.5]` {
				t.Errorf("status %d, source %s, sent %q, %v: a bad option must not reach Log Analytics", res.Status, res.ErrorSource, kql, res.Error)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fq := &fakeQuerier{}
			res := run(t, newTestDatasource(t, fq), tc.model)
			if res.Error != nil && !strings.HasPrefix(tc.name, "error_") {
				t.Fatal(res.Error)
			}
			var sent []string
			for _, q := range fq.queries {
				sent = append(sent, q.KQL)
				if q.Workspace != testWorkspace {
					t.Errorf("workspace %q", q.Workspace)
				}
			}
			tc.check(t, res, sent)
			// The SDK's golden writer cannot write an error response's header (no line break
			// after the message), so error cases are checked by their assertions alone.
			if !t.Failed() && res.Error == nil {
				experimental.CheckGoldenJSONResponse(t, "testdata", tc.name, &res, *update)
			}
		})
	}
}

// TestTimeRangeModes: the dashboard's range is the timespan unless the query's own filter rules.
func TestTimeRangeModes(t *testing.T) {
	fq := &fakeQuerier{}
	d := newTestDatasource(t, fq)
	run(t, d, map[string]any{"kql": "T"})
	if ts := fq.last().Timespan; ts == nil || !ts.From.Equal(fixtureStart.Add(-time.Hour)) {
		t.Errorf("dashboard mode: timespan %v", ts)
	}
	run(t, d, map[string]any{"kql": "T", "timeRangeMode": "query", "workspaces": []string{"22222222-2222-3333-4444-555555555555"}})
	if q := fq.last(); q.Timespan != nil || q.Workspace != "22222222-2222-3333-4444-555555555555" {
		t.Errorf("query mode: %+v", q)
	}
	res := run(t, d, map[string]any{"kql": "T", "workspaces": []string{"../x"}})
	if res.Status != backend.StatusBadRequest || !strings.Contains(res.Error.Error(), "is not a workspace ID") {
		t.Errorf("bad workspace: %d %v", res.Status, res.Error)
	}
}

// TestServiceErrorsKeepTheirStatus: a failure of Log Analytics reaches Grafana with its own status.
func TestServiceErrorsKeepTheirStatus(t *testing.T) {
	fq := &fakeQuerier{fail: backend.DownstreamError(fmt.Errorf("%w: InsufficientAccessError", loganalytics.ErrForbidden))}
	res := run(t, newTestDatasource(t, fq), map[string]any{"kql": "T"})
	if res.Status != backend.StatusForbidden || res.ErrorSource != backend.ErrorSourceDownstream || !errors.Is(res.Error, loganalytics.ErrForbidden) {
		t.Errorf("got %d %s %v", res.Status, res.ErrorSource, res.Error)
	}
}
