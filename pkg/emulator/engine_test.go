package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"

	"github.com/kqlhunt/anomaly-datasource/pkg/demo"
	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
	"github.com/kqlhunt/anomaly-datasource/pkg/sampledata"
)

var engineNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

const notebookQuery = `DeviceNetworkEvents
| where TimeGenerated >= ago(1d)
| where isnotempty(InitiatingProcessFileName)
| where ActionType == "ConnectionSuccess"
| where RemoteIPType == "Public"
| where RemoteIP matches regex @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$"
| project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`

func engineExecutor(tables ...*kql.Table) *emulator.EngineExecutor {
	e := emulator.NewEngineExecutor(tables...)
	e.Now = func() time.Time { return engineNow }
	return e
}

// TestEngineNotebookQueryOverTLS runs the notebook's query as the plugin does: real credential,
// real azquery client, TLS, the engine over generated data.
func TestEngineNotebookQueryOverTLS(t *testing.T) {
	cfg := sampledata.Config{Rows: 20000, Seed: 42, Now: engineNow}
	r := newRig(t, engineExecutor(sampledata.Generate(cfg)), policy.RetryOptions{MaxRetries: -1})
	res, err := query(context.Background(), r.client, notebookQuery, ptr(30))
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, e := range sampledata.Events(cfg) {
		if !e.TimeGenerated.Before(engineNow.Add(-24*time.Hour)) && e.InitiatingProcessFileName != "" && e.ActionType == "ConnectionSuccess" &&
			e.RemoteIPType == "Public" && !strings.Contains(e.RemoteIP, ":") {
			want++
		}
	}
	tbl := res.Tables[0]
	if len(tbl.Rows) != want || want == 0 {
		t.Fatalf("%d rows, want %d", len(tbl.Rows), want)
	}
	var cols []string
	for _, c := range tbl.Columns {
		cols = append(cols, *c.Name+":"+string(*c.Type))
	}
	if got := strings.Join(cols, " "); got != "TimeGenerated:datetime DeviceName:string InitiatingProcessAccountName:string InitiatingProcessFileName:string LocalIP:string RemoteIP:string RemotePort:int" {
		t.Errorf("columns %s", got)
	}
	if ts, ok := tbl.Rows[0][0].(string); !ok || !strings.HasSuffix(ts, "Z") {
		t.Errorf("TimeGenerated cell %#v", tbl.Rows[0][0])
	}
	if _, ok := tbl.Rows[0][6].(float64); !ok {
		t.Errorf("RemotePort cell %#v", tbl.Rows[0][6])
	}
}

// post sends a raw query and decodes the answer keeping numbers exact.
func post(t *testing.T, h http.Handler, ws, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest("POST", "/v1/workspaces/"+ws+"/query", strings.NewReader(body))
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	dec := json.NewDecoder(rr.Body)
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("answer is not JSON: %v", err)
	}
	return rr.Code, out
}

func rows(t *testing.T, ans map[string]any) []any {
	t.Helper()
	tables, _ := ans["tables"].([]any)
	if len(tables) == 0 {
		t.Fatalf("no tables in %v", ans)
	}
	return tables[0].(map[string]any)["rows"].([]any)
}

func TestEngineEncodesEveryType(t *testing.T) {
	tbl := kql.NewTable("T", []kql.ColumnSchema{
		{Name: "b", Type: kql.TypeBool}, {Name: "t", Type: kql.TypeDateTime}, {Name: "d", Type: kql.TypeDynamic},
		{Name: "g", Type: kql.TypeGUID}, {Name: "i", Type: kql.TypeInt}, {Name: "l", Type: kql.TypeLong},
		{Name: "r", Type: kql.TypeReal}, {Name: "s", Type: kql.TypeString}, {Name: "ts", Type: kql.TypeTimespan},
		{Name: "dec", Type: kql.TypeDecimal},
	})
	ts := time.Date(2026, 11, 27, 8, 30, 0, 123456700, time.UTC)
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(tbl.AppendRow(true, ts, `{"k":[1,"<x>"]}`, "6f1c3c1e-8f0c-4a59-9d4e-1f2a3b4c5d6e", int64(7), int64(1)<<62+1, math.NaN(), "a\"b\\c\n", 36*time.Hour+1500*time.Millisecond, "3.14159265358979323846"))
	must(tbl.AppendRow(nil, nil, nil, "", nil, nil, math.Inf(-1), "", nil, ""))
	h := emulator.NewLogAnalyticsHandler(engineExecutor(tbl))
	code, ans := post(t, h, workspaceID, `{"query":"T"}`)
	if code != 200 {
		t.Fatalf("%d %v", code, ans)
	}
	got, _ := json.Marshal(rows(t, ans))
	want := `[[true,"2026-11-27T08:30:00.1234567Z","{\"k\":[1,\"\u003cx\u003e\"]}","6f1c3c1e-8f0c-4a59-9d4e-1f2a3b4c5d6e",7,4611686018427387905,"NaN","a\"b\\c\n","1.12:00:01.5000000","3.14159265358979323846"],` +
		`[null,null,null,"",null,null,"-Infinity","",null,""]]`
	if string(got) != want {
		t.Errorf("rows\n got %s\nwant %s", got, want)
	}
}

