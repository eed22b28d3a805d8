package integration

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/pluginhost"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/standin"
)

var (
	dashFrom = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	dashTo   = time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)
)

func (r *rig) query(t *testing.T, model map[string]any) backend.DataResponse {
	t.Helper()
	res, err := host.QueryData(ctx(t), r.ds.QueryRequest(pluginhost.Query{Model: model, From: dashFrom, To: dashTo}))
	if err != nil {
		t.Fatalf("QueryData transport error: %v", err)
	}
	dr, ok := res.Responses["A"]
	if !ok {
		t.Fatalf("no response for refId A: %+v", res.Responses)
	}
	assertNoCanary(t, dr)
	return dr
}

func assertNoCanary(t *testing.T, dr backend.DataResponse) {
	t.Helper()
	if dr.Error != nil && strings.Contains(dr.Error.Error(), canary) {
		t.Fatalf("the secret is in the error: %v", dr.Error)
	}
	for _, f := range dr.Frames {
		raw, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(raw), canary) {
			t.Fatal("the secret is in a frame")
		}
	}
}

func everyTypeTable() *emulator.Table {
	return emulator.NewTable("PrimaryResult",
		emulator.Col("TimeGenerated", "datetime"), emulator.Col("Count", "long"), emulator.Col("Small", "int"),
		emulator.Col("Score", "real"), emulator.Col("Ok", "bool"), emulator.Col("Name", "string"),
		emulator.Col("Id", "guid"), emulator.Col("Took", "timespan"), emulator.Col("Bag", "dynamic"), emulator.Col("Price", "decimal"),
	).
		AddRow(time.Date(2024, 5, 1, 12, 0, 0, 123456700, time.UTC), int64(9007199254740993), int64(7), 0.5, true, "chrome.exe",
			"2b7a1e0e-8f0e-4b0b-9d6e-7d3c8f1a2b3c", 90*time.Minute, `{"a":[1,2]}`, "12.50").
		AddRow(nil, nil, nil, math.NaN(), nil, "", nil, nil, nil, nil).
		AddRow(time.Date(2024, 5, 1, 13, 0, 0, 0, time.UTC), int64(-3), int64(-1), math.Inf(1), false, "svchost.exe",
			"00000000-0000-0000-0000-000000000001", time.Second, `[]`, "0")
}

func TestQueryReturnsEveryColumnType(t *testing.T) {
	r := newRig(t, standin.Respond(everyTypeTable()), nil)
	dr := r.query(t, map[string]any{"queryType": "kql", "kql": "DeviceNetworkEvents | where $__timeFilter() | take 3"})
	if dr.Error != nil {
		t.Fatalf("query failed: %v", dr.Error)
	}
	if len(dr.Frames) != 1 {
		t.Fatalf("want one frame, got %d", len(dr.Frames))
	}
	f := dr.Frames[0]
	wantTypes := map[string]data.FieldType{
		"TimeGenerated": data.FieldTypeNullableTime, "Count": data.FieldTypeNullableInt64, "Small": data.FieldTypeNullableInt32,
		"Score": data.FieldTypeFloat64, "Ok": data.FieldTypeNullableBool, "Name": data.FieldTypeString,
		"Id": data.FieldTypeNullableString, "Took": data.FieldTypeNullableString, "Bag": data.FieldTypeNullableString, "Price": data.FieldTypeNullableFloat64,
	}
	for _, fld := range f.Fields {
		if want, ok := wantTypes[fld.Name]; !ok || fld.Type() != want {
			t.Errorf("field %s: type %s, want %s", fld.Name, fld.Type(), want)
		}
		if fld.Len() != 3 {
			t.Errorf("field %s: %d rows, want 3", fld.Name, fld.Len())
		}
	}
	get := func(name string, row int) any {
		fld, _ := f.FieldByName(name)
		if fld == nil {
			t.Fatalf("no field %s", name)
		}
		return fld.At(row)
	}
	if v := get("Count", 0).(*int64); *v != 9007199254740993 {
		t.Errorf("long above 2^53 changed: %d", *v)
	}
	if v := get("TimeGenerated", 0).(*time.Time); !v.Equal(time.Date(2024, 5, 1, 12, 0, 0, 123456700, time.UTC)) {
		t.Errorf("datetime %v", v)
	}
	if v := get("TimeGenerated", 1).(*time.Time); v != nil {
		t.Errorf("null datetime became %v", v)
	}
	if v := get("Score", 1).(float64); !math.IsNaN(v) {
		t.Errorf("NaN became %v", v)
	}
	if v := get("Score", 2).(float64); !math.IsInf(v, 1) {
		t.Errorf("Infinity became %v", v)
	}
	if v := get("Took", 0).(*string); *v != "01:30:00" {
		t.Errorf("timespan %q", *v)
	}
	if v := get("Bag", 0).(*string); *v != `{"a":[1,2]}` {
		t.Errorf("dynamic %q", *v)
	}
	if v := get("Price", 0).(*float64); *v != 12.5 {
		t.Errorf("decimal %v", *v)
	}
	if v := get("Ok", 2).(*bool); *v != false {
		t.Errorf("bool %v", *v)
	}

	// What reached the service: the expanded macro, the dashboard's range as the timespan, the
	// timeout as Prefer: wait, and a bearer token minted by the Entra ID stand-in.
	reqs := r.waitRequests(t, 1)
	if len(reqs) != 1 {
		t.Fatalf("want 1 request, got %d", len(reqs))
	}
	got := reqs[0]
	if want := "['TimeGenerated'] >= datetime(2024-05-01T00:00:00Z) and ['TimeGenerated'] <= datetime(2024-05-02T00:00:00Z)"; !strings.Contains(got.Query, want) {
		t.Errorf("macro not expanded: %q", got.Query)
	}
	if !strings.HasPrefix(got.Timespan, "2024-05-01T00:00:00Z/2024-05-02T00:00:00Z") {
		t.Errorf("timespan %q", got.Timespan)
	}
	if !strings.Contains(got.Prefer, "wait=180") {
		t.Errorf("Prefer %q", got.Prefer)
	}
	if !got.HasAuthorization || got.Workspace != ws1 {
		t.Errorf("request %+v", got)
	}
	if r.entra.TokenRequests() != 1 {
		t.Errorf("token requests: %d", r.entra.TokenRequests())
	}
}

