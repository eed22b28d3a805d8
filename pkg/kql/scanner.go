package kql

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// scanner splits KQL text into tokens, in the manner of go/scanner: init,
// then scan() (pos, tok, lit) until tEOF. Positions are byte offsets into the
// source. Errors go to the handler and scanning goes on, so the parser sees
// every token and reports the first problem with its position.
type scanner struct {
	src  string
	off  int // next byte to read
	errh func(pos int, tok, msg string)
}

func (s *scanner) init(src string, errh func(pos int, tok, msg string)) {
	s.src, s.off, s.errh = src, 0, errh
}

// error reports a problem with the text from pos to the current offset
// (cut at a line end), or the single character at pos.
func (s *scanner) error(pos int, msg string) {
	if s.errh == nil {
		return
	}
	end := s.off
	if end <= pos {
		_, n := utf8.DecodeRuneInString(s.src[pos:])
		end = pos + max(n, 1)
	}
	end = min(end, len(s.src))
	tok := s.src[pos:end]
	if i := strings.IndexByte(tok, '\n'); i > 0 {
		tok = tok[:i]
	}
	s.errh(pos, tok, msg)
}

func (s *scanner) peek(k int) byte {
	if s.off+k < len(s.src) {
		return s.src[s.off+k]
	}
	return 0
}

func isLetter(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$'
}
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// skipSpace skips white space and // comments.
func (s *scanner) skipSpace() {
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			s.off++
		case c == '/' && s.peek(1) == '/':
			for s.off < len(s.src) && s.src[s.off] != '\n' {
				s.off++
			}
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(s.src[s.off:])
			if r != '\u00a0' && r != '\ufeff' && r != '\u2028' && r != '\u2029' {
				return
			}
			s.off += n
		default:
			return
		}
	}
}

// dashWords are the operator names written with a dash, such as
// project-away; scanning them as one identifier keeps the parser simple.
// Only these exact words join, so top-x stays a subtraction.
var dashWords = map[string]bool{
	"project-away": true, "project-rename": true, "project-keep": true, "project-reorder": true,
	"mv-expand": true, "mv-apply": true, "make-series": true, "top-nested": true, "top-hitters": true,
	"parse-where": true, "parse-kv": true,
}

// negatable are the words that form one operator with a leading "!".
var negatable = map[string]bool{
	"has": true, "has_cs": true, "contains": true, "contains_cs": true, "startswith": true,
	"startswith_cs": true, "endswith": true, "endswith_cs": true, "in": true, "between": true,
	"hasprefix": true, "hassuffix": true, "has_any": true, "has_all": true, "hasprefix_cs": true,
	"hassuffix_cs": true,
}

// typedLits are the words that start a literal whose body is raw text up to
// the matching parenthesis, e.g. datetime(2024-05-01 10:00) or long(null).
var typedLits = map[string]bool{
	"datetime": true, "time": true, "timespan": true, "guid": true, "int": true, "long": true,
	"real": true, "double": true, "bool": true, "boolean": true, "dynamic": true, "decimal": true,
}

