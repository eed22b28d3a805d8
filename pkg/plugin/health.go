package plugin

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
)

// healthKQL is the smallest query that still needs read access to the workspace.
const healthKQL = `print HealthCheck = "ok"`

// CheckHealth runs a tiny query on the default workspace, as "Save & test" expects, and says what to
// fix when it fails: the setting, the sign-in, the workspace or the permission.
func (d *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	if d.configErr != nil {
		return unhealthy(ctx, d.configErr), nil
	}
	_, err := d.querier.Query(ctx, loganalytics.Query{Workspace: d.settings.WorkspaceID, KQL: healthKQL, Wait: d.settings.QueryTimeout})
	if err != nil {
		return unhealthy(ctx, err), nil
	}
	what := "workspace " + d.settings.WorkspaceID
	if d.settings.DemoWorkspace {
		what = "the built-in demo workspace"
	}
	return &backend.CheckHealthResult{Status: backend.HealthStatusOk, Message: "Connected to " + what + ": a test query succeeded."}, nil
}
