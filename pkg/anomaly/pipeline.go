package anomaly

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Pipeline is one anomaly query: score every row, then search, then shape the answer.
type Pipeline struct {
	// Options are the query's anomaly settings (NotebookOptions for the notebook's).
	Options Options
	// Interval is the series output's bucket (Grafana's query interval); 0 picks one that gives
	// at most about 100 buckets over the rows' time span.
	Interval time.Duration
}

// Score is Pipeline{Options: opts}.Run(ctx, frame): the notebook's scoring of frame, searched and
// shaped as opts says.
func Score(ctx context.Context, frame *data.Frame, opts Options) (*data.Frame, error) {
	return Pipeline{Options: opts}.Run(ctx, frame)
}

// Run scores every row of frame (ScoreRows), so that scores are the notebook's whatever the
// search, keeps the rows that match Options.Search, and returns Options.Output:
//
//   - rows: those rows with Outlier, Anomaly and Anomaly_Score, in their original order.
//   - anomalies: the rows with Anomaly == -1, most anomalous (lowest score) first, ties in
//     original order.
//   - top: the first TopN of anomalies, the notebook's "top ten most significant anomalies"
//     (anomalies.sort_values(by='Anomaly_Score').head(10)): fewer when fewer rows are flagged.
//   - count: one row with Anomalies, the number of flagged rows, as the frame's only numeric field,
//     so a Grafana alert rule reads it as one number; the rows counted are in the frame's stats.
//   - countByValue: one row per distinct value of the fields (a column each, as in the frame),
//     with Count (rows), Anomalies (flagged rows) and Anomaly_Score (the value's score: rows of equal
//     value have equal features, hence one score), most anomalous first.
//   - series: Time and Anomalies per Interval bucket over the frame's first time column, from the
//     first to the last row's bucket with zeros in between, a wide time series.
//   - anomaliesByValue: for alert rules, a numeric-long frame: the fields' values as text and
//     Anomalies, one row per value with anomalous rows, sorted by value.
//   - values: for template variables, the first field's anomalous values, most anomalous first.
func (p Pipeline) Run(ctx context.Context, frame *data.Frame) (*data.Frame, error) {
	scored, err := ScoreRows(ctx, frame, p.Options)
	if err != nil {
		return nil, err
	}
	return shape(scored, p.Options, p.Interval)
}

// scores are the scored frame's Anomaly and Anomaly_Score columns, and, for a frame of counts
// (ScoreCounts), how many rows each of its rows stands for.
type scores struct {
	labels   *data.Field
	decision *data.Field
	counts   []int64 // nil: each row is one row
}

func (s scores) flagged(i int) bool  { return *s.labels.PointerAt(i).(*int64) < 0 }
func (s scores) score(i int) float64 { return *s.decision.PointerAt(i).(*float64) }

// weight is the number of rows row i stands for.
func (s scores) weight(i int) int64 {
	if s.counts == nil {
		return 1
	}
	return s.counts[i]
}

func scoresOf(scored *data.Frame) (scores, bool) {
	l, _ := scored.FieldByName(FieldAnomaly)
	d, _ := scored.FieldByName(FieldScore)
	if l == nil || d == nil || l.Type() != data.FieldTypeInt64 || d.Type() != data.FieldTypeFloat64 || l.Len() != d.Len() {
		return scores{}, false
	}
	sc := scores{labels: l, decision: d}
	if m, ok := scored.Meta.Custom.(*Meta); ok && m.Aggregate == AggregateCounts && m.CountField != "" {
		c, _ := scored.FieldByName(m.CountField)
		if c == nil || c.Type() != data.FieldTypeInt64 || c.Len() != l.Len() {
			return scores{}, false
		}
		sc.counts = make([]int64, c.Len())
		for i := range sc.counts {
			sc.counts[i] = *c.PointerAt(i).(*int64)
		}
	}
	return sc, true
}

