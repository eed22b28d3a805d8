package kql

import "strings"

// LiteralKind is what ScanLiteral found.
type LiteralKind int

const (
	// NotLiteral: no string literal or comment starts there.
	NotLiteral LiteralKind = iota
	// StringLiteral: '...', "...", @'...', @"..." or ```...```.
	StringLiteral
	// Comment: // to the end of the line.
	Comment
)

// ScanLiteral reads the string literal or comment that starts at src[i] exactly as the engine's
// scanner reads it, for code that rewrites KQL text without parsing it (the plugin's macros must
// step over "$__" inside strings and comments, and decode a literal argument). end is the offset
// just past it; for a string literal, value is its decoded text and closed reports whether its
// closing quote was found (an unterminated regular literal stops at the line's end). Sharing the
// scanner means one set of escape rules: what the engine decodes is what the macros decode.
func ScanLiteral(src string, i int) (end int, kind LiteralKind, value string, closed bool) {
	if i < 0 || i >= len(src) {
		return i, NotLiteral, "", false
	}
	s := &scanner{src: src, off: i + 1}
	failed := false
	s.errh = func(int, string, string) { failed = true }
	switch c := src[i]; {
	case c == '/' && strings.HasPrefix(src[i:], "//"):
		end = len(src)
		if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
			end = i + j
		}
		return end, Comment, "", true
	case c == '"' || c == '\'':
		value = s.scanString(i, c)
	case c == '@' && i+1 < len(src) && (src[i+1] == '"' || src[i+1] == '\''):
		s.off++
		value = s.scanVerbatim(i, src[i+1])
	case c == '`' && strings.HasPrefix(src[i:], "```"):
		j := strings.Index(src[i+3:], "```")
		if j < 0 {
			return len(src), StringLiteral, src[i+3:], false
		}
		return i + 3 + j + 3, StringLiteral, src[i+3 : i+3+j], true
	default:
		return i, NotLiteral, "", false
	}
	return s.off, StringLiteral, value, !failed
}
