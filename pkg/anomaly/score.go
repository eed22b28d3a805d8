package anomaly

import (
	"context"
	"fmt"
	"slices"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
)

// The fields every anomaly answer appends, named as the notebook names its DataFrame columns.
const (
	FieldOutlier = "Outlier"       // int64: the first field's label code, or its count under frequency encoding
	FieldAnomaly = "Anomaly"       // int64: -1 anomalous, 1 normal
	FieldScore   = "Anomaly_Score" // float64: decision_function, negative for anomalies
)

// ScoreRows runs the notebook's scoring on every row of frame and returns a frame with the same
// rows in the same order and three more fields, Outlier, Anomaly and Anomaly_Score; opts.Output and
// opts.Search are not applied (Pipeline.Run does that). It is what AnomalousValues reads.
//
// The returned frame shares frame's fields (no column is copied) and leaves frame itself
// unchanged. As pandas' df['Outlier'] = ... does, a field of frame already named Outlier, Anomaly
// or Anomaly_Score is replaced in place; the others keep their order.
//
// An empty frame is not an error: the three fields are appended empty, with a notice. One row is
// ErrTooFewRows. The forest's warnings (max_samples above the number of rows) become warning
// notices; the stats say how many rows were scored and flagged, and the forest's offset.
//
// Scoring stops soon after ctx ends, with ctx's error.
func ScoreRows(ctx context.Context, frame *data.Frame, opts Options) (*data.Frame, error) {
	if frame == nil {
		return nil, invalid("no result to score: the query returned no table")
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	fields := make([]*data.Field, len(opts.Fields))
	for j, name := range opts.Fields {
		f, _ := frame.FieldByName(name)
		if f == nil {
			return nil, columnError("field", name, frame)
		}
		fields[j] = f
	}
	n, err := frame.RowLen()
	if err != nil {
		return nil, fmt.Errorf("the query's result is malformed: %w", err)
	}
	forest, err := iforest.New(opts.Forest)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		out := withFields(frame, []int64{}, []int64{}, []float64{})
		out.Meta.Custom = scoredMeta(customOf(frame), opts, AggregateRows, "")
		notice(out, data.NoticeSeverityInfo, "The query returned no rows, so there is nothing to score.")
		return out, nil
	}
	if n < 2 {
		return nil, tooFewRows(n)
	}
	cols := make([][]int64, len(fields))
	for j, f := range fields {
		if cols[j], err = encode(f, opts.Encoding, nil); err != nil {
			return nil, err
		}
	}
	x, err := iforest.MatrixFromCodes(cols...)
	if err != nil {
		return nil, err
	}
	labels, decision, err := forest.FitPredictDecision(ctx, x)
	if err != nil {
		return nil, err
	}
	out := withFields(frame, cols[0], labels, decision)
	out.Meta.Custom = scoredMeta(customOf(frame), opts, AggregateRows, "")
	for _, w := range forest.Warnings() {
		notice(out, data.NoticeSeverityWarning, "Isolation forest: "+w)
	}
	flagged := 0
	for _, l := range labels {
		if l < 0 {
			flagged++
		}
	}
	out.Meta.Stats = append(out.Meta.Stats,
		stat("Rows scored", float64(n)), stat("Anomalies", float64(flagged)),
		stat("Trees grown on (max_samples_)", float64(forest.MaxSamples())), stat("Offset (offset_)", forest.Offset()))
	return out, nil
}

// encode is the notebook's le.fit_transform(df[field]) (label), or each row's value count
// (frequency: rows of equal value, nulls counted together). On a counts frame, counts[i] is how
// many rows row i stands for: label codes are the same (the classes are the distinct values) and
// frequency sums the counts; nil counts are plain rows, each counting once.
func encode(f *data.Field, encoding string, counts []int64) ([]int64, error) {
	// The encoding's grouping (wantCodes), also for frequency: a missing number is NaN to pandas,
	// so null and NaN rows count together.
	g, codeOf, err := groupField(f, true)
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(g.ids))
	if encoding == EncodingLabel {
		for i, id := range g.ids {
			out[i] = codeOf[id]
		}
		return out, nil
	}
	totals := make([]int64, g.len())
	for i, id := range g.ids {
		if counts == nil {
			totals[id]++
		} else {
			totals[id] += counts[i]
		}
	}
	for i, id := range g.ids {
		out[i] = totals[id]
	}
	return out, nil
}

// withFields returns a frame over frame's fields plus the three new ones, with its own Meta.
func withFields(frame *data.Frame, outlier, labels []int64, decision []float64) *data.Frame {
	add := []*data.Field{
		data.NewField(FieldOutlier, nil, outlier),
		data.NewField(FieldAnomaly, nil, labels),
		data.NewField(FieldScore, nil, decision),
	}
	fields := slices.Clone(frame.Fields)
	for _, nf := range add {
		if i := slices.IndexFunc(fields, func(f *data.Field) bool { return f.Name == nf.Name }); i >= 0 {
			fields[i] = nf
		} else {
			fields = append(fields, nf)
		}
	}
	return &data.Frame{Name: frame.Name, RefID: frame.RefID, Fields: fields, Meta: cloneMeta(frame.Meta)}
}

// cloneMeta copies the metadata so that notices and stats added here never reach the input frame.
func cloneMeta(m *data.FrameMeta) *data.FrameMeta {
	if m == nil {
		return &data.FrameMeta{}
	}
	c := *m
	c.Notices = slices.Clone(m.Notices)
	c.Stats = slices.Clone(m.Stats)
	return &c
}

func notice(f *data.Frame, sev data.NoticeSeverity, text string) {
	if f.Meta == nil {
		f.Meta = &data.FrameMeta{}
	}
	f.Meta.Notices = append(f.Meta.Notices, data.Notice{Severity: sev, Text: text})
}

func stat(name string, v float64) data.QueryStat {
	return data.QueryStat{FieldConfig: data.FieldConfig{DisplayName: name}, Value: v}
}

func customOf(frame *data.Frame) any {
	if frame.Meta == nil {
		return nil
	}
	return frame.Meta.Custom
}
