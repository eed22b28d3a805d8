package hunt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/anomaly"
	"github.com/kqlhunt/anomaly-datasource/pkg/demo"
	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
	"github.com/kqlhunt/anomaly-datasource/pkg/querymodel"
)

var now = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

const ws = "11111111-2222-3333-4444-555555555555"

// runner serves the demo's table at now through the emulator's engine, over the in-memory
// transport, as the plugin's demo workspace does; opts configure the handler (a row limit).
func runner(t testing.TB, opts ...emulator.Option) *Runner {
	t.Helper()
	return runnerOn(t, demo.Table(now), opts...)
}

// runnerOn is runner on another table.
func runnerOn(t testing.TB, table *kql.Table, opts ...emulator.Option) *Runner {
	t.Helper()
	exec := emulator.NewEngineExecutor(table)
	exec.Now = func() time.Time { return now }
	opts = append(opts, emulator.WithClock(exec.Now))
	c, err := loganalytics.NewClient(nil, loganalytics.ClientOptions{Endpoint: demo.Endpoint, Transport: &demo.Transport{Handler: emulator.NewLogAnalyticsHandler(exec, opts...)}})
	if err != nil {
		t.Fatal(err)
	}
	return &Runner{Querier: c, Workspaces: []string{ws}}
}

func request(t testing.TB, model string) Request {
	t.Helper()
	q, err := querymodel.Parse([]byte(model))
	if err != nil {
		t.Fatal(err)
	}
	return Request{Query: q, From: now.Add(-24 * time.Hour), To: now, Interval: time.Hour}
}

func runModel(t testing.TB, r *Runner, model string) *data.Frame {
	t.Helper()
	frames, err := r.Run(context.Background(), request(t, model))
	if err != nil {
		t.Fatalf("%s: %v", model, err)
	}
	return frames[0]
}

// valuesOf renders a frame's fields and values, not its metadata.
func valuesOf(t testing.TB, f *data.Frame) string {
	t.Helper()
	var b strings.Builder
	for _, fl := range f.Fields {
		b.WriteString(fl.Name + ":")
		for i := 0; i < fl.Len(); i++ {
			v, _ := fl.ConcreteAt(i)
			j, _ := json.Marshal(v)
			b.Write(j)
			b.WriteByte(',')
		}
		b.WriteByte(';')
	}
	return b.String()
}

// TestCountsModeEqualsRows: with aggregate "always" Log Analytics counts and the forest scores the
// counts; every output equals the canonical order's answer on the rows (aggregate "never").
func TestCountsModeEqualsRows(t *testing.T) {
	r := runner(t)
	for _, fields := range []string{`"field":"InitiatingProcessFileName"`, `"fields":["InitiatingProcessFileName","RemotePort"]`} {
		for _, output := range []string{"count", "countByValue", "anomaliesByValue", "values", "anomalies", "top", "series"} {
			base := `{"queryType":"anomaly",` + fields + `,"output":"` + output + `"`
			rows := runModel(t, r, base+`,"aggregate":"never"}`)
			counts := runModel(t, r, base+`,"aggregate":"always"}`)
			if a, b := valuesOf(t, rows), valuesOf(t, counts); a != b {
				t.Errorf("%s %s:\nrows   %.400s\ncounts %.400s", fields, output, a, b)
			}
			m, ok := counts.Meta.Custom.(*anomaly.Meta)
			if !ok || m.Aggregate != anomaly.AggregateCounts || m.RowOrder != anomaly.RowOrderCanonical {
				t.Errorf("%s: counts meta %+v", output, counts.Meta.Custom)
			}
			if output == "count" && counts.Fields[0].At(0).(int64) == 0 {
				t.Error("nothing flagged: the comparison proves little")
			}
		}
	}
	_, err := r.Run(context.Background(), request(t, `{"queryType":"anomaly","aggregate":"always","output":"rows"}`))
	if !errors.Is(err, anomaly.ErrRowsNeedRows) || !strings.Contains(err.Error(), "rows output needs every row") {
		t.Errorf("rows in counts mode: %v", err)
	}
}

