package anomaly

import (
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/querymodel"
)

// search returns the rows whose column contains the value, or nil (all rows) when there is no
// search. It is the notebook's table search, analyzed_df[col].astype(str).str.contains(value,
// na=False), with two deliberate differences: the value is matched as plain text, not as a
// regular expression, and case-insensitively, so a hunter typing "powershell" finds
// "PowerShell.exe" and a value such as "a.exe(" is not a regex error. Null cells never match (na=False;
// pandas' astype(str) would turn None into the text "None"). Cells are rendered as render does;
// each distinct value is rendered and matched once. The Outlier, Anomaly and Anomaly_Score columns
// can be searched too (column Anomaly, value -1: the anomalies).
func search(scored *data.Frame, s *querymodel.Search) ([]int, error) {
	if s == nil || s.Value == "" {
		return nil, nil
	}
	if s.Column == "" {
		return nil, invalid("search needs a column: set search.column to the column to search in")
	}
	f, _ := scored.FieldByName(s.Column)
	if f == nil {
		return nil, columnError("search column", s.Column, scored)
	}
	g, _, err := groupField(f, false)
	if err != nil {
		return nil, err
	}
	match := make([]bool, g.len())
	for id, row := range g.first {
		if text, ok := render(f, row); ok {
			match[id] = containsFold(text, s.Value)
		}
	}
	rows := []int{}
	for i, id := range g.ids {
		if match[id] {
			rows = append(rows, i)
		}
	}
	return rows, nil
}
