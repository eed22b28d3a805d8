package kql

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The counts queries the plugin sends (issue 10): its KQL followed by
// summarize <count> = count() by <fields>, names quoted as ['name'],
// optionally with bin(TimeGenerated, <interval>); distinct on a column; and
// a second query filtered on values with in (...). The oracles count the
// table's rows directly.

// quoteIdent and quoteString write names and values as the plugin does:
// bracketed or double-quoted literals, escaping the backslash, the quote
// and line breaks and tabs; every other character is written as is.
func quoteIdent(name string) string { return "[" + quoteLit(name, '\'') + "]" }
func quoteString(s string) string   { return quoteLit(s, '"') }

func quoteLit(s string, q rune) string {
	var b strings.Builder
	b.WriteRune(q)
	for _, r := range s {
		switch r {
		case '\\', q:
			b.WriteRune('\\')
			b.WriteRune(r)
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
	b.WriteRune(q)
	return b.String()
}

// countRows groups the table's rows by key and counts them.
func countRows(t *Table, key func(r int) string) map[string]int64 {
	out := map[string]int64{}
	for r := 0; r < t.Len(); r++ {
		out[key(r)]++
	}
	return out
}

// countsOf reads a summarize result: every column but the last is a key.
func countsOf(t *testing.T, tb *Table) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	nk := len(tb.Schema()) - 1
	for r := 0; r < tb.Len(); r++ {
		var parts []string
		for c := 0; c < nk; c++ {
			parts = append(parts, fmt.Sprint(tb.Value(r, c)))
		}
		k := strings.Join(parts, "\x1f")
		if _, dup := out[k]; dup {
			t.Fatalf("group %q appears twice", k)
		}
		out[k] = tb.Value(r, nk).(int64)
	}
	return out
}

func TestCountsQueries(t *testing.T) {
	tb := newDeviceNetworkEvents(t, 20_000, 11, notebookNow, 3*24*time.Hour)
	db := NewDatabase(tb)
	nb := filterRows(t, tb, notebookRefs[0].keep)
	str := func(c int) func(int) string { return func(r int) string { return fmt.Sprint(tb.Value(r, c)) } }
	hour := func(r int) string { return fmt.Sprint(tb.Value(r, cTimeGenerated).(time.Time).Truncate(time.Hour)) }
	keys := func(fs ...func(int) string) func(int) string {
		return func(r int) string {
			var parts []string
			for _, f := range fs {
				parts = append(parts, f(r))
			}
			return strings.Join(parts, "\x1f")
		}
	}
	tests := []struct {
		q      string
		schema S
		want   map[string]int64
	}{
		{"DeviceNetworkEvents | summarize ['kqlhunt_count'] = count() by ['InitiatingProcessFileName']",
			S{{"InitiatingProcessFileName", TypeString}, {"kqlhunt_count", TypeLong}}, countRows(tb, str(cFileName))},
		{"DeviceNetworkEvents | summarize ['kqlhunt_count'] = count() by ['InitiatingProcessFileName'], ['RemoteIP'], ['RemotePort']",
			S{{"InitiatingProcessFileName", TypeString}, {"RemoteIP", TypeString}, {"RemotePort", TypeInt}, {"kqlhunt_count", TypeLong}},
			countRows(tb, keys(str(cFileName), str(cRemoteIP), str(cRemotePort)))},
		{"DeviceNetworkEvents | summarize ['kqlhunt_count'] = count() by ['InitiatingProcessFileName'], bin(TimeGenerated, 1h)",
			S{{"InitiatingProcessFileName", TypeString}, {"TimeGenerated", TypeDateTime}, {"kqlhunt_count", TypeLong}},
			countRows(tb, keys(str(cFileName), hour))},
		{"DeviceNetworkEvents | summarize ['kqlhunt_count'] = count() by ['DeviceName'], ['InitiatingProcessFileName'], bin(['TimeGenerated'], 1h)",
			S{{"DeviceName", TypeString}, {"InitiatingProcessFileName", TypeString}, {"TimeGenerated", TypeDateTime}, {"kqlhunt_count", TypeLong}},
			countRows(tb, keys(str(cDeviceName), str(cFileName), hour))},
		// The notebook's KQL first: the counts describe its rows only.
		{notebookQueries[0] + "\n| summarize ['kqlhunt_count'] = count() by ['InitiatingProcessFileName']",
			S{{"InitiatingProcessFileName", TypeString}, {"kqlhunt_count", TypeLong}},
			countRows(nb, func(r int) string { return nb.Value(r, cFileName).(string) })},
	}
	for _, tc := range tests {
		res, err := db.Execute(context.Background(), tc.q, Options{Now: notebookNow})
		if err != nil {
			t.Errorf("%q: %v", tc.q, err)
			continue
		}
		if !reflect.DeepEqual(res[0].Schema(), tc.schema) {
			t.Errorf("%q: schema %v, want %v", tc.q, res[0].Schema(), tc.schema)
		}
		if got := countsOf(t, res[0]); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: %d groups differ from the oracle's %d", tc.q, len(got), len(tc.want))
		}
	}

	// distinct gives each value once, in order of first appearance.
	res, err := db.Execute(context.Background(), "DeviceNetworkEvents | distinct ['InitiatingProcessFileName']", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var want []any
	seen := map[string]bool{}
	for r := 0; r < tb.Len(); r++ {
		if v := tb.Value(r, cFileName).(string); !seen[v] {
			seen[v] = true
			want = append(want, v)
		}
	}
	var got []any
	for _, row := range rowsOf(res[0]) {
		got = append(got, row[0])
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("distinct: got %v, want %v", got, want)
	}
}

// filterRows returns the rows of t that keep says to keep.
func filterRows(t *testing.T, tb *Table, keep func(refRow) bool) *Table {
	out := NewTable(tb.Name(), tb.Schema())
	for r := 0; r < tb.Len(); r++ {
		if keep(refRow{tb, r}) {
			vals := make([]any, len(tb.Schema()))
			for c := range vals {
				vals[c] = tb.Value(r, c)
			}
			must(t, out.AppendRow(vals...))
		}
	}
	return out
}

// hostileNames need quoting as identifiers: spaces, quotes, a backslash,
// keywords, non-ASCII, the default count column's name.
var hostileNames = []string{"Process Name", "it's", `say "hi"`, `back\slash`, "where", "by", "ünï", "count_"}

func hostileTable(t *testing.T) *Table {
	schema := make([]ColumnSchema, len(hostileNames))
	for i, n := range hostileNames {
		schema[i] = ColumnSchema{n, TypeString}
	}
	tb := NewTable("Q", schema)
	rng := rand.New(rand.NewPCG(3, 4))
	for r := 0; r < 3000; r++ {
		vals := make([]any, len(schema))
		for c := range vals {
			vals[c] = fmt.Sprintf("v%d", rng.IntN(3+c))
		}
		must(t, tb.AppendRow(vals...))
	}
	return tb
}

func TestCountsQueriesQuotedNames(t *testing.T) {
	tb := hostileTable(t)
	db := NewDatabase(tb)
	var by []string
	var schema S
	for _, n := range hostileNames {
		by = append(by, quoteIdent(n))
		schema = append(schema, ColumnSchema{n, TypeString})
	}
	q := "Q | summarize ['kqlhunt_count'] = count() by " + strings.Join(by, ", ")
	res, err := db.Execute(context.Background(), q, Options{})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if want := append(schema, ColumnSchema{"kqlhunt_count", TypeLong}); !reflect.DeepEqual(res[0].Schema(), want) {
		t.Fatalf("schema %v, want %v", res[0].Schema(), want)
	}
	want := countRows(tb, func(r int) string {
		var parts []string
		for c := range hostileNames {
			parts = append(parts, tb.Value(r, c).(string))
		}
		return strings.Join(parts, "\x1f")
	})
	if got := countsOf(t, res[0]); !reflect.DeepEqual(got, want) {
		t.Errorf("%d groups differ from the oracle's %d", len(got), len(want))
	}

	// A count column named like a field is refused, as Kusto refuses a
	// second declaration of a name; an inferred name gets a suffix.
	for _, q := range []string{
		"Q | summarize ['where'] = count() by ['Process Name'], ['where']",
		"Q | summarize ['by'] = count() by ['by']",
		"Q | summarize count() by ['it\\'s'], ['it\\'s']",
		"Q | summarize n = count(), n = dcount(['by'])",
		"Q | summarize A = count() by A = ['by']",
		"Q | summarize ['ünï'] = countif(['by'] == 'v1') * 2 by ['ünï']",
	} {
		_, err := db.Execute(context.Background(), q, Options{})
		var e *Error
		if !errors.As(err, &e) || e.Code != "SEM0001" || !strings.Contains(e.Message, "' is already declared.") || e.Line != 1 {
			t.Errorf("%s: got %v, want SEM0001 ... is already declared", q, err)
		}
	}
	res, err = db.Execute(context.Background(), "Q | summarize count() by ['count_'] | getschema | project ColumnName", Options{})
	if err != nil || !reflect.DeepEqual(rowsOf(res[0]), R{{"count_"}, {"count_1"}}) {
		t.Errorf("count() by count_: %v %v", err, res)
	}
	res, err = db.Execute(context.Background(), "Q | summarize ['TimeGenerated'] = count() by bin(todatetime('2024-01-01'), 1h) | getschema | project ColumnName", Options{})
	if err != nil || !reflect.DeepEqual(rowsOf(res[0]), R{{"Column1"}, {"TimeGenerated"}}) {
		t.Errorf("a bin key is not declared: %v %v", err, res)
	}
}

// hostileValues need escaping in a string literal.
var hostileValues = []string{
	`a"b`, `a'b`, `back\slash`, `\`, `"`, `'`, `\"`, "line\nbreak", "tab\tx", "cr\rx", "ünïcödé", "日本語",
	"emoji 😀", `") | union *`, `') | union *`, `x" or 1==1 or "`, "", " lead", "trail ", "nul\x00byte",
	"$__timeFilter()", "// not a comment", `\u0041`, "*", "]", "['x']", "@\"v\"", "```",
}

func TestCountsQueriesInList(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	tb := NewTable("H", []ColumnSchema{{"Name", TypeString}, {"N", TypeLong}})
	pool := append([]string(nil), hostileValues...)
	for i := 0; i < 2000; i++ {
		pool = append(pool, fmt.Sprintf("proc%04d.exe", i))
	}
	for r := 0; r < 20000; r++ {
		must(t, tb.AppendRow(pool[rng.IntN(len(pool))], int64(r)))
	}
	// 1000 values: every hostile one, plus ordinary ones, some absent.
	list := append([]string(nil), hostileValues...)
	for len(list) < 990 {
		list = append(list, pool[len(hostileValues)+rng.IntN(2000)])
	}
	for len(list) < 1000 {
		list = append(list, fmt.Sprintf("absent%d.exe", len(list)))
	}
	in := map[string]bool{}
	lits := make([]string, len(list))
	for i, v := range list {
		in[v] = true
		lits[i] = quoteString(v)
	}
	q := "H | where ['Name'] in (" + strings.Join(lits, ", ") + ") | project N"
	res, err := NewDatabase(tb).Execute(context.Background(), q, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var want R
	for r := 0; r < tb.Len(); r++ {
		if in[tb.Value(r, 0).(string)] {
			want = append(want, []any{tb.Value(r, 1)})
		}
	}
	if got := rowsOf(res[0]); !reflect.DeepEqual(got, want) {
		t.Fatalf("%d rows, want exactly the %d rows of the listed names", len(got), len(want))
	}
	// Each hostile value alone finds exactly its rows.
	for _, v := range hostileValues {
		q := "H | where ['Name'] in (" + quoteString(v) + ") | summarize count()"
		res, err := NewDatabase(tb).Execute(context.Background(), q, Options{})
		if err != nil {
			t.Errorf("%q: %v", v, err)
			continue
		}
		if got, want := res[0].Value(0, 0), countRows(tb, func(r int) string { return tb.Value(r, 0).(string) })[v]; got != want {
			t.Errorf("%q: %v rows, want %d", v, got, want)
		}
	}
}
