package emulator

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

func TestAppendCell(t *testing.T) {
	ts := time.Date(2024, 5, 1, 12, 34, 56, 0, time.FixedZone("CEST", 2*3600))
	tests := []struct {
		typ  string
		v    any
		want string
	}{
		{"long", nil, `null`},
		{"long", int64(math.MaxInt64), `9223372036854775807`},
		{"long", int64(math.MinInt64), `-9223372036854775808`},
		{"int", 7, `7`},
		{"long", float64(3), `3`},
		{"long", "12", `"12"`}, // older payloads sent numbers as strings
		{"real", 0.1, `0.1`},
		{"real", 1e21, `1e+21`},
		{"real", math.NaN(), `"NaN"`},
		{"real", math.Inf(1), `"Infinity"`},
		{"real", math.Inf(-1), `"-Infinity"`},
		{"real", int64(2), `2`},
		{"decimal", "1.50", `"1.50"`},
		{"decimal", 2.5, `"2.5"`},
		{"decimal", int64(3), `"3"`},
		{"bool", true, `true`},
		{"string", false, `"false"`},
		{"datetime", ts, `"2024-05-01T10:34:56Z"`},
		{"datetime", ts.Add(123456789), `"2024-05-01T10:34:56.1234567Z"`},
		{"datetime", ts.Add(100 * time.Millisecond), `"2024-05-01T10:34:56.1Z"`},
		{"timespan", time.Duration(0), `"00:00:00"`},
		{"timespan", 90 * time.Minute, `"01:30:00"`},
		{"timespan", 49*time.Hour + 500*time.Millisecond, `"2.01:00:00.5000000"`},
		{"timespan", -(time.Hour + 100), `"-01:00:00.0000001"`},
		{"timespan", time.Duration(math.MinInt64), `"-106751.23:47:16.8547758"`},
		{"dynamic", `{"a":"<b>"}`, `"{\"a\":\"\u003cb\u003e\"}"`},
		{"dynamic", map[string]int{"x": 1}, `"{\"x\":1}"`},
		{"dynamic", json.RawMessage(`[1,2]`), `"[1,2]"`},
		{"dynamic", int64(5), `"5"`}, // JSON text in a string
		{"string", json.RawMessage(`not json`), `"not json"`},
		{"string", []byte("raw"), `"raw"`},
		{"guid", "6f1c3c1e-8f0c-4a59-9d4e-1f2a3b4c5d6e", `"6f1c3c1e-8f0c-4a59-9d4e-1f2a3b4c5d6e"`},
		{"string", struct{ A int }{1}, `"{\"A\":1}"`},
		{"string", func() {}, `"`},
	}
	for _, tt := range tests {
		got := string(appendCell(nil, tt.typ, tt.v))
		if tt.typ == "string" && tt.want == `"` {
			// An unencodable value is still a JSON string, never a broken document.
			if !json.Valid([]byte(got)) || got[0] != '"' {
				t.Errorf("%s %T: %s is not a JSON string", tt.typ, tt.v, got)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("%s %#v: got %s, want %s", tt.typ, tt.v, got, tt.want)
		}
		if !json.Valid([]byte(got)) {
			t.Errorf("%s %#v: %s is not valid JSON", tt.typ, tt.v, got)
		}
	}
}

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	inputs := []string{
		"", "plain", `quote " and \ back`, "tab\tnew\nline\rcr", "\x00\x01\x1f\x7f",
		"<script>&amp;</script>", "é ü 日本 🎉", "\u2028\u2029", "bad \xff\xfe utf8", "C:\\Users\\x\\AppData\\Local\\temp\\svch0st.exe",
	}
	for _, s := range inputs {
		want, _ := json.Marshal(s)
		got := appendJSONString(nil, s)
		if !bytes.Equal(got, want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	f.Add("a\"b\\c\x00\u2028\xff")
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}

func TestWriteResult(t *testing.T) {
	tbl := NewTable("PrimaryResult", Col("s", "string"), Col("n", "long")).AddRow("a", int64(1)).AddRow("b")
	res := &Result{
		Tables:     []*Table{tbl, NewTable("Empty")},
		Statistics: json.RawMessage(`{"query":{"executionTime":0.1}}`),
		Render:     json.RawMessage(`{"visualization":"table"}`),
		Error:      PartialError("E1", "half"),
	}
	var buf bytes.Buffer
	if err := writeResult(&buf, res, 0, true, false); err != nil {
		t.Fatal(err)
	}
	want := `{"tables":[{"name":"PrimaryResult","columns":[{"name":"s","type":"string"},{"name":"n","type":"long"}],"rows":[["a",1],["b",null]]},{"name":"Empty","columns":[],"rows":[]}],"statistics":{"query":{"executionTime":0.1}},"error":{"code":"PartialError","message":"There were some errors when processing your query.","details":[{"code":"EngineError","message":"Something went wrong processing your query on the server.","innererror":{"code":"E1","message":"half","severity":2,"severityName":"Error"}}]}}`
	if buf.String() != want {
		t.Errorf("got  %s\nwant %s", buf.String(), want)
	}
}

// bigSource is a RowSource of n rows, to check that large answers stream and stay valid JSON.
type bigSource struct{ n int }

func (b bigSource) Len() int { return b.n }
func (b bigSource) Value(row, col int) any {
	if col == 0 {
		return int64(row)
	}
	return strings.Repeat("x", row%50)
}

func TestWriteResultStreamsSources(t *testing.T) {
	tbl := &Table{Name: "PrimaryResult", Columns: []Column{Col("i", "long"), Col("s", "string")}, Source: bigSource{20000}}
	var buf bytes.Buffer
	if err := writeResult(&buf, &Result{Tables: []*Table{tbl}}, 0, false, false); err != nil {
		t.Fatal(err)
	}
	var body struct {
		Tables []struct {
			Rows [][]any `json:"rows"`
		} `json:"tables"`
	}
	if err := json.Unmarshal(buf.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	rows := body.Tables[0].Rows
	if len(rows) != 20000 || rows[19999][0].(float64) != 19999 || len(rows[49][1].(string)) != 49 {
		t.Errorf("rows %d, last %v", len(rows), rows[len(rows)-1])
	}
}
