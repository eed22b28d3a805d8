package plugin

import (
	"context"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental/concurrent"

	"github.com/kqlhunt/anomaly-datasource/pkg/anomaly"
	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
	"github.com/kqlhunt/anomaly-datasource/pkg/macros"
	"github.com/kqlhunt/anomaly-datasource/pkg/pivots"
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
		return errorResponse(ctx, d.configErr)
	}
	q, err := querymodel.Parse(dq.JSON)
	if err != nil {
		return errorResponse(ctx, err)
	}
	var frames data.Frames
	switch q.QueryType {
	case querymodel.TypeKQL:
		frames, err = d.runKQL(ctx, q, dq)
	case querymodel.TypeAnomaly:
		frames, err = d.runAnomaly(ctx, q, dq)
	case querymodel.TypePivot:
		frames, err = d.runPivot(ctx, q, dq)
	default:
		err = fmt.Errorf("%w: queryType %q is not handled", querymodel.ErrInvalid, q.QueryType)
	}
	if err != nil {
		return errorResponse(ctx, err)
	}
	return backend.DataResponse{Frames: frames}
}

// runKQL expands the macros and sends the query.
func (d *Datasource) runKQL(ctx context.Context, q *querymodel.Query, dq backend.DataQuery) (data.Frames, error) {
	kql, err := macros.Expand(q.KQL, macros.Env{From: dq.TimeRange.From, To: dq.TimeRange.To, Interval: dq.Interval})
	if err != nil {
		return nil, err
	}
	res, err := d.send(ctx, q, dq, kql)
	if err != nil {
		return nil, err
	}
	return res.Frames, nil
}

// runAnomaly scores the primary result as the notebook does and shapes it for the query's output.
func (d *Datasource) runAnomaly(ctx context.Context, q *querymodel.Query, dq backend.DataQuery) (data.Frames, error) {
	frames, err := d.runKQL(ctx, q, dq)
	if err != nil {
		return nil, err
	}
	out, err := anomaly.Pipeline{Options: q.Anomaly, Interval: dq.Interval}.Run(primary(frames))
	if err != nil {
		return nil, err
	}
	return data.Frames{out}, nil
}

// runPivot runs one of the saved pivots on the given values or, without values, on the values of
// the pivot's column in the rows the same query's anomaly settings flag.
func (d *Datasource) runPivot(ctx context.Context, q *querymodel.Query, dq backend.DataQuery) (data.Frames, error) {
	req := q.Pivot
	if len(req.Values) == 0 {
		pv, _ := pivots.Lookup(req.Name) // known: the query was validated
		frames, err := d.runKQL(ctx, q, dq)
		if err != nil {
			return nil, err
		}
		scored, err := anomaly.ScoreRows(primary(frames), q.Anomaly)
		if err != nil {
			return nil, err
		}
		if req.Values, err = anomaly.AnomalousValues(scored, pv.Column); err != nil {
			return nil, err
		}
	}
	kql, err := pivots.Build(req)
	if err != nil {
		return nil, err
	}
	res, err := d.send(ctx, q, dq, kql)
	if err != nil {
		return nil, err
	}
	return res.Frames, nil
}

// send runs KQL on the query's (or the datasource's) workspaces, with the dashboard's time range as
// the timespan unless the query's own time filter rules.
func (d *Datasource) send(ctx context.Context, q *querymodel.Query, dq backend.DataQuery, kql string) (*loganalytics.Result, error) {
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

// primary is the service's primary result; the client puts it first and always returns one frame.
func primary(frames data.Frames) *data.Frame {
	if len(frames) == 0 {
		return data.NewFrame("PrimaryResult")
	}
	return frames[0]
}
