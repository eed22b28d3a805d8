package hunt

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/anomaly"
	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
	"github.com/kqlhunt/anomaly-datasource/pkg/macros"
)

// Counts mode: instead of fetching the rows, the query asks Log Analytics to count them,
// `summarize count() by <fields>`, and the forest is fitted on the counts (anomaly.ScoreCounts:
// the canonical order's exact answer on every row, however many). The service answers at most
// 500,000 rows or 64 MB; a count per distinct value is small whatever the rows.
const (
	// countColumn names the count; a suffix is added if a field has the name.
	countColumn = "kqlhunt_count"
	// bucketColumn names the time bucket of the series output, when TimeGenerated is a field.
	bucketColumn = "kqlhunt_bucket"
	// timeColumn is the column the series output bins in counts mode.
	timeColumn = "TimeGenerated"
	// maxFetchedRows bounds the rows of the anomalous values that anomalies fetches from counts.
	maxFetchedRows = 10000
	// rankColumn orders the fetched rows when the last value's are cut (fetchKQL); a suffix is
	// added if a field has the name.
	rankColumn = "kqlhunt_rank"
	// maxFetchedValues bounds the values the second query filters on (the KQL's length).
	maxFetchedValues = 1000
)

// truncatedMarker is in the service's partial error when it cut an answer at its row or size
// limit ("Query result set has exceeded the internal record count limit ... (E_QUERY_RESULT_SET_TOO_LARGE ...").
const truncatedMarker = "E_QUERY_RESULT_SET_TOO_LARGE"

// truncated reports whether the service cut res at its limits.
func truncated(res *loganalytics.Result) bool {
	if res == nil || res.Partial == nil {
		return false
	}
	p := res.Partial
	return strings.Contains(p.InnerCode+" "+p.Message+" "+strings.Join(p.Details, " "), truncatedMarker)
}

// unique returns name, or name with the first numeric suffix that no field has.
func unique(name string, fields []string) string {
	out := name
	for i := 1; slices.Contains(fields, out); i++ {
		out = name + strconv.Itoa(i)
	}
	return out
}

// countsKQL appends the counting to kql: one row per combination of the fields (and time bucket).
func countsKQL(kql string, fields []string, count, bucket string, interval time.Duration) string {
	by := make([]string, len(fields))
	for i, f := range fields {
		by[i] = macros.QuoteIdentifier(f)
	}
	if bucket != "" {
		by = append(by, fmt.Sprintf("%s = bin(%s, %s)", macros.QuoteIdentifier(bucket), macros.QuoteIdentifier(timeColumn), timespan(interval)))
	}
	return fmt.Sprintf("%s\n| summarize %s = count() by %s", kql, macros.QuoteIdentifier(count), strings.Join(by, ", "))
}

// timespan writes d as a KQL timespan literal.
func timespan(d time.Duration) string {
	if d%time.Second == 0 {
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	}
	return strconv.FormatInt(max(1, int64(d/time.Millisecond)), 10) + "ms"
}

// anomalyFromCounts answers an anomaly query in counts mode. why, when set, is the notice saying
// why counts mode was used (the automatic rerun after a truncated answer).
func (r *Runner) anomalyFromCounts(ctx context.Context, req Request, kql, why string) (*data.Frame, error) {
	opts := req.Query.Anomaly
	count := unique(countColumn, opts.Fields)
	var out *data.Frame
	switch opts.Output {
	case anomaly.OutputRows:
		return nil, anomaly.ErrRowsNeedRows
	case anomaly.OutputSeries:
		interval := req.Interval
		if interval <= 0 {
			interval = anomaly.AutoInterval(req.To.Sub(req.From))
		}
		bucket := timeColumn
		if slices.Contains(opts.Fields, timeColumn) {
			bucket = unique(bucketColumn, opts.Fields)
		}
		res, err := r.send(ctx, req, countsKQL(kql, opts.Fields, count, bucket, interval))
		if err != nil {
			return nil, err
		}
		if out, err = anomaly.CountSeries(ctx, primary(res.Frames), opts, count, bucket, interval); err != nil {
			return nil, err
		}
	case anomaly.OutputAnomalies, anomaly.OutputTop:
		res, err := r.send(ctx, req, countsKQL(kql, opts.Fields, count, "", 0))
		if err != nil {
			return nil, err
		}
		if out, err = r.rowsOfAnomalies(ctx, req, kql, primary(res.Frames), count); err != nil {
			return nil, err
		}
	default:
		res, err := r.send(ctx, req, countsKQL(kql, opts.Fields, count, "", 0))
		if err != nil {
			return nil, err
		}
		if out, err = (anomaly.CountsPipeline{Options: opts, CountField: count}).Run(ctx, primary(res.Frames)); err != nil {
			return nil, err
		}
	}
	if why != "" {
		out.AppendNotices(data.Notice{Severity: data.NoticeSeverityInfo, Text: why})
	}
	return out, nil
}

