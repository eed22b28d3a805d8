package loganalytics

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"
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

// The scan functions take the value's start (s.pos) and return its end in buf; they call more()
// when they reach s.end, which may move the data to the front of buf (then start and i shift by
// the same amount: they work relative to s.pos).

func (s *scanner) scanString(start int) (int, strFlags, error) {
	var flags strFlags
	i := start + 1 - s.pos
	for {
		for s.pos+i < s.end {
			c := s.buf[s.pos+i]
			if plain[c] {
				i++
				continue
			}
			switch {
			case c == '"':
				return s.pos + i + 1, flags, nil
			case c == '\\':
				n, err := s.scanEscape(i)
				if err != nil {
					return 0, 0, err
				}
				flags |= strEscaped
				i += n
			case c < 0x20:
				return 0, 0, s.errAt(s.pos+i, "invalid character %s in a string", quoteChar(c))
			default:
				flags |= strHigh
				i++
			}
		}
		if !s.more() {
			return 0, 0, s.fail(s.end)
		}
	}
}

// scanEscape checks the escape at s.pos+i and returns its length.
func (s *scanner) scanEscape(i int) (int, error) {
	for s.pos+i+1 >= s.end {
		if !s.more() {
			return 0, s.fail(s.end)
		}
	}
	switch c := s.buf[s.pos+i+1]; c {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, nil
	case 'u':
		for s.pos+i+6 > s.end {
			if !s.more() {
				return 0, s.fail(s.end)
			}
		}
		for _, h := range s.buf[s.pos+i+2 : s.pos+i+6] {
			if unhex(h) < 0 {
				return 0, s.errAt(s.pos+i, "invalid \\u escape in a string")
			}
		}
		return 6, nil
	default:
		return 0, s.errAt(s.pos+i+1, "invalid escape %s in a string", quoteChar(c))
	}
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return int(c - 'A' + 10)
	}
	return -1
}

// at returns the byte at s.pos+i, reading more if needed; ok is false at the end of the input.
func (s *scanner) at(i int) (byte, bool) {
	for s.pos+i >= s.end {
		if !s.more() {
			return 0, false
		}
	}
	return s.buf[s.pos+i], true
}

// scanNumber checks JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) scanNumber(start int) (int, error) {
	i := start - s.pos
	c, _ := s.at(i)
	if c == '-' {
		i++
	}
	digits := func(min1 bool) (int, error) {
		n := 0
		for {
			c, ok := s.at(i)
			if !ok || c < '0' || c > '9' {
				if min1 && n == 0 {
					if !ok {
						return 0, s.fail(s.pos + i)
					}
					return 0, s.errAt(s.pos+i, "invalid character %s in a number, expected a digit", quoteChar(c))
				}
				return n, nil
			}
			i++
			n++
		}
	}
	if c, ok := s.at(i); ok && c == '0' {
		i++
	} else if _, err := digits(true); err != nil {
		return 0, err
	}
	if c, ok := s.at(i); ok && c == '.' {
		i++
		if _, err := digits(true); err != nil {
			return 0, err
		}
	}
	if c, ok := s.at(i); ok && (c == 'e' || c == 'E') {
		i++
		if c, ok := s.at(i); ok && (c == '+' || c == '-') {
			i++
		}
		if _, err := digits(true); err != nil {
			return 0, err
		}
	}
	if s.rerr != nil {
		return 0, s.fail(s.pos + i)
	}
	return s.pos + i, nil
}

func (s *scanner) scanLiteral(start int, lit string) (int, error) {
	i := start - s.pos
	for k := 0; k < len(lit); k++ {
		c, ok := s.at(i + k)
		if !ok {
			return 0, s.fail(s.pos + i + k)
		}
		if c != lit[k] {
			return 0, s.errAt(s.pos+i+k, "invalid character %s in literal %s", quoteChar(c), lit)
		}
	}
	return s.pos + i + len(lit), nil
}

