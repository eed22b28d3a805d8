package anomaly

import (
	"cmp"
	"math"
	"slices"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/framerows"
)

// valueStats are one distinct value's (or combination's) rows.
type valueStats struct {
	first    int // first row (in the searched rows)
	rows     int64
	flagged  int64
	minScore float64
}

// tally sums rows per group, keeping groups in order of first appearance among rows.
func tally(g groups, sc scores, rows []int) []valueStats {
	at := make([]int32, g.len()) // group -> index in out, plus one
	var out []valueStats
	eachRow(len(g.ids), rows, func(i int) {
		id := g.ids[i]
		if at[id] == 0 {
			out = append(out, valueStats{first: i, minScore: math.Inf(1)})
			at[id] = int32(len(out))
		}
		v := &out[at[id]-1]
		v.rows += sc.weight(i)
		if sc.flagged(i) {
			v.flagged += sc.weight(i)
		}
		v.minScore = min(v.minScore, sc.score(i))
	})
	// Most anomalous first; equal scores keep first-appearance order.
	slices.SortStableFunc(out, func(a, b valueStats) int { return cmp.Compare(a.minScore, b.minScore) })
	return out
}

func countByValue(scored *data.Frame, sc scores, rows []int, names []string) (*data.Frame, error) {
	g, fields, err := valueGroups(scored, names)
	if err != nil {
		return nil, err
	}
	stats := tally(g, sc, rows)
	firsts := make([]int, len(stats))
	counts := make([]int64, len(stats))
	flagged := make([]int64, len(stats))
	minScores := make([]float64, len(stats))
	for k, v := range stats {
		firsts[k], counts[k], flagged[k], minScores[k] = v.first, v.rows, v.flagged, v.minScore
	}
	out := &data.Frame{Name: scored.Name, RefID: scored.RefID, Meta: derivedMeta(scored.Meta, data.FrameTypeTable)}
	for _, f := range fields {
		out.Fields = append(out.Fields, framerows.TakeField(f, firsts))
	}
	out.Fields = append(out.Fields,
		data.NewField("Count", nil, counts), data.NewField("Anomalies", nil, flagged), data.NewField(FieldScore, nil, minScores))
	return out, nil
}

// AnomalousValues returns the distinct values of field on the rows of scored flagged -1, most
// anomalous first (lowest score; ties in order of first appearance), rendered as text (numbers in
// decimal, times as "2006-01-02 15:04:05" UTC); null and empty values are left out, since there is
// nothing to pivot on. scored is ScoreRows' answer (or any output that keeps the rows and the three
// fields: rows, anomalies, top). A field the frame lacks is an error naming it (ErrNoColumn); a
// frame that is not scored is ErrNotScored.
//
// With values empty, a pivot query takes these from its own anomaly settings, on the pivot's column:
//
//	scored, err := anomaly.ScoreRows(frame, q.Anomaly)
//	values, err := anomaly.AnomalousValues(scored, pivot.Column)
func AnomalousValues(scored *data.Frame, field string) ([]string, error) {
	if scored == nil {
		return nil, ErrNotScored
	}
	sc, ok := scoresOf(scored)
	if !ok {
		return nil, ErrNotScored
	}
	f, _ := scored.FieldByName(field)
	if f == nil {
		return nil, columnError("pivot column", field, scored)
	}
	g, _, err := groupField(f, false)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, v := range tally(g, sc, nil) {
		if v.flagged == 0 {
			continue
		}
		if s, ok := render(f, v.first); ok && s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}
