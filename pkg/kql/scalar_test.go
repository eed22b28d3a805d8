package kql

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"
)

var testNow = time.Date(2024, 5, 8, 12, 0, 0, 0, time.UTC)

// nullsTable has one row of nulls (and an empty string) and one of values,
// so each expression can be checked on both.
func nullsTable(t testing.TB) *Table {
	tb := NewTable("N", []ColumnSchema{
		{"S", TypeString}, {"L", TypeLong}, {"I", TypeInt}, {"R", TypeReal}, {"D", TypeDateTime},
		{"TS", TypeTimespan}, {"B", TypeBool}, {"G", TypeGUID}, {"Dyn", TypeDynamic}, {"Row", TypeLong},
	})
	must(t, tb.AppendRow(nil, nil, nil, nil, nil, nil, nil, nil, nil, int64(0)))
	must(t, tb.AppendRow("Hello World", int64(7), 3, 2.5, time.Date(2024, 5, 1, 10, 30, 0, 0, time.UTC),
		90*time.Minute, true, "0f8fad5b-d9cb-469f-a165-70867728950e", `{"a":1}`, int64(1)))
	return tb
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// evalScalar evaluates expr on row `row` of the nulls table.
func evalScalar(t *testing.T, db *Database, expr string, row int) (Type, any, error) {
	t.Helper()
	q := "N | where Row == " + []string{"0", "1"}[row] + " | project x = " + expr
	res, err := db.Execute(context.Background(), q, Options{Now: testNow})
	if err != nil {
		return "", nil, err
	}
	if res[0].Len() != 1 {
		t.Fatalf("%s: %d rows", q, res[0].Len())
	}
	return res[0].Schema()[0].Type, res[0].Value(0, 0), nil
}

func TestScalarExpressions(t *testing.T) {
	db := NewDatabase(nullsTable(t))
	d := func(s string) time.Time { v, _ := time.Parse(time.RFC3339Nano, s); return v }
	tests := []struct {
		expr     string
		typ      Type
		onNulls  any // row 0
		onValues any // row 1
	}{
		// comparisons; null operands give null
		{`L == 7`, TypeBool, nil, true},
		{`L != 7`, TypeBool, nil, false},
		{`L < 8`, TypeBool, nil, true},
		{`L <= 7`, TypeBool, nil, true},
		{`L > 7`, TypeBool, nil, false},
		{`L >= 7.5`, TypeBool, nil, false},
		{`I == L - 4`, TypeBool, nil, true},
		{`R > I`, TypeBool, nil, false},
		{`S == "Hello World"`, TypeBool, false, true},
		{`S == "hello world"`, TypeBool, false, false},
		{`S != "x"`, TypeBool, true, true},
		{`S == ""`, TypeBool, true, false},
		{`S =~ "hello WORLD"`, TypeBool, false, true},
		{`S !~ "hello WORLD"`, TypeBool, true, false},
		{`D > datetime(2024-05-01)`, TypeBool, nil, true},
		{`D == datetime(2024-05-01T10:30:00Z)`, TypeBool, nil, true},
		{`D == datetime(2024-05-01 10:30)`, TypeBool, nil, true},
		{`TS == 90m`, TypeBool, nil, true},
		{`TS > 1h`, TypeBool, nil, true},
		{`B == true`, TypeBool, nil, true},
		{`G == "0f8fad5b-d9cb-469f-a165-70867728950e"`, TypeBool, nil, true},
		// logic, three-valued
		{`L > 1 and S has "world"`, TypeBool, false, true},
		{`L > 1 or S has "world"`, TypeBool, nil, true},
		{`L > 100 or true`, TypeBool, true, true},
		{`L > 100 and false`, TypeBool, false, false},
		{`not(L > 1)`, TypeBool, nil, false},
		{`not(S has "world")`, TypeBool, true, false},
		// string operators
		{`S has "world"`, TypeBool, false, true},
		{`S has "wor"`, TypeBool, false, false},
		{`S !has "wor"`, TypeBool, true, true},
		{`S has_cs "world"`, TypeBool, false, false},
		{`S has_cs "World"`, TypeBool, false, true},
		{`S contains "LO WO"`, TypeBool, false, true},
		{`S !contains "LO WO"`, TypeBool, true, false},
		{`S contains_cs "LO WO"`, TypeBool, false, false},
		{`S contains_cs "lo Wo"`, TypeBool, false, true},
		{`S !contains_cs "lo Wo"`, TypeBool, true, false},
		{`S startswith "hello"`, TypeBool, false, true},
		{`S startswith_cs "hello"`, TypeBool, false, false},
		{`S endswith "WORLD"`, TypeBool, false, true},
		{`S !endswith "WORLD"`, TypeBool, true, false},
		{`S hasprefix "wor"`, TypeBool, false, true},
		{`S hassuffix "rld"`, TypeBool, false, true},
		{`S matches regex "^H.*d$"`, TypeBool, false, true},
		{`S matches regex @"\bWorld\b"`, TypeBool, false, true},
		{`S has_any ("x", "WORLD")`, TypeBool, false, true},
		{`S has_any ("x", "orl")`, TypeBool, false, false},
		{`S has_all ("hello", "world")`, TypeBool, false, true},
		{`S has_all ("hello", "there")`, TypeBool, false, false},
		{`S in ("a", "Hello World")`, TypeBool, false, true},
		{`S in ("a", "hello world")`, TypeBool, false, false},
		{`S in~ ("a", "hello world")`, TypeBool, false, true},
		{`S !in ("a", "Hello World")`, TypeBool, true, false},
		{`S !in~ ("hello world")`, TypeBool, true, false},
		{`S in (dynamic(["a", "Hello World"]))`, TypeBool, false, true},
		{`L in (1, 7)`, TypeBool, false, true},
		{`L !in (1, 7)`, TypeBool, true, false},
		{`R in (2.5)`, TypeBool, false, true},
		{`L in (L, 3)`, TypeBool, false, true},
		{`S in~ (tolower(S), "x")`, TypeBool, true, true},
		{`S !in (S)`, TypeBool, false, false},
		{`L between (5 .. 7)`, TypeBool, nil, true},
		{`L between (8 .. 9)`, TypeBool, nil, false},
		{`L !between (8 .. 9)`, TypeBool, nil, true},
		{`R between (2 .. 2.5)`, TypeBool, nil, true},
		{`D between (datetime(2024-05-01) .. 1d)`, TypeBool, nil, true},
		{`D between (datetime(2024-05-01) .. datetime(2024-05-01T10:00:00Z))`, TypeBool, nil, false},
		// emptiness and nullness: strings are never null
		{`isempty(S)`, TypeBool, true, false},
		{`isnotempty(S)`, TypeBool, false, true},
		{`isnull(S)`, TypeBool, false, false},
		{`isnotnull(S)`, TypeBool, true, true},
		{`isempty(L)`, TypeBool, true, false},
		{`isnull(L)`, TypeBool, true, false},
		{`isnotnull(D)`, TypeBool, false, true},
		{`isnull(Dyn)`, TypeBool, true, false},
		{`isnull("")`, TypeBool, false, false},
		{`isempty("")`, TypeBool, true, true},
		// arithmetic and typing
		{`L + 1`, TypeLong, nil, int64(8)},
		{`I + I`, TypeInt, nil, int64(6)},
		{`I * L`, TypeLong, nil, int64(21)},
		{`L / 2`, TypeLong, nil, int64(3)},
		{`L % 4`, TypeLong, nil, int64(3)},
		{`L / 0`, TypeLong, nil, nil},
		{`L * 1.5`, TypeReal, nil, 10.5},
		{`R / 0`, TypeReal, nil, math.Inf(1)},
		{`-L`, TypeLong, nil, int64(-7)},
		{`D + 1d`, TypeDateTime, nil, d("2024-05-02T10:30:00Z")},
		{`D - 30m`, TypeDateTime, nil, d("2024-05-01T10:00:00Z")},
		{`datetime(2024-05-02) - D`, TypeTimespan, nil, 13*time.Hour + 30*time.Minute},
		{`TS * 2`, TypeTimespan, nil, 3 * time.Hour},
		{`TS / 1h`, TypeReal, nil, 1.5},
		{`1d + 2h + 30m + 10s + 100ms`, TypeTimespan, 26*time.Hour + 30*time.Minute + 10100*time.Millisecond, 26*time.Hour + 30*time.Minute + 10100*time.Millisecond},
		{`time(1.02:03:04)`, TypeTimespan, 26*time.Hour + 3*time.Minute + 4*time.Second, 26*time.Hour + 3*time.Minute + 4*time.Second},
		{`timespan(2d)`, TypeTimespan, 48 * time.Hour, 48 * time.Hour},
		// time functions
		{`ago(1d)`, TypeDateTime, testNow.Add(-24 * time.Hour), testNow.Add(-24 * time.Hour)},
		{`now()`, TypeDateTime, testNow, testNow},
		{`now(-1h)`, TypeDateTime, testNow.Add(-time.Hour), testNow.Add(-time.Hour)},
		{`bin(D, 1h)`, TypeDateTime, nil, d("2024-05-01T10:00:00Z")},
		{`bin(D, 1d)`, TypeDateTime, nil, d("2024-05-01T00:00:00Z")},
		{`bin(D, 7d)`, TypeDateTime, nil, d("2024-04-29T00:00:00Z")}, // weeks start on Monday, from 0001-01-01
		{`bin(L, 5)`, TypeLong, nil, int64(5)},
		{`bin(R, 1)`, TypeReal, nil, 2.0},
		{`bin(-L, 5)`, TypeLong, nil, int64(-10)},
		{`floor(TS, 1h)`, TypeTimespan, nil, time.Hour},
		// conversions
		{`tostring(L)`, TypeString, "", "7"},
		{`tostring(R)`, TypeString, "", "2.5"},
		{`tostring(D)`, TypeString, "", "2024-05-01T10:30:00Z"},
		{`tostring(TS)`, TypeString, "", "01:30:00"},
		{`tostring(B)`, TypeString, "", "true"},
		{`tostring(Dyn)`, TypeString, "", `{"a":1}`},
		{`tostring(dynamic("a\"b"))`, TypeString, `a"b`, `a"b`},
		{`toint("42")`, TypeInt, int64(42), int64(42)},
		{`toint("x")`, TypeInt, nil, nil},
		{`toint(R)`, TypeInt, nil, int64(2)},
		{`tolong("9000000000")`, TypeLong, int64(9000000000), int64(9000000000)},
		{`todouble("1.25")`, TypeReal, 1.25, 1.25},
		{`todouble(L)`, TypeReal, nil, 7.0},
		{`toreal(S)`, TypeReal, nil, nil},
		{`todatetime("2024-05-01T00:00:00Z")`, TypeDateTime, d("2024-05-01T00:00:00Z"), d("2024-05-01T00:00:00Z")},
		{`totimespan("00:10:00")`, TypeTimespan, 10 * time.Minute, 10 * time.Minute},
		{`tobool("true")`, TypeBool, true, true},
		// string functions
		{`tolower(S)`, TypeString, "", "hello world"},
		{`toupper(S)`, TypeString, "", "HELLO WORLD"},
		{`strlen(S)`, TypeLong, int64(0), int64(11)},
		{`strlen("héllo")`, TypeLong, int64(5), int64(5)},
		{`strcat(S, "-", L)`, TypeString, "-", "Hello World-7"},
		{`substring(S, 6)`, TypeString, "", "World"},
		{`substring(S, 0, 5)`, TypeString, "", "Hello"},
		// conditionals
		{`iff(L > 5, "big", "small")`, TypeString, "small", "big"},
		{`iif(L > 5, 1, 2.5)`, TypeReal, 2.5, 1.0},
		{`case(L > 10, "a", L > 5, "b", "c")`, TypeString, "c", "b"},
		{`coalesce(L, 0)`, TypeLong, int64(0), int64(7)},
		{`coalesce(S, "fallback")`, TypeString, "fallback", "Hello World"},
		{`abs(-L)`, TypeLong, nil, int64(7)},
		// more functions
		{`extract(@"(\w+) (\w+)", 2, S)`, TypeString, "", "World"},
		{`extract("x(y)?", 1, S)`, TypeString, "", ""},
		{`replace_string(S, "o", "0")`, TypeString, "", "Hell0 W0rld"},
		{`hourofday(D)`, TypeInt, nil, int64(10)},
		{`dayofweek(D)`, TypeTimespan, nil, 3 * 24 * time.Hour}, // 2024-05-01 was a Wednesday
		{`dayofweek(datetime(1969-12-28))`, TypeTimespan, time.Duration(0), time.Duration(0)},
		{`startofday(D)`, TypeDateTime, nil, d("2024-05-01T00:00:00Z")},
		{`startofday(D, -1)`, TypeDateTime, nil, d("2024-04-30T00:00:00Z")},
		{`round(R)`, TypeReal, nil, 3.0},
		{`round(2.345, 2)`, TypeReal, 2.35, 2.35},
		{`round(L, -1)`, TypeLong, nil, int64(10)},
		// dynamic values
		{`Dyn.a`, TypeDynamic, nil, "1"},
		{`Dyn["a"]`, TypeDynamic, nil, "1"},
		{`Dyn['a']`, TypeDynamic, nil, "1"},
		{`Dyn.b`, TypeDynamic, nil, nil},
		{`Dyn.a == 1`, TypeBool, nil, true},
		{`Dyn.a == "1"`, TypeBool, nil, true},
		{`tostring(Dyn.a)`, TypeString, "", "1"},
		{`parse_json('{"x":[1,"two",{"y":true}]}').x[1]`, TypeDynamic, `"two"`, `"two"`},
		{`tostring(parse_json('{"x":[1,"two"]}').x[-1])`, TypeString, "two", "two"},
		{`parse_json('{"x":[1,"two",{"y":true}]}')["x"][2].y == true`, TypeBool, true, true},
		{`parse_json('{"x":[1]}').x[5]`, TypeDynamic, nil, nil},
		{`array_length(parse_json("[1,2,3]"))`, TypeLong, int64(3), int64(3)},
		{`array_length(Dyn)`, TypeLong, nil, nil},
		{`Dyn.a in (1, 2)`, TypeBool, false, true},
		{`parse_json('{"n":"x"}').n in~ ("X")`, TypeBool, true, true},
		{`parse_json("not json")`, TypeDynamic, `"not json"`, `"not json"`},
		{`todynamic(S)`, TypeDynamic, nil, `"Hello World"`},
		// ipv4_is_private
		{`ipv4_is_private("10.1.2.3")`, TypeBool, true, true},
		{`ipv4_is_private("172.16.0.1")`, TypeBool, true, true},
		{`ipv4_is_private("172.32.0.1")`, TypeBool, false, false},
		{`ipv4_is_private("192.168.10.1/24")`, TypeBool, true, true},
		{`ipv4_is_private("8.8.8.8")`, TypeBool, false, false},
		{`ipv4_is_private("2001:db8::1")`, TypeBool, nil, nil},
		{`ipv4_is_private(S)`, TypeBool, nil, nil},
		// literals
		{`"a\"b\\c\n"`, TypeString, "a\"b\\c\n", "a\"b\\c\n"},
		{`@"C:\Temp\x"`, TypeString, `C:\Temp\x`, `C:\Temp\x`},
		{`@"say ""hi"""`, TypeString, `say "hi"`, `say "hi"`},
		{`h"secret"`, TypeString, "secret", "secret"},
		{`0x1F`, TypeLong, int64(31), int64(31)},
		{`1e3`, TypeReal, 1000.0, 1000.0},
		{`int(null)`, TypeInt, nil, nil},
		{`long(5)`, TypeLong, int64(5), int64(5)},
		{`real(nan)`, TypeReal, math.NaN(), math.NaN()},
		{`datetime(null)`, TypeDateTime, nil, nil},
		{`guid(00000000-0000-0000-0000-000000000001)`, TypeGUID, "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000001"},
		{`dynamic([1, "a"])`, TypeDynamic, `[1,"a"]`, `[1,"a"]`},
	}
	for _, tc := range tests {
		for row, want := range []any{tc.onNulls, tc.onValues} {
			typ, got, err := evalScalar(t, db, tc.expr, row)
			if err != nil {
				t.Errorf("%s (row %d): %v", tc.expr, row, err)
				continue
			}
			if typ != tc.typ {
				t.Errorf("%s: type %s, want %s", tc.expr, typ, tc.typ)
			}
			if f, ok := want.(float64); ok && math.IsNaN(f) {
				if g, ok := got.(float64); !ok || !math.IsNaN(g) {
					t.Errorf("%s (row %d) = %#v, want NaN", tc.expr, row, got)
				}
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s (row %d) = %#v, want %#v", tc.expr, row, got, want)
			}
		}
	}
}
