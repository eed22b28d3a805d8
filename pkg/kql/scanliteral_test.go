package kql

import "testing"

func TestScanLiteral(t *testing.T) {
	for _, tc := range []struct {
		src    string
		at     int
		end    int
		kind   LiteralKind
		value  string
		closed bool
	}{
		{`x == "a\"b" | y`, 5, 11, StringLiteral, `a"b`, true},
		{`'it\'s'`, 0, 7, StringLiteral, `it's`, true},
		{`"tab\there\u0041"`, 0, 17, StringLiteral, "tab\thereA", true},
		{`@"C:\temp\""x"`, 0, 14, StringLiteral, `C:\temp\"x`, true},
		{"```multi\nline``` | take 1", 0, 16, StringLiteral, "multi\nline", true},
		{"\"open\nnext", 0, 5, StringLiteral, "open", false},
		{"// $__timeFilter()\nT", 0, 18, Comment, "", true},
		{"T | take 1", 0, 0, NotLiteral, "", false},
		{"a", 5, 5, NotLiteral, "", false},
	} {
		end, kind, value, closed := ScanLiteral(tc.src, tc.at)
		if end != tc.end || kind != tc.kind || value != tc.value || closed != tc.closed {
			t.Errorf("ScanLiteral(%q, %d) = %d, %d, %q, %v; want %d, %d, %q, %v", tc.src, tc.at, end, kind, value, closed, tc.end, tc.kind, tc.value, tc.closed)
		}
	}
}

// TestScanLiteralAgreesWithTheParser: a string literal decodes to what the engine evaluates.
func TestScanLiteralAgreesWithTheParser(t *testing.T) {
	for _, lit := range []string{`"a\\b"`, `'q\'s'`, `"\n\r\t"`, `@"x""y"`, `"\u00e9t\u00e9"`, `"unknown \d escape"`} {
		_, _, value, closed := ScanLiteral(lit, 0)
		res, err := NewDatabase().Execute(t.Context(), "print v = "+lit, Options{})
		if err != nil || !closed {
			t.Fatalf("%s: %v %v", lit, err, closed)
		}
		if got := res[0].Value(0, 0); got != value {
			t.Errorf("%s: ScanLiteral %q, the engine %q", lit, value, got)
		}
	}
}
