package integration

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"go.yaml.in/yaml/v3"

	"github.com/kqlhunt/anomaly-datasource/pkg/internal/pluginhost"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/standin"
)

// provisionedDatasources reads provisioning/datasources as Grafana does, expanding $VARIABLES from env.
func provisionedDatasources(t *testing.T, env map[string]string) map[string]pluginhost.Datasource {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "provisioning", "datasources", "datasources.yml"))
	if err != nil {
		t.Fatal(err)
	}
	expanded := os.Expand(string(raw), func(k string) string { return env[k] })
	var file struct {
		Datasources []struct {
			Name, UID, Type string
			IsDefault       bool              `yaml:"isDefault"`
			JSONData        map[string]any    `yaml:"jsonData"`
			SecureJSONData  map[string]string `yaml:"secureJsonData"`
		} `yaml:"datasources"`
	}
	if err := yaml.Unmarshal([]byte(expanded), &file); err != nil {
		t.Fatal(err)
	}
	out := map[string]pluginhost.Datasource{}
	for _, d := range file.Datasources {
		if d.Type != pluginhost.PluginID {
			t.Errorf("datasource %s has type %s", d.Name, d.Type)
		}
		out[d.UID] = pluginhost.Datasource{UID: d.UID, JSONData: d.JSONData, Secure: d.SecureJSONData}
	}
	return out
}

func TestProvisionedDemoDatasourceIsHealthyAndAnswersTheNotebookQuery(t *testing.T) {
	demo, ok := provisionedDatasources(t, nil)["kqlhunt-demo"]
	if !ok {
		t.Fatal("no kqlhunt-demo datasource")
	}
	res, err := host.CheckHealth(ctx(t), demo.PluginContext())
	if err != nil || res.Status != backend.HealthStatusOk {
		t.Fatalf("demo health: %v %+v", err, res)
	}
	now := time.Now()
	// No kql key: the notebook's default query, with its own ago(1d) filter.
	qr, err := host.QueryData(ctx(t), demo.QueryRequest(pluginhost.Query{Model: map[string]any{"queryType": "kql"}, From: now.Add(-7 * 24 * time.Hour), To: now}))
	if err != nil {
		t.Fatal(err)
	}
	dr := qr.Responses["A"]
	if dr.Error != nil || len(dr.Frames) == 0 {
		t.Fatalf("notebook query: %v", dr.Error)
	}
	f := dr.Frames[0]
	rows, _ := f.RowLen()
	if rows == 0 {
		t.Fatal("the notebook query found no rows in the demo workspace")
	}
	var names []string
	for _, fld := range f.Fields {
		names = append(names, fld.Name)
	}
	if got := strings.Join(names, ","); got != "TimeGenerated,DeviceName,InitiatingProcessAccountName,InitiatingProcessFileName,LocalIP,RemoteIP,RemotePort" {
		t.Errorf("columns: %s", got)
	}
}

func TestProvisionedSentinelDatasourceReadsTheEnvironment(t *testing.T) {
	env := map[string]string{"AZURE_TENANT_ID": tenantID, "AZURE_CLIENT_ID": clientID, "AZURE_CLIENT_SECRET": canary, "LOG_ANALYTICS_WORKSPACE_ID": ws1}
	sentinel := provisionedDatasources(t, env)["kqlhunt-sentinel"]
	creds := sentinel.JSONData["azureCredentials"].(map[string]any)
	if creds["tenantId"] != tenantID || creds["clientId"] != clientID || sentinel.JSONData["workspaceId"] != ws1 || sentinel.Secure["azureClientSecret"] != canary {
		t.Fatalf("environment not used: %+v", sentinel)
	}
	// Pointed at the stand-ins (a customised cloud), the provisioned settings sign in and query.
	r := newRig(t, standin.Respond(oneRow()), nil)
	sentinel.JSONData["azureCredentials"].(map[string]any)["azureCloud"] = "AzureCustomizedCloud"
	sentinel.JSONData["endpoints"] = r.ds.JSONData["endpoints"]
	r.ds.JSONData, r.ds.Secure = sentinel.JSONData, sentinel.Secure
	if res := r.health(t); res.Status != backend.HealthStatusOk {
		t.Fatalf("health: %s", res.Message)
	}
	// Without the environment, the datasource says what is missing.
	empty := provisionedDatasources(t, nil)["kqlhunt-sentinel"]
	res, err := host.CheckHealth(ctx(t), empty.PluginContext())
	if err != nil || res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "workspaceId") {
		t.Fatalf("health without environment: %v %+v", err, res)
	}
}

