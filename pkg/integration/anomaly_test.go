package integration

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/internal/pluginhost"
	"github.com/kqlhunt/anomaly-datasource/pkg/sampledata"
)

// demoQuery sends one query to the provisioned demo datasource over the last seven days.
// The range is fixed for the whole run, as on a dashboard whose panels share one time range:
// queries compared with each other must see the same rows (a sliding "now" drops the oldest).
func demoQuery(t *testing.T, model map[string]any) backend.DataResponse {
	t.Helper()
	demo := provisionedDatasources(t, nil)["kqlhunt-demo"]
	now := demoNow
	res, err := host.QueryData(ctx(t), demo.QueryRequest(pluginhost.Query{Model: model, From: now.Add(-7 * 24 * time.Hour), To: now}))
	if err != nil {
		t.Fatal(err)
	}
	return res.Responses["A"]
}

var demoNow = time.Now()

func column(t *testing.T, f *data.Frame, name string) *data.Field {
	t.Helper()
	fld, _ := f.FieldByName(name)
	if fld == nil {
		t.Fatalf("frame %q has no field %s", f.Name, name)
	}
	return fld
}

func stringAt(f *data.Field, i int) string {
	switch v := f.At(i).(type) {
	case string:
		return v
	case *string:
		if v != nil {
			return *v
		}
	}
	return ""
}

// TestNotebookAnomalyQueryOnTheDemoWorkspace runs the notebook end to end through the compiled plugin:
// the default query, label encoding of InitiatingProcessFileName and the forest with the notebook's
// settings, and finds the planted intrusions of the sample data among the anomalies.
func TestNotebookAnomalyQueryOnTheDemoWorkspace(t *testing.T) {
	rows := demoQuery(t, map[string]any{"queryType": "kql"})
	scored := demoQuery(t, map[string]any{"queryType": "anomaly"})
	if scored.Error != nil {
		t.Fatal(scored.Error)
	}
	f := scored.Frames[0]
	n, _ := f.RowLen()
	if want, _ := rows.Frames[0].RowLen(); n != want || n == 0 {
		t.Fatalf("scored %d rows, the query returned %d", n, want)
	}
	outlier, flag, score := column(t, f, "Outlier"), column(t, f, "Anomaly"), column(t, f, "Anomaly_Score")
	if outlier.Type() != data.FieldTypeInt64 || flag.Type() != data.FieldTypeInt64 || score.Type() != data.FieldTypeFloat64 {
		t.Fatalf("field types %s %s %s", outlier.Type(), flag.Type(), score.Type())
	}
	names := column(t, f, "InitiatingProcessFileName")
	flagged := map[string]bool{}
	anomalies := 0
	for i := 0; i < n; i++ {
		if flag.At(i).(int64) == -1 {
			anomalies++
			flagged[stringAt(names, i)] = true
			if s := score.At(i).(float64); s >= 0 {
				t.Errorf("row %d flagged with decision %v >= 0", i, s)
			}
		}
	}
	if anomalies == 0 || anomalies > n/100+1 {
		t.Errorf("%d anomalies among %d rows with contamination 0.01", anomalies, n)
	}
	// The dropper and the reverse shell sort at the ends of the label order and are always isolated.
	// The fake updater sorts among Adobe's own binaries: whether 1 % of the rows reaches it depends on
	// the hour's traffic (the demo is generated relative to now), but it is always among the ten most
	// anomalous processes, which is what a hunter reads first.
	for _, planted := range []string{sampledata.DropperFile, sampledata.ShellFile} {
		if !flagged[planted] {
			t.Errorf("planted %s not flagged; flagged: %v", planted, flagged)
		}
	}
	byValue := demoQuery(t, map[string]any{"queryType": "anomaly", "output": "countByValue"})
	if byValue.Error != nil {
		t.Fatal(byValue.Error)
	}
	values := column(t, byValue.Frames[0], "InitiatingProcessFileName")
	var first []string
	for i := 0; i < values.Len() && i < 10; i++ {
		first = append(first, stringAt(values, i))
	}
	for _, planted := range []string{sampledata.DropperFile, sampledata.ParentFile, sampledata.ShellFile} {
		if !slices.Contains(first, planted) {
			t.Errorf("planted %s not among the ten most anomalous processes %v", planted, first)
		}
	}

	count := demoQuery(t, map[string]any{"queryType": "anomaly", "output": "count"})
	if count.Error != nil {
		t.Fatal(count.Error)
	}
	if got := column(t, count.Frames[0], "Anomalies").At(0).(int64); got != int64(anomalies) {
		t.Errorf("count output %d, rows output flags %d", got, anomalies)
	}
	top := demoQuery(t, map[string]any{"queryType": "anomaly", "output": "top", "topN": 10})
	if top.Error != nil {
		t.Fatal(top.Error)
	}
	if k, _ := top.Frames[0].RowLen(); k == 0 || k > 10 {
		t.Errorf("top 10 returned %d rows", k)
	}
}

