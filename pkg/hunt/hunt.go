// Package hunt answers one parsed query (package querymodel) on Log Analytics: it expands the
// macros, sends the KQL to the query's workspaces, scores the rows as the notebook does (package
// anomaly), runs the pivots (package pivots) and lists values for template variables. It is what
// the Grafana glue (package plugin) and the command-line hunt call; it knows Grafana's data frames
// but not its plugin protocol, so the same code answers a dashboard, an alert rule and a terminal.
package hunt

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/anomaly"
	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
	"github.com/kqlhunt/anomaly-datasource/pkg/macros"
	"github.com/kqlhunt/anomaly-datasource/pkg/pivots"
	"github.com/kqlhunt/anomaly-datasource/pkg/querymodel"
	"github.com/kqlhunt/anomaly-datasource/pkg/settings"
)

// Runner answers queries on one datasource's Log Analytics.
type Runner struct {
	Querier loganalytics.Querier
	// Workspaces are the datasource's workspaces, the default one first; a query's own
	// "workspaces" replace them.
	Workspaces []string
	// Wait is the time the queries one Run sends have, all of them together (counts mode sends two
	// or three one after another): each is sent with what is left of it (Prefer: wait, and its
	// deadline). Scoring the answers is not counted.
	Wait time.Duration
}

// Request is one query and what Grafana tells about it.
type Request struct {
	Query *querymodel.Query
	// From and To are the dashboard's time range: the macros' range, and the timespan sent when the
	// query's time range mode is "dashboard".
	From, To time.Time
	// Interval is Grafana's interval: $__interval, and the series output's bucket.
	Interval time.Duration

	due time.Time // when Run's answer is due: Wait after it started
}

// Run answers req. Errors wrap the sentinels of the package that found the problem (querymodel,
// macros, anomaly, pivots, loganalytics, iforest), for the caller to map once.
func (r *Runner) Run(ctx context.Context, req Request) (data.Frames, error) {
	if r.Wait > 0 {
		req.due = time.Now().Add(r.Wait)
	}
	q := req.Query
	switch q.QueryType {
	case querymodel.TypeKQL:
		return r.kql(ctx, req)
	case querymodel.TypeAnomaly:
		return r.anomaly(ctx, req)
	case querymodel.TypePivot:
		return r.pivot(ctx, req)
	}
	return nil, fmt.Errorf("%w: queryType %q is not handled", querymodel.ErrInvalid, q.QueryType)
}

// kql runs the query's KQL as written, or lists the distinct values of a column (output "values").
func (r *Runner) kql(ctx context.Context, req Request) (data.Frames, error) {
	kql, err := r.expand(req, req.Query.KQL)
	if err != nil {
		return nil, err
	}
	if col := req.Query.ValuesOf; col != "" {
		kql = distinctValues(kql, col)
	}
	res, err := r.send(ctx, req, kql)
	if err != nil {
		return nil, err
	}
	return res.Frames, nil
}

// anomaly scores the query's rows as the notebook does and shapes them for its output. With
// aggregate "always", or "auto" when the service cut the rows at its limits, Log Analytics counts
// the rows instead and the forest is fitted on the counts (counts.go).
func (r *Runner) anomaly(ctx context.Context, req Request) (data.Frames, error) {
	q := req.Query
	kql, err := r.expand(req, q.KQL)
	if err != nil {
		return nil, err
	}
	if q.Aggregate == querymodel.AggregateAlways {
		out, err := r.anomalyFromCounts(ctx, req, kql, "")
		return data.Frames{out}, err
	}
	res, err := r.send(ctx, req, kql)
	if err != nil {
		return nil, err
	}
	if q.Aggregate == querymodel.AggregateAuto && truncated(res) {
		out, err := r.anomalyFromCounts(ctx, req, kql, rerunNotice(res))
		if err != nil {
			return nil, err
		}
		return data.Frames{out}, nil
	}
	out, err := anomaly.Pipeline{Options: q.Anomaly, Interval: req.Interval}.Run(ctx, primary(res.Frames))
	if err != nil {
		return nil, err
	}
	return data.Frames{out}, nil
}

// rerunNotice says why an answer came from counts: the service's own words about its limit.
func rerunNotice(res *loganalytics.Result) string {
	return "Log Analytics cut the rows at its limit (" + res.Partial.Summary() + "), so it counted them instead " +
		"(aggregate: auto) and the forest scored the counts: the answer is the one every matching row gives, in canonical row order."
}