// TestProvisionedDashboardAndAlertQueriesRun sends every provisioned panel's and alert rule's query to
// the demo workspace as Grafana would, so the shipped dashboard cannot silently break.
func TestProvisionedDashboardAndAlertQueriesRun(t *testing.T) {
	demo := provisionedDatasources(t, nil)["kqlhunt-demo"]
	raw, err := os.ReadFile(filepath.Join("..", "..", "provisioning", "dashboards", "hunting.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vars struct {
		Templating struct {
			List []struct {
				Name    string          `json:"name"`
				Type    string          `json:"type"`
				Query   json.RawMessage `json:"query"`
				Current struct {
					Value any `json:"value"`
				} `json:"current"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(raw, &vars); err != nil {
		t.Fatal(err)
	}
	// Grafana's frontend replaces the dashboard's variables with their current values before a
	// query reaches the plugin; do the same here. A query variable gets its options from the plugin
	// first (its variable query, as src/variables.ts sends it), all of them selected ("All"), and a
	// multi-value variable inside a list ("values": ["$process"]) becomes one element per option.
	now := time.Now()
	text := string(raw)
	options := map[string][]string{}
	for _, v := range vars.Templating.List {
		if v.Type == "query" {
			options[v.Name] = variableOptions(t, demo, v.Query, now)
			continue
		}
		if s, ok := v.Current.Value.(string); ok {
			text = strings.ReplaceAll(text, "${"+v.Name+"}", s)
		}
	}
	for name, opts := range options {
		list, _ := json.Marshal(opts) // ["a","b"]: its inside replaces the one element "$name"
		text = strings.ReplaceAll(text, `"$`+name+`"`, strings.TrimSuffix(strings.TrimPrefix(string(list), "["), "]"))
	}
	var dash struct {
		Panels []struct {
			Title   string           `json:"title"`
			Targets []map[string]any `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal([]byte(text), &dash); err != nil {
		t.Fatal(err)
	}
	type named struct {
		name  string
		model map[string]any
		from  time.Duration
	}
	var queries []named
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			queries = append(queries, named{"panel " + p.Title, tg, 7 * 24 * time.Hour})
		}
	}
	rawRules, err := os.ReadFile(filepath.Join("..", "..", "provisioning", "alerting", "rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var rules struct {
		Groups []struct {
			Rules []struct {
				Title string `yaml:"title"`
				Data  []struct {
					DatasourceUID string         `yaml:"datasourceUid"`
					Model         map[string]any `yaml:"model"`
				} `yaml:"data"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(rawRules, &rules); err != nil {
		t.Fatal(err)
	}
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			for _, d := range r.Data {
				if d.DatasourceUID == demo.UID {
					queries = append(queries, named{"alert " + r.Title, d.Model, 7 * 24 * time.Hour})
				}
			}
		}
	}
	if len(queries) < 12 {
		t.Fatalf("only %d queries found", len(queries))
	}
	for _, q := range queries {
		t.Run(q.name, func(t *testing.T) {
			res, err := host.QueryData(ctx(t), demo.QueryRequest(pluginhost.Query{Model: q.model, From: now.Add(-q.from), To: now}))
			if err != nil {
				t.Fatal(err)
			}
			dr := res.Responses["A"]
			if dr.Error != nil {
				t.Fatalf("%v", dr.Error)
			}
			if len(dr.Frames) == 0 {
				t.Fatal("no frames")
			}
			if rows, _ := dr.Frames[0].RowLen(); rows == 0 {
				t.Error("no rows over the last 7 days of demo data")
			}
		})
	}
}

// variableOptions runs a dashboard variable's query as the plugin's variable support sends it
// (src/variables.ts: anomalousValues is an anomaly query with output "values") and returns the
// first string field: the variable's options.
func variableOptions(t *testing.T, demo pluginhost.Datasource, query json.RawMessage, now time.Time) []string {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(query, &v); err != nil {
		t.Fatal(err)
	}
	if v["kind"] != "anomalousValues" {
		t.Fatalf("variable kind %v: add it to the test", v["kind"])
	}
	delete(v, "kind")
	v["queryType"], v["output"] = "anomaly", "values"
	res, err := host.QueryData(ctx(t), demo.QueryRequest(pluginhost.Query{Model: v, From: now.Add(-7 * 24 * time.Hour), To: now}))
	if err != nil {
		t.Fatal(err)
	}
	dr := res.Responses["A"]
	if dr.Error != nil || len(dr.Frames) == 0 {
		t.Fatalf("variable query: %v", dr.Error)
	}
	var out []string
	for _, f := range dr.Frames[0].Fields {
		if f.Type() == data.FieldTypeString {
			for i := 0; i < f.Len(); i++ {
				out = append(out, f.At(i).(string))
			}
			break
		}
	}
	if len(out) == 0 {
		t.Fatal("the variable has no options")
	}
	return out
}