func TestQueryTimeRangeModeQuerySendsNoTimespan(t *testing.T) {
	r := newRig(t, standin.Respond(everyTypeTable()), nil)
	dr := r.query(t, map[string]any{"queryType": "kql", "kql": "DeviceNetworkEvents | take 3", "timeRangeMode": "query"})
	if dr.Error != nil {
		t.Fatal(dr.Error)
	}
	if ts := r.waitRequests(t, 1)[0].Timespan; ts != "" {
		t.Errorf("timespan sent in query mode: %q", ts)
	}
}

func TestPartialErrorKeepsRowsAndWarns(t *testing.T) {
	r := newRig(t, standin.Respond(everyTypeTable()).Partial("E_QUERY_RESULT_SET_TOO_LARGE", "Query result set has exceeded the internal record count limit 500000"), nil)
	dr := r.query(t, map[string]any{"kql": "DeviceNetworkEvents"})
	if dr.Error != nil {
		t.Fatalf("partial result must not be an error: %v", dr.Error)
	}
	f := dr.Frames[0]
	if n, _ := f.RowLen(); n != 3 {
		t.Fatalf("rows lost: %d", n)
	}
	if f.Meta == nil || len(f.Meta.Notices) == 0 {
		t.Fatal("no notice on the frame")
	}
	n := f.Meta.Notices[0]
	if n.Severity != data.NoticeSeverityWarning || !strings.Contains(n.Text, "exceeded the internal record count limit") {
		t.Errorf("notice %+v", n)
	}
}

func TestBadKQLGivesTheServiceWords(t *testing.T) {
	r := newRig(t, standin.BadQuery(2, 244, "joi"), nil)
	dr := r.query(t, map[string]any{"kql": "DeviceNetworkEvents\n| joi x"})
	if dr.Error == nil {
		t.Fatal("want an error")
	}
	if !strings.Contains(dr.Error.Error(), "Query could not be parsed at 'joi' on line [2,244]") {
		t.Errorf("error lacks the service's words: %v", dr.Error)
	}
	if dr.Status != backend.StatusBadRequest || dr.ErrorSource != backend.ErrorSourceDownstream {
		t.Errorf("status %d source %q", dr.Status, dr.ErrorSource)
	}
}

func TestServiceFailures(t *testing.T) {
	tests := []struct {
		name   string
		exec   emulator.Executor
		status backend.Status
		words  string
	}{
		{"forbidden", standin.Fail(403, "InsufficientAccessError", "The provided credentials have insufficient access to perform the requested operation"), backend.StatusForbidden, "insufficient access"},
		{"not found", standin.Fail(404, "WorkspaceNotFoundError", "Workspace could not be found"), backend.StatusNotFound, "Workspace could not be found"},
		{"throttled after retries", standin.Throttle(200 * time.Millisecond), backend.StatusTooManyRequests, "429"},
		{"gateway timeout", standin.Fail(504, "GatewayTimeout", "The gateway did not receive a response in time"), backend.StatusTimeout, "did not receive a response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.exec, nil)
			dr := r.query(t, map[string]any{"kql": "DeviceNetworkEvents"})
			if dr.Error == nil || !strings.Contains(dr.Error.Error(), tt.words) {
				t.Fatalf("error %v lacks %q", dr.Error, tt.words)
			}
			if dr.Status != tt.status || dr.ErrorSource != backend.ErrorSourceDownstream {
				t.Errorf("status %d source %q", dr.Status, dr.ErrorSource)
			}
		})
	}
}

