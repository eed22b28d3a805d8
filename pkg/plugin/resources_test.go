package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
)

// callResource calls a resource as Grafana does and decodes the JSON answer.
func callResource(t *testing.T, d *Datasource, method, path string, body []byte) (int, map[string]any) {
	t.Helper()
	var got *backend.CallResourceResponse
	u, _ := url.Parse(path)
	err := d.CallResource(context.Background(), &backend.CallResourceRequest{Method: method, Path: u.Path, URL: path, Body: body},
		backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error { got = r; return nil }))
	if err != nil || got == nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	var out map[string]any
	if err := json.Unmarshal(got.Body, &out); err != nil {
		t.Fatalf("%s %s: %s: %v", method, path, got.Body, err)
	}
	return got.Status, out
}

func TestResourceWorkspaces(t *testing.T) {
	status, out := callResource(t, newTestDatasource(t, &fakeQuerier{}), http.MethodGet, "workspaces", nil)
	if status != 200 || out["default"] != testWorkspace || out["demo"] != false {
		t.Errorf("%d %v", status, out)
	}
}

func TestResourceSchema(t *testing.T) {
	fq := &fakeQuerier{}
	d := newTestDatasource(t, fq)
	status, out := callResource(t, d, http.MethodGet, "schema?table=DeviceNetworkEvents", nil)
	if status != 200 || fq.last().KQL != "DeviceNetworkEvents | take 0" || fq.last().Timespan != nil {
		t.Fatalf("%d %v %q", status, out, fq.last().KQL)
	}
	cols := out["columns"].([]any)
	if len(cols) != 4 || cols[0].(map[string]any)["name"] != "TimeGenerated" || cols[3].(map[string]any)["type"] != "long" {
		t.Errorf("columns %v", cols)
	}
	if status, out := callResource(t, d, http.MethodGet, "schema?table=T%7Cunion", nil); status != 400 || out["error"] == nil {
		t.Errorf("a table name with KQL in it: %d %v", status, out)
	}
	// The service's own status and kind reach the editor (not a blanket 502).
	for _, tc := range []struct {
		err    error
		status int
	}{
		{loganalytics.ErrUnauthorized, 401}, {loganalytics.ErrForbidden, 403}, {loganalytics.ErrNotFound, 404},
		{loganalytics.ErrThrottled, 429}, {loganalytics.ErrBadRequest, 400},
	} {
		fq.fail = backend.DownstreamError(fmt.Errorf("%w: from the service", tc.err))
		if status, out := callResource(t, d, http.MethodGet, "schema?table=DeviceNetworkEvents", nil); status != tc.status || out["error"] == nil {
			t.Errorf("%v: %d %v", tc.err, status, out)
		}
	}
}

func TestResourceFields(t *testing.T) {
	fq := &fakeQuerier{}
	d := newTestDatasource(t, fq)
	body := `{"kql":"DeviceNetworkEvents | where $__timeFilter() | project DeviceName","timeRangeMode":"dashboard","from":"1764230400000","to":1764234000000}`
	status, out := callResource(t, d, http.MethodPost, "fields", []byte(body))
	want := "DeviceNetworkEvents | where ['TimeGenerated'] >= datetime(2025-11-27T08:00:00Z) and ['TimeGenerated'] <= datetime(2025-11-27T09:00:00Z) | project DeviceName\n| getschema"
	if status != 200 || fq.last().KQL != want || fq.last().Timespan == nil {
		t.Fatalf("%d %v\nsent %q\nwant %q", status, out, fq.last().KQL, want)
	}
	if cols := out["columns"].([]any); len(cols) != 4 || cols[2].(map[string]any)["name"] != "InitiatingProcessFileName" {
		t.Errorf("columns %v", cols)
	}
	for _, bad := range []string{`not json`, `{"kql":"T | where $__nope()"}`, `{"kql":"  "}`} {
		if status, out := callResource(t, d, http.MethodPost, "fields", []byte(bad)); status != 400 || out["error"] == "" {
			t.Errorf("%s: %d %v", bad, status, out)
		}
	}
}

func TestResourcePivots(t *testing.T) {
	status, out := callResource(t, newTestDatasource(t, &fakeQuerier{}), http.MethodGet, "pivots", nil)
	list, _ := out["pivots"].([]any)
	if status != 200 || len(list) != 3 {
		t.Fatalf("%d %v", status, out)
	}
	first := list[0].(map[string]any)
	if first["name"] != "parent-process" || first["title"] != "Verify Parent Process" || first["column"] != "InitiatingProcessFileName" || first["description"] == "" {
		t.Errorf("%v", first)
	}
	if _, ok := first["KQL"]; ok {
		t.Error("the KQL template is not part of the listing")
	}
}
