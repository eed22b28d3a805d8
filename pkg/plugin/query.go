package plugin

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/experimental/concurrent"

	"github.com/kqlhunt/anomaly-datasource/pkg/hunt"
	"github.com/kqlhunt/anomaly-datasource/pkg/querymodel"
)

// maxConcurrentQueries bounds the queries of one request that run at once: Log Analytics allows five
// concurrent queries per user before it throttles.
const maxConcurrentQueries = 5

// QueryData runs the request's queries concurrently, each with its own response and error.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	ds := datasourceRef(req.PluginContext)
	return concurrent.QueryData(ctx, req, func(ctx context.Context, q concurrent.Query) backend.DataResponse {
		return d.query(ctx, q.DataQuery, ds)
	}, maxConcurrentQueries)
}

func (d *Datasource) query(ctx context.Context, dq backend.DataQuery, ds dsRef) backend.DataResponse {
	if d.configErr != nil {
		return errorResponse(ctx, d.configErr)
	}
	q, err := querymodel.Parse(dq.JSON)
	if err != nil {
		return errorResponse(ctx, err)
	}
	frames, err := d.runner().Run(ctx, hunt.Request{Query: q, From: dq.TimeRange.From, To: dq.TimeRange.To, Interval: dq.Interval})
	if err != nil {
		return errorResponse(ctx, err)
	}
	addPivotLinks(frames, q, ds)
	return backend.DataResponse{Frames: frames}
}

// runner answers this datasource's queries.
func (d *Datasource) runner() *hunt.Runner {
	return &hunt.Runner{
		Querier:    d.querier,
		Workspaces: append([]string{d.settings.WorkspaceID}, d.settings.AdditionalWorkspaces...),
		Wait:       d.settings.QueryTimeout,
	}
}
