package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/demo"
	"github.com/kqlhunt/anomaly-datasource/pkg/plugin"
)

// refID is the query's refId, as Grafana's first query is named.
const refID = "A"

// request is one query as Grafana sends it from a panel.
type request struct {
	model    map[string]any
	from, to time.Time
	interval time.Duration
}

// queryError is the datasource's answer when the query failed: its status and its message.
type queryError struct {
	status backend.Status
	err    error
}

func (e *queryError) Error() string { return e.err.Error() }
func (e *queryError) Unwrap() error { return e.err }

// query runs req on ds through the plugin as Grafana does: the instance factory with the
// datasource's settings, then QueryData with the plugin context and one data query.
func query(ctx context.Context, ds datasource, req request) (data.Frames, error) {
	settings := ds.instanceSettings()
	inst, err := plugin.NewFactory(plugin.Deps{Demo: demo.New()})(ctx, settings)
	if err != nil {
		return nil, err
	}
	if d, ok := inst.(instancemgmt.InstanceDisposer); ok {
		defer d.Dispose()
	}
	handler, ok := inst.(backend.QueryDataHandler)
	if !ok {
		return nil, fmt.Errorf("the plugin's instance answers no queries") // a plugin bug, not the user's
	}
	dq, err := req.dataQuery(ds)
	if err != nil {
		return nil, err
	}
	resp, err := handler.QueryData(ctx, &backend.QueryDataRequest{
		PluginContext: backend.PluginContext{
			OrgID: 1, PluginID: plugin.ID, PluginVersion: "hunt",
			User:                       &backend.User{Login: "hunt", Role: "Viewer"},
			DataSourceInstanceSettings: &settings,
		},
		Queries: []backend.DataQuery{dq},
	})
	if err != nil {
		return nil, err
	}
	dr, ok := resp.Responses[refID]
	if !ok {
		return nil, fmt.Errorf("the datasource answered no query %s", refID)
	}
	if dr.Error != nil {
		return nil, &queryError{status: dr.Status, err: dr.Error}
	}
	return dr.Frames, nil
}

// instanceSettings are the settings Grafana hands the plugin for ds.
func (ds datasource) instanceSettings() backend.DataSourceInstanceSettings {
	raw, _ := json.Marshal(ds.JSONData) // decoded from YAML or built here: always encodable
	return backend.DataSourceInstanceSettings{
		ID: 1, UID: ds.UID, Type: plugin.ID, Name: ds.Name,
		JSONData: raw, DecryptedSecureJSONData: ds.Secure,
		Updated: time.Now(),
	}
}

// dataQuery is the query as /api/ds/query hands it to a plugin: the model with Grafana's keys
// (refId, datasource, intervalMs, maxDataPoints) and the time range.
func (r request) dataQuery(ds datasource) (backend.DataQuery, error) {
	model := map[string]any{}
	for k, v := range r.model {
		model[k] = v
	}
	// Grafana's own keys, whatever a saved panel's model says: this request's.
	model["refId"] = refID
	model["datasource"] = map[string]string{"type": plugin.ID, "uid": ds.UID}
	model["intervalMs"] = r.interval.Milliseconds()
	model["maxDataPoints"] = maxDataPoints
	raw, err := json.Marshal(model)
	if err != nil {
		return backend.DataQuery{}, fmt.Errorf("the query model cannot be encoded: %w", err)
	}
	qt, _ := model["queryType"].(string)
	return backend.DataQuery{
		RefID: refID, QueryType: qt, MaxDataPoints: maxDataPoints, Interval: r.interval,
		TimeRange: backend.TimeRange{From: r.from, To: r.to}, JSON: raw,
	}, nil
}
