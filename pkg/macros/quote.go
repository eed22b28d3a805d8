package macros

import (
	"strings"
)

// QuoteString returns s as a double-quoted KQL string literal that the
// service decodes back to exactly s. KQL only defines the escapes \\, \",
// \', \t, \n and \r inside regular literals (a raw newline or carriage return
// would end the literal and is rejected by the parser), so those characters
// are escaped and every other character is copied as is. Invalid UTF-8 is
// replaced by U+FFFD, which is what the service would store anyway.
func QuoteString(s string) string {
	return quote(s, '"')
}

// QuoteIdentifier returns name as a bracketed KQL identifier, ['name'],
// which is valid for any column or table name, including names with spaces,
// quotes or reserved words.
func QuoteIdentifier(name string) string {
	return "[" + quote(name, '\'') + "]"
}

// quote writes s as a regular KQL string literal delimited by q.
func quote(s string, q byte) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(q)
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\'':
			b.WriteString(`\'`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}