// TestFetchedRowsAreTheMostAnomalous: in counts mode, anomalies (and top) fetch the rows of the
// most anomalous values; when the last value chosen takes them past the cap, its rows are the ones
// cut, whatever order the service keeps the rows in. Here the table holds the common values' rows
// first and the less common, more anomalous values' rows (p00, p03, p36, p06: 8,000 rows) last,
// where a bare take of the cap would never reach them: the next value, p38, has 14,800 rows.
func TestFetchedRowsAreTheMostAnomalous(t *testing.T) {
	tbl := kql.NewTable("T", []kql.ColumnSchema{{Name: "P", Type: kql.TypeString}})
	for _, common := range []bool{true, false} {
		for i := range 39 {
			n := 11000 + 100*i
			if i%3 == 0 {
				n = 2000
			}
			if (n > 2000) != common {
				continue
			}
			for range n {
				if err := tbl.AppendRow(fmt.Sprintf("p%02d.exe", i)); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	r := runnerOn(t, tbl)
	base := `{"queryType":"anomaly","kql":"T","timeRangeMode":"query","field":"P","contamination":0.3,"output":"anomalies"`
	lowest := func(f *data.Frame) []float64 {
		s, _ := f.FieldByName(anomaly.FieldScore)
		out := make([]float64, s.Len())
		for i := range out {
			out[i] = s.At(i).(float64)
		}
		slices.Sort(out)
		return out[:min(len(out), maxFetchedRows)]
	}
	all := lowest(runModel(t, r, base+`,"aggregate":"never"}`))
	fetched := lowest(runModel(t, r, base+`,"aggregate":"always"}`))
	if len(fetched) != maxFetchedRows || !slices.Equal(all, fetched) || all[0] == all[len(all)-1] {
		t.Errorf("%d rows fetched, scores %v .. %v; the most anomalous flagged rows' %v .. %v", len(fetched), fetched[0], fetched[len(fetched)-1], all[0], all[len(all)-1])
	}
}

// TestCountSeriesBinsTimeGenerated: in counts mode the series bins TimeGenerated, as the rows'
// series does when it is the rows' first time column, also when the scored field is a time too
// (it comes first in the counts).
func TestCountSeriesBinsTimeGenerated(t *testing.T) {
	tbl := kql.NewTable("T", []kql.ColumnSchema{{Name: "TimeGenerated", Type: kql.TypeDateTime}, {Name: "FirstSeen", Type: kql.TypeDateTime}})
	for i := range 3000 {
		seen := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i%40*i%7) * 24 * time.Hour)
		if err := tbl.AppendRow(now.Add(-time.Duration(i%20)*time.Hour), seen); err != nil {
			t.Fatal(err)
		}
	}
	r := runnerOn(t, tbl)
	base := `{"queryType":"anomaly","kql":"T","timeRangeMode":"query","field":"FirstSeen","contamination":0.1,"output":"series"`
	rows := runModel(t, r, base+`,"aggregate":"never"}`)
	counts := runModel(t, r, base+`,"aggregate":"always"}`)
	if a, b := valuesOf(t, rows), valuesOf(t, counts); a != b || !strings.Contains(a, now.Add(-time.Hour).Format("2006-01-02T15")) {
		t.Errorf("rows   %.300s\ncounts %.300s", a, b)
	}
}

// TestCountsKQL: the counting is appended with the fields quoted and a count column that no field
// is named after.
func TestCountsKQL(t *testing.T) {
	got := countsKQL("T", []string{"A b", "kqlhunt_count", `q"'x`}, unique(countColumn, []string{"A b", "kqlhunt_count"}), "", 0)
	want := "T\n| summarize ['kqlhunt_count1'] = count() by ['A b'], ['kqlhunt_count'], ['q\\\"\\'x']"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	got = countsKQL("T", []string{"P"}, "n", "TimeGenerated", 90*time.Minute)
	if want := "T\n| summarize ['n'] = count() by ['P'], ['TimeGenerated'] = bin(['TimeGenerated'], 5400s)"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestTruncationRerunsInCountsMode: when the service cuts the rows at its limit, aggregate "auto"
// asks it to count instead; the answer equals counts mode run directly, with a notice saying why.
func TestTruncationRerunsInCountsMode(t *testing.T) {
	limited := runner(t, emulator.WithRowLimit(1000))
	for _, output := range []string{"count", "countByValue", "top"} {
		auto := runModel(t, limited, `{"queryType":"anomaly","output":"`+output+`"}`)
		always := runModel(t, runner(t), `{"queryType":"anomaly","aggregate":"always","output":"`+output+`"}`)
		if a, b := valuesOf(t, auto), valuesOf(t, always); a != b {
			t.Errorf("%s: auto after truncation\n%.300s\nalways\n%.300s", output, a, b)
		}
		var notice string
		for _, n := range auto.Meta.Notices {
			if strings.Contains(n.Text, "aggregate: auto") {
				notice = n.Text
			}
		}
		if !strings.Contains(notice, "E_QUERY_RESULT_SET_TOO_LARGE") {
			t.Errorf("%s: notices %+v", output, auto.Meta.Notices)
		}
	}
	// never: the truncated rows are scored, with the service's warning.
	never := runModel(t, limited, `{"queryType":"anomaly","aggregate":"never","output":"count"}`)
	if m := never.Meta.Custom.(*anomaly.Meta); m.Aggregate != anomaly.AggregateRows || len(never.Meta.Notices) == 0 {
		t.Errorf("never: %+v %+v", m, never.Meta.Notices)
	}
}

// TestPivotValuesFromCounts: a pivot without values takes the anomalous values from counts too.
func TestPivotValuesFromCounts(t *testing.T) {
	r := runner(t)
	rows, err := r.anomalousValues(context.Background(), request(t, `{"queryType":"pivot","pivot":"temp-folder","aggregate":"never"}`), "InitiatingProcessFileName")
	if err != nil {
		t.Fatal(err)
	}
	counts, err := r.anomalousValues(context.Background(), request(t, `{"queryType":"pivot","pivot":"temp-folder","aggregate":"always"}`), "InitiatingProcessFileName")
	if err != nil || strings.Join(rows, ",") != strings.Join(counts, ",") || len(rows) == 0 {
		t.Errorf("rows %q, counts %q, %v", rows, counts, err)
	}
}

// recordingQuerier records the queries a Run sends.
type recordingQuerier struct {
	loganalytics.Querier
	sent []loganalytics.Query
}

func (q *recordingQuerier) Query(ctx context.Context, lq loganalytics.Query) (*loganalytics.Result, error) {
	q.sent = append(q.sent, lq)
	return q.Querier.Query(ctx, lq)
}

// TestOneDeadlineForAllOfARunsQueries: the queries one Run sends (counts mode's counts, then the
// rows of the anomalous values) share one deadline, Wait after the Run started; the next Run has its
// own; without a Wait there is none.
func TestOneDeadlineForAllOfARunsQueries(t *testing.T) {
	r := runner(t)
	rec := &recordingQuerier{Querier: r.Querier}
	r.Querier, r.Wait = rec, 30*time.Second
	model := `{"queryType":"anomaly","aggregate":"always","output":"top"}`
	var dues []time.Time
	for range 2 {
		rec.sent = nil
		start := time.Now()
		runModel(t, r, model)
		end := time.Now()
		if len(rec.sent) < 2 {
			t.Fatalf("counts mode sent %d queries, want the counts and the rows", len(rec.sent))
		}
		due := rec.sent[0].Due
		if due.Before(start.Add(r.Wait)) || due.After(end.Add(r.Wait)) {
			t.Errorf("due %v, want Wait (%v) after the run started (%v)", due, r.Wait, start)
		}
		for i, q := range rec.sent {
			if !q.Due.Equal(due) || q.Wait != r.Wait {
				t.Errorf("query %d: due %v, wait %v; want the run's %v and the setting's %v", i, q.Due, q.Wait, due, r.Wait)
			}
		}
		dues = append(dues, due)
	}
	if !dues[1].After(dues[0]) {
		t.Errorf("the second run is due %v, the first %v: each run has its own deadline", dues[1], dues[0])
	}
	rec.sent, r.Wait = nil, 0
	runModel(t, r, model)
	for i, q := range rec.sent {
		if !q.Due.IsZero() {
			t.Errorf("query %d: due %v without a Wait", i, q.Due)
		}
	}
}
