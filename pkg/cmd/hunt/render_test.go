package main

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// scored is a small answer like the notebook's: text, a time, numbers, a null and a hostile value.
func scored() *data.Frame {
	t0 := time.Date(2024, 5, 1, 9, 41, 18, 250_000_000, time.UTC)
	port := int64(8443)
	return data.NewFrame("PrimaryResult",
		data.NewField("TimeGenerated", nil, []time.Time{t0, t0.Add(time.Hour)}),
		data.NewField("InitiatingProcessFileName", nil, []string{"AcroRd32Update.exe", "evil\x1b[2J\nname"}),
		data.NewField("RemotePort", nil, []*int64{&port, nil}),
		data.NewField("Anomaly", nil, []int64{-1, 1}),
		data.NewField("Anomaly_Score", nil, []float64{-0.0075639112, 0.125}),
	)
}

func TestTable(t *testing.T) {
	tests := []struct {
		name  string
		limit int
		want  string
	}{
		// Natural widths 19, 25, 10, 7 and 13 (82 cells with the gaps); numbers right-aligned; the
		// control characters of the second name escaped (19 cells).
		{"no limit", 0, `
TimeGenerated        InitiatingProcessFileName  RemotePort  Anomaly  Anomaly_Score
-------------------  -------------------------  ----------  -------  -------------
2024-05-01 09:41:18  AcroRd32Update.exe               8443       -1      -0.007564
2024-05-01 10:41:18  evil\u001b[2J\nname                          1          0.125
(2 rows)
`},
		// 12 cells to cut, from the headers first, the widest first: the name's header down to its
		// values (25 to 19), then Anomaly_Score 13 to 10, the tie with RemotePort going to the
		// left column (10 to 9), Anomaly_Score to its values (9), RemotePort to 8.
		{"headers cut", 70, `
TimeGenerated        InitiatingProcessF…  RemoteP…  Anomaly  Anomaly_…
-------------------  -------------------  --------  -------  ---------
2024-05-01 09:41:18  AcroRd32Update.exe       8443       -1  -0.007564
2024-05-01 10:41:18  evil\u001b[2J\nname                  1      0.125
(2 rows)
`},
		// Every header at its floor (19, 19, 4, 4, 9: 63 cells) is still 13 too wide: the two text
		// columns lose them, alternately from 19, the left one first: 12 and 13. Numbers stay whole.
		{"text cut", 50, `
TimeGenerat…  InitiatingPr…  Rem…  Ano…  Anomaly_…
------------  -------------  ----  ----  ---------
2024-05-01 …  AcroRd32Upda…  8443    -1  -0.007564
2024-05-01 …  evil\u001b[2…           1      0.125
(2 rows)
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			var warnings []string
			if err := writeTable(&out, data.Frames{scored()}, tt.limit, func(w string) { warnings = append(warnings, w) }); err != nil {
				t.Fatal(err)
			}
			if got := "\n" + out.String(); got != tt.want {
				t.Errorf("got:%s\nwant:%s", got, tt.want)
			}
			if len(warnings) != 0 {
				t.Errorf("warnings %q", warnings)
			}
		})
	}
}

func TestTableTooNarrowCutsLinesAndSaysSo(t *testing.T) {
	var out bytes.Buffer
	var warnings []string
	if err := writeTable(&out, data.Frames{scored()}, 30, func(w string) { warnings = append(warnings, w) }); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if w := len([]rune(line)); w > 30 {
			t.Errorf("line of %d cells: %q", w, line)
		}
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "-width 0") {
		t.Errorf("warnings %q", warnings)
	}
}

func TestTableOfSeveralFramesAndNoRows(t *testing.T) {
	var out bytes.Buffer
	empty := data.NewFrame("Other", data.NewField("Name", nil, []string{}))
	if err := writeTable(&out, data.Frames{scored(), empty}, 0, func(string) {}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if !strings.HasPrefix(got, "PrimaryResult\n") || !strings.HasSuffix(got, "\nOther\nName\n----\n(no rows)\n") {
		t.Errorf("got:\n%s", got)
	}
}

func TestCSVIsExact(t *testing.T) {
	tenth := 0.1
	var out bytes.Buffer
	big := data.NewFrame("PrimaryResult",
		data.NewField("Big", nil, []int64{math.MaxInt64}),
		data.NewField("Real", nil, []*float64{ptr(tenth + 0.2)}), // not folded as a constant: 0.30000000000000004
		data.NewField("Missing", nil, []*float64{nil}),
		data.NewField("When", nil, []time.Time{time.Date(2024, 5, 1, 9, 41, 18, 123_456_700, time.UTC)}),
		data.NewField("Text", nil, []string{`a "quoted", line` + "\n2"}),
	)
	var warnings []string
	if err := writeCSV(&out, data.Frames{big, scored()}, func(w string) { warnings = append(warnings, w) }); err != nil {
		t.Fatal(err)
	}
	want := "Big,Real,Missing,When,Text\n9223372036854775807,0.30000000000000004,,2024-05-01T09:41:18.1234567Z,\"a \"\"quoted\"\", line\n2\"\n"
	if out.String() != want {
		t.Errorf("got  %q\nwant %q", out.String(), want)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "the answer has 2 tables; CSV holds the first (PrimaryResult)") {
		t.Errorf("warnings %q", warnings)
	}
}

func TestJSONIsExact(t *testing.T) {
	f := data.NewFrame("PrimaryResult",
		data.NewField("Big", nil, []int64{math.MaxInt64}),
		data.NewField("Score", nil, []float64{math.NaN()}),
		data.NewField("Inf", nil, []*float64{ptr(math.Inf(-1))}),
		data.NewField("Missing", nil, []*string{nil}),
		data.NewField("When", nil, []time.Time{time.Date(2024, 5, 1, 9, 41, 18, 0, time.UTC)}),
		data.NewField("Flag", nil, []bool{true}),
	)
	f.AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning, Text: "truncated at 500000 rows"})
	var out bytes.Buffer
	if err := writeJSON(&out, data.Frames{f}); err != nil {
		t.Fatal(err)
	}
	want := `{"frames":[{"name":"PrimaryResult","columns":[{"name":"Big","type":"int64"},{"name":"Score","type":"float64"},{"name":"Inf","type":"float64"},{"name":"Missing","type":"string"},{"name":"When","type":"time"},{"name":"Flag","type":"bool"}],` +
		`"rows":[{"Big":9223372036854775807,"Score":"NaN","Inf":"-Infinity","Missing":null,"When":"2024-05-01T09:41:18Z","Flag":true}],"notices":["truncated at 500000 rows"]}]}` + "\n"
	if out.String() != want {
		t.Errorf("got  %s\nwant %s", out.String(), want)
	}
	if !json.Valid(out.Bytes()) {
		t.Error("not valid JSON")
	}
}

func ptr[T any](v T) *T { return &v }

func TestProgress(t *testing.T) {
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return start.Add(d) }
	var log bytes.Buffer
	p := &progress{w: &log, label: "waiting for X", start: start}
	for _, d := range []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 11 * time.Second, 12 * time.Second} {
		p.tick(at(d))
	}
	p.done()
	if want := "hunt: waiting for X (1s)\nhunt: waiting for X (11s)\n"; log.String() != want {
		t.Errorf("a log got %q, want %q", log.String(), want)
	}
	var tty bytes.Buffer
	p = &progress{w: &tty, tty: true, label: "waiting for X", start: start}
	p.tick(at(300 * time.Millisecond))
	p.done()
	if tty.Len() != 0 {
		t.Errorf("a quick query printed %q", tty.String())
	}
	p.tick(at(time.Second))
	p.tick(at(2 * time.Second))
	p.done()
	if want := "\r\x1b[Khunt: waiting for X (1s)\r\x1b[Khunt: waiting for X (2s)\r\x1b[K"; tty.String() != want {
		t.Errorf("a terminal got %q, want %q", tty.String(), want)
	}
}
