package loganalytics

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// PrimaryTable is the name the service gives the query's main result.
const PrimaryTable = "PrimaryResult"

// FrameMeta is the Custom metadata of every frame: where the rows came
// from, and each field's KQL column type, which the Go field type alone does
// not tell (guid, timespan and dynamic all become strings).
type FrameMeta struct {
	Workspace            string   `json:"workspace"`
	AdditionalWorkspaces []string `json:"additionalWorkspaces,omitempty"`
	Timespan             string   `json:"timespan,omitempty"`
	ColumnTypes          []string `json:"columnTypes"`
}

// toFrames converts every table, the primary result first. A partial error
// becomes a warning notice on the primary frame (an empty one is made when
// the answer has no table), so the rows that did come back are kept.
func toFrames(r *wireResponse, q Query, timespan string, partial *ServiceError) (data.Frames, error) {
	frames := make(data.Frames, 0, len(r.Tables))
	for i := range r.Tables {
		t := &r.Tables[i]
		f, err := tableFrame(t)
		if err != nil {
			return nil, err
		}
		types := make([]string, len(t.Columns))
		for j, c := range t.Columns {
			types[j] = c.Type
		}
		f.Meta = &data.FrameMeta{
			ExecutedQueryString: q.KQL,
			Custom: &FrameMeta{
				Workspace:            q.Workspace,
				AdditionalWorkspaces: q.AdditionalWorkspaces,
				Timespan:             timespan,
				ColumnTypes:          types,
			},
		}
		if t.Name == PrimaryTable {
			frames = append(data.Frames{f}, frames...)
		} else {
			frames = append(frames, f)
		}
	}
	if partial != nil {
		if len(frames) == 0 {
			frames = append(frames, data.NewFrame(PrimaryTable).SetMeta(&data.FrameMeta{
				ExecutedQueryString: q.KQL,
				Custom:              &FrameMeta{Workspace: q.Workspace, AdditionalWorkspaces: q.AdditionalWorkspaces, Timespan: timespan, ColumnTypes: []string{}},
			}))
		}
		frames[0].AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning, Text: partial.Error()})
	}
	return frames, nil
}

// tableFrame builds one frame, one field per column.
func tableFrame(t *wireTable) (*data.Frame, error) {
	for r, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return nil, fmt.Errorf("%w: table %s, row %d has %d values for %d columns", ErrDecode, t.Name, r+1, len(row), len(t.Columns))
		}
	}
	f := data.NewFrame(t.Name)
	for c := range t.Columns {
		field, err := columnField(t, c)
		if err != nil {
			return nil, err
		}
		f.Fields = append(f.Fields, field)
	}
	return f, nil
}

// columnField converts column c, picking the field type from the KQL type
// and the nullable variant only when the column holds a null.
func columnField(t *wireTable, c int) (*data.Field, error) {
	nullable := false
	for _, row := range t.Rows {
		if isNull(row[c]) {
			nullable = true
			break
		}
	}
	switch strings.ToLower(t.Columns[c].Type) {
	case "datetime", "date":
		return buildField(t, c, nullable, parseTime)
	case "long":
		return buildField(t, c, nullable, parseInt64)
	case "int":
		return buildField(t, c, nullable, parseInt32)
	case "real", "double", "decimal":
		return buildField(t, c, nullable, parseFloat)
	case "bool", "boolean":
		return buildField(t, c, nullable, parseBool)
	case "dynamic":
		return buildField(t, c, nullable, parseDynamic)
	default: // string, guid, timespan and anything newer
		return buildField(t, c, nullable, parseString)
	}
}

// buildField fills a []T or, when nullable, a []*T field.
func buildField[T any](t *wireTable, c int, nullable bool, parse func(json.RawMessage) (T, error)) (*data.Field, error) {
	name := t.Columns[c].Name
	if nullable {
		vals := make([]*T, len(t.Rows))
		for r, row := range t.Rows {
			if isNull(row[c]) {
				continue
			}
			v, err := parse(row[c])
			if err != nil {
				return nil, cellError(t, c, r, err)
			}
			vals[r] = &v
		}
		return data.NewField(name, nil, vals), nil
	}
	vals := make([]T, len(t.Rows))
	for r, row := range t.Rows {
		v, err := parse(row[c])
		if err != nil {
			return nil, cellError(t, c, r, err)
		}
		vals[r] = v
	}
	return data.NewField(name, nil, vals), nil
}

func cellError(t *wireTable, c, r int, err error) error {
	return &CellError{Table: t.Name, Column: t.Columns[c].Name, Type: t.Columns[c].Type, Row: r + 1, Value: truncate(string(t.Rows[r][c]), 64), Err: err}
}

// truncate shortens s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
