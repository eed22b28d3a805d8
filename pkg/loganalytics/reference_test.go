package loganalytics

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// referenceDecode is the straightforward decoder the streaming one must agree with: the whole
// body through encoding/json, every cell a json.RawMessage, each converted by its column's type
// with the *Text rules of cells.go (never their fast paths), each column a []T or []*T. It is
// slow and allocates per cell, which is why the client does not use it.
func referenceDecode(body []byte) (*answer, error) {
	var wire struct {
		Tables []struct {
			Name    string `json:"name"`
			Columns []struct {
				Name string `json:"name"`
				Type string `json:"type"`
			} `json:"columns"`
			Rows [][]json.RawMessage `json:"rows"`
		} `json:"tables"`
		Error      *wireError      `json:"error"`
		Statistics json.RawMessage `json:"statistics"`
	}
	if err := json.Unmarshal(body, &wire); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDecode, err)
	}
	a := &answer{err: wire.Error, statistics: wire.Statistics}
	for _, t := range wire.Tables {
		types := make([]string, len(t.Columns))
		cols := make([][]any, len(t.Columns)) // nil for null
		for c, col := range t.Columns {
			types[c] = col.Type
		}
		for r, row := range t.Rows {
			for c := 0; c < min(len(row), len(t.Columns)); c++ {
				v, err := referenceCell(t.Columns[c].Type, row[c])
				if err != nil {
					return nil, &CellError{Table: t.Name, Column: t.Columns[c].Name, Type: t.Columns[c].Type, Row: r + 1, Value: truncate(string(row[c]), 64), Err: err}
				}
				cols[c] = append(cols[c], v)
			}
			if len(row) != len(t.Columns) {
				return nil, fmt.Errorf("%w: table %s: row %d has %d values for %d columns", ErrDecode, t.Name, r+1, len(row), len(t.Columns))
			}
		}
		f := data.NewFrame(t.Name)
		for c, col := range t.Columns {
			f.Fields = append(f.Fields, referenceField(col.Name, col.Type, cols[c]))
		}
		a.tables = append(a.tables, decodedTable{name: t.Name, types: types, frame: f})
	}
	return a, nil
}

func referenceText(raw json.RawMessage) (string, bool, error) {
	if raw[0] == '"' {
		var s string
		err := json.Unmarshal(raw, &s)
		return s, true, err
	}
	return string(raw), false, nil
}

// referenceCell converts one cell; nil is null.
func referenceCell(typ string, raw json.RawMessage) (any, error) {
	if string(raw) == "null" {
		return nil, nil
	}
	s, quoted, err := referenceText(raw)
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(typ) {
	case "datetime":
		if !quoted {
			return nil, errNotString
		}
		return parseTimeText(s)
	case "long":
		return parseInt64Text(s)
	case "int":
		n, err := parseInt64Text(s)
		if err != nil {
			return nil, err
		}
		return int32Range(n)
	case "real", "decimal":
		return parseFloatText(s)
	case "bool":
		return parseBoolText(s)
	case "dynamic":
		if quoted {
			return s, nil
		}
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil {
			return nil, err
		}
		return b.String(), nil
	}
	return s, nil
}

func referenceField(name, typ string, vals []any) *data.Field {
	switch strings.ToLower(typ) {
	case "datetime":
		return typedField[time.Time](name, vals)
	case "long":
		return typedField[int64](name, vals)
	case "int":
		return typedField[int32](name, vals)
	case "real", "decimal":
		return typedField[float64](name, vals)
	case "bool":
		return typedField[bool](name, vals)
	}
	return typedField[string](name, vals)
}

func typedField[T any](name string, vals []any) *data.Field {
	plain := make([]T, len(vals))
	ptrs := make([]*T, len(vals))
	nullable := false
	for i, v := range vals {
		if v == nil {
			nullable = true
			continue
		}
		plain[i] = v.(T)
		ptrs[i] = &plain[i]
	}
	if nullable {
		return data.NewField(name, nil, ptrs)
	}
	return data.NewField(name, nil, plain)
}