func TestEngineTimespanAndWorkspaces(t *testing.T) {
	cfg := sampledata.Config{Rows: 5000, Seed: 5, Now: engineNow}
	evs := sampledata.Events(cfg)
	other := "11111111-2222-3333-4444-555555555555"
	third := "22222222-3333-4444-5555-666666666666"
	small := sampledata.Generate(sampledata.Config{Rows: 300, Seed: 6, Now: engineNow, NoIntrusions: true})
	exec := engineExecutor(sampledata.Generate(cfg)).AddWorkspace(other, small)
	h := emulator.NewLogAnalyticsHandler(exec, emulator.WithClock(func() time.Time { return engineNow }))
	inLastHour := 0
	for _, e := range evs {
		if !e.TimeGenerated.Before(engineNow.Add(-time.Hour)) && e.TimeGenerated.Before(engineNow) {
			inLastHour++
		}
	}
	tests := []struct {
		name, ws, body string
		want           int64
	}{
		{"no timespan", workspaceID, `{"query":"DeviceNetworkEvents | count"}`, 5000},
		{"relative timespan", workspaceID, `{"query":"DeviceNetworkEvents | count","timespan":"PT1H"}`, int64(inLastHour)},
		{"absolute timespan", workspaceID, `{"query":"DeviceNetworkEvents | count","timespan":"` +
			engineNow.Add(-time.Hour).Format(time.RFC3339) + "/" + engineNow.Format(time.RFC3339) + `"}`, int64(inLastHour)},
		{"timespan and query filter intersect", workspaceID, `{"query":"DeviceNetworkEvents | where TimeGenerated >= ago(7d) | count","timespan":"PT1H"}`, int64(inLastHour)},
		{"own workspace", other, `{"query":"DeviceNetworkEvents | count"}`, 300},
		{"union of two workspaces", workspaceID, `{"query":"DeviceNetworkEvents | count","workspaces":["` + other + `"]}`, 5300},
		{"same data counted once", workspaceID, `{"query":"DeviceNetworkEvents | count","workspaces":["` + third + `","` + strings.ToUpper(workspaceID) + `"]}`, 5000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, ans := post(t, h, tt.ws, tt.body)
			if code != 200 {
				t.Fatalf("%d %v", code, ans)
			}
			n, _ := rows(t, ans)[0].([]any)[0].(json.Number).Int64()
			if n != tt.want {
				t.Errorf("count %d, want %d", n, tt.want)
			}
		})
	}
	// Without default tables, an unknown workspace is the service's 404.
	only := emulator.NewLogAnalyticsHandler(emulator.NewEngineExecutor().AddWorkspace(other, small))
	if code, ans := post(t, only, workspaceID, `{"query":"DeviceNetworkEvents | count"}`); code != 404 || !strings.Contains(mustJSON(ans), "WorkspaceNotFoundError") {
		t.Errorf("unknown workspace: %d %v", code, ans)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestEngineErrorsAndTruncation(t *testing.T) {
	tbl := sampledata.Generate(sampledata.Config{Rows: 50, Seed: 1, Now: engineNow})
	h := emulator.NewLogAnalyticsHandler(engineExecutor(tbl), emulator.WithRowLimit(10))
	tests := []struct {
		name, query string
		status      int
		want        []string
	}{
		{"syntax", "DeviceNetworkEvents\n| where ActionType == ", 400, []string{`"code":"BadArgumentError"`, `"code":"SyntaxError"`, `"code":"SYN0002"`, `"line":2`}},
		{"unknown column", "DeviceNetworkEvents | where Nope == 1", 400, []string{`"code":"SemanticError"`, `"code":"SEM0100"`, `Nope`}},
		{"unknown table", "Nope | take 1", 400, []string{`"code":"SemanticError"`, `Nope`}},
		{"truncated", "DeviceNetworkEvents | take 20", 200, []string{`"code":"PartialError"`, `E_QUERY_RESULT_SET_TOO_LARGE`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]string{"query": tt.query})
			code, ans := post(t, h, workspaceID, string(body))
			text := mustJSON(ans)
			if code != tt.status {
				t.Fatalf("%d %s", code, text)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("answer lacks %s: %s", w, text)
				}
			}
			if code == 200 && len(rows(t, ans)) != 10 {
				t.Errorf("%d rows, want the first 10", len(rows(t, ans)))
			}
		})
	}
}

