package anomaly

import (
	"cmp"
	"slices"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// nullLabel stands for a null value where a label must be text (an alert instance's label).
const nullLabel = "(null)"

// anomaliesByValue is the alerting output: Grafana's numeric-long shape, one string field per
// scored field (the value as text) and one number, Anomalies, with one row per combination of
// values that has anomalous rows. Grafana makes one alert instance per row, labelled with the
// values, so a rule fires per anomalous process and resolves when it is no longer flagged. Rows are
// sorted by their values, so instances come in the same order at every evaluation.
func anomaliesByValue(scored *data.Frame, sc scores, rows []int, names []string) (*data.Frame, error) {
	g, fields, err := valueGroups(scored, names)
	if err != nil {
		return nil, err
	}
	type row struct {
		labels  []string
		flagged int64
	}
	var out []row
	for _, v := range tally(g, sc, rows) {
		if v.flagged == 0 {
			continue
		}
		labels := make([]string, len(fields))
		for j, f := range fields {
			labels[j] = nullLabel
			if s, ok := render(f, v.first); ok {
				labels[j] = s
			}
		}
		out = append(out, row{labels, v.flagged})
	}
	slices.SortFunc(out, func(a, b row) int { return cmp.Compare(strings.Join(a.labels, "\x00"), strings.Join(b.labels, "\x00")) })
	frame := &data.Frame{Name: scored.Name, RefID: scored.RefID, Meta: derivedMeta(scored.Meta, data.FrameTypeNumericLong)}
	for j, f := range fields {
		col := make([]string, len(out))
		for k, r := range out {
			col[k] = r.labels[j]
		}
		frame.Fields = append(frame.Fields, data.NewField(f.Name, nil, col))
	}
	counts := make([]int64, len(out))
	for k, r := range out {
		counts[k] = r.flagged
	}
	frame.Fields = append(frame.Fields, data.NewField("Anomalies", nil, counts))
	return frame, nil
}

// anomalousValueList is the variable output: the anomalous values of the first field, most
// anomalous first, as one string field named after it (a template variable's options).
func anomalousValueList(scored *data.Frame, names []string) (*data.Frame, error) {
	values, err := AnomalousValues(scored, names[0])
	if err != nil {
		return nil, err
	}
	if values == nil {
		values = []string{}
	}
	return &data.Frame{Name: scored.Name, RefID: scored.RefID, Meta: derivedMeta(scored.Meta, data.FrameTypeTable),
		Fields: []*data.Field{data.NewField(names[0], nil, values)}}, nil
}
