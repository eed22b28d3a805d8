package pluginhost

import (
	"encoding/json"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// PluginID is the id under which the tests' Grafana knows the plugin.
const PluginID = "kqlhunt-anomaly-datasource"

// Datasource is a provisioned datasource as Grafana hands it to the plugin.
type Datasource struct {
	UID      string
	JSONData map[string]any
	Secure   map[string]string
	// GrafanaConfig is what Grafana puts in every request's plugin context (e.g. GFAZPL_* Azure settings).
	GrafanaConfig map[string]string
	// Updated changes when settings change; the SDK makes a new instance when it does.
	Updated time.Time
}

// PluginContext is the context Grafana attaches to every call for this datasource.
func (d Datasource) PluginContext() backend.PluginContext {
	raw, err := json.Marshal(d.JSONData)
	if err != nil {
		raw = []byte("{}")
	}
	updated := d.Updated
	if updated.IsZero() {
		updated = time.Unix(1700000000, 0)
	}
	return backend.PluginContext{
		OrgID:         1,
		PluginID:      PluginID,
		PluginVersion: "1.0.0",
		User:          &backend.User{Login: "admin", Name: "admin", Email: "admin@localhost", Role: "Admin"},
		GrafanaConfig: backend.NewGrafanaCfg(d.GrafanaConfig),
		DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{
			ID: 1, UID: d.UID, Type: PluginID, Name: "KQL Anomaly Hunting",
			JSONData: raw, DecryptedSecureJSONData: d.Secure, Updated: updated,
		},
	}
}

// Query is one entry of /api/ds/query's "queries": the editor's JSON plus Grafana's defaults.
type Query struct {
	RefID string
	// Model is the query object as the frontend sends it.
	Model map[string]any
	From  time.Time
	To    time.Time
}

// QueryRequest builds the request Grafana sends for /api/ds/query: refId defaults to "A",
// maxDataPoints to 100 and intervalMs to 1000, and each query's JSON carries them.
func (d Datasource) QueryRequest(queries ...Query) *backend.QueryDataRequest {
	req := &backend.QueryDataRequest{PluginContext: d.PluginContext(), Headers: map[string]string{}}
	for _, q := range queries {
		if q.RefID == "" {
			q.RefID = "A"
		}
		model := map[string]any{"refId": q.RefID, "datasource": map[string]string{"type": PluginID, "uid": d.UID}, "intervalMs": 1000, "maxDataPoints": 100}
		for k, v := range q.Model {
			model[k] = v
		}
		raw, err := json.Marshal(model)
		if err != nil {
			raw = []byte("{}")
		}
		req.Queries = append(req.Queries, backend.DataQuery{
			RefID: q.RefID, MaxDataPoints: 100, Interval: time.Second,
			TimeRange: backend.TimeRange{From: q.From, To: q.To}, JSON: raw,
		})
	}
	return req
}