func TestPivotsOnTheDemoWorkspace(t *testing.T) {
	tests := []struct {
		pivot, column, want string
	}{
		{"temp-folder", "InitiatingProcessFolderPath", `\AppData\Local\temp\`},
		{"parent-process", "InitiatingProcessParentFileName", "WINWORD.EXE"},
		{"cmd-powershell", "InitiatingProcessFileName", sampledata.ShellFile},
	}
	for _, tt := range tests {
		t.Run(tt.pivot, func(t *testing.T) {
			// No values: the pivot takes the anomalies of the same query's anomaly settings.
			dr := demoQuery(t, map[string]any{"queryType": "pivot", "pivot": tt.pivot})
			if dr.Error != nil {
				t.Fatal(dr.Error)
			}
			f := dr.Frames[0]
			if !strings.Contains(f.Meta.ExecutedQueryString, `InitiatingProcessFileName in (`) {
				t.Errorf("executed query %q", f.Meta.ExecutedQueryString)
			}
			col := column(t, f, tt.column)
			n, _ := f.RowLen()
			found := false
			for i := 0; i < n; i++ {
				found = found || strings.Contains(stringAt(col, i), tt.want)
			}
			if !found {
				t.Errorf("%d rows, none with %s containing %q", n, tt.column, tt.want)
			}
		})
	}
}

func TestPivotValuesCannotInjectKQL(t *testing.T) {
	dr := demoQuery(t, map[string]any{"queryType": "pivot", "pivot": "temp-folder",
		"values": []string{`x.exe") or isnotempty(InitiatingProcessFileName) or ("`, `a\"b.exe`}})
	if dr.Error != nil {
		t.Fatal(dr.Error)
	}
	if n, _ := dr.Frames[0].RowLen(); n != 0 {
		t.Errorf("injected values matched %d rows", n)
	}
}

func TestAnomalyQueryErrorsAreClear(t *testing.T) {
	tests := []struct {
		model map[string]any
		want  string
	}{
		{map[string]any{"queryType": "anomaly", "field": "NoSuchColumn"}, "NoSuchColumn"},
		{map[string]any{"queryType": "anomaly", "contamination": 0.9}, "contamination 0.9 is not valid"},
		{map[string]any{"queryType": "pivot", "pivot": "nope"}, `pivot "nope" is not known`},
		{map[string]any{"queryType": "anomaly", "kql": "DeviceNetworkEvents | take 1"}, "row"},
	}
	for _, tt := range tests {
		dr := demoQuery(t, tt.model)
		if dr.Error == nil || !strings.Contains(dr.Error.Error(), tt.want) || dr.Status != backend.StatusBadRequest {
			t.Errorf("%v: got %d %v, want 400 with %q", tt.model, dr.Status, dr.Error, tt.want)
		}
	}
}
