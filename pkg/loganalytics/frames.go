package loganalytics

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
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
	meta := func(types []string) *data.FrameMeta {
		return &data.FrameMeta{
			ExecutedQueryString: q.KQL,
			Custom: &FrameMeta{
				Workspace:            q.Workspace,
				AdditionalWorkspaces: q.AdditionalWorkspaces,
				Timespan:             timespan,
				ColumnTypes:          types,
			},
		}
	}
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
		f.Meta = meta(types)
		if t.Name == PrimaryTable {
			frames = append(data.Frames{f}, frames...)
		} else {
			frames = append(frames, f)
		}
	}
	if partial != nil {
		if len(frames) == 0 {
			frames = append(frames, data.NewFrame(PrimaryTable).SetMeta(meta([]string{})))
		}
		frames[0].AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning, Text: partial.Error()})
	}
	return frames, nil
}

// tableFrame builds one frame, one field per column, reading the rows
// array one cell at a time straight into typed columns.
func tableFrame(t *wireTable) (*data.Frame, error) {
	cols := make([]column, len(t.Columns))
	for c, col := range t.Columns {
		cols[c] = newColumn(col.Type)
	}
	rows := bytes.TrimSpace(t.Rows)
	if len(rows) > 0 && !bytes.Equal(rows, []byte("null")) {
		err := scanRows(rows,
			func(r, c int, v []byte) error {
				if c >= len(cols) {
					return nil // counted, reported at the row's end
				}
				if err := cols[c].add(v); err != nil {
					return &CellError{Table: t.Name, Column: t.Columns[c].Name, Type: t.Columns[c].Type, Row: r + 1, Value: truncate(string(v), 64), Err: err}
				}
				return nil
			},
			func(r, n int) error {
				if n != len(cols) {
					return fmt.Errorf("%w: table %s: row %d has %d values for %d columns", ErrDecode, t.Name, r+1, n, len(cols))
				}
				return nil
			})
		if err != nil && !errors.Is(err, ErrDecode) { // a malformed rows array
			return nil, fmt.Errorf("%w: table %s: %v", ErrDecode, t.Name, err)
		}
		if err != nil { // *CellError or a row of the wrong width
			return nil, err
		}
	}
	f := data.NewFrame(t.Name)
	for c, col := range cols {
		f.Fields = append(f.Fields, col.field(t.Columns[c].Name))
	}
	return f, nil
}

// column accumulates one column's cells.
type column interface {
	add(cell json.RawMessage) error
	field(name string) *data.Field
}

// newColumn picks the field type from the KQL column type.
func newColumn(kqlType string) column {
	switch strings.ToLower(kqlType) {
	case "datetime":
		return &typedColumn[time.Time]{parse: parseTime}
	case "long":
		return &typedColumn[int64]{parse: parseInt64}
	case "int":
		return &typedColumn[int32]{parse: parseInt32}
	case "real", "decimal":
		return &typedColumn[float64]{parse: parseFloat}
	case "bool":
		return &typedColumn[bool]{parse: parseBool}
	case "dynamic":
		return &typedColumn[string]{parse: parseDynamic}
	default: // string, guid, timespan and any type added later
		return &typedColumn[string]{parse: parseString}
	}
}

// typedColumn keeps the values in a []T with a null mask; the field is the
// nullable []*T variant only when a null was seen.
type typedColumn[T any] struct {
	parse   func(json.RawMessage) (T, error)
	vals    []T
	nulls   []bool
	anyNull bool
}

func (c *typedColumn[T]) add(cell json.RawMessage) error {
	if isNull(cell) {
		var zero T
		c.vals = append(c.vals, zero)
		c.nulls = append(c.nulls, true)
		c.anyNull = true
		return nil
	}
	v, err := c.parse(cell)
	if err != nil {
		return err
	}
	c.vals = append(c.vals, v)
	c.nulls = append(c.nulls, false)
	return nil
}

func (c *typedColumn[T]) field(name string) *data.Field {
	if !c.anyNull {
		vals := c.vals
		if vals == nil {
			vals = []T{}
		}
		return data.NewField(name, nil, vals)
	}
	ptrs := make([]*T, len(c.vals))
	for i := range c.vals {
		if !c.nulls[i] {
			ptrs[i] = &c.vals[i]
		}
	}
	return data.NewField(name, nil, ptrs)
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
