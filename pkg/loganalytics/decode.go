package loganalytics

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// answer is a decoded 200 body: its tables as frames (in the order sent), the partial error,
// and the statistics JSON.
type answer struct {
	tables     []decodedTable
	err        *wireError
	statistics json.RawMessage
}

type decodedTable struct {
	name  string
	types []string
	frame *data.Frame
}

// decodeAnswer reads a 200 body in one pass, straight into typed columns (see the package doc).
// The body must be the service's wire format: an object with "tables" (each table's "columns"
// before its "rows", as the service writes them), "error", "statistics" and "render"; keys
// match case-insensitively, as encoding/json matches them, and other keys are skipped.
func decodeAnswer(r io.Reader, m *meter) (*answer, error) {
	s := newScanner(r)
	s.grow = func(extra int) error { return m.take(int64(extra)) }
	a := &answer{}
	if err := decodeTop(s, m, a); err != nil {
		return nil, err
	}
	if err := s.atEnd(); err != nil {
		return nil, decodeErr(err)
	}
	return a, nil
}

// decodeErr marks err as a failure to read the answer (ErrDecode: malformed, truncated, or the
// connection lost half-way) unless it already is, or is the meter's (the budget, or the context
// ending while waiting for room).
func decodeErr(err error) error {
	if err == nil || errors.Is(err, ErrDecode) || isMeterErr(err) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrDecode, err)
}

func decodeTop(s *scanner, m *meter, a *answer) error {
	c, ok := s.peek()
	if !ok {
		return decodeErr(s.fail(s.pos))
	}
	if c == 'n' { // null: no tables, as encoding/json reads it
		_, _, _, err := s.value()
		return decodeErr(err)
	}
	if c != '{' {
		return decodeErr(s.errAt(s.pos, "invalid character %s, expected the answer object", quoteChar(c)))
	}
	seenTables := false
	return decodeObject(s, func(key []byte) error {
		switch {
		case eqFold(key, "tables"):
			if seenTables {
				return s.errAt(s.pos, `the answer has "tables" twice`)
			}
			seenTables = true
			return decodeTables(s, m, a)
		case eqFold(key, "error"):
			raw, err := capture(s, m)
			if err != nil {
				return err
			}
			var w *wireError
			if err := json.Unmarshal(raw, &w); err != nil {
				return fmt.Errorf("%w: the answer's error object: %v", ErrDecode, err)
			}
			a.err = w
			return nil
		case eqFold(key, "statistics"):
			raw, err := capture(s, m)
			a.statistics = raw
			return err
		default: // render and anything newer
			_, _, _, err := s.value()
			return err
		}
	})
}

// decodeObject reads {"key": value, ...}, calling field for each key with the scanner at the
// value; field must consume the value.
func decodeObject(s *scanner, field func(key []byte) error) error {
	if err := s.expect('{', "'{'"); err != nil {
		return decodeErr(err)
	}
	more, err := s.first('}')
	for ; more && err == nil; more, err = s.next('}') {
		raw, k, f, err := s.value()
		if err != nil {
			return decodeErr(err)
		}
		if k != kindString {
			return decodeErr(s.errAt(s.pos-len(raw), "expected a string key"))
		}
		key := bytes.Clone(s.unquote(raw, f)) // short; the value's scan may move the buffer
		if err := s.expect(':', "':' after an object key"); err != nil {
			return decodeErr(err)
		}
		if err := field(key); err != nil {
			return decodeErr(err)
		}
	}
	return decodeErr(err)
}

// decodeArray reads [elem, ...] or null, calling elem for each element with the scanner at it.
func decodeArray(s *scanner, elem func(i int) error) error {
	c, ok := s.peek()
	if !ok {
		return decodeErr(s.fail(s.pos))
	}
	if c == 'n' {
		_, _, _, err := s.value()
		return decodeErr(err)
	}
	if c != '[' {
		return decodeErr(s.errAt(s.pos, "invalid character %s, expected an array", quoteChar(c)))
	}
	s.pos++
	i := 0
	more, err := s.first(']')
	for ; more && err == nil; more, err = s.next(']') {
		if err := elem(i); err != nil {
			return decodeErr(err)
		}
		i++
	}
	return decodeErr(err)
}

// isNullNext consumes a null and reports true, or consumes nothing.
func isNullNext(s *scanner) (bool, error) {
	c, ok := s.peek()
	if !ok {
		return false, s.fail(s.pos)
	}
	if c != 'n' {
		return false, nil
	}
	_, _, _, err := s.value()
	return true, err
}

// capture copies the next value (a partial error or statistics: small objects).
func capture(s *scanner, m *meter) (json.RawMessage, error) {
	raw, _, _, err := s.value()
	if err != nil {
		return nil, err
	}
	if err := m.take(int64(len(raw))); err != nil {
		return nil, err
	}
	return bytes.Clone(raw), nil
}

