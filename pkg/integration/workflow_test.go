package integration

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/pluginhost"
	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
	"github.com/kqlhunt/anomaly-datasource/pkg/sampledata"
)

// hostileNames are process names a multi-value variable can carry into a pivot's values: each must
// match exactly its own rows, never end its literal or add KQL.
var hostileNames = []string{
	`") | union *`, `a.exe") or isnotempty(InitiatingProcessFileName) or ("`, `quote"inside.exe`, `single'quote.exe`,
	`back\slash.exe`, `trailing\`, "new\nline.exe", "tab\tand\rreturn.exe", `@"verbatim".exe`, "// comment.exe",
	"where", "union", "ünïcødé 工具.exe", " 3f7c2a9e.exe",
}

// hostileTable holds one row per hostile name and per bystander, each passing every pivot's filters.
func hostileTable(t *testing.T, now time.Time) *kql.Table {
	t.Helper()
	var evs []sampledata.Event
	for _, name := range append(slices.Clone(hostileNames), "3f7c2a9e.exe", "a.exe", "chrome.exe", "quote", "new") {
		evs = append(evs, sampledata.Event{
			TimeGenerated: now.Add(-time.Hour), DeviceName: "ws-01", ActionType: "ConnectionSuccess", RemoteIPType: "Public",
			RemoteIP: "203.0.113.7", RemotePort: 443, LocalIP: "10.0.0.5", InitiatingProcessFileName: name,
			InitiatingProcessParentFileName: "explorer.exe", InitiatingProcessFolderPath: `C:\Users\a\AppData\Local\temp\` + name,
			InitiatingProcessCommandLine: `cmd.exe /c "` + name + `"`, InitiatingProcessAccountName: "a",
		})
	}
	return sampledata.Table(evs)
}

// TestPivotsOnAMultiValueVariableWithHostileNames: each pivot, fed the values of a multi-value
// variable (one values element per value, as the frontend expands it), returns exactly the rows of
// those names, through the compiled plugin.
func TestPivotsOnAMultiValueVariableWithHostileNames(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	exec := emulator.NewEngineExecutor(hostileTable(t, now))
	exec.Now = func() time.Time { return now }
	r := newRig(t, exec, nil)
	for _, pivot := range []string{"parent-process", "temp-folder", "cmd-powershell"} {
		res, err := host.QueryData(ctx(t), r.ds.QueryRequest(pluginhost.Query{From: now.Add(-24 * time.Hour), To: now,
			Model: map[string]any{"queryType": "pivot", "pivot": pivot, "values": hostileNames, "timeRangeMode": "query"}}))
		if err != nil {
			t.Fatal(err)
		}
		dr := res.Responses["A"]
		if dr.Error != nil {
			t.Fatalf("%s: %v", pivot, dr.Error)
		}
		names := column(t, dr.Frames[0], "InitiatingProcessFileName")
		var got []string
		for i := 0; i < names.Len(); i++ {
			got = append(got, stringAt(names, i))
		}
		want := slices.Clone(hostileNames)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s returned %q, want exactly %q", pivot, got, want)
		}
	}
	// An empty value is refused rather than matching nothing or everything.
	res, err := host.QueryData(ctx(t), r.ds.QueryRequest(pluginhost.Query{Model: map[string]any{"queryType": "pivot", "pivot": "temp-folder", "values": []string{"a.exe", ""}}}))
	if err != nil {
		t.Fatal(err)
	}
	if dr := res.Responses["A"]; dr.Status != backend.StatusBadRequest || !strings.Contains(dr.Error.Error(), "empty value") {
		t.Errorf("empty value: %d %v", dr.Status, dr.Error)
	}
}

// TestVariableKinds: the two variable kinds of the frontend's variable support, through the
// compiled plugin: the anomalous values of a field (most anomalous first) and a column's distinct
// values; Grafana takes the first string field as the options.
func TestVariableKinds(t *testing.T) {
	anomalous := demoQuery(t, map[string]any{"queryType": "anomaly", "output": "values", "field": "InitiatingProcessFileName"})
	if anomalous.Error != nil {
		t.Fatal(anomalous.Error)
	}
	f := anomalous.Frames[0]
	if len(f.Fields) != 1 || f.Fields[0].Type() != data.FieldTypeString || f.Rows() == 0 {
		t.Fatalf("anomalous values: %v", f)
	}
	first := stringAt(f.Fields[0], 0)
	if !slices.Contains([]string{sampledata.DropperFile, sampledata.ParentFile, sampledata.ShellFile}, first) {
		t.Errorf("the most anomalous value is %q, not a planted intrusion", first)
	}
	distinct := demoQuery(t, map[string]any{"queryType": "kql", "output": "values", "field": "DeviceName",
		"kql": "DeviceNetworkEvents | where $__timeFilter(TimeGenerated)"})
	if distinct.Error != nil {
		t.Fatal(distinct.Error)
	}
	devices := distinct.Frames[0].Fields[0]
	var got []string
	for i := 0; i < devices.Len(); i++ {
		got = append(got, stringAt(devices, i))
	}
	if len(got) < 40 || !slices.IsSorted(got) || slices.Contains(got, "") || len(slices.Compact(slices.Clone(got))) != len(got) {
		t.Errorf("distinct devices: %q", got)
	}
}

// TestPivotLinksOpenRunnableQueries: the anomaly tables' process field links to each pivot for the
// clicked value, and each link's query, with the value filled in as Grafana fills ${__value.raw},
// runs on the same datasource and returns that process's rows.
func TestPivotLinksOpenRunnableQueries(t *testing.T) {
	demoDS := provisionedDatasources(t, nil)["kqlhunt-demo"]
	top := demoQuery(t, map[string]any{"queryType": "anomaly", "output": "top", "topN": 10})
	if top.Error != nil {
		t.Fatal(top.Error)
	}
	names := column(t, top.Frames[0], "InitiatingProcessFileName")
	if names.Config == nil || len(names.Config.Links) != 3 {
		t.Fatalf("links: %+v", names.Config)
	}
	clicked := stringAt(names, 0)
	for _, l := range names.Config.Links {
		if l.Internal == nil || l.Internal.DatasourceUID != demoDS.UID {
			t.Fatalf("link %+v", l)
		}
		raw, _ := json.Marshal(l.Internal.Query)
		var q map[string]any
		if err := json.Unmarshal([]byte(strings.ReplaceAll(string(raw), "${__value.raw}", clicked)), &q); err != nil {
			t.Fatal(err)
		}
		res := demoQuery(t, q)
		if res.Error != nil {
			t.Fatalf("%s: %v", l.Title, res.Error)
		}
		got := column(t, res.Frames[0], "InitiatingProcessFileName")
		for i := 0; i < got.Len(); i++ {
			if stringAt(got, i) != clicked {
				t.Errorf("%s on %s returned %s", l.Title, clicked, stringAt(got, i))
			}
		}
	}
}

// TestPivotsResource: GET /pivots lists the embedded pivots with their titles and columns.
func TestPivotsResource(t *testing.T) {
	demoDS := provisionedDatasources(t, nil)["kqlhunt-demo"]
	res, err := host.CallResource(ctx(t), &backend.CallResourceRequest{PluginContext: demoDS.PluginContext(), Path: "pivots", Method: "GET",
		URL: "/api/datasources/uid/" + demoDS.UID + "/resources/pivots"})
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Pivots []struct{ Name, Title, Description, Column string } `json:"pivots"`
	}
	if err := json.Unmarshal(res.Body, &body); err != nil || res.Status != 200 || len(body.Pivots) != 3 {
		t.Fatalf("%d %s %v", res.Status, res.Body, err)
	}
	if p := body.Pivots[1]; p.Name != "temp-folder" || p.Title != "Check if Process Spawned out of Temp File Path" || p.Column != "InitiatingProcessFileName" || p.Description == "" {
		t.Errorf("%+v", p)
	}
}
