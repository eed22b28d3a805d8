package plugin

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
)

func TestCheckHealth(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fail   error
		status backend.HealthStatus
		want   []string
	}{
		{"ok", nil, backend.HealthStatusOk, []string{"Connected to workspace " + testWorkspace}},
		{"sign-in", fmt.Errorf("%w: AADSTS7000215: Invalid client secret provided.", loganalytics.ErrSignIn), backend.HealthStatusError,
			[]string{"Sign-in to Microsoft Entra ID failed: check the tenant ID", "AADSTS7000215"}},
		{"forbidden", fmt.Errorf("%w: InsufficientAccessError", loganalytics.ErrForbidden), backend.HealthStatusError,
			[]string{"Log Analytics Reader role", "InsufficientAccessError"}},
		{"not found", fmt.Errorf("%w: PathNotFoundError", loganalytics.ErrNotFound), backend.HealthStatusError,
			[]string{"Workspace not found: check jsonData.workspaceId"}},
		{"other", fmt.Errorf("%w: 502", loganalytics.ErrUnavailable), backend.HealthStatusError, []string{"The test query failed: "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fq := &fakeQuerier{fail: tc.fail}
			res, err := newTestDatasource(t, fq).CheckHealth(context.Background(), &backend.CheckHealthRequest{})
			if err != nil || res.Status != tc.status {
				t.Fatalf("%v %+v", err, res)
			}
			for _, w := range tc.want {
				if !strings.Contains(res.Message, w) {
					t.Errorf("message %q lacks %q", res.Message, w)
				}
			}
			if q := fq.last(); q.KQL != healthKQL || q.Workspace != testWorkspace {
				t.Errorf("health query %+v", q)
			}
		})
	}
}

// TestConfigErrorsReachHealthAndQueries: a datasource with bad settings is still created, and says
// what to fix on Save & test and on every query.
func TestConfigErrorsReachHealthAndQueries(t *testing.T) {
	d := newDatasource(context.Background(), Deps{}, backend.DataSourceInstanceSettings{JSONData: []byte(`{"workspaceId":"my-workspace"}`)})
	res, _ := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, `"my-workspace" is not a workspace ID`) {
		t.Errorf("health: %+v", res)
	}
	q := run(t, d, map[string]any{"kql": "T"})
	if q.Status != backend.StatusBadRequest || !strings.Contains(q.Error.Error(), "is not a workspace ID") {
		t.Errorf("query: %d %v", q.Status, q.Error)
	}
	demo := newDatasource(context.Background(), Deps{}, backend.DataSourceInstanceSettings{JSONData: []byte(`{"demoWorkspace":true}`)})
	if demo.configErr == nil || !strings.Contains(demo.configErr.Error(), "demo workspace is not available") {
		t.Errorf("demo without a workspace: %v", demo.configErr)
	}
}