func TestThrottledThenSucceeds(t *testing.T) {
	script := standin.Throttle(time.Second).Then(standin.Respond(everyTypeTable()))
	r := newRig(t, script, nil)
	dr := r.query(t, map[string]any{"kql": "DeviceNetworkEvents"})
	if dr.Error != nil {
		t.Fatalf("retry did not succeed: %v", dr.Error)
	}
	if script.Calls() != 2 {
		t.Errorf("calls: %d, want 2 (429 then 200)", script.Calls())
	}
	reqs := r.waitRequests(t, 2)
	if len(reqs) != 2 || reqs[0].Status != 429 || reqs[1].Status != 200 {
		t.Errorf("requests: %+v", reqs)
	}
	if gap := reqs[1].Time.Sub(reqs[0].Time); gap < 900*time.Millisecond {
		t.Errorf("Retry-After not honoured: retried after %v", gap)
	}
}

func TestQueryOutlivingTimeout(t *testing.T) {
	r := newRig(t, standin.Respond(everyTypeTable()).After(20*time.Second), map[string]any{"queryTimeoutSeconds": 1})
	start := time.Now()
	dr := r.query(t, map[string]any{"kql": "DeviceNetworkEvents"})
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the 1 s timeout took %v", took)
	}
	if dr.Error == nil || !strings.Contains(strings.ToLower(dr.Error.Error()), "timed out") {
		t.Fatalf("want a timeout, got %v", dr.Error)
	}
	if dr.ErrorSource != backend.ErrorSourceDownstream {
		t.Errorf("source %q", dr.ErrorSource)
	}
	if p := r.waitRequests(t, 1)[0].Prefer; !strings.Contains(p, "wait=1") {
		t.Errorf("Prefer %q", p)
	}
}

func TestSeveralWorkspaces(t *testing.T) {
	r := newRig(t, standin.Respond(everyTypeTable()), map[string]any{"additionalWorkspaces": []string{ws2}})
	dr := r.query(t, map[string]any{"kql": "DeviceNetworkEvents"})
	if dr.Error != nil {
		t.Fatal(dr.Error)
	}
	got := r.waitRequests(t, 1)[0]
	if got.Workspace != ws1 || len(got.Workspaces) != 1 || got.Workspaces[0] != ws2 {
		t.Errorf("datasource workspaces not sent: %s %v", got.Workspace, got.Workspaces)
	}
	// A query's own workspaces replace the datasource's.
	r.la.ResetRequests()
	dr = r.query(t, map[string]any{"kql": "DeviceNetworkEvents", "workspaces": []string{ws2}})
	if dr.Error != nil {
		t.Fatal(dr.Error)
	}
	if got := r.waitRequests(t, 1)[0]; got.Workspace != ws2 || len(got.Workspaces) != 0 {
		t.Errorf("query workspaces not used: %s %v", got.Workspace, got.Workspaces)
	}
	dr = r.query(t, map[string]any{"kql": "DeviceNetworkEvents", "workspaces": []string{"../secrets"}})
	if dr.Error == nil || !strings.Contains(dr.Error.Error(), "not a workspace ID") {
		t.Errorf("bad workspace: %v", dr.Error)
	}
}

func TestQueriesRunConcurrentlyEachWithItsOwnError(t *testing.T) {
	script := standin.Respond(everyTypeTable()).After(time.Second).
		ForWorkspace(ws2, standin.Fail(403, "InsufficientAccessError", "no access to workspace two"))
	r := newRig(t, script, nil)
	req := r.ds.QueryRequest(
		pluginhost.Query{RefID: "A", Model: map[string]any{"kql": "T"}, From: dashFrom, To: dashTo},
		pluginhost.Query{RefID: "B", Model: map[string]any{"kql": "T"}, From: dashFrom, To: dashTo},
		pluginhost.Query{RefID: "C", Model: map[string]any{"kql": "T", "workspaces": []string{ws2}}, From: dashFrom, To: dashTo},
		pluginhost.Query{RefID: "D", Model: map[string]any{"kql": "T | $__nope()"}, From: dashFrom, To: dashTo},
	)
	start := time.Now()
	res, err := host.QueryData(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 1900*time.Millisecond {
		t.Errorf("two 1 s queries took %v: not concurrent", took)
	}
	for _, id := range []string{"A", "B"} {
		if res.Responses[id].Error != nil || len(res.Responses[id].Frames) != 1 {
			t.Errorf("%s: %v", id, res.Responses[id].Error)
		}
	}
	if e := res.Responses["C"].Error; e == nil || !strings.Contains(e.Error(), "no access to workspace two") {
		t.Errorf("C: %v", e)
	}
	if e := res.Responses["D"].Error; e == nil || !strings.Contains(e.Error(), "$__nope") {
		t.Errorf("D: %v", e)
	}
}
