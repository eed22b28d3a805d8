package loganalytics

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/fielddict"
	"github.com/kqlhunt/anomaly-datasource/pkg/membudget"
)

func decodeBytes(t testing.TB, body []byte, b *membudget.Budget) (*answer, *meter, error) {
	t.Helper()
	m := newMeter(context.Background(), b)
	a, err := decodeAnswer(bytes.NewReader(body), m)
	return a, m, err
}

// body wraps rows (and columns) in an answer.
func body(columns, rows string) string {
	return `{"tables":[{"name":"PrimaryResult","columns":` + columns + `,"rows":` + rows + `}]}`
}

// Every 200 fixture decodes to the reference decoder's answer, read whole and one byte at a
// time (every value then straddles a buffer refill).
func TestDecodeFixturesMatchReference(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json")
	n := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, refErr := referenceDecode(raw)
		for _, oneByte := range []bool{false, true} {
			var r = bytes.NewReader(raw)
			var rd interface{ Read([]byte) (int, error) } = r
			if oneByte {
				rd = iotest.OneByteReader(r)
			}
			got, err := decodeAnswer(rd, newMeter(context.Background(), nil))
			if refErr != nil || err != nil {
				if (refErr == nil) != (err == nil) || !errors.Is(err, ErrDecode) {
					t.Errorf("%s (one byte %v): err %v, reference %v", f, oneByte, err, refErr)
				}
				continue
			}
			if d := sameAnswer(got, want); d != "" {
				t.Errorf("%s (one byte %v): %s", f, oneByte, d)
			}
			n++
		}
	}
	if n < 10 {
		t.Fatalf("only %d fixture decodes compared", n)
	}
}