func decodeTables(s *scanner, m *meter, a *answer) error {
	return decodeArray(s, func(int) error {
		var t decodedTable
		if null, err := isNullNext(s); err != nil || null {
			t.frame = data.NewFrame("")
			t.types = []string{}
			a.tables = append(a.tables, t)
			return err
		}
		if err := decodeTable(s, m, &t); err != nil {
			return err
		}
		a.tables = append(a.tables, t)
		return nil
	})
}

// decodeTable reads {"name": ..., "columns": [...], "rows": [[...], ...]}.
func decodeTable(s *scanner, m *meter, t *decodedTable) error {
	var cols []wireColumn
	var builders []column
	seenColumns, seenRows := false, false
	err := decodeObject(s, func(key []byte) error {
		switch {
		case eqFold(key, "name"):
			return decodeStringOrNull(s, &t.name)
		case eqFold(key, "columns"):
			if seenRows {
				return s.errAt(s.pos, `a table's "columns" come after its "rows": not the service's format`)
			}
			seenColumns = true
			cols = cols[:0]
			return decodeArray(s, func(int) error {
				var col wireColumn
				if null, err := isNullNext(s); err != nil || null {
					cols = append(cols, col)
					return err
				}
				err := decodeObject(s, func(key []byte) error {
					switch {
					case eqFold(key, "name"):
						return decodeStringOrNull(s, &col.Name)
					case eqFold(key, "type"):
						return decodeStringOrNull(s, &col.Type)
					}
					_, _, _, err := s.value()
					return err
				})
				cols = append(cols, col)
				return err
			})
		case eqFold(key, "rows"):
			if seenRows {
				return s.errAt(s.pos, `a table has "rows" twice`)
			}
			if !seenColumns {
				return s.errAt(s.pos, `a table's "rows" come before its "columns": not the service's format`)
			}
			seenRows = true
			builders = newColumns(cols)
			return decodeRows(s, m, t.name, cols, builders)
		}
		_, _, _, err := s.value()
		return err
	})
	if err != nil {
		return err
	}
	if !seenRows {
		builders = newColumns(cols)
	}
	f := data.NewFrame(t.name)
	t.types = make([]string, len(cols))
	for i, b := range builders {
		field, err := b.field(m, cols[i].Name)
		if err != nil {
			return err
		}
		f.Fields = append(f.Fields, field)
		t.types[i] = cols[i].Type
	}
	t.frame = f
	return nil
}

func decodeStringOrNull(s *scanner, dst *string) error {
	raw, k, f, err := s.value()
	if err != nil {
		return err
	}
	switch k {
	case kindNull:
		return nil // encoding/json leaves the field as it was
	case kindString:
		*dst = string(s.unquote(raw, f))
		return nil
	}
	return fmt.Errorf("%w: expected a string at byte %d", ErrDecode, s.offset(s.pos-len(raw)))
}

func newColumns(cols []wireColumn) []column {
	builders := make([]column, len(cols))
	for i, c := range cols {
		builders[i] = newColumn(c.Type)
	}
	return builders
}

// decodeRows reads the rows array into the builders, cell by cell.
func decodeRows(s *scanner, m *meter, table string, cols []wireColumn, builders []column) error {
	return decodeArray(s, func(r int) error {
		if null, err := isNullNext(s); err != nil || null {
			if err == nil && len(cols) > 0 {
				err = fmt.Errorf("%w: table %s: row %d has 0 values for %d columns", ErrDecode, table, r+1, len(cols))
			}
			return err
		}
		if err := s.expect('[', "a row ('[')"); err != nil {
			return err
		}
		n := 0
		more, err := s.first(']')
		for ; more && err == nil; more, err = s.next(']') {
			raw, k, f, err := s.value()
			if err != nil {
				return err
			}
			if n < len(builders) {
				if err := builders[n].add(m, s, raw, k, f); err != nil {
					if isMeterErr(err) {
						return err
					}
					return &CellError{Table: table, Column: cols[n].Name, Type: cols[n].Type, Row: r + 1, Value: truncate(string(raw), 64), Err: err}
				}
			}
			n++
		}
		if err != nil {
			return err
		}
		if n != len(cols) {
			return fmt.Errorf("%w: table %s: row %d has %d values for %d columns", ErrDecode, table, r+1, n, len(cols))
		}
		m.cells += int64(n)
		return nil
	})
}

// isMeterErr tells the meter's errors (out of budget, or the context ended while waiting for
// room) from a cell's.
func isMeterErr(err error) bool {
	var tl *TooLargeError
	return errors.As(err, &tl) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// eqFold reports whether key is name, ignoring case as encoding/json does.
func eqFold(key []byte, name string) bool {
	return strings.EqualFold(string(key), name)
}
