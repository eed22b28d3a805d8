package loganalytics

import (
	"errors"
	"fmt"
)

// rowScanner walks the rows array of a table, [[cell, ...], ...], handing
// out each cell as a sub-slice of the buffer: no per-cell copy or
// allocation, which matters at the service's 500,000-row limit. The buffer
// has already been checked as valid JSON by the decoding of the whole
// answer, so the scanner only has to find boundaries; it still never reads
// out of bounds and reports any structure it does not expect.
type rowScanner struct {
	b []byte
	i int
}

var errRowsShape = errors.New("rows is not an array of arrays")

func (s *rowScanner) skipSpace() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (s *rowScanner) peek() byte {
	s.skipSpace()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *rowScanner) expect(c byte) error {
	if s.peek() != c {
		return fmt.Errorf("%w: expected %q at offset %d", errRowsShape, c, s.i)
	}
	s.i++
	return nil
}

// more consumes a separating comma and reports whether another element
// follows before the closer.
func (s *rowScanner) more(first bool, closer byte) (bool, error) {
	c := s.peek()
	if c == closer {
		return false, nil
	}
	if !first {
		if c != ',' {
			return false, fmt.Errorf("%w: expected ',' or %q at offset %d", errRowsShape, closer, s.i)
		}
		s.i++
	}
	return true, nil
}

// value returns the next JSON value.
func (s *rowScanner) value() ([]byte, error) {
	s.skipSpace()
	start := s.i
	depth := 0
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			for s.i < len(s.b) && s.b[s.i] != '"' {
				if s.b[s.i] == '\\' {
					s.i++
				}
				s.i++
			}
			if s.i >= len(s.b) {
				return nil, fmt.Errorf("%w: unterminated string", errRowsShape)
			}
			s.i++
		case c == '[' || c == '{':
			depth++
			s.i++
		case c == ']' || c == '}':
			if depth == 0 {
				return s.cut(start)
			}
			depth--
			s.i++
		case c == ',' && depth == 0:
			return s.cut(start)
		default:
			s.i++
		}
		if depth == 0 && s.i > start && (c == '"' || c == ']' || c == '}') {
			return s.cut(start)
		}
	}
	return s.cut(start)
}

func (s *rowScanner) cut(start int) ([]byte, error) {
	v := trimSpace(s.b[start:s.i])
	if len(v) == 0 {
		return nil, fmt.Errorf("%w: missing value at offset %d", errRowsShape, start)
	}
	return v, nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// scanRows calls cell for every cell of a rows array and endRow after each
// row with its number of cells; r and c are 0-based. Either callback's error
// stops the scan and is returned as is; a malformed array gives an error
// wrapping errRowsShape that names the row.
func scanRows(rows []byte, cell func(r, c int, v []byte) error, endRow func(r, n int) error) error {
	s := &rowScanner{b: rows}
	if err := s.expect('['); err != nil {
		return err
	}
	for r := 0; ; r++ {
		ok, err := s.more(r == 0, ']')
		if err != nil {
			return fmt.Errorf("after row %d: %w", r, err)
		}
		if !ok {
			return nil
		}
		if err := s.expect('['); err != nil {
			return fmt.Errorf("row %d: %w", r+1, err)
		}
		c := 0
		for ; ; c++ {
			ok, err := s.more(c == 0, ']')
			if err != nil {
				return fmt.Errorf("row %d: %w", r+1, err)
			}
			if !ok {
				break
			}
			v, err := s.value()
			if err != nil {
				return fmt.Errorf("row %d: %w", r+1, err)
			}
			if err := cell(r, c, v); err != nil {
				return err
			}
		}
		s.i++ // the row's ']'
		if err := endRow(r, c); err != nil {
			return err
		}
	}
}