func shape(scored *data.Frame, opts Options, interval time.Duration) (*data.Frame, error) {
	sc, ok := scoresOf(scored)
	if !ok {
		return nil, ErrNotScored
	}
	rows, err := search(scored, opts.Search)
	if err != nil {
		return nil, err
	}
	switch opts.Output {
	case OutputRows, "":
		if rows == nil {
			return scored, nil
		}
		return takeRows(scored, rows), nil
	case OutputAnomalies:
		return takeRows(scored, mostAnomalous(sc, rows, -1)), nil
	case OutputTop:
		return takeRows(scored, mostAnomalous(sc, rows, max(opts.TopN, 0))), nil
	case OutputCount:
		return count(scored, sc, rows), nil
	case OutputCountByValue:
		return countByValue(scored, sc, rows, opts.Fields)
	case OutputSeries:
		return series(scored, sc, rows, interval, "")
	case OutputAnomaliesByValue:
		return anomaliesByValue(scored, sc, rows, opts.Fields)
	case OutputValues:
		return anomalousValueList(scored, opts.Fields)
	}
	return nil, invalid("output %q is not known: use rows, anomalies, top, count, countByValue or series", opts.Output)
}

// eachRow calls f for rows, or for every row when rows is nil (no search).
func eachRow(n int, rows []int, f func(i int)) {
	if rows == nil {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	for _, i := range rows {
		f(i)
	}
}

// mostAnomalous returns the flagged rows sorted by score, ties in row order, at most limit of
// them (limit < 0: all).
func mostAnomalous(sc scores, rows []int, limit int) []int {
	var out []int
	eachRow(sc.labels.Len(), rows, func(i int) {
		if sc.flagged(i) {
			out = append(out, i)
		}
	})
	slices.SortStableFunc(out, func(a, b int) int { return cmp.Compare(sc.score(a), sc.score(b)) })
	if limit >= 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

func count(scored *data.Frame, sc scores, rows []int) *data.Frame {
	var total, flagged int64
	eachRow(sc.labels.Len(), rows, func(i int) {
		total += sc.weight(i)
		if sc.flagged(i) {
			flagged += sc.weight(i)
		}
	})
	out := data.NewFrame(scored.Name, data.NewField("Anomalies", nil, []int64{flagged}))
	out.RefID = scored.RefID
	out.Meta = derivedMeta(scored.Meta, data.FrameTypeNumericWide)
	out.Meta.Stats = append(out.Meta.Stats, stat("Rows", float64(total)))
	return out
}

// derivedMeta keeps what tells the user where a computed frame came from (the executed query,
// notices, custom metadata) and sets its type.
func derivedMeta(m *data.FrameMeta, t data.FrameType) *data.FrameMeta {
	c := cloneMeta(m)
	out := &data.FrameMeta{ExecutedQueryString: c.ExecutedQueryString, Notices: c.Notices, Custom: c.Custom, Stats: c.Stats}
	out.Type, out.TypeVersion = t, data.FrameTypeVersion{0, 1}
	return out
}

// valueGroups groups the rows by the combination of the fields' values. With one field it is the
// field's own grouping; with several, each row's group ids form the key.
func valueGroups(scored *data.Frame, names []string) (groups, []*data.Field, error) {
	fields := make([]*data.Field, len(names))
	per := make([]groups, len(names))
	for j, name := range names {
		f, _ := scored.FieldByName(name)
		if f == nil {
			return groups{}, nil, columnError("field", name, scored)
		}
		fields[j] = f
		g, _, err := groupField(f, false)
		if err != nil {
			return groups{}, nil, err
		}
		per[j] = g
	}
	if len(per) == 1 {
		return per[0], fields, nil
	}
	// Pairs of group ids fold into one uint64 key, field after field, so no key is allocated.
	g := per[0]
	for _, next := range per[1:] {
		prev := g
		g, _ = groupKeys(len(prev.ids), func(i int) (uint64, bool) {
			return uint64(uint32(prev.ids[i]))<<32 | uint64(uint32(next.ids[i])), false
		})
	}
	return g, fields, nil
}