// scanComposite checks a whole object or array (a dynamic cell sent as JSON, or a part of the
// answer that is skipped), to any depth up to maxDepth.
func (s *scanner) scanComposite(start int) (int, error) {
	const maxDepth = 10000
	var stack []byte // closers
	i := start - s.pos
	for {
		c, ok := s.skipSpaceAt(&i)
		if !ok {
			return 0, s.fail(s.pos + i)
		}
		// A value is expected here.
		switch {
		case c == '{' || c == '[':
			if len(stack) >= maxDepth {
				return 0, s.errAt(s.pos+i, "values nested deeper than %d", maxDepth)
			}
			closer := byte('}')
			if c == '[' {
				closer = ']'
			}
			stack = append(stack, closer)
			i++
			c, ok = s.skipSpaceAt(&i)
			if !ok {
				return 0, s.fail(s.pos + i)
			}
			if c == closer {
				i++
				stack = stack[:len(stack)-1]
				break
			}
			if closer == '}' {
				if err := s.scanKeyAt(&i); err != nil {
					return 0, err
				}
			}
			continue
		default:
			end, err := s.scanScalarAt(i)
			if err != nil {
				return 0, err
			}
			i = end - s.pos
		}
		// After a value: a separator or closers.
		for {
			if len(stack) == 0 {
				return s.pos + i, nil
			}
			c, ok := s.skipSpaceAt(&i)
			if !ok {
				return 0, s.fail(s.pos + i)
			}
			closer := stack[len(stack)-1]
			if c == closer {
				i++
				stack = stack[:len(stack)-1]
				continue
			}
			if c != ',' {
				return 0, s.errAt(s.pos+i, "invalid character %s, expected ',' or '%c'", quoteChar(c), closer)
			}
			i++
			if closer == '}' {
				if err := s.scanKeyAt(&i); err != nil {
					return 0, err
				}
			}
			break
		}
	}
}

// skipSpaceAt skips white space from s.pos+*i and returns the byte there.
func (s *scanner) skipSpaceAt(i *int) (byte, bool) {
	for {
		c, ok := s.at(*i)
		if !ok {
			return 0, false
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			*i++
		default:
			return c, true
		}
	}
}

// scanKeyAt checks `"key" :` at s.pos+*i.
func (s *scanner) scanKeyAt(i *int) error {
	c, ok := s.skipSpaceAt(i)
	if !ok {
		return s.fail(s.pos + *i)
	}
	if c != '"' {
		return s.errAt(s.pos+*i, "invalid character %s, expected a string key", quoteChar(c))
	}
	end, _, err := s.scanString(s.pos + *i)
	if err != nil {
		return err
	}
	*i = end - s.pos
	c, ok = s.skipSpaceAt(i)
	if !ok {
		return s.fail(s.pos + *i)
	}
	if c != ':' {
		return s.errAt(s.pos+*i, "invalid character %s after an object key, expected ':'", quoteChar(c))
	}
	*i++
	return nil
}

// scanScalarAt checks a string, number or literal at s.pos+i and returns its end.
func (s *scanner) scanScalarAt(i int) (int, error) {
	c, _ := s.at(i)
	switch {
	case c == '"':
		end, _, err := s.scanString(s.pos + i)
		return end, err
	case c == '-' || (c >= '0' && c <= '9'):
		return s.scanNumber(s.pos + i)
	case c == 't':
		return s.scanLiteral(s.pos+i, "true")
	case c == 'f':
		return s.scanLiteral(s.pos+i, "false")
	case c == 'n':
		return s.scanLiteral(s.pos+i, "null")
	}
	return 0, s.errAt(s.pos+i, "invalid character %s, expected a value", quoteChar(c))
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

// unquote returns a string value's text from its raw bytes (quotes included), as encoding/json
// decodes it: escapes resolved, invalid UTF-8 and lone surrogates each replaced by U+FFFD. The
// result is a slice of raw itself when there is nothing to resolve, else of s.scratch; either way
// valid until the next call.
func (s *scanner) unquote(raw []byte, flags strFlags) []byte {
	body := raw[1 : len(raw)-1]
	if flags&strEscaped == 0 && (flags&strHigh == 0 || utf8.Valid(body)) {
		return body
	}
	out := s.scratch[:0]
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '\\':
			switch e := body[i+1]; e {
			case 'u':
				r := rune(hex4(body[i+2:]))
				i += 6
				if utf16.IsSurrogate(r) {
					if i+6 <= len(body) && body[i] == '\\' && body[i+1] == 'u' {
						if r2 := utf16.DecodeRune(r, rune(hex4(body[i+2:]))); r2 != utf8.RuneError {
							r = r2
							i += 6
						} else {
							r = utf8.RuneError
						}
					} else {
						r = utf8.RuneError
					}
				}
				out = utf8.AppendRune(out, r)
			default:
				out = append(out, unescape[e])
				i += 2
			}
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, n := utf8.DecodeRune(body[i:])
			if r == utf8.RuneError && n == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
			} else {
				out = append(out, body[i:i+n]...)
			}
			i += n
		}
	}
	s.scratch = out
	return out
}

var unescape = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

func hex4(b []byte) int {
	return unhex(b[0])<<12 | unhex(b[1])<<8 | unhex(b[2])<<4 | unhex(b[3])
}

// quoteChar shows a byte in an error message: 'x' when printable, else its hex code.
func quoteChar(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	return fmt.Sprintf("0x%02x", c)
}
