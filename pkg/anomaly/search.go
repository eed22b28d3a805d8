package anomaly

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"unicode/utf8"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// search returns the rows whose column matches, or nil (all rows) when there is no search.
//
// The default mode (SearchRegex) is the notebook's table search,
// analyzed_df[col].astype(str).str.contains(value, na=False): the value is a case-sensitive regular
// expression found anywhere in the cell. Go's regexp (RE2) is Python's re without backreferences
// and lookaround; an expression it cannot compile is an error that says so. SearchText matches the
// value as plain text, case-insensitively, for a hunter who types "powershell" to find
// "PowerShell.exe". Either way missing cells never match (na=False; pandas' astype(str) would turn
// None into the text "None"), cells are rendered as render does, and each distinct value is
// rendered and matched once. The Outlier, Anomaly and Anomaly_Score columns can be searched too
// (column Anomaly, value -1: the anomalies).
func search(scored *data.Frame, s *Search) ([]int, error) {
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
	matches, err := matcher(s)
	if err != nil {
		return nil, err
	}
	g, _, err := groupField(f, false)
	if err != nil {
		return nil, err
	}
	match := make([]bool, g.len())
	for id, row := range g.first {
		if text, ok := render(f, row); ok {
			match[id] = matches(text)
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

// matcher compiles the search's value for its mode.
func matcher(s *Search) (func(string) bool, error) {
	if s.Mode == SearchText {
		return func(text string) bool { return containsFold(text, s.Value) }, nil
	}
	re, err := regexp.Compile(s.Value)
	if err != nil {
		var se *syntax.Error
		detail := err.Error()
		if errors.As(err, &se) {
			detail = fmt.Sprintf("%s: %q", se.Code, se.Expr)
		}
		return nil, invalid("search value %q is not a regular expression (%s): escape special characters such as ( [ . * with a backslash, or set search.mode to %q for plain text", truncateText(s.Value, 80), detail, SearchText)
	}
	return re.MatchString, nil
}

func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
