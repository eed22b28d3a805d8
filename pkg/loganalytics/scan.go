package loganalytics

import (
	"errors"
	"fmt"
	"io"
)

// scanner reads JSON from a stream, one value at a time, straight out of its own buffer: the
// bytes of a value stay valid until the next call, and nothing is copied or allocated per value.
// It validates everything it passes over (RFC 8259 grammar, string escapes, control characters),
// so a malformed answer fails with its byte offset. It knows nothing of Log Analytics; decode.go
// walks the answer with it.
type scanner struct {
	r    io.Reader
	buf  []byte
	pos  int   // next unread byte in buf
	end  int   // bytes of buf holding data
	base int64 // stream offset of buf[0]
	eof  bool
	rerr error // a read error other than io.EOF

	// grow is asked before the buffer grows past its first size, for one value longer than
	// the buffer (a long dynamic cell); it returns an error to refuse.
	grow func(extra int) error

	scratch []byte // unquoted strings that had escapes
}

// valueKind is what a value starts with.
type valueKind uint8

const (
	kindString valueKind = iota + 1
	kindNumber
	kindTrue
	kindFalse
	kindNull
	kindObject
	kindArray
)

const (
	scanBufSize  = 64 << 10
	maxValueSize = 64 << 20 // the service's whole result is capped at about 64 MB
)

// syntaxError is a malformed answer, at a byte offset of the (decompressed) body.
type syntaxError struct {
	offset int64
	msg    string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("%s at byte %d", e.msg, e.offset) }

func newScanner(r io.Reader) *scanner {
	return &scanner{r: r, buf: make([]byte, scanBufSize)}
}

// offset is the stream offset of buf[i].
func (s *scanner) offset(i int) int64 { return s.base + int64(i) }

func (s *scanner) errAt(i int, format string, args ...any) error {
	return &syntaxError{offset: s.offset(i), msg: fmt.Sprintf(format, args...)}
}

// more reads more data, keeping buf[s.pos:s.end]; it reports false at the end of the stream (or
// on a read error, kept in s.rerr).
func (s *scanner) more() bool {
	if s.eof || s.rerr != nil {
		return false
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.base += int64(s.pos)
		s.pos, s.end = 0, n
	}
	if s.end == len(s.buf) {
		extra := len(s.buf)
		if len(s.buf)+extra > maxValueSize {
			s.rerr = s.errAt(s.end, "a single value longer than %d MiB", maxValueSize>>20)
			return false
		}
		if s.grow != nil {
			if err := s.grow(extra); err != nil {
				s.rerr = err
				return false
			}
		}
		nb := make([]byte, len(s.buf)+extra)
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err == io.EOF {
			s.eof = true
			return n > 0
		}
		if err != nil {
			s.rerr = err
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

// fail is the error for running out of input at buf[i]: the read error, or a truncated answer.
func (s *scanner) fail(i int) error {
	if s.rerr != nil {
		var se *syntaxError
		if errors.As(s.rerr, &se) {
			return s.rerr
		}
		return fmt.Errorf("reading the answer at byte %d: %w", s.offset(i), s.rerr)
	}
	return s.errAt(i, "the answer ends early (truncated)")
}

// peek skips white space and returns the next byte without consuming it; ok is false at the end.
func (s *scanner) peek() (byte, bool) {
	for {
		for s.pos < s.end {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\n', '\r':
				s.pos++
			default:
				return c, true
			}
		}
		if !s.more() {
			return 0, false
		}
	}
}

// expect consumes byte c after white space.
func (s *scanner) expect(c byte, what string) error {
	got, ok := s.peek()
	if !ok {
		return s.fail(s.pos)
	}
	if got != c {
		return s.errAt(s.pos, "invalid character %s, expected %s", quoteChar(got), what)
	}
	s.pos++
	return nil
}

// next consumes a ',' and reports true, or consumes closer and reports false.
func (s *scanner) next(closer byte) (bool, error) {
	c, ok := s.peek()
	if !ok {
		return false, s.fail(s.pos)
	}
	switch c {
	case ',':
		s.pos++
		return true, nil
	case closer:
		s.pos++
		return false, nil
	}
	return false, s.errAt(s.pos, "invalid character %s, expected ',' or '%c'", quoteChar(c), closer)
}

// first is next for the first element: it consumes closer (an empty container) or nothing.
func (s *scanner) first(closer byte) (bool, error) {
	c, ok := s.peek()
	if !ok {
		return false, s.fail(s.pos)
	}
	if c == closer {
		s.pos++
		return false, nil
	}
	return true, nil
}

// strFlags say what a string's raw bytes hold.
type strFlags uint8

const (
	strEscaped strFlags = 1 << iota // has a backslash escape
	strHigh                         // has a byte >= 0x80
)

// plain[c] is true for string bytes that need no attention.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// value consumes the next value and returns its raw bytes (a slice of the buffer, valid until the
// next call) and kind; for strings also what the bytes hold.
func (s *scanner) value() ([]byte, valueKind, strFlags, error) {
	c, ok := s.peek()
	if !ok {
		return nil, 0, 0, s.fail(s.pos)
	}
	start := s.pos
	var end int
	var kind valueKind
	var flags strFlags
	var err error
	switch {
	case c == '"':
		kind = kindString
		end, flags, err = s.scanString(start)
	case c == '-' || (c >= '0' && c <= '9'):
		kind = kindNumber
		end, err = s.scanNumber(start)
	case c == 't':
		kind = kindTrue
		end, err = s.scanLiteral(start, "true")
	case c == 'f':
		kind = kindFalse
		end, err = s.scanLiteral(start, "false")
	case c == 'n':
		kind = kindNull
		end, err = s.scanLiteral(start, "null")
	case c == '{' || c == '[':
		kind = kindObject
		if c == '[' {
			kind = kindArray
		}
		end, err = s.scanComposite(start)
	default:
		return nil, 0, 0, s.errAt(start, "invalid character %s, expected a value", quoteChar(c))
	}
	if err != nil {
		return nil, 0, 0, err
	}
	// scan* may have moved the data (more): start is now s.pos.
	raw := s.buf[s.pos:end]
	s.pos = end
	return raw, kind, flags, nil
}

// atEnd checks that only white space follows the answer.
func (s *scanner) atEnd() error {
	c, ok := s.peek()
	if ok {
		return s.errAt(s.pos, "invalid character %s after the answer", quoteChar(c))
	}
	if s.rerr != nil {
		return s.fail(s.pos)
	}
	return nil
}

// quoteChar shows a byte in an error message: 'x' when printable, else its hex code.
func quoteChar(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	return fmt.Sprintf("0x%02x", c)
}
