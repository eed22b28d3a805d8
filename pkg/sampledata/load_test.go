package sampledata

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
)

// dump renders a table as "name:type ..." then one line per row, for comparisons.
func dump(t *kql.Table) string {
	var b strings.Builder
	b.WriteString(t.Name())
	for _, c := range t.Schema() {
		fmt.Fprintf(&b, " %s:%s", c.Name, c.Type)
	}
	for r := 0; r < t.Len(); r++ {
		b.WriteString("\n")
		for c := range t.Schema() {
			v := t.Value(r, c)
			if tm, ok := v.(time.Time); ok {
				v = tm.Format(time.RFC3339Nano)
			}
			fmt.Fprintf(&b, "%v|", v)
		}
	}
	return b.String()
}

func TestLoadFile(t *testing.T) {
	tests := []struct {
		file, content, want string
	}{
		{"Events.csv", "Name,Count,Ratio,When,Flag,Extra\n" +
			"a,1,0.5,2024-05-01T10:00:00Z,true,\n" +
			"\"b,\"\"q\"\"\",,2,2024-05-01 11:00:00,FALSE,x\n",
			"Events Name:string Count:long Ratio:real When:datetime Flag:bool Extra:string\n" +
				"a|1|0.5|2024-05-01T10:00:00Z|true||\n" +
				"b,\"q\"|<nil>|2|2024-05-01T11:00:00Z|false|x|"},
		{"typed.csv", "Id:long,Span:timespan,Bag:dynamic,Guid:guid,Price:decimal,Score:real,N:int\n" +
			"9007199254740993,1.02:03:04.5,\"{\"\"a\"\":1}\",6f1c3c1e-8f0c-4a59-9d4e-1f2a3b4c5d6e,1.10,NaN,7\n" +
			",90m,plain,,,-Infinity,\n",
			"typed Id:long Span:timespan Bag:dynamic Guid:guid Price:decimal Score:real N:int\n" +
				"9007199254740993|26h3m4.5s|{\"a\":1}|6f1c3c1e-8f0c-4a59-9d4e-1f2a3b4c5d6e|1.10|NaN|7|\n" +
				"<nil>|1h30m0s|\"plain\"||<nil>|-Inf|<nil>|"},
		{"DeviceNetworkEvents.jsonl", `{"TimeGenerated":"2024-05-01T10:00:00.1234567Z","DeviceName":"a","RemotePort":443,"Bag":{"k":[1]},"Ok":true}` + "\n\n" +
			`{"DeviceName":"b","RemotePort":null,"Score":1.5,"TimeGenerated":"2024-05-01T11:00:00Z"}` + "\n",
			"DeviceNetworkEvents TimeGenerated:datetime DeviceName:string RemotePort:long Bag:dynamic Ok:bool Score:real\n" +
				"2024-05-01T10:00:00.1234567Z|a|443|{\"k\":[1]}|true|<nil>|\n" +
				"2024-05-01T11:00:00Z|b|<nil>|<nil>|<nil>|1.5|"},
		{"mixed.ndjson", `{"v":1,"w:string":2}` + "\n" + `{"v":"x","w":3}` + "\n",
			"mixed v:string w:string\n1|2|\nx|3|"},
		{"ints.json", `{"n":1}` + "\n" + `{"n":2.5}` + "\n", "ints n:real\n1|\n2.5|"},
		{"empty.csv", "A,B\n", "empty A:string B:string"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p := filepath.Join(dir, tt.file)
			if err := os.WriteFile(p, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			tbl, err := LoadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if got := dump(tbl); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
	// NaN does not compare equal, so check the typed.csv NaN separately.
	p := filepath.Join(dir, "typed.csv")
	tbl, _ := LoadFile(p)
	if f, _ := tbl.Value(0, 5).(float64); !math.IsNaN(f) {
		t.Errorf("NaN cell %v", tbl.Value(0, 5))
	}
}

func TestLoadFileErrors(t *testing.T) {
	tests := []struct {
		file, content, want string
	}{
		{"x.txt", "a", "unknown data file type"},
		{"x.csv", "", "empty CSV"},
		{"x.csv", "A:long\nabc\n", `row 1, column "A" (long): "abc" is not an integer`},
		{"x.csv", "A:int\n3000000000\n", "does not fit an int"},
		{"x.csv", "A:nosuch\n1\n", `unknown type "nosuch"`},
		{"x.csv", "A,A\n1,2\n", "appears twice"},
		{"x.csv", "A\n1,2\n", "line 2: 2 fields"},
		{"x.csv", ",B\n1,2\n", "empty column name"},
		{"x.csv", "A:timespan\n1:2\n", "not a timespan"},
		{"x.csv", "A:datetime\nyesterday\n", "not an ISO 8601 time"},
		{"x.csv", "A:bool\nmaybe\n", "not a bool"},
		{"x.jsonl", "[1,2]\n", "line 1: not a JSON object"},
		{"x.jsonl", `{"a":1}` + "\n" + `{"a":1,"a":2}` + "\n", `line 2: column "a" appears twice`},
		{"x.jsonl", `{"a:long":1}` + "\n" + `{"a:string":"x"}` + "\n", "declared as long and string"},
		{"x.jsonl", `{"a":1} {"b":2}` + "\n", "more than one value"},
		{"x.jsonl", `{"a:long":"x"}` + "\n", `line 1, column "a" (long)`},
	}
	dir := t.TempDir()
	for i, tt := range tests {
		p := filepath.Join(dir, fmt.Sprint(i), tt.file)
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(tt.content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadFile(p)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %q: error %v, want %q", tt.file, tt.content, err, tt.want)
		}
	}
	if _, err := LoadFile(filepath.Join(dir, "missing.csv")); err == nil {
		t.Error("missing file: no error")
	}
}

// A generated table written out as JSON Lines loads back with the same types and cells.
func TestLoadRoundTripsGeneratedData(t *testing.T) {
	evs := Events(Config{Rows: 200, Seed: 2, Now: testNow})
	var b strings.Builder
	for _, e := range evs {
		fmt.Fprintf(&b, `{"TimeGenerated:datetime":%q,"DeviceName":%q,"RemotePort:int":%s,"AdditionalFields:dynamic":%s}`+"\n",
			e.TimeGenerated.Format(time.RFC3339Nano), e.DeviceName, orNull(e.RemotePort), dyn(e.AdditionalFields))
	}
	p := filepath.Join(t.TempDir(), "DeviceNetworkEvents.jsonl")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	tbl, err := LoadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if tbl.Len() != len(evs) {
		t.Fatalf("%d rows", tbl.Len())
	}
	for r, e := range evs {
		if !tbl.Value(r, 0).(time.Time).Equal(e.TimeGenerated) || tbl.Value(r, 1) != e.DeviceName {
			t.Fatalf("row %d: %v %v", r, tbl.Value(r, 0), tbl.Value(r, 1))
		}
		if e.RemotePort >= 0 && tbl.Value(r, 2) != e.RemotePort || e.RemotePort < 0 && tbl.Value(r, 2) != nil {
			t.Fatalf("row %d port %v, want %d", r, tbl.Value(r, 2), e.RemotePort)
		}
	}
}

func orNull(n int64) string {
	if n < 0 {
		return "null"
	}
	return fmt.Sprint(n)
}

func dyn(s string) string {
	if s == "" {
		return "null"
	}
	return s
}
