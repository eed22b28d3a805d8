package macros

import (
	"errors"
	"strings"
	"testing"
)

// FuzzExpand: Expand never panics, every error is an *Error, and text
// without "$__" comes back unchanged.
func FuzzExpand(f *testing.F) {
	for _, s := range []string{
		"T | where $__timeFilter(TimeGenerated)", "$__contains(c, 'a','b')", `$__contains(c, {a,b})`,
		`print "$__x", @'$__y', ` + "```$__z```", "$__escapeMulti('\\\\a\\b')", "$__contains(c, ('a', ['b'])", "$__",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := Expand(s, testEnv)
		if err != nil {
			var me *Error
			if !errors.As(err, &me) || !errors.Is(err, ErrMacro) {
				t.Fatalf("error %v is not an *Error", err)
			}
			return
		}
		if !strings.Contains(s, "$__") && out != s {
			t.Fatalf("Expand(%q) = %q changed text without macros", s, out)
		}
	})
}

// FuzzQuoteString: any text comes back exactly from its literal, the
// literal is one token to the lexer, and it never holds a raw line break.
func FuzzQuoteString(f *testing.F) {
	for _, s := range []string{"", `a"b`, `a'b`, `\`, "x\ny\r", "é", `"); T | take 1 //`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.ToValidUTF8(s, "\uFFFD")
		for _, lit := range []string{QuoteString(s), QuoteIdentifier(s)[1 : len(QuoteIdentifier(s))-1]} {
			if got, ok := decodeLiteral(lit); !ok || got != want {
				t.Fatalf("literal %s decodes to %q (%v), want %q", lit, got, ok, want)
			}
			if literalEnd(lit, 0) != len(lit) {
				t.Fatalf("literal %s ends early at %d", lit, literalEnd(lit, 0))
			}
			if strings.ContainsAny(lit, "\n\r") {
				t.Fatalf("literal %s holds a raw line break", lit)
			}
		}
	})
}