// rowsOfAnomalies scores the counts, then fetches the rows of the anomalous values with a second
// query (the values escaped), at most maxFetchedRows of them (topN for top, the most anomalous
// values first), and scores those rows with their values' scores.
func (r *Runner) rowsOfAnomalies(ctx context.Context, req Request, kql string, counts *data.Frame, count string) (*data.Frame, error) {
	opts := req.Query.Anomaly
	scored, err := anomaly.ScoreCounts(ctx, counts, opts, count)
	if err != nil {
		return nil, err
	}
	combos, err := anomaly.AnomalousCombinations(scored)
	if err != nil {
		return nil, err
	}
	limit := maxFetchedRows
	if opts.Output == anomaly.OutputTop {
		limit = min(limit, opts.TopN)
	}
	countField, _ := scored.FieldByName(count)
	var chosen []int
	var covered, flaggedRows int64
	for _, k := range combos {
		n := *countField.PointerAt(k).(*int64)
		flaggedRows += n
		if covered < int64(limit) && len(chosen) < maxFetchedValues {
			chosen = append(chosen, k)
			covered += n
		}
	}
	var notes []string
	if flaggedRows > int64(limit) && opts.Output == anomaly.OutputAnomalies {
		notes = append(notes, fmt.Sprintf("Counts mode: %d rows are anomalous; the %d rows shown are those of the most anomalous values.", flaggedRows, min(covered, int64(limit))))
	}
	if len(chosen) == 0 {
		out, err := anomaly.ScoreFetchedRows(emptyLike(counts, opts.Fields), scored, opts)
		if err != nil {
			return nil, err
		}
		return out, nil
	}
	conds, err := valueConditions(scored, opts.Fields, chosen)
	if err != nil {
		return nil, err
	}
	res, err := r.send(ctx, req, fetchKQL(kql, conds, covered, unique(rankColumn, opts.Fields)))
	if err != nil {
		return nil, err
	}
	out, err := anomaly.ScoreFetchedRows(primary(res.Frames), scored, opts)
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		out.AppendNotices(data.Notice{Severity: data.NoticeSeverityInfo, Text: n})
	}
	return out, nil
}

// emptyLike is a frame with the fields and no row.
func emptyLike(f *data.Frame, fields []string) *data.Frame {
	out := data.NewFrame(f.Name)
	for _, name := range fields {
		src, _ := f.FieldByName(name)
		out.Fields = append(out.Fields, data.NewFieldFromFieldType(src.Type(), 0))
		out.Fields[len(out.Fields)-1].Name = name
	}
	return out
}

// fetchKQL fetches the rows of the chosen values (conds, most anomalous first; covered rows in
// all): every one of them when they fit under maxFetchedRows. Otherwise only the last value's rows
// go past the cap (the values before it hold fewer rows than the limit), and KQL's take keeps any
// rows, not the first: the rows are ranked, the last value's after the others', and the first
// maxFetchedRows kept. A value's rows are equally anomalous, so which of the last's are cut does
// not matter.
func fetchKQL(kql string, conds []string, covered int64, rank string) string {
	q := fmt.Sprintf("%s\n| where %s", kql, strings.Join(conds, " or "))
	if covered <= maxFetchedRows {
		return fmt.Sprintf("%s\n| take %d", q, covered)
	}
	r := macros.QuoteIdentifier(rank)
	return fmt.Sprintf("%s\n| extend %s = iff(%s, 1, 0)\n| top %d by %s asc\n| project-away %s", q, r, conds[len(conds)-1], maxFetchedRows, r, r)
}

// valueConditions are the KQL conditions that keep the rows of each of the given combinations of
// the fields' values: (f1 == v1 and f2 == v2), every value written as a KQL literal of its type.
func valueConditions(scored *data.Frame, fields []string, rows []int) ([]string, error) {
	var kqlTypes []string
	if m, ok := scored.Meta.Custom.(*anomaly.Meta); ok {
		if lm, ok := m.Source.(*loganalytics.FrameMeta); ok {
			kqlTypes = lm.ColumnTypes
		}
	}
	typeOf := func(name string) string {
		if i := slices.IndexFunc(scored.Fields, func(f *data.Field) bool { return f.Name == name }); i >= 0 && i < len(kqlTypes) {
			return kqlTypes[i]
		}
		return ""
	}
	var conds []string
	for _, k := range rows {
		var ands []string
		for _, name := range fields {
			f, _ := scored.FieldByName(name)
			cond, err := equals(macros.QuoteIdentifier(name), f, k, typeOf(name))
			if err != nil {
				return nil, err
			}
			ands = append(ands, cond)
		}
		conds = append(conds, "("+strings.Join(ands, " and ")+")")
	}
	return conds, nil
}

// equals is the condition "column holds f's value at row k", the value a literal of its type.
func equals(col string, f *data.Field, k int, kqlType string) (string, error) {
	v, ok := f.ConcreteAt(k)
	if !ok {
		return "isnull(" + col + ")", nil
	}
	switch x := v.(type) {
	case string:
		if kqlType != "" && kqlType != "string" { // guid, timespan, dynamic: compared as text
			return fmt.Sprintf("tostring(%s) == %s", col, macros.QuoteString(x)), nil
		}
		if x == "" {
			return "isempty(" + col + ")", nil
		}
		return col + " == " + macros.QuoteString(x), nil
	case int64, int32, int16, int8, uint8, uint16, uint32, uint64:
		return fmt.Sprintf("%s == %d", col, x), nil
	case float64:
		return realEquals(col, x), nil
	case float32:
		return realEquals(col, float64(x)), nil
	case bool:
		return fmt.Sprintf("%s == %t", col, x), nil
	case time.Time:
		return fmt.Sprintf("%s == datetime(%s)", col, x.UTC().Format("2006-01-02T15:04:05.9999999Z")), nil
	}
	return "", fmt.Errorf("%w: field %s has type %s, which counts mode cannot filter on", anomaly.ErrInvalid, col, f.Type())
}

// realEquals compares with a real; NaN equals nothing, so it is tested with isnan.
func realEquals(col string, x float64) string {
	switch {
	case math.IsNaN(x):
		return "isnan(" + col + ")"
	case math.IsInf(x, 1):
		return col + " == real(+inf)"
	case math.IsInf(x, -1):
		return col + " == real(-inf)"
	}
	return col + " == real(" + strconv.FormatFloat(x, 'g', -1, 64) + ")"
}