func TestDecodeStrings(t *testing.T) {
	tests := []struct {
		name, cell, want string
	}{
		{"plain", `"chrome.exe"`, "chrome.exe"},
		{"escapes", `"C:\\Users\\a\"b\"\/x\n\t\r\b\f"`, "C:\\Users\\a\"b\"/x\n\t\r\b\f"},
		{"unicode escape", `"caf\u00e9"`, "café"},
		{"surrogate pair", `"\ud83d\ude00!"`, "😀!"},
		{"lone high surrogate", `"a\ud83dz"`, "a\uFFFDz"},
		{"lone low surrogate", `"\ude00"`, "\uFFFD"},
		{"raw UTF-8", `"ünïcødé ✓ 日本"`, "ünïcødé ✓ 日本"},
		{"invalid UTF-8, byte by byte", "\"a\xff\xfeb\"", "a\uFFFD\uFFFDb"},
		{"empty", `""`, ""},
		{"a number in a string column", `42`, "42"},
		{"an object in a string column, as sent", `{"a": [1, 2]}`, `{"a": [1, 2]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _, err := decodeBytes(t, []byte(body(`[{"name":"S","type":"string"}]`, "[["+tt.cell+"]]")), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := a.tables[0].frame.Fields[0].At(0).(string); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecodeNumbersAndTimes(t *testing.T) {
	tests := []struct {
		typ, cell string
		want      any
	}{
		{"long", `9007199254740993`, int64(9007199254740993)},
		{"long", `-9223372036854775808`, int64(math.MinInt64)},
		{"long", `"9223372036854775807"`, int64(math.MaxInt64)},
		{"long", `1e3`, int64(1000)},
		{"long", `12.0`, int64(12)},
		{"int", `-2147483648`, int32(math.MinInt32)},
		{"real", `"NaN"`, math.NaN()},
		{"real", `"Infinity"`, math.Inf(1)},
		{"real", `"-Infinity"`, math.Inf(-1)},
		{"real", `-0.0`, math.Copysign(0, -1)},
		{"real", `1.7976931348623157e308`, math.MaxFloat64},
		{"decimal", `"79228162514264337593543950335"`, 7.922816251426434e28},
		{"bool", `true`, true},
		{"bool", `"False"`, false},
		{"datetime", `"2024-05-01T12:34:56.1234567Z"`, time.Date(2024, 5, 1, 12, 34, 56, 123456700, time.UTC)},
		{"datetime", `"2024-02-29T00:00:00Z"`, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"datetime", `"2024-05-01T12:34:56+02:00"`, time.Date(2024, 5, 1, 10, 34, 56, 0, time.UTC)},
		{"datetime", `"2024-05-01T12:34:56.5"`, time.Date(2024, 5, 1, 12, 34, 56, 5e8, time.UTC)},
	}
	for _, tt := range tests {
		a, _, err := decodeBytes(t, []byte(body(`[{"name":"X","type":"`+tt.typ+`"}]`, "[["+tt.cell+"]]")), nil)
		if err != nil {
			t.Errorf("%s %s: %v", tt.typ, tt.cell, err)
			continue
		}
		if got := a.tables[0].frame.Fields[0].At(0); !sameCell(got, tt.want) {
			t.Errorf("%s %s: got %#v, want %#v", tt.typ, tt.cell, got, tt.want)
		}
	}
}

// A cell that does not fit its column's type names the table, column, type, row and value.
func TestDecodeWrongTypeInACell(t *testing.T) {
	tests := []struct {
		typ, cell, why string
	}{
		{"long", `"abc"`, "not an integer"},
		{"long", `1.5`, "not an integer"},
		{"long", `9223372036854775808`, "not an integer"},
		{"int", `2147483648`, "2147483648 is outside the range of a 32-bit int"},
		{"real", `"lots"`, "not a finite number"},
		{"real", `1e999`, "not a finite number"},
		{"bool", `"maybe"`, "not a bool"},
		{"bool", `2`, "not a bool"},
		{"datetime", `1714550400`, "expected a JSON string"},
		{"datetime", `"2024-02-30T00:00:00Z"`, "not an ISO 8601 datetime"},
		{"datetime", `"yesterday"`, "not an ISO 8601 datetime"},
	}
	for _, tt := range tests {
		raw := body(`[{"name":"Name","type":"string"},{"name":"X","type":"`+tt.typ+`"}]`, `[["a",null],["b",`+tt.cell+`]]`)
		_, _, err := decodeBytes(t, []byte(raw), nil)
		var ce *CellError
		if !errors.As(err, &ce) || !errors.Is(err, ErrDecode) {
			t.Errorf("%s %s: err %v, want a *CellError", tt.typ, tt.cell, err)
			continue
		}
		want := "table PrimaryResult, column X (" + tt.typ + "), row 2: cannot read " + tt.cell + ": " + tt.why
		if !strings.HasPrefix(err.Error(), want) {
			t.Errorf("err %q, want it to start %q", err, want)
		}
	}
}

// A malformed or cut-off answer is ErrDecode with the byte offset where reading stopped.
func TestDecodeMalformed(t *testing.T) {
	good := body(`[{"name":"S","type":"string"},{"name":"N","type":"long"}]`, `[["a",1],["b",2]]`)
	tests := []struct {
		name, body, want string
	}{
		{"not JSON", "# Hello", "invalid character '#', expected the answer object at byte 0"},
		{"HTML", "<html>", "invalid character '<', expected the answer object at byte 0"},
		{"empty", "", "the answer ends early (truncated) at byte 0"},
		{"truncated in a string", good[:len(good)-14], "the answer ends early (truncated) at byte " + itoa(len(good)-14)},
		{"truncated after a value", good[:len(good)-5], "the answer ends early (truncated) at byte " + itoa(len(good)-5)},
		{"truncated in a number", good[:strings.Index(good, ",2]")+2], "the answer ends early (truncated) at byte " + itoa(strings.Index(good, ",2]")+2)},
		{"a bad character in a row", strings.Replace(good, `,2]`, `,2}`, 1), "invalid character '}', expected ',' or ']' at byte " + itoa(strings.Index(good, `,2]`)+2)},
		{"a control character in a string", strings.Replace(good, `"b"`, "\"b\x01\"", 1), "invalid character 0x01 in a string at byte " + itoa(strings.Index(good, `"b"`)+2)},
		{"a bad escape", strings.Replace(good, `"b"`, `"b\x"`, 1), "invalid escape 'x' in a string"},
		{"a bad number", strings.Replace(good, `,2]`, `,-]`, 1), "invalid character ']' in a number, expected a digit"},
		{"trailing data", good + " {}", "invalid character '{' after the answer at byte " + itoa(len(good)+1)},
		{"rows before columns", `{"tables":[{"name":"T","rows":[[1]],"columns":[{"name":"N","type":"long"}]}]}`, "not the service's format"},
		{"tables twice", `{"tables":[],"tables":[]}`, `"tables" twice`},
		{"a table that is not an object", `{"tables":[5]}`, "invalid character '5', expected '{'"},
		{"a row that is not an array", body(`[{"name":"N","type":"long"}]`, `[5]`), "invalid character '5', expected a row ('[')"},
		{"a row too short", body(`[{"name":"S","type":"string"},{"name":"N","type":"long"}]`, `[["a",1],["b"]]`), "table PrimaryResult: row 2 has 1 values for 2 columns"},
		{"a row too long", body(`[{"name":"N","type":"long"}]`, `[[1,2,{"x":[3]}]]`), "table PrimaryResult: row 1 has 3 values for 1 columns"},
		{"a null row", body(`[{"name":"N","type":"long"}]`, `[null]`), "row 1 has 0 values for 1 columns"},
		{"a name that is not a string", `{"tables":[{"name":5}]}`, "expected a string at byte 19"},
		{"a bad error object", `{"tables":[],"error":[]}`, "the answer's error object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := decodeBytes(t, []byte(tt.body), nil)
			if !errors.Is(err, ErrDecode) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want ErrDecode with %q", err, tt.want)
			}
			if _, refErr := referenceDecode([]byte(tt.body)); refErr == nil && !outsideWireFormat([]byte(tt.body)) {
				t.Errorf("the reference decoder accepts this body")
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// A value longer than the scanner's buffer grows it (booked), and the answer is still right.
func TestDecodeLongValue(t *testing.T) {
	long := strings.Repeat("x", 200<<10)
	raw := body(`[{"name":"S","type":"string"},{"name":"D","type":"dynamic"}]`, `[["`+long+`",{"k":"`+long+`"}],["b","[]"]]`)
	b, _ := membudget.New(64 << 20)
	a, m, err := decodeBytes(t, []byte(raw), b)
	if err != nil {
		t.Fatal(err)
	}
	f := a.tables[0].frame
	if got := f.Fields[0].At(0).(string); got != long {
		t.Errorf("long string of %d bytes, want %d", len(got), len(long))
	}
	if got := f.Fields[1].At(0).(string); got != `{"k":"`+long+`"}` {
		t.Errorf("dynamic of %d bytes", len(got))
	}
	if held := m.res.Held(); held < 3*200<<10 {
		t.Errorf("booked %d bytes for answers holding over %d", held, 3*200<<10)
	}
}

// String columns come with their dictionary: values in order of first appearance, null its own
// group, each row's group; the anomaly pipeline groups by it.
func TestDecodeStringDictionary(t *testing.T) {
	raw := body(`[{"name":"P","type":"string"},{"name":"Q","type":"string"}]`,
		`[["b","x"],["a",null],["b","x"],[null,"y"],["a","y"],["c",null]]`)
	a, _, err := decodeBytes(t, []byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	p, q := a.tables[0].frame.Fields[0], a.tables[0].frame.Fields[1]
	tests := []struct {
		d      *fielddict.Dictionary
		ok     bool
		ids    []int32
		values []string
		first  []int
		null   int32
	}{
		{ids: []int32{0, 1, 0, 2, 1, 3}, values: []string{"b", "a", "", "c"}, first: []int{0, 1, 3, 5}, null: 2},
		{ids: []int32{0, 1, 0, 2, 2, 1}, values: []string{"x", "", "y"}, first: []int{0, 1, 3}, null: 1},
	}
	for i, f := range []any{p, q} {
		d, ok := fielddict.Of(a.tables[0].frame.Fields[i])
		w := tests[i]
		if !ok {
			t.Fatalf("field %d has no dictionary", i)
		}
		if !equalSlices(d.IDs, w.ids) || !equalSlices(d.Values, w.values) || !equalSlices(d.First, w.first) || d.Null != w.null {
			t.Errorf("field %d: dictionary %+v, want %+v", i, d, w)
		}
		_ = f
	}
	// Interned: equal cells share one string.
	s0, s2 := p.At(0).(*string), p.At(2).(*string)
	if s0 != s2 {
		t.Error("equal cells of a nullable column point to different strings")
	}
}

func equalSlices[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
