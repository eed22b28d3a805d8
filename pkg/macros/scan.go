package macros

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
)

// isIdentByte reports whether c may continue a macro name.
func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// literalEnd returns the offset just past the string literal or comment that starts at src[i], or
// -1 when nothing of the kind starts there; kql.ScanLiteral knows the rules.
func literalEnd(src string, i int) int {
	end, kind, _, _ := kql.ScanLiteral(src, i)
	if kind == kql.NotLiteral {
		return -1
	}
	return end
}

// decodeLiteral decodes text when all of it is one KQL string literal ('...', "...", @'...',
// @"...", optionally prefixed h/H for obfuscated literals) and reports whether it was.
func decodeLiteral(text string) (string, bool) {
	if len(text) > 0 && (text[0] == 'h' || text[0] == 'H') {
		text = text[1:]
	}
	end, kind, value, closed := kql.ScanLiteral(text, 0)
	if kind != kql.StringLiteral || !closed || end != len(text) || strings.HasPrefix(text, "`") {
		return "", false
	}
	return value, true
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
