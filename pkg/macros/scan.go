package macros

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The helpers below know just enough KQL lexing to step over the places
// where "$__" is not a macro: string literals and comments.

// isIdentByte reports whether c may continue a macro name.
func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// literalEnd returns the offset just past the string literal or comment that
// starts at src[i], or -1 when nothing of the kind starts there. An
// unterminated literal runs to the end of its line (regular literals cannot
// span lines) or of the text; the service reports the syntax error itself.
func literalEnd(src string, i int) int {
	c := src[i]
	switch {
	case c == '/' && strings.HasPrefix(src[i:], "//"):
		return lineEnd(src, i)
	case c == '`' && strings.HasPrefix(src[i:], "```"):
		if j := strings.Index(src[i+3:], "```"); j >= 0 {
			return i + 3 + j + 3
		}
		return len(src)
	case c == '"' || c == '\'':
		return regularEnd(src, i)
	case c == '@' && i+1 < len(src) && (src[i+1] == '"' || src[i+1] == '\''):
		return verbatimEnd(src, i+1)
	}
	return -1
}

func lineEnd(src string, i int) int {
	if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(src)
}

// regularEnd scans "..." or '...' where a backslash escapes the next byte.
func regularEnd(src string, i int) int {
	end, _ := regularClose(src, i)
	return end
}

// regularClose returns the offset just past the literal starting at src[i]
// and whether its closing quote was found (an unterminated literal stops at
// the line's end).
func regularClose(src string, i int) (int, bool) {
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case q:
			return j + 1, true
		case '\n':
			return j, false
		}
	}
	return len(src), false
}

// verbatimEnd scans the quoted part of @"..." or @'...', where the quote is
// escaped by doubling it and a backslash stands for itself.
func verbatimEnd(src string, i int) int {
	end, _ := verbatimClose(src, i)
	return end
}

func verbatimClose(src string, i int) (int, bool) {
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case q:
			if j+1 < len(src) && src[j+1] == q {
				j++
				continue
			}
			return j + 1, true
		case '\n':
			return j, false
		}
	}
	return len(src), false
}

// decodeLiteral decodes text when all of it is one KQL string literal
// ('...', "...", @'...', @"...", optionally prefixed h/H for obfuscated
// literals) and reports whether it was.
func decodeLiteral(text string) (string, bool) {
	if len(text) > 0 && (text[0] == 'h' || text[0] == 'H') {
		text = text[1:]
	}
	if len(text) < 2 {
		return "", false
	}
	if text[0] == '@' {
		q := text[1]
		if q != '"' && q != '\'' {
			return "", false
		}
		if end, closed := verbatimClose(text, 1); !closed || end != len(text) {
			return "", false
		}
		body := text[2 : len(text)-1]
		return strings.ReplaceAll(body, string([]byte{q, q}), string(q)), true
	}
	q := text[0]
	if q != '"' && q != '\'' {
		return "", false
	}
	if end, closed := regularClose(text, 0); !closed || end != len(text) {
		return "", false
	}
	var b strings.Builder
	body := text[1 : len(text)-1]
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 == len(body) {
			b.WriteByte(c)
			continue
		}
		i++
		switch body[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		default: // \\, \", \' and anything else stand for the escaped character
			b.WriteByte(body[i])
		}
	}
	return b.String(), true
}

// isPlainIdentifier reports whether name can be written without brackets:
// a letter or underscore, then letters, digits or underscores.
func isPlainIdentifier(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		if r == utf8.RuneError {
			return false
		}
		if r == '_' || unicode.IsLetter(r) || (i > 0 && unicode.IsDigit(r)) {
			continue
		}
		return false
	}
	return true
}