// scan returns the next token. For tString lit is the decoded text; for
// everything else it is the source text (or the bracketed name).
func (s *scanner) scan() (pos int, tok token, lit string) {
	s.skipSpace()
	pos = s.off
	if s.off >= len(s.src) {
		return pos, tEOF, ""
	}
	c := s.src[s.off]
	switch {
	case isLetter(c):
		return s.scanWord(pos)
	case isDigit(c):
		return s.scanNumber(pos)
	}
	s.off++
	switch c {
	case '"', '\'':
		return pos, tString, s.scanString(pos, c)
	case '@':
		if q := s.peek(0); q == '"' || q == '\'' {
			s.off++
			return pos, tString, s.scanVerbatim(pos, q)
		}
	case '`':
		if strings.HasPrefix(s.src[s.off:], "``") {
			s.off += 2
			end := strings.Index(s.src[s.off:], "```")
			if end < 0 {
				s.error(pos, "unterminated multi-line string")
				s.off = len(s.src)
				return pos, tString, ""
			}
			lit = s.src[s.off : s.off+end]
			s.off += end + 3
			return pos, tString, lit
		}
	case '[':
		if q := s.peek(0); q == '"' || q == '\'' || (q == '@' && (s.peek(1) == '"' || s.peek(1) == '\'')) {
			var name string
			if q == '@' {
				s.off += 2
				name = s.scanVerbatim(pos, s.src[s.off-1])
			} else {
				s.off++
				name = s.scanString(pos, q)
			}
			if s.peek(0) != ']' {
				s.error(s.off, "expected ']' after bracketed name")
			} else {
				s.off++
			}
			return pos, tIdent, name
		}
		return pos, tLBrack, "["
	case ']':
		return pos, tRBrack, "]"
	case '|':
		return pos, tPipe, "|"
	case ',':
		return pos, tComma, ","
	case ';':
		return pos, tSemi, ";"
	case '(':
		return pos, tLParen, "("
	case ')':
		return pos, tRParen, ")"
	case ':':
		return pos, tColon, ":"
	case '+':
		return pos, tPlus, "+"
	case '-':
		return pos, tMinus, "-"
	case '*':
		return pos, tStar, "*"
	case '/':
		return pos, tSlash, "/"
	case '%':
		return pos, tPercent, "%"
	case '.':
		if s.peek(0) == '.' {
			s.off++
			return pos, tDotDot, ".."
		}
		return pos, tDot, "."
	case '=':
		switch s.peek(0) {
		case '=':
			s.off++
			return pos, tEq, "=="
		case '~':
			s.off++
			return pos, tEqTilde, "=~"
		}
		return pos, tAssign, "="
	case '<':
		switch s.peek(0) {
		case '=':
			s.off++
			return pos, tLeq, "<="
		case '>':
			s.off++
			return pos, tNeq, "<>"
		}
		return pos, tLt, "<"
	case '>':
		if s.peek(0) == '=' {
			s.off++
			return pos, tGeq, ">="
		}
		return pos, tGt, ">"
	case '!':
		switch s.peek(0) {
		case '=':
			s.off++
			return pos, tNeq, "!="
		case '~':
			s.off++
			return pos, tNeqTilde, "!~"
		}
		if isLetter(s.peek(0)) {
			start := s.off
			end := start
			for end < len(s.src) && (isLetter(s.src[end]) || isDigit(s.src[end])) {
				end++
			}
			if w := s.src[start:end]; negatable[w] {
				s.off = end
				if w == "in" && s.peek(0) == '~' {
					s.off++
				}
				return pos, tIdent, s.src[pos:s.off]
			}
		}
		return pos, tBang, "!"
	}
	// An illegal character: report it and skip the whole rune.
	s.off = pos
	_, n := utf8.DecodeRuneInString(s.src[s.off:])
	s.off += n
	lit = s.src[pos:s.off]
	s.error(pos, "unexpected character "+strconv.Quote(lit))
	return pos, tIllegal, lit
}

func (s *scanner) scanWord(pos int) (int, token, string) {
	for s.off < len(s.src) && (isLetter(s.src[s.off]) || isDigit(s.src[s.off])) {
		s.off++
	}
	w := s.src[pos:s.off]
	switch {
	case w == "in" && s.peek(0) == '~':
		s.off++
		return pos, tIdent, "in~"
	case (w == "h" || w == "H") && (s.peek(0) == '"' || s.peek(0) == '\''):
		// h"..." is an obfuscated string: the same text, hidden from logs.
		s.off++
		return pos, tString, s.scanString(pos, s.src[s.off-1])
	case (w == "h" || w == "H") && s.peek(0) == '@' && (s.peek(1) == '"' || s.peek(1) == '\''):
		s.off += 2
		return pos, tString, s.scanVerbatim(pos, s.src[s.off-1])
	case s.peek(0) == '-' && isLetter(s.peek(1)):
		end := s.off + 1
		for end < len(s.src) && (isLetter(s.src[end]) || isDigit(s.src[end])) {
			end++
		}
		if dashWords[s.src[pos:end]] {
			s.off = end
			return pos, tIdent, s.src[pos:end]
		}
	case typedLits[w]:
		save := s.off
		s.skipSpace()
		if s.peek(0) == '(' {
			open := s.off
			s.off++
			if s.skipBalanced(pos) {
				return pos, tTyped, w + s.src[open:s.off]
			}
			return pos, tIllegal, s.src[pos:s.off]
		}
		s.off = save
	}
	return pos, tIdent, w
}

// skipBalanced moves past the parenthesis that matches the one at open,
// stepping over quoted strings.
func (s *scanner) skipBalanced(start int) bool {
	depth := 1
	for s.off < len(s.src) {
		c := s.src[s.off]
		s.off++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return true
			}
		case '"', '\'':
			save := s.errh
			s.errh = nil // reported below as one unterminated literal
			s.scanString(s.off-1, c)
			s.errh = save
		}
	}
	s.error(start, "unterminated literal: missing ')'")
	return false
}

