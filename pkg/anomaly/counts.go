package anomaly

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/framerows"
	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
)

// ErrRowsNeedRows: the rows output asks for every row, which counts do not have.
var ErrRowsNeedRows = fmt.Errorf("%w: the rows output needs every row, and counts mode fetches one row per value: use count, countByValue, anomalies, top, series, anomaliesByValue or values, or set aggregate to \"never\" and narrow the query below the service's 500,000-row limit", ErrInvalid)

// CountOutputs are the outputs counts allow, answered by CountsPipeline.Run itself; anomalies and
// top need the rows of the anomalous values, which the caller fetches (see ScoreFetchedRows).
var CountOutputs = map[string]bool{
	OutputCount: true, OutputCountByValue: true, OutputAnomaliesByValue: true, OutputValues: true,
}

// ScoreCounts scores a counts frame: one row per distinct combination of opts.Fields, with the
// number of rows that carry it in the int64 field countField (a `summarize count() by <fields>`
// answer). The answer is the canonical order's exact answer on the rows the counts stand for
// (iforest.FitPredictDecisionCounts): label codes are the same, since the classes are the distinct
// values; frequency encoding sums the counts. It returns the frame with Outlier, Anomaly and
// Anomaly_Score per combination and a Meta whose Aggregate is AggregateCounts.
func ScoreCounts(ctx context.Context, frame *data.Frame, opts Options, countField string) (*data.Frame, error) {
	if frame == nil {
		return nil, invalid("no result to score: the query returned no table")
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	counts, err := countsOf(frame, countField)
	if err != nil {
		return nil, err
	}
	fields := make([]*data.Field, len(opts.Fields))
	for j, name := range opts.Fields {
		if fields[j], _ = frame.FieldByName(name); fields[j] == nil {
			return nil, columnError("field", name, frame)
		}
	}
	if len(counts) == 0 {
		out := withFields(frame, []int64{}, []int64{}, []float64{})
		out.Meta.Custom = scoredMeta(customOf(frame), opts, AggregateCounts, countField)
		notice(out, data.NoticeSeverityInfo, "The query returned no rows, so there is nothing to score.")
		return out, nil
	}
	cols := make([][]int64, len(fields))
	for j, f := range fields {
		if cols[j], err = encode(f, opts.Encoding, counts); err != nil {
			return nil, err
		}
	}
	x, err := iforest.MatrixFromCodes(cols...)
	if err != nil {
		return nil, err
	}
	forest, err := iforest.New(opts.Forest)
	if err != nil {
		return nil, err
	}
	labels, decision, err := forest.FitPredictDecisionCounts(ctx, x, counts)
	if err != nil {
		return nil, err
	}
	out := withFields(frame, cols[0], labels, decision)
	out.Meta.Custom = scoredMeta(customOf(frame), opts, AggregateCounts, countField)
	for _, w := range forest.Warnings() {
		notice(out, data.NoticeSeverityWarning, "Isolation forest: "+w)
	}
	var flagged int64
	for i, l := range labels {
		if l < 0 {
			flagged += counts[i]
		}
	}
	out.Meta.Stats = append(out.Meta.Stats,
		stat("Rows scored", float64(forest.Rows())), stat("Distinct values", float64(len(counts))), stat("Anomalies", float64(flagged)),
		stat("Trees grown on (max_samples_)", float64(forest.MaxSamples())), stat("Offset (offset_)", forest.Offset()))
	return out, nil
}

// countsOf reads the count field: whole numbers of at least one row.
func countsOf(frame *data.Frame, name string) ([]int64, error) {
	f, _ := frame.FieldByName(name)
	if f == nil {
		return nil, columnError("count field", name, frame)
	}
	at := signedAt[int64](f)
	switch f.Type() {
	case data.FieldTypeInt64, data.FieldTypeNullableInt64:
	case data.FieldTypeInt32, data.FieldTypeNullableInt32:
		at = signedAt[int32](f)
	default:
		return nil, invalid("count field %q has type %s: it must hold whole numbers (count() gives a long)", name, f.Type())
	}
	out := make([]int64, f.Len())
	for i := range out {
		v, miss := at(i)
		if miss || v < 1 {
			return nil, invalid("count field %q has %v rows at row %d: every count must be at least 1", name, v, i+1)
		}
		out[i] = v
	}
	return out, nil
}

// CountsPipeline is an anomaly query answered from counts: score the counts, search, shape.
type CountsPipeline struct {
	Options    Options
	CountField string
}

// Run scores frame (ScoreCounts) and returns Options.Output for the outputs counts allow on their
// own (CountOutputs); rows is ErrRowsNeedRows, and anomalies and top are the caller's, with
// ScoreFetchedRows.
func (p CountsPipeline) Run(ctx context.Context, frame *data.Frame) (*data.Frame, error) {
	if !CountOutputs[p.Options.Output] {
		if p.Options.Output == OutputRows {
			return nil, ErrRowsNeedRows
		}
		return nil, invalid("output %q from counts needs the rows of the anomalous values: fetch them and use ScoreFetchedRows", p.Options.Output)
	}
	scored, err := ScoreCounts(ctx, frame, p.Options, p.CountField)
	if err != nil {
		return nil, err
	}
	return shape(scored, p.Options, 0)
}

// CountSeries is the series output from counts per time bucket: frame holds one row per
// combination of opts.Fields and time bucket, the bucket in the time column bucketField
// (`summarize count() by <fields>, bin(TimeGenerated, interval)`; a scored field may be a time
// too, so the bucket is named, not guessed). Each combination is scored on its total over the buckets (the
// same forest as on the rows), then the anomalous rows are summed per bucket.
func CountSeries(ctx context.Context, frame *data.Frame, opts Options, countField, bucketField string, interval time.Duration) (*data.Frame, error) {
	if frame == nil {
		return nil, invalid("no result to score: the query returned no table")
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	counts, err := countsOf(frame, countField)
	if err != nil {
		return nil, err
	}
	g, fields, err := valueGroups(frame, opts.Fields)
	if err != nil {
		return nil, err
	}
	totals := make([]int64, g.len())
	for i, id := range g.ids {
		totals[id] += counts[i]
	}
	perValue := &data.Frame{Name: frame.Name, Meta: cloneMeta(frame.Meta)}
	for _, f := range fields {
		perValue.Fields = append(perValue.Fields, framerows.TakeField(f, g.first))
	}
	perValue.Fields = append(perValue.Fields, data.NewField(countField, nil, totals))
	scored, err := ScoreCounts(ctx, perValue, opts, countField)
	if err != nil {
		return nil, err
	}
	sc, _ := scoresOf(scored)
	labels := make([]int64, len(g.ids))
	decision := make([]float64, len(g.ids))
	for i, id := range g.ids {
		labels[i], decision[i] = *sc.labels.PointerAt(int(id)).(*int64), sc.score(int(id))
	}
	buckets := withFields(frame, make([]int64, len(g.ids)), labels, decision)
	buckets.Meta = scored.Meta // the forest's stats and notices, and Aggregate counts
	bsc, _ := scoresOf(buckets)
	return series(buckets, bsc, nil, interval, bucketField)
}

// AnomalousCombinations returns the rows of a scored counts frame (ScoreCounts) that are flagged,
// most anomalous first (ties in row order): the values whose rows anomalies and top show.
func AnomalousCombinations(scored *data.Frame) ([]int, error) {
	sc, ok := scoresOf(scored)
	if !ok {
		return nil, ErrNotScored
	}
	return mostAnomalous(sc, nil, -1), nil
}

// ScoreFetchedRows answers anomalies and top from counts: rows are the rows of the anomalous values
// (fetched by a second query), scored is the scored counts frame. Each row takes its combination's
// Outlier, Anomaly and Anomaly_Score; the rows are then ordered most anomalous first, ties in the
// order fetched, and cut to opts.TopN for top. A row whose combination is not among the counts (the
// data changed between the two queries) cannot be scored: it is left out, with a notice.
func ScoreFetchedRows(rows, scored *data.Frame, opts Options) (*data.Frame, error) {
	sc, ok := scoresOf(scored)
	if !ok {
		return nil, ErrNotScored
	}
	outlier, _ := scored.FieldByName(FieldOutlier)
	key := func(f []*data.Field, i int) string {
		var b []byte
		for _, fl := range f {
			s, ok := render(fl, i)
			if !ok {
				s = "\x01null"
			}
			b = append(append(b, s...), 0)
		}
		return string(b)
	}
	scoredFields := make([]*data.Field, len(opts.Fields))
	rowFields := make([]*data.Field, len(opts.Fields))
	for j, name := range opts.Fields {
		scoredFields[j], _ = scored.FieldByName(name)
		if rowFields[j], _ = rows.FieldByName(name); rowFields[j] == nil {
			return nil, columnError("field", name, rows)
		}
	}
	index := make(map[string]int, sc.labels.Len())
	for k := 0; k < sc.labels.Len(); k++ {
		index[key(scoredFields, k)] = k
	}
	n, err := rows.RowLen()
	if err != nil {
		return nil, fmt.Errorf("the query's result is malformed: %w", err)
	}
	var keep []int
	codes, labels, decision := make([]int64, n), make([]int64, n), make([]float64, n)
	for i := 0; i < n; i++ {
		k, ok := index[key(rowFields, i)]
		if !ok {
			continue
		}
		keep = append(keep, i)
		codes[i], labels[i], decision[i] = *outlier.PointerAt(k).(*int64), *sc.labels.PointerAt(k).(*int64), sc.score(k)
	}
	all := withFields(rows, codes, labels, decision)
	all.Meta = cloneMeta(scored.Meta)
	if m, ok := all.Meta.Custom.(*Meta); ok {
		c := *m
		c.CountField = "" // these are rows again
		all.Meta.Custom = &c
	}
	if dropped := n - len(keep); dropped > 0 {
		notice(all, data.NoticeSeverityWarning, fmt.Sprintf("%d fetched rows have values the counts did not include (the data changed between the two queries) and are left out.", dropped))
	}
	fsc, _ := scoresOf(all)
	limit := -1
	if opts.Output == OutputTop {
		limit = opts.TopN
	}
	return takeRows(all, mostAnomalous(fsc, keep, limit)), nil
}