// sameAnswer reports how two answers differ ("" when they do not): tables, frames field by
// field (types, names, values; NaN equals NaN, times by instant and location), partial error
// and statistics.
func sameAnswer(got, want *answer) string {
	if len(got.tables) != len(want.tables) {
		return fmt.Sprintf("%d tables, want %d", len(got.tables), len(want.tables))
	}
	for i := range got.tables {
		g, w := got.tables[i], want.tables[i]
		if g.name != w.name || !reflect.DeepEqual(g.types, w.types) {
			return fmt.Sprintf("table %d: %q %v, want %q %v", i, g.name, g.types, w.name, w.types)
		}
		if d := sameFrame(g.frame, w.frame); d != "" {
			return fmt.Sprintf("table %d: %s", i, d)
		}
	}
	if !reflect.DeepEqual(got.err, want.err) {
		return fmt.Sprintf("error %+v, want %+v", got.err, want.err)
	}
	if !bytes.Equal(got.statistics, want.statistics) {
		return fmt.Sprintf("statistics %s, want %s", got.statistics, want.statistics)
	}
	return ""
}

func sameFrame(g, w *data.Frame) string {
	if g.Name != w.Name || len(g.Fields) != len(w.Fields) {
		return fmt.Sprintf("frame %q with %d fields, want %q with %d", g.Name, len(g.Fields), w.Name, len(w.Fields))
	}
	for j := range g.Fields {
		gf, wf := g.Fields[j], w.Fields[j]
		if gf.Name != wf.Name || gf.Type() != wf.Type() || gf.Len() != wf.Len() {
			return fmt.Sprintf("field %d: %s %s %d, want %s %s %d", j, gf.Name, gf.Type(), gf.Len(), wf.Name, wf.Type(), wf.Len())
		}
		gv, wv := valuesOf(gf), valuesOf(wf)
		for r := range gv {
			if !sameCell(gv[r], wv[r]) {
				return fmt.Sprintf("field %s row %d: %#v, want %#v", gf.Name, r+1, gv[r], wv[r])
			}
		}
	}
	return ""
}

func sameCell(a, b any) bool {
	fa, okA := a.(float64)
	fb, okB := b.(float64)
	if okA && okB {
		return fa == fb && math.Signbit(fa) == math.Signbit(fb) || math.IsNaN(fa) && math.IsNaN(fb)
	}
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ok && ta.Equal(tb) && ta.Location() == tb.Location()
	}
	return a == b
}

// outsideWireFormat reports bodies the streaming decoder refuses on purpose while encoding/json
// accepts them: a table's rows before its columns (the service always sends columns first, and
// typed cells need the types), and a repeated "tables", "columns" or "rows" key (encoding/json
// keeps the last). The fuzz target compares only the rest.
func outsideWireFormat(body []byte) bool {
	d := json.NewDecoder(bytes.NewReader(body))
	type frame struct {
		object  bool
		depth   int
		keys    map[string]bool
		wantKey bool
		path    string // "", "top", "tables", "table"
	}
	var stack []*frame
	pathOf := func(parent *frame, key string) string {
		switch {
		case parent == nil:
			return "top"
		case parent.path == "top" && strings.EqualFold(key, "tables"):
			return "tables"
		case parent.path == "tables":
			return "table"
		}
		return ""
	}
	lastKey := ""
	for {
		tok, err := d.Token()
		if err == io.EOF || err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				var parent *frame
				key := ""
				if top != nil {
					parent = top
					if top.object {
						key = lastKey
						top.wantKey = true
					}
				}
				stack = append(stack, &frame{object: v == '{', keys: map[string]bool{}, wantKey: v == '{', path: pathOf(parent, key)})
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].wantKey = true
				}
			}
			continue
		case string:
			if top != nil && top.object && top.wantKey {
				k := v
				for _, name := range []string{"tables", "rows", "columns"} {
					if strings.EqualFold(v, name) {
						k = name
					}
				}
				lastKey = v
				top.wantKey = false
				switch top.path {
				case "top":
					if k == "tables" && top.keys[k] {
						return true
					}
				case "table":
					if (k == "rows" || k == "columns") && top.keys[k] {
						return true
					}
					if k == "rows" && !top.keys["columns"] {
						return true
					}
					if k == "columns" && top.keys["rows"] {
						return true
					}
				}
				top.keys[k] = true
				continue
			}
		}
		if top != nil && top.object {
			top.wantKey = true
		}
	}
}