// pivot runs a saved pivot on the given values or, without values, on the values of the pivot's
// column in the rows the same query's anomaly settings flag (counted by the service, as an anomaly
// query would be, with aggregate "always" or when it truncates the rows).
func (r *Runner) pivot(ctx context.Context, req Request) (data.Frames, error) {
	p := req.Query.Pivot
	if len(p.Values) == 0 {
		pv, _ := pivots.Lookup(p.Name) // known: the query was validated
		var err error
		if p.Values, err = r.anomalousValues(ctx, req, pv.Column); err != nil {
			return nil, err
		}
	}
	kql, err := pivots.Build(p)
	if err != nil {
		return nil, err
	}
	res, err := r.send(ctx, req, kql)
	if err != nil {
		return nil, err
	}
	return res.Frames, nil
}

// anomalousValues are the values of column in the rows req's anomaly settings flag.
func (r *Runner) anomalousValues(ctx context.Context, req Request, column string) ([]string, error) {
	q := req.Query
	kql, err := r.expand(req, q.KQL)
	if err != nil {
		return nil, err
	}
	if q.Aggregate != querymodel.AggregateAlways {
		res, err := r.send(ctx, req, kql)
		if err != nil {
			return nil, err
		}
		if q.Aggregate == querymodel.AggregateNever || !truncated(res) {
			scored, err := anomaly.ScoreRows(ctx, primary(res.Frames), q.Anomaly)
			if err != nil {
				return nil, err
			}
			return anomaly.AnomalousValues(scored, column)
		}
	}
	opts := q.Anomaly
	if !slices.Contains(opts.Fields, column) {
		return nil, fmt.Errorf("%w: in counts mode the pivot's column %s must be one of the scored fields %q", anomaly.ErrInvalid, column, opts.Fields)
	}
	count := unique(countColumn, opts.Fields)
	res, err := r.send(ctx, req, countsKQL(kql, opts.Fields, count, "", 0))
	if err != nil {
		return nil, err
	}
	scored, err := anomaly.ScoreCounts(ctx, primary(res.Frames), opts, count)
	if err != nil {
		return nil, err
	}
	return anomaly.AnomalousValues(scored, column)
}

func (r *Runner) expand(req Request, kql string) (string, error) {
	return macros.Expand(kql, macros.Env{From: req.From, To: req.To, Interval: req.Interval})
}

// send runs KQL on the query's (or the datasource's) workspaces, with the dashboard's time range as
// the timespan unless the query's own time filter rules.
func (r *Runner) send(ctx context.Context, req Request, kql string) (*loganalytics.Result, error) {
	workspaces := req.Query.Workspaces
	if len(workspaces) == 0 {
		workspaces = r.Workspaces
	}
	if len(workspaces) == 0 {
		return nil, fmt.Errorf("%w: no workspace to query", settings.ErrInvalid)
	}
	for _, w := range workspaces {
		if err := settings.CheckWorkspaceID(w); err != nil {
			return nil, err
		}
	}
	lq := loganalytics.Query{Workspace: workspaces[0], AdditionalWorkspaces: workspaces[1:], KQL: kql, Wait: r.Wait, Due: req.due}
	if req.Query.TimeRangeMode == querymodel.TimeRangeDashboard {
		lq.Timespan = &loganalytics.TimeRange{From: req.From, To: req.To}
	}
	return r.Querier.Query(ctx, lq)
}

// primary is the service's primary result; the client puts it first and always returns one frame.
func primary(frames data.Frames) *data.Frame {
	if len(frames) == 0 {
		return data.NewFrame(loganalytics.PrimaryTable)
	}
	return frames[0]
}

// maxValues bounds a variable's options: a dashboard drop-down of more is not usable, and the
// service would return up to 500,000 rows.
const maxValues = 10000

// distinctValues appends the KQL that lists col's distinct non-empty values as text, sorted: a
// variable's options (Grafana takes them from the first string field).
func distinctValues(kql, col string) string {
	c := macros.QuoteIdentifier(col)
	return fmt.Sprintf("%s\n| distinct %s\n| project %s = tostring(%s)\n| where isnotempty(%s)\n| order by %s asc\n| take %d",
		kql, c, c, c, c, c, maxValues)
}
