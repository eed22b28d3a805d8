package plugin

import (
	"context"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/experimental/concurrent"

	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
	"github.com/kqlhunt/anomaly-datasource/pkg/macros"
	"github.com/kqlhunt/anomaly-datasource/pkg/querymodel"
	"github.com/kqlhunt/anomaly-datasource/pkg/settings"
)

// maxConcurrentQueries bounds the queries of one request that run at once: Log Analytics allows five
// concurrent queries per user before it throttles.
const maxConcurrentQueries = 5

// QueryData runs the request's queries concurrently, each with its own response and error.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return concurrent.QueryData(ctx, req, func(ctx context.Context, q concurrent.Query) backend.DataResponse {
		return d.query(ctx, q.DataQuery)
	}, maxConcurrentQueries)
}

func (d *Datasource) query(ctx context.Context, dq backend.DataQuery) backend.DataResponse {
	if d.configErr != nil {
		return errorResponse(d.configErr)
	}
	q, err := querymodel.Parse(dq.JSON)
	if err != nil {
		return errorResponse(err)
	}
	switch q.QueryType {
	case querymodel.TypeKQL:
		res, err := d.runKQL(ctx, q, dq)
		if err != nil {
			return errorResponse(err)
		}
		return backend.DataResponse{Frames: res.Frames}
	default:
		return errorResponse(backend.DownstreamError(fmt.Errorf("%w: queryType %q is not available in this version of the plugin: use \"kql\"", querymodel.ErrInvalid, q.QueryType)))
	}
}

// runKQL expands the macros and sends the query to the query's (or the datasource's) workspaces.
func (d *Datasource) runKQL(ctx context.Context, q *querymodel.Query, dq backend.DataQuery) (*loganalytics.Result, error) {
	kql, err := macros.Expand(q.KQL, macros.Env{From: dq.TimeRange.From, To: dq.TimeRange.To, Interval: dq.Interval})
	if err != nil {
		return nil, err
	}
	workspaces := q.Workspaces
	if len(workspaces) == 0 {
		workspaces = append([]string{d.settings.WorkspaceID}, d.settings.AdditionalWorkspaces...)
	}
	for _, w := range workspaces {
		if err := settings.CheckWorkspaceID(w); err != nil {
			return nil, err
		}
	}
	lq := loganalytics.Query{
		Workspace: workspaces[0], AdditionalWorkspaces: workspaces[1:], KQL: kql, Wait: d.settings.QueryTimeout,
	}
	if q.TimeRangeMode == querymodel.TimeRangeDashboard {
		lq.Timespan = &loganalytics.TimeRange{From: dq.TimeRange.From, To: dq.TimeRange.To}
	}
	return d.querier.Query(ctx, lq)
}
