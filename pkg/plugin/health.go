package plugin

import (
	"context"
	"errors"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
)

// healthKQL is the smallest query that still needs read access to the workspace.
const healthKQL = `print HealthCheck = "ok"`

// CheckHealth runs a tiny query on the default workspace, as "Save & test" expects, and says what to
// fix when it fails: the setting, the sign-in, the workspace or the permission.
func (d *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	if d.configErr != nil {
		return unhealthy(d.configErr.Error()), nil
	}
	res, err := d.querier.Query(ctx, loganalytics.Query{Workspace: d.settings.WorkspaceID, KQL: healthKQL, Wait: d.settings.QueryTimeout})
	res.Release()
	if err == nil {
		what := "workspace " + d.settings.WorkspaceID
		if d.settings.DemoWorkspace {
			what = "the built-in demo workspace"
		}
		return &backend.CheckHealthResult{Status: backend.HealthStatusOk, Message: "Connected to " + what + ": a test query succeeded."}, nil
	}
	return unhealthy(healthAdvice(err)), nil
}

func unhealthy(msg string) *backend.CheckHealthResult {
	return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: msg}
}

// healthAdvice adds what an admin should check to the service's own words.
func healthAdvice(err error) string {
	switch {
	case errors.Is(err, loganalytics.ErrSignIn):
		return fmt.Sprintf("Sign-in to Microsoft Entra ID failed: check the tenant ID, client ID and client secret (and that the secret has not expired). %v", err)
	case errors.Is(err, loganalytics.ErrNotFound):
		return fmt.Sprintf("Workspace not found: check jsonData.workspaceId is the workspace's GUID (Workspace ID) and the cloud is right. %v", err)
	case errors.Is(err, loganalytics.ErrForbidden), errors.Is(err, loganalytics.ErrUnauthorized):
		return fmt.Sprintf("No permission to query the workspace: give the identity the Log Analytics Reader role on it. %v", err)
	default:
		return fmt.Sprintf("The test query failed: %v", err)
	}
}