// TestEngineThroughInMemoryTransport is the demo workspace's path: azquery with no credential,
// the emulator served in memory, the engine over generated data.
func TestEngineThroughInMemoryTransport(t *testing.T) {
	cfg := sampledata.Config{Rows: 20000, Seed: 42, Now: engineNow}
	h := emulator.NewLogAnalyticsHandler(engineExecutor(sampledata.Generate(cfg)))
	c := demoClient(t, h)
	res, err := c.QueryWorkspace(context.Background(), workspaceID, azquery.Body{Query: ptr(notebookQuery)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tables[0].Rows) == 0 {
		t.Fatal("no rows")
	}
	_, err = c.QueryWorkspace(context.Background(), workspaceID, azquery.Body{Query: ptr("DeviceNetworkEvents | where")}, nil)
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.StatusCode != 400 {
		t.Errorf("bad KQL: %v", err)
	}
}

// demoClient reaches h as the plugin's demo workspace does: azquery's own code path, a made-up
// https endpoint, no credential, and the handler served in memory by demo.Transport.
func demoClient(t testing.TB, h http.Handler) *azquery.LogsClient {
	t.Helper()
	c, err := azquery.NewLogsClient(nil, &azquery.LogsClientOptions{ClientOptions: azcore.ClientOptions{
		Cloud: cloud.Configuration{Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			azquery.ServiceNameLogs: {Endpoint: demo.Endpoint, Audience: "https://api.loganalytics.io"},
		}},
		Transport: &demo.Transport{Handler: h},
		Retry:     policy.RetryOptions{MaxRetries: -1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestEngineRunawayQueryIsTheServicesPartialError: a query past the engine's memory budget gets
// what Log Analytics answers for E_RUNAWAY_QUERY: 200, a PartialError whose EngineError carries the
// engine's message and the HRESULT, and the result's columns with no rows.
func TestEngineRunawayQueryIsTheServicesPartialError(t *testing.T) {
	h := emulator.NewLogAnalyticsHandler(engineExecutor(demo.Table(engineNow)))
	body := `{"query":"DeviceNetworkEvents | join kind=inner (DeviceNetworkEvents) on DeviceName | project DeviceName, RemotePort"}`
	code, ans := post(t, h, "11111111-2222-3333-4444-555555555555", body)
	text := mustJSON(ans)
	if code != 200 || !strings.Contains(text, `"code":"PartialError"`) || !strings.Contains(text, `"code":"-2133196799"`) ||
		!strings.Contains(text, "E_RUNAWAY_QUERY") || !strings.Contains(text, "'join' operator has exceeded the memory budget") {
		t.Fatalf("%d %s", code, text)
	}
	tables := ans["tables"].([]any)
	cols := tables[0].(map[string]any)["columns"].([]any)
	if len(rows(t, ans)) != 0 || len(cols) != 2 || cols[1].(map[string]any)["type"] != "int" {
		t.Errorf("want the columns and no rows: %s", mustJSON(tables[0]))
	}
}

// TestEngineSlotsBoundConcurrency: with Slots, queries beyond the slots wait for one (and give up
// with their context), so the engine never runs more at once.
func TestEngineSlotsBoundConcurrency(t *testing.T) {
	exec := engineExecutor(sampledata.Generate(sampledata.Config{Rows: 20000, Seed: 1, Now: engineNow}))
	exec.Slots = make(chan struct{}, 1)
	exec.Slots <- struct{}{} // the one slot is taken
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := exec.Query(ctx, emulator.Request{Query: "DeviceNetworkEvents | count"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a query without a slot: %v", err)
	}
	<-exec.Slots
	res, err := exec.Query(context.Background(), emulator.Request{Query: "DeviceNetworkEvents | count"})
	if err != nil || len(res.Tables) != 1 || len(exec.Slots) != 0 {
		t.Fatalf("%v %d", err, len(exec.Slots))
	}
}
