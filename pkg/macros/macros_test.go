package macros

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var testEnv = Env{
	From:     time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
	To:       time.Date(2024, 5, 2, 12, 30, 0, 500_000_000, time.FixedZone("CEST", 2*3600)),
	Interval: 30 * time.Second,
}

const (
	from = "datetime(2024-05-01T00:00:00Z)"
	to   = "datetime(2024-05-02T10:30:00.5Z)"
)

func TestExpand(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"no macros", "T | take 10", "T | take 10"},
		{"timeFilter default column", "T | where $__timeFilter()",
			"T | where ['TimeGenerated'] >= " + from + " and ['TimeGenerated'] <= " + to},
		{"timeFilter without parens", "T | where $__timeFilter",
			"T | where ['TimeGenerated'] >= " + from + " and ['TimeGenerated'] <= " + to},
		{"timeFilter column", "T | where $__timeFilter( Timestamp )",
			"T | where ['Timestamp'] >= " + from + " and ['Timestamp'] <= " + to},
		{"timeFilter bracketed column with space", "$__timeFilter(['Time Generated'])",
			"['Time Generated'] >= " + from + " and ['Time Generated'] <= " + to},
		{"timeFilter bracketed column with quote is re-escaped", `$__timeFilter(["it's"])`,
			`['it\'s'] >= ` + from + ` and ['it\'s'] <= ` + to},
		{"timeFrom and timeTo", "print a=$__timeFrom, b=$__timeTo()", "print a=" + from + ", b=" + to},
		{"interval", "summarize count() by bin(TimeGenerated, $__interval)", "summarize count() by bin(TimeGenerated, 30s)"},
		{"interval_ms", "print $__interval_ms", "print 30000"},
		{"contains single-quoted values", "where $__contains(DeviceName, 'a','b')", `where ['DeviceName'] in ("a", "b")`},
		{"contains double-quoted values", `where $__contains(DeviceName, "a", "b")`, `where ['DeviceName'] in ("a", "b")`},
		{"contains bare single value", "where $__contains(DeviceName, val1)", `where ['DeviceName'] in ("val1")`},
		{"contains glob", "where $__contains(DeviceName, {a,b c})", `where ['DeviceName'] in ("a", "b c")`},
		{"contains parenthesised list", "where $__contains(DeviceName, ('a', 'b'))", `where ['DeviceName'] in ("a", "b")`},
		{"contains values with parens", "where $__contains(col, 'test (with parentheses)','x')",
			`where ['col'] in ("test (with parentheses)", "x")`},
		{"contains value with comma", "where $__contains(col, 'a,b')", `where ['col'] in ("a,b")`},
		{"contains all", "where $__contains(DeviceName, all)", "where 1 == 1"},
		{"contains All", "where $__contains(DeviceName, All)", "where 1 == 1"},
		{"contains $__all", "where $__contains(DeviceName, $__all)", "where 1 == 1"},
		{"contains quoted 'all' is a value", "where $__contains(DeviceName, 'all')", `where ['DeviceName'] in ("all")`},
		{"contains nothing selected", "where $__contains(DeviceName, {})", "where 1 == 0"},
		{"two contains on one line", "where $__contains(a, 'x') | where $__contains(b, 'y (z)')",
			`where ['a'] in ("x") | where ['b'] in ("y (z)")`},
		{"contains escaped quote in value", `where $__contains(c, 'it\'s')`, `where ['c'] in ("it\'s")`},
		{"contains verbatim value", `where $__contains(c, @'C:\temp')`, `where ['c'] in ("C:\\temp")`},
		{"escapeMulti", `CounterPath in ($__escapeMulti('\\grafana-vm\Network(eth0)\Total','x'))`,
			`CounterPath in ("\\\\grafana-vm\\Network(eth0)\\Total", "x")`},
		{"macro in double-quoted string untouched", `print "$__timeFrom $__nope("`, `print "$__timeFrom $__nope("`},
		{"macro in single-quoted string untouched", `print '$__timeFrom \' $__nope('`, `print '$__timeFrom \' $__nope('`},
		{"macro in verbatim string untouched", `print @"$__nope(", x=$__interval`, `print @"$__nope(", x=30s`},
		{"verbatim backslash does not escape", `print @"C:\", $__interval`, `print @"C:\", 30s`},
		{"macro in verbatim string with doubled quote", `print @'it''s $__nope(', $__interval`, `print @'it''s $__nope(', 30s`},
		{"macro in multi-line string untouched", "print ```a\n$__nope(\n```, $__interval", "print ```a\n$__nope(\n```, 30s"},
		{"macro in comment untouched", "T // $__nope( here\n| take $__interval_ms", "T // $__nope( here\n| take 30000"},
		{"bracketed identifier untouched", "T | project ['$__nope']", "T | project ['$__nope']"},
		{"join $left and $right untouched", "T | join (U) on $left.a == $right.b", "T | join (U) on $left.a == $right.b"},
		{"multibyte text kept", "print 'é', $__interval", "print 'é', 30s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Expand(tt.in, testEnv)
			if err != nil {
				t.Fatalf("Expand(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Expand(%q)\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestExpandErrors(t *testing.T) {
	tests := []struct {
		name, in  string
		env       Env
		unknown   bool
		wantParts []string // substrings the message must contain
	}{
		{"unknown macro with paren", "T | where $__timeFiltre(x)", testEnv, true,
			[]string{"$__timeFiltre", "line 1, column 11", "unknown macro", "$__timeFilter", "$__contains", "$__interval"}},
		{"unknown macro without paren", "T\n| take $__foo", testEnv, true, []string{"$__foo", "line 2, column 8"}},
		{"unbalanced parens", "T | where $__contains(col, ('a', 'b')", testEnv, false,
			[]string{"$__contains", "unbalanced", "never closed"}},
		{"unclosed paren at end", "$__timeFilter(", testEnv, false, []string{"$__timeFilter", "never closed"}},
		{"mismatched bracket", "$__contains(col, ['a')", testEnv, false, []string{"unexpected \")\""}},
		{"string hides the closer", "$__contains(col, 'a)", testEnv, false, []string{"never closed"}},
		{"timeFilter two args", "$__timeFilter(a, b)", testEnv, false, []string{"at most one argument"}},
		{"timeFilter expression column", "$__timeFilter(todatetime(x))", testEnv, false, []string{"is not a column name"}},
		{"timeFilter column injection", "$__timeFilter(a or 1 == 1)", testEnv, false, []string{"is not a column name"}},
		{"timeFrom with args", "$__timeFrom(x)", testEnv, false, []string{"takes no arguments"}},
		{"no time range", "$__timeFilter()", Env{Interval: time.Second}, false, []string{"time range"}},
		{"no interval", "$__interval", Env{From: testEnv.From, To: testEnv.To}, false, []string{"interval"}},
		{"contains without values", "$__contains(col)", testEnv, false, []string{"needs a column and the values"}},
		{"escapeMulti without values", "$__escapeMulti()", testEnv, false, []string{"needs the values"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Expand(tt.in, tt.env)
			if err == nil {
				t.Fatalf("Expand(%q) = %q, want an error", tt.in, got)
			}
			if !errors.Is(err, ErrMacro) {
				t.Errorf("error %v does not wrap ErrMacro", err)
			}
			if errors.Is(err, ErrUnknownMacro) != tt.unknown {
				t.Errorf("errors.Is(err, ErrUnknownMacro) = %v, want %v", !tt.unknown, tt.unknown)
			}
			var me *Error
			if !errors.As(err, &me) || me.Line < 1 || me.Column < 1 {
				t.Errorf("error %#v is not an *Error with a position", err)
			}
			for _, p := range tt.wantParts {
				if !strings.Contains(err.Error(), p) {
					t.Errorf("error %q does not contain %q", err, p)
				}
			}
		})
	}
}

// Values that try to end the literal they are placed in must come out as
// data: the expanded query holds exactly one `in (...)` with each value
// decoding back to what was given.
func TestContainsInjection(t *testing.T) {
	tests := []struct {
		name, arg string
		want      []string
	}{
		{"double quote", `'a") | take 1 //'`, []string{`a") | take 1 //`}},
		{"single quote", `"a') or 1==1"`, []string{`a') or 1==1`}},
		{"backslash at end", `'a\\'`, []string{`a\`}},
		{"newline escape", `'a\nb'`, []string{"a\nb"}},
		{"glob", `{a\b,c d}`, []string{`a\b`, `c d`}},
		{"bare with backslash", `C:\temp\`, []string{`C:\temp\`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Expand("$__contains(col, "+tt.arg+")", testEnv)
			if err != nil {
				t.Fatalf("Expand: %v", err)
			}
			prefix := "['col'] in ("
			if !strings.HasPrefix(got, prefix) || !strings.HasSuffix(got, ")") {
				t.Fatalf("got %s", got)
			}
			// Read the list back with the package's own lexer: it must hold
			// exactly the given values, each one literal.
			items, end, err := splitArgs(got[len(prefix)-1:], 0, "test")
			if err != nil || end != len(got)-len(prefix)+1 {
				t.Fatalf("expanded list %s does not lex as one list: %v", got, err)
			}
			if len(items) != len(tt.want) {
				t.Fatalf("got %d items %q, want %q", len(items), items, tt.want)
			}
			for i, it := range items {
				v, ok := decodeLiteral(strings.TrimSpace(it))
				if !ok || v != tt.want[i] {
					t.Errorf("item %d: %s decodes to %q (literal %v), want %q", i, it, v, ok, tt.want[i])
				}
			}
		})
	}
}

func TestQuoteString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"plain", `"plain"`},
		{`a"b`, `"a\"b"`},
		{`a'b`, `"a\'b"`},
		{`a\b`, `"a\\b"`},
		{"a\nb\r\tc", `"a\nb\r\tc"`},
		{"é✓", `"é✓"`},
		{"bad\xffutf8", "\"bad\uFFFDutf8\""},
	}
	for _, tt := range tests {
		if got := QuoteString(tt.in); got != tt.want {
			t.Errorf("QuoteString(%q) = %s, want %s", tt.in, got, tt.want)
		}
		if tt.in != "bad\xffutf8" {
			if back, ok := decodeLiteral(QuoteString(tt.in)); !ok || back != tt.in {
				t.Errorf("QuoteString(%q) decodes to %q (%v)", tt.in, back, ok)
			}
		}
		if strings.ContainsAny(QuoteString(tt.in), "\n\r") {
			t.Errorf("QuoteString(%q) holds a raw line break", tt.in)
		}
	}
}

func TestQuoteIdentifier(t *testing.T) {
	tests := []struct{ in, want string }{
		{"TimeGenerated", `['TimeGenerated']`},
		{"Time Generated", `['Time Generated']`},
		{`it's`, `['it\'s']`},
		{`a\'] | take 1 //`, `['a\\\'] | take 1 //']`},
		{"x\ny", `['x\ny']`},
	}
	for _, tt := range tests {
		if got := QuoteIdentifier(tt.in); got != tt.want {
			t.Errorf("QuoteIdentifier(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestTimespan(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "0s"},
		{30 * time.Second, "30s"},
		{time.Minute, "1m"},
		{90 * time.Second, "90s"},
		{time.Hour, "1h"},
		{48 * time.Hour, "2d"},
		{1500 * time.Millisecond, "1500ms"},
		{10 * time.Microsecond, "10microsecond"},
		{300 * time.Nanosecond, "3tick"},
		{149 * time.Nanosecond, "1tick"},
		{-time.Minute, "-1m"},
	}
	for _, tt := range tests {
		if got := Timespan(tt.in); got != tt.want {
			t.Errorf("Timespan(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestDatetime(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), "datetime(2024-05-01T00:00:00Z)"},
		{time.Date(2024, 5, 1, 2, 0, 0, 0, time.FixedZone("X", 2*3600)), "datetime(2024-05-01T00:00:00Z)"},
		{time.Date(2024, 5, 1, 0, 0, 0, 123456789, time.UTC), "datetime(2024-05-01T00:00:00.1234567Z)"},
	}
	for _, tt := range tests {
		if got := Datetime(tt.in); got != tt.want {
			t.Errorf("Datetime(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestKnown(t *testing.T) {
	want := "$__contains $__escapeMulti $__interval $__interval_ms $__timeFilter $__timeFrom $__timeTo"
	if got := strings.Join(Known(), " "); got != want {
		t.Errorf("Known() = %s, want %s", got, want)
	}
}

func TestDecodeLiteral(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{`'a'`, "a", true},
		{`"a\"b"`, `a"b`, true},
		{`@'it''s'`, "it's", true},
		{`@"C:\"`, `C:\`, true},
		{`h'x'`, "x", true},
		{`''`, "", true},
		{`@"`, "", false},  // found by FuzzExpand: sliced past the end
		{`"\"`, "", false}, // the only quote after the opener is escaped
		{`'a'b'`, "", false},
		{`'a`, "", false},
		{`a`, "", false},
		{"'a\nb'", "", false},
	}
	for _, tt := range tests {
		got, ok := decodeLiteral(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("decodeLiteral(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
