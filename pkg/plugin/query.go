package plugin

import (
	"context"
	"fmt"
	"sync"

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

// pivotField is the column the notebook's pivots filter on.
const pivotField = "InitiatingProcessFileName"

// QueryData runs the request's queries concurrently, each with its own response and error. The
// results' memory stays booked against the process's result budget until the response is made.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	var held heldResults
	defer held.release()
	ctx = context.WithValue(ctx, heldKey{}, &held)
	return concurrent.QueryData(ctx, req, func(ctx context.Context, q concurrent.Query) backend.DataResponse {
		return d.query(ctx, q.DataQuery)
	}, maxConcurrentQueries)
}

// heldResults are a request's Log Analytics results, released together once it is answered.
type heldResults struct {
	mu      sync.Mutex
	results []*loganalytics.Result
}

type heldKey struct{}

func (h *heldResults) add(r *loganalytics.Result) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.results = append(h.results, r)
}

func (h *heldResults) release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range h.results {
		r.Release()
	}
	h.results = nil
}

func (d *Datasource) query(ctx context.Context, dq backend.DataQuery) backend.DataResponse {
	if d.configErr != nil {
		return errorResponse(d.configErr)
	}
	q, err := querymodel.Parse(dq.JSON)
	if err != nil {
		return errorResponse(err)
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
		return errorResponse(err)
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

// runPivot runs one of the notebook's saved pivots on the given process names or, without names, on
// the processes the same query's anomaly settings flag.
func (d *Datasource) runPivot(ctx context.Context, q *querymodel.Query, dq backend.DataQuery) (data.Frames, error) {
	values := q.Pivot.Values
	if len(values) == 0 {
		frames, err := d.runKQL(ctx, q, dq)
		if err != nil {
			return nil, err
		}
		scored, err := anomaly.ScoreRows(primary(frames), q.Anomaly)
		if err != nil {
			return nil, err
		}
		field := q.Anomaly.Fields[0]
		if f, _ := scored.FieldByName(pivotField); f != nil {
			field = pivotField
		}
		values = anomaly.AnomalousValues(scored, field)
	}
	kql, err := pivots.Build(q.Pivot.Name, values, q.Pivot.Lookback)
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
	res, err := d.querier.Query(ctx, lq)
	if h, ok := ctx.Value(heldKey{}).(*heldResults); ok && err == nil {
		h.add(res)
	}
	return res, err
}

// primary is the service's primary result; the client puts it first and always returns one frame.
func primary(frames data.Frames) *data.Frame {
	if len(frames) == 0 {
		return data.NewFrame("PrimaryResult")
	}
	return frames[0]
}
