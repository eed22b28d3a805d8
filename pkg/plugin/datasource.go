// Package plugin is the thin Grafana glue of the KQL Anomaly Hunting datasource.
package plugin

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
)

// ID is the plugin id from plugin.json.
const ID = "kqlhunt-anomaly-datasource"

// Datasource serves one configured datasource instance.
type Datasource struct{}

// NewDatasource builds an instance for one datasource's settings.
func NewDatasource(_ context.Context, _ backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	return &Datasource{}, nil
}