// timespanUnits maps Kusto's timespan suffixes to 100 ns ticks.
var timespanUnits = map[string]float64{
	"d": 864e9, "day": 864e9, "days": 864e9,
	"h": 36e9, "hr": 36e9, "hrs": 36e9, "hour": 36e9, "hours": 36e9,
	"m": 6e8, "min": 6e8, "minute": 6e8, "minutes": 6e8,
	"s": 1e7, "sec": 1e7, "second": 1e7, "seconds": 1e7,
	"ms": 1e4, "milli": 1e4, "millis": 1e4, "millisecond": 1e4, "milliseconds": 1e4,
	"microsecond": 10, "microseconds": 10, "tick": 1, "ticks": 1,
}

func (s *scanner) scanNumber(pos int) (int, token, string) {
	tok := tInt
	if s.src[s.off] == '0' && (s.peek(1) == 'x' || s.peek(1) == 'X') {
		s.off += 2
		for s.off < len(s.src) && strings.IndexByte("0123456789abcdefABCDEF", s.src[s.off]) >= 0 {
			s.off++
		}
		return pos, tInt, s.src[pos:s.off]
	}
	for s.off < len(s.src) && isDigit(s.src[s.off]) {
		s.off++
	}
	if s.peek(0) == '.' && isDigit(s.peek(1)) {
		tok = tReal
		s.off++
		for s.off < len(s.src) && isDigit(s.src[s.off]) {
			s.off++
		}
	}
	if c := s.peek(0); (c == 'e' || c == 'E') && (isDigit(s.peek(1)) || (s.peek(1) == '-' || s.peek(1) == '+') && isDigit(s.peek(2))) {
		tok = tReal
		s.off += 2
		for s.off < len(s.src) && isDigit(s.src[s.off]) {
			s.off++
		}
	}
	if isLetter(s.peek(0)) {
		start := s.off
		for s.off < len(s.src) && (isLetter(s.src[s.off]) || isDigit(s.src[s.off])) {
			s.off++
		}
		if _, ok := timespanUnits[s.src[start:s.off]]; ok {
			return pos, tTimespan, s.src[pos:s.off]
		}
		s.error(pos, "invalid number or timespan "+strconv.Quote(s.src[pos:s.off]))
		return pos, tIllegal, s.src[pos:s.off]
	}
	return pos, tok, s.src[pos:s.off]
}

// scanString scans the rest of a quoted string whose opening quote q has
// been consumed, decoding Kusto's backslash escapes. Unknown escapes are kept
// as written, which is what users of regex patterns in plain strings expect.
func (s *scanner) scanString(pos int, q byte) string {
	var b strings.Builder
	start := s.off
	plain := true
	for {
		if s.off >= len(s.src) || s.src[s.off] == '\n' {
			s.error(pos, "unterminated string literal")
			return s.src[start:s.off]
		}
		c := s.src[s.off]
		if c == q {
			s.off++
			if plain {
				return s.src[start : s.off-1]
			}
			return b.String()
		}
		if c != '\\' {
			if !plain {
				b.WriteByte(c)
			}
			s.off++
			continue
		}
		if plain {
			plain = false
			b.WriteString(s.src[start:s.off])
		}
		s.off++
		if s.off >= len(s.src) {
			continue
		}
		e := s.src[s.off]
		s.off++
		switch e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '0':
			b.WriteByte(0)
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case '\\', '"', '\'':
			b.WriteByte(e)
		case 'u':
			if s.off+4 <= len(s.src) {
				if r, err := strconv.ParseUint(s.src[s.off:s.off+4], 16, 32); err == nil {
					b.WriteRune(rune(r))
					s.off += 4
					continue
				}
			}
			b.WriteString(`\u`)
		default:
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
}

// scanVerbatim scans the rest of @"..." (opening quote consumed): no escapes,
// a doubled quote stands for one.
func (s *scanner) scanVerbatim(pos int, q byte) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s.src[s.off:], q)
		if i < 0 {
			s.error(pos, "unterminated verbatim string literal")
			b.WriteString(s.src[s.off:])
			s.off = len(s.src)
			return b.String()
		}
		b.WriteString(s.src[s.off : s.off+i])
		s.off += i + 1
		if s.peek(0) != q {
			return b.String()
		}
		b.WriteByte(q)
		s.off++
	}
}
