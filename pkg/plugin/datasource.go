// Package plugin is the thin Grafana glue of the KQL Anomaly Hunting datasource: it turns Grafana's
// calls (QueryData, CheckHealth, CallResource) into calls on the capability packages beside it and
// maps their errors to Grafana's responses in one place (errors.go).
package plugin

import (
	"context"
	"errors"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"

	"github.com/kqlhunt/anomaly-datasource/pkg/azureauth"
	"github.com/kqlhunt/anomaly-datasource/pkg/demo"
	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
	"github.com/kqlhunt/anomaly-datasource/pkg/membudget"
	"github.com/kqlhunt/anomaly-datasource/pkg/settings"
)

// ID is the plugin id from plugin.json.
const ID = "kqlhunt-anomaly-datasource"

// applicationID prefixes the User-Agent of every call to Log Analytics, so workspace admins can tell
// this plugin's queries apart in their audit logs.
const applicationID = "kqlhunt-grafana"

var (
	_ backend.QueryDataHandler        = (*Datasource)(nil)
	_ backend.QueryChunkedDataHandler = (*Datasource)(nil)
	_ backend.CheckHealthHandler      = (*Datasource)(nil)
	_ backend.CallResourceHandler     = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer   = (*Datasource)(nil)
)

// Datasource serves one configured datasource instance. A configuration problem does not stop the
// instance from being created: it is kept in configErr and reported by CheckHealth and every query,
// in words that name the setting to fix.
type Datasource struct {
	settings  *settings.Settings
	configErr error
	querier   loganalytics.Querier
	resources backend.CallResourceHandler
}

// Deps are what every datasource instance of the process shares.
type Deps struct {
	// Demo is the built-in demo workspace, one per process: its data is the same for every
	// datasource that uses it.
	Demo *demo.Workspace
	// ResultBudget is the process's memory budget for decoded results, shared by every query of
	// every datasource (nil: unlimited).
	ResultBudget *membudget.Budget
}

// NewFactory returns Grafana's instance factory: Grafana calls it for each datasource's settings,
// and again whenever they change.
func NewFactory(deps Deps) datasource.InstanceFactoryFunc {
	return func(ctx context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
		return newDatasource(ctx, deps, s), nil
	}
}

// newDatasource builds an instance for one datasource's settings.
func newDatasource(ctx context.Context, deps Deps, s backend.DataSourceInstanceSettings) *Datasource {
	d := &Datasource{}
	d.resources = httpadapter.New(d.routes())
	st, err := settings.Load(s)
	if err != nil {
		d.configErr = err
		return d
	}
	d.settings = st
	d.querier, d.configErr = newQuerier(ctx, deps, st)
	return d
}

// newQuerier connects to the built-in demo workspace or to Log Analytics with the configured identity,
// through the process's outbound policy (KQLHUNT_ALLOWED_ENDPOINT_HOSTS; see pkg/egress).
func newQuerier(ctx context.Context, deps Deps, st *settings.Settings) (loganalytics.Querier, error) {
	if st.DemoWorkspace {
		if deps.Demo == nil {
			return nil, backend.PluginError(errors.New("the demo workspace is not available in this process"))
		}
		return loganalytics.NewClient(nil, loganalytics.ClientOptions{
			Endpoint: demo.Endpoint, Transport: deps.Demo.Transport(), ApplicationID: applicationID, Budget: deps.ResultBudget,
		})
	}
	outbound, err := azureauth.ProcessPolicy()
	if err != nil {
		return nil, err
	}
	conn, err := azureauth.Connect(st, azureauth.FromContext(ctx), outbound)
	if err != nil {
		return nil, err
	}
	return loganalytics.NewClient(conn.Credential, loganalytics.ClientOptions{
		Endpoint: conn.Target.Endpoint, Audience: conn.Target.Audience, Transport: conn.Transport, ApplicationID: applicationID, Budget: deps.ResultBudget,
	})
}

// Dispose is called when the settings change; the Azure clients hold no resources beyond the shared
// HTTP connection pool, so there is nothing to release.
func (d *Datasource) Dispose() {}

// CallResource serves the editors' helper endpoints (see resources.go).
func (d *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	ctx, release := holdResults(ctx)
	defer release()
	return d.resources.CallResource(ctx, req, sender)
}
