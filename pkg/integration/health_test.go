package integration

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/standin"
)

func oneRow() *emulator.Table {
	return emulator.NewTable("PrimaryResult", emulator.Col("HealthCheck", "string")).AddRow("ok")
}

func (r *rig) health(t *testing.T) *backend.CheckHealthResult {
	t.Helper()
	res, err := host.CheckHealth(ctx(t), r.ds.PluginContext())
	if err != nil {
		t.Fatalf("CheckHealth transport error: %v", err)
	}
	if strings.Contains(res.Message, canary) {
		t.Fatalf("the secret is in the health message: %s", res.Message)
	}
	return res
}

func TestHealthOK(t *testing.T) {
	r := newRig(t, standin.Respond(oneRow()), nil)
	res := r.health(t)
	if res.Status != backend.HealthStatusOk {
		t.Fatalf("health: %v %s", res.Status, res.Message)
	}
	if got := r.waitRequests(t, 1); len(got) != 1 || !got[0].HasAuthorization || got[0].Workspace != ws1 {
		t.Errorf("health query: %+v", got)
	}
}

func TestHealthWrongSecret(t *testing.T) {
	r := newRig(t, standin.Respond(oneRow()), nil)
	r.ds.Secure = map[string]string{"azureClientSecret": "not-the-" + "right-one"}
	res := r.health(t)
	if res.Status != backend.HealthStatusError {
		t.Fatalf("health with a wrong secret is %v", res.Status)
	}
	for _, want := range []string{"Sign-in", "AADSTS7000215"} {
		if !strings.Contains(res.Message, want) {
			t.Errorf("message lacks %q: %s", want, res.Message)
		}
	}
	if strings.Contains(res.Message, "not-the-right-one") {
		t.Error("the wrong secret is echoed")
	}
	if len(r.la.Requests()) != 0 {
		t.Error("a query was sent without a token")
	}
}

func TestHealthNoPermission(t *testing.T) {
	r := newRig(t, standin.Fail(403, "InsufficientAccessError", "The provided credentials have insufficient access to perform the requested operation"), nil)
	res := r.health(t)
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "Log Analytics Reader") {
		t.Fatalf("health: %v %s", res.Status, res.Message)
	}
}

func TestBadSettingsAreClearEverywhere(t *testing.T) {
	tests := []struct {
		name     string
		jsonData map[string]any
		want     string
	}{
		{"missing tenant", map[string]any{"azureCredentials": map[string]any{"authType": "clientsecret", "clientId": clientID}}, "tenantId"},
		{"workspace name", map[string]any{"workspaceId": "my-sentinel"}, `"my-sentinel" is not a workspace ID`},
		{"http endpoint", map[string]any{"endpoints": map[string]any{"logAnalytics": "http://127.0.0.1:1/v1", "authority": "https://127.0.0.1:1/"}}, "must use https"},
		{"unknown cloud", map[string]any{"azureCredentials": map[string]any{"authType": "clientsecret", "azureCloud": "Mars", "tenantId": tenantID, "clientId": clientID}}, `unknown Azure cloud "Mars"`},
		{"unknown auth", map[string]any{"azureCredentials": map[string]any{"authType": "kerberos"}}, `unknown authentication type "kerberos"`},
		{"msi not enabled", map[string]any{"azureCredentials": map[string]any{"authType": "msi"}}, "managed_identity_enabled"},
		{"timeout too long", map[string]any{"queryTimeoutSeconds": 3600}, "queryTimeoutSeconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, standin.Respond(oneRow()), tt.jsonData)
			res := r.health(t)
			if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, tt.want) {
				t.Errorf("health: %v %q, want %q", res.Status, res.Message, tt.want)
			}
			dr := r.query(t, map[string]any{"kql": "DeviceNetworkEvents"})
			if dr.Error == nil || !strings.Contains(dr.Error.Error(), tt.want) {
				t.Errorf("query error %v, want %q", dr.Error, tt.want)
			}
			if dr.Status != backend.StatusBadRequest {
				t.Errorf("status %d", dr.Status)
			}
			if len(r.la.Requests()) != 0 {
				t.Error("a request was sent with bad settings")
			}
		})
	}
}

func TestMissingSecret(t *testing.T) {
	r := newRig(t, standin.Respond(oneRow()), nil)
	r.ds.Secure = nil
	if res := r.health(t); !strings.Contains(res.Message, "secureJsonData.azureClientSecret") {
		t.Errorf("health: %s", res.Message)
	}
}

func TestResources(t *testing.T) {
	cols := emulator.NewTable("PrimaryResult", emulator.Col("TimeGenerated", "datetime"), emulator.Col("InitiatingProcessFileName", "string"))
	r := newRig(t, standin.Respond(cols), map[string]any{"additionalWorkspaces": []string{ws2}})
	call := func(path string) (int, map[string]any) {
		res, err := host.CallResource(ctx(t), &backend.CallResourceRequest{PluginContext: r.ds.PluginContext(), Path: strings.SplitN(path, "?", 2)[0], Method: "GET", URL: "/api/datasources/uid/" + r.ds.UID + "/resources/" + path})
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		if err := json.Unmarshal(res.Body, &body); err != nil {
			t.Fatalf("%s: %v: %s", path, err, res.Body)
		}
		return res.Status, body
	}
	status, body := call("workspaces")
	if status != 200 || body["default"] != ws1 || body["additional"].([]any)[0] != ws2 {
		t.Errorf("workspaces: %d %v", status, body)
	}
	status, body = call("schema?table=DeviceNetworkEvents")
	if status != 200 || len(body["columns"].([]any)) != 2 {
		t.Errorf("schema: %d %v", status, body)
	}
	if q := r.waitRequests(t, 1)[0].Query; q != "DeviceNetworkEvents | take 0" {
		t.Errorf("schema query %q", q)
	}
	status, body = call("schema?table=x%7C%20take%201")
	if status != 400 || !strings.Contains(body["error"].(string), "table must be a table name") {
		t.Errorf("bad table: %d %v", status, body)
	}
}
