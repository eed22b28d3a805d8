package kql

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"
)

var t0 = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)

// eventsTable is a small table for the tabular operator tests; N has a
// null, Cat has an empty string.
func eventsTable(t testing.TB) *Table {
	tb := NewTable("E", []ColumnSchema{
		{"TimeGenerated", TypeDateTime}, {"Name", TypeString}, {"Cat", TypeString}, {"N", TypeLong}, {"R", TypeReal},
	})
	rows := [][]any{
		{t0, "a.exe", "x", int64(3), 1.5},
		{t0.Add(30 * time.Minute), "b.exe", "y", int64(1), 2.5},
		{t0.Add(90 * time.Minute), "a.exe", "x", nil, 0.5},
		{t0.Add(3 * time.Hour), "c.exe", "", int64(2), 4.0},
		{t0.Add(26 * time.Hour), "a.exe", "y", int64(5), nil},
	}
	for _, r := range rows {
		must(t, tb.AppendRow(r...))
	}
	return tb
}

type S = []ColumnSchema
type R = [][]any

func TestOperators(t *testing.T) {
	other := NewTable("Other", []ColumnSchema{{"Name", TypeString}, {"N", TypeString}, {"Extra", TypeBool}})
	must(t, other.AppendRow("z.exe", "seven", true))
	db := NewDatabase(eventsTable(t), other)
	h := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Hour) }
	tests := []struct {
		q      string
		schema S
		rows   R
	}{
		{`E | where N > 1 | project Name, N`, S{{"Name", TypeString}, {"N", TypeLong}},
			R{{"a.exe", int64(3)}, {"c.exe", int64(2)}, {"a.exe", int64(5)}}},
		{`E | where Name == "a.exe" and isnull(N) | project R`, S{{"R", TypeReal}}, R{{0.5}}},
		{`E | project Program = Name, Twice = N * 2 | take 2`, S{{"Program", TypeString}, {"Twice", TypeLong}},
			R{{"a.exe", int64(6)}, {"b.exe", int64(2)}}},
		{`E | project strlen(Name) | take 1`, S{{"Column1", TypeLong}}, R{{int64(5)}}},
		{`E | project-away TimeGenerated, R, Cat | take 1`, S{{"Name", TypeString}, {"N", TypeLong}}, R{{"a.exe", int64(3)}}},
		{`E | project-away *e* | take 1`, S{{"Cat", TypeString}, {"N", TypeLong}, {"R", TypeReal}}, R{{"x", int64(3), 1.5}}},
		{`E | project-keep N*, R | take 1`, S{{"Name", TypeString}, {"N", TypeLong}, {"R", TypeReal}}, R{{"a.exe", int64(3), 1.5}}},
		{`E | project-keep Name, TimeGenerated | take 1`, S{{"TimeGenerated", TypeDateTime}, {"Name", TypeString}}, R{{t0, "a.exe"}}},
		{`E | project-rename Program = Name, Category = Cat | project Program, Category | take 1`,
			S{{"Program", TypeString}, {"Category", TypeString}}, R{{"a.exe", "x"}}},
		{`E | project-reorder N, Name | project-away TimeGenerated, R, Cat | take 1`,
			S{{"N", TypeLong}, {"Name", TypeString}}, R{{int64(3), "a.exe"}}},
		{`E | extend M = N + 1, K = M * 10 | project M, K | take 2`, S{{"M", TypeLong}, {"K", TypeLong}},
			R{{int64(4), int64(40)}, {int64(2), int64(20)}}},
		{`E | extend N = tostring(N) | project N | take 1`, S{{"N", TypeString}}, R{{"3"}}},
		{`E | summarize count()`, S{{"count_", TypeLong}}, R{{int64(5)}}},
		{`E | where N > 100 | summarize count(), sum(N)`, S{{"count_", TypeLong}, {"sum_N", TypeLong}}, R{{int64(0), nil}}},
		{`E | where N > 100 | summarize count() by Name`, S{{"Name", TypeString}, {"count_", TypeLong}}, nil},
		{`E | summarize count(), countif(N > 1), dcount(Cat), min(N), max(N), sum(N), avg(N), sum(R), avg(R) by Name`,
			S{{"Name", TypeString}, {"count_", TypeLong}, {"countif_", TypeLong}, {"dcount_Cat", TypeLong},
				{"min_N", TypeLong}, {"max_N", TypeLong}, {"sum_N", TypeLong}, {"avg_N", TypeReal}, {"sum_R", TypeReal}, {"avg_R", TypeReal}},
			R{{"a.exe", int64(3), int64(2), int64(2), int64(3), int64(5), int64(8), 4.0, 2.0, 1.0},
				{"b.exe", int64(1), int64(0), int64(1), int64(1), int64(1), int64(1), 1.0, 2.5, 2.5},
				{"c.exe", int64(1), int64(1), int64(1), int64(2), int64(2), int64(2), 2.0, 4.0, 4.0}}},
		{`E | summarize stdev(N), variance(R), sumif(N, Cat == "x"), avgif(R, N > 1), dcountif(Name, N > 1) by Cat`,
			S{{"Cat", TypeString}, {"stdev_N", TypeReal}, {"variance_R", TypeReal}, {"sumif_N", TypeLong},
				{"avgif_R", TypeReal}, {"dcountif_Name", TypeLong}},
			R{{"x", 0.0, 0.5, int64(3), 1.5, int64(1)}, {"y", 2.8284271247461903, 0.0, nil, nil, int64(1)}, {"", 0.0, 0.0, nil, 4.0, int64(1)}}},
		{`E | summarize Ratio = countif(N > 1) * 100.0 / count() by Cat`, S{{"Cat", TypeString}, {"Ratio", TypeReal}},
			R{{"x", 50.0}, {"y", 50.0}, {"", 100.0}}},
		{`E | summarize count() * 2, max(N) - min(N), n = count()`, S{{"Column1", TypeLong}, {"Column2", TypeLong}, {"n", TypeLong}},
			R{{int64(10), int64(4), int64(5)}}},
		{`E | summarize iff(count() > 2, "many", "few") by Name`, S{{"Name", TypeString}, {"Column1", TypeString}},
			R{{"a.exe", "many"}, {"b.exe", "few"}, {"c.exe", "few"}}},
		{`let T = E | summarize c = tostring(count()); T | union T`, S{{"c", TypeString}}, R{{"5"}, {"5"}}},
		{`E | summarize percentile(N, 50), percentiles(R, 0, 25, 99.5), percentile(N * 2, 100)`,
			S{{"percentile_N_50", TypeLong}, {"percentile_R_0", TypeReal}, {"percentile_R_25", TypeReal}, {"percentile_R_99_5", TypeReal},
				{"percentile_100", TypeLong}},
			R{{int64(2), 0.5, 0.5, 4.0, int64(10)}}}, // nearest rank: ceil(0.5 * 4) = 2nd of 1, 2, 3, 5
		{`E | where N > 100 | summarize stdev(N)`, S{{"stdev_N", TypeReal}}, R{{nil}}},
		{`E | summarize Events = count(), Names = make_set(Name) by Cat`,
			S{{"Cat", TypeString}, {"Events", TypeLong}, {"Names", TypeDynamic}},
			R{{"x", int64(2), `["a.exe"]`}, {"y", int64(2), `["b.exe","a.exe"]`}, {"", int64(1), `["c.exe"]`}}},
		{`E | summarize make_set(N), make_list(Cat)`, S{{"set_N", TypeDynamic}, {"list_Cat", TypeDynamic}},
			R{{`[3,1,2,5]`, `["x","y","x","y"]`}}},
		{`E | summarize count() by bin(TimeGenerated, 1h)`, S{{"TimeGenerated", TypeDateTime}, {"count_", TypeLong}},
			R{{h(0), int64(2)}, {h(1), int64(1)}, {h(3), int64(1)}, {h(26), int64(1)}}},
		{`E | summarize n = count() by Hour = bin(TimeGenerated, 1d), Name | order by Hour asc, Name asc`,
			S{{"Hour", TypeDateTime}, {"Name", TypeString}, {"n", TypeLong}},
			R{{h(0), "a.exe", int64(2)}, {h(0), "b.exe", int64(1)}, {h(0), "c.exe", int64(1)}, {h(24), "a.exe", int64(1)}}},
		{`E | summarize count(), count() by Cat | take 1`, S{{"Cat", TypeString}, {"count_", TypeLong}, {"count_1", TypeLong}},
			R{{"x", int64(2), int64(2)}}},
		{`E | summarize arg_max(TimeGenerated, *) by Name | project Name, TimeGenerated, N`,
			S{{"Name", TypeString}, {"TimeGenerated", TypeDateTime}, {"N", TypeLong}},
			R{{"a.exe", h(26), int64(5)}, {"b.exe", t0.Add(30 * time.Minute), int64(1)}, {"c.exe", h(3), int64(2)}}},
		{`E | summarize arg_max(R, Name, Cat)`, S{{"R", TypeReal}, {"Name", TypeString}, {"Cat", TypeString}},
			R{{4.0, "c.exe", ""}}},
		{`E | summarize arg_min(N, Name) by Cat`, S{{"Cat", TypeString}, {"N", TypeLong}, {"Name", TypeString}},
			R{{"x", int64(3), "a.exe"}, {"y", int64(1), "b.exe"}, {"", int64(2), "c.exe"}}},
		{`E | extend N = iff(Name == "c.exe", long(null), N) | summarize count() by N`, S{{"N", TypeLong}, {"count_", TypeLong}},
			R{{int64(3), int64(1)}, {int64(1), int64(1)}, {nil, int64(2)}, {int64(5), int64(1)}}},
		{`E | summarize count() by R`, S{{"R", TypeReal}, {"count_", TypeLong}},
			R{{1.5, int64(1)}, {2.5, int64(1)}, {0.5, int64(1)}, {4.0, int64(1)}, {nil, int64(1)}}},
		{`E | summarize by Name`, S{{"Name", TypeString}}, R{{"a.exe"}, {"b.exe"}, {"c.exe"}}},
		// order: default descending; nulls last descending, first ascending
		{`E | order by N | project N`, S{{"N", TypeLong}}, R{{int64(5)}, {int64(3)}, {int64(2)}, {int64(1)}, {nil}}},
		{`E | sort by N asc | project N`, S{{"N", TypeLong}}, R{{nil}, {int64(1)}, {int64(2)}, {int64(3)}, {int64(5)}}},
		{`E | sort by N asc nulls last | project N`, S{{"N", TypeLong}}, R{{int64(1)}, {int64(2)}, {int64(3)}, {int64(5)}, {nil}}},
		{`E | sort by N desc nulls first | project N | take 2`, S{{"N", TypeLong}}, R{{nil}, {int64(5)}}},
		{`E | order by Name asc, TimeGenerated desc | project Name, N`, S{{"Name", TypeString}, {"N", TypeLong}},
			R{{"a.exe", int64(5)}, {"a.exe", nil}, {"a.exe", int64(3)}, {"b.exe", int64(1)}, {"c.exe", int64(2)}}},
		{`E | take 0`, S{{"TimeGenerated", TypeDateTime}, {"Name", TypeString}, {"Cat", TypeString}, {"N", TypeLong}, {"R", TypeReal}}, nil},
		{`E | limit 1 | project Name`, S{{"Name", TypeString}}, R{{"a.exe"}}},
		{`E | summarize count() by Name | top 2 by count_`, S{{"Name", TypeString}, {"count_", TypeLong}},
			R{{"a.exe", int64(3)}, {"b.exe", int64(1)}}},
		{`E | top 2 by R asc | project R`, S{{"R", TypeReal}}, R{{nil}, {0.5}}},
		{`E | distinct Name`, S{{"Name", TypeString}}, R{{"a.exe"}, {"b.exe"}, {"c.exe"}}},
		{`E | distinct Name, Cat | count`, S{{"Count", TypeLong}}, R{{int64(4)}}},
		{`E | project Name, Cat | distinct * | count`, S{{"Count", TypeLong}}, R{{int64(4)}}},
		{`E | count`, S{{"Count", TypeLong}}, R{{int64(5)}}},
		{`E | where Name == "none" | count`, S{{"Count", TypeLong}}, R{{int64(0)}}},
		{`E | where N > 2 | render timechart with (title="x")`, nil, nil},
		{`union E, Other | project Name, N_long, N_string, Extra | where Name in ("z.exe", "b.exe")`,
			S{{"Name", TypeString}, {"N_long", TypeLong}, {"N_string", TypeString}, {"Extra", TypeBool}},
			R{{"b.exe", int64(1), "", nil}, {"z.exe", nil, "seven", true}}},
		{`union withsource=Src (E | take 1), Other | project Src, Name`,
			S{{"Src", TypeString}, {"Name", TypeString}}, R{{"union_arg0", "a.exe"}, {"Other", "z.exe"}}},
		{`union kind=inner (E | take 1), Other`, S{{"Name", TypeString}}, R{{"a.exe"}, {"z.exe"}}},
		{`union kind=outer isfuzzy=true (E | take 1 | project Name), Other | project Name, Extra`,
			S{{"Name", TypeString}, {"Extra", TypeBool}}, R{{"a.exe", nil}, {"z.exe", true}}},
		{`E | take 1 | union (E | where N == 5) | project N`, S{{"N", TypeLong}}, R{{int64(3)}, {int64(5)}}},
		{`let x = ago(1d); E | where TimeGenerated > x | count`, S{{"Count", TypeLong}}, R{{int64(4)}}},
		{`let cutoff = datetime(2024-05-01T01:00:00Z);
		  let big = 2;
		  E | where TimeGenerated > cutoff and N >= big | project N`, S{{"N", TypeLong}}, R{{int64(2)}, {int64(5)}}},
		{`let T = E | where N > 2; T | count`, S{{"Count", TypeLong}}, R{{int64(2)}}},
		{`let E = E | where N > 2; E | count`, S{{"Count", TypeLong}}, R{{int64(2)}}},
		{`print ['and'] = 1, ['where'] = 2 | where ['and'] < ['where'] | project ['by'] = ['and']`, S{{"by", TypeLong}}, R{{int64(1)}}},
		{`print 1`, S{{"print_0", TypeLong}}, R{{int64(1)}}},
		{`print x = 1, y = "a"`, S{{"x", TypeLong}, {"y", TypeString}}, R{{int64(1), "a"}}},
		// what the plugin generates
		{`E | where ['TimeGenerated'] >= datetime(2024-05-01T00:00:00Z) and ['TimeGenerated'] <= datetime(2024-05-01T01:30:00.000Z) | project ["Name"]`,
			S{{"Name", TypeString}}, R{{"a.exe"}, {"b.exe"}, {"a.exe"}}},
		{`E | where ['Name'] in ("b.exe", "c.exe") | project Name`, S{{"Name", TypeString}}, R{{"b.exe"}, {"c.exe"}}},
	}
	for _, tc := range tests {
		res, err := db.Execute(context.Background(), tc.q, Options{Now: t0.Add(24 * time.Hour)})
		if err != nil {
			t.Errorf("%s: %v", tc.q, err)
			continue
		}
		if tc.schema == nil && tc.rows == nil {
			if res[0].Len() != 2 {
				t.Errorf("%s: %d rows", tc.q, res[0].Len())
			}
			continue
		}
		if got := res[0].Schema(); !reflect.DeepEqual(got, tc.schema) {
			t.Errorf("%s:\n schema %v\n want   %v", tc.q, got, tc.schema)
			continue
		}
		if got := tableRows(res[0]); !reflect.DeepEqual(got, tc.rows) {
			t.Errorf("%s:\n rows %v\n want %v", tc.q, got, tc.rows)
		}
	}
}

// TestTimespanOption checks that the request's timespan restricts tables
// with a TimeGenerated column to [Start, End) and leaves others alone.
func TestTimespanOption(t *testing.T) {
	other := NewTable("NoTime", []ColumnSchema{{"A", TypeLong}})
	must(t, other.AppendRow(int64(1)))
	db := NewDatabase(eventsTable(t), other)
	opts := Options{Timespan: &TimeRange{Start: t0.Add(30 * time.Minute), End: t0.Add(3 * time.Hour)}}
	for q, want := range map[string]int64{
		`E | count`:                         2,
		`NoTime | count`:                    1,
		`union E, NoTime | count`:           3,
		`E | where N > 0 | count`:           1,
		`let T = E; T | count`:              2,
		`E | where isnull(N) | count`:       1,
		`E | where Name == "c.exe" | count`: 0,
	} {
		res, err := db.Execute(context.Background(), q, opts)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if got := res[0].Value(0, 0); got != want {
			t.Errorf("%s = %v, want %d", q, got, want)
		}
	}
}

func TestMultipleResultsAndMaxRows(t *testing.T) {
	db := NewDatabase(eventsTable(t))
	res, err := db.Execute(context.Background(), "E | count; E | take 4", Options{MaxRows: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Name() != "PrimaryResult" || res[1].Name() != "Table_1" || res[1].Len() != 2 {
		t.Fatalf("got %d tables", len(res))
	}
	// Truncating or appending to a result must not touch the loaded table.
	res, err = db.Execute(context.Background(), "E", Options{MaxRows: 2})
	if err != nil || res[0].Len() != 2 {
		t.Fatalf("MaxRows: %v, %d rows", err, res[0].Len())
	}
	must(t, res[0].AppendRow(t0, "new.exe", "n", int64(9), 9.0))
	res[0].Grow(10)
	must(t, res[0].AppendRow(t0, "new2.exe", "n", nil, 9.0))
	if res[0].Len() != 4 || res[0].Value(3, 1) != "new2.exe" || res[0].Value(3, 3) != nil || res[0].Value(0, 1) != "a.exe" {
		t.Fatalf("after Grow: %v", tableRows(res[0]))
	}
	res, err = db.Execute(context.Background(), "E | summarize count(), make_set(Name)", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := tableRows(res[0]); !reflect.DeepEqual(got, R{{int64(5), `["a.exe","b.exe","c.exe"]`}}) {
		t.Fatalf("the loaded table changed: %v", got)
	}
}

// TestConcurrentExecute runs queries in parallel on one Database; run
// with -race to check that execution shares no mutable state.
func TestConcurrentExecute(t *testing.T) {
	db := NewDatabase(newDeviceNetworkEvents(t, 2000, 5, notebookNow, 8*24*time.Hour))
	queries := append([]string{
		"DeviceNetworkEvents | summarize count() by bin(TimeGenerated, 1h) | order by TimeGenerated asc",
		"DeviceNetworkEvents | extend x = strlen(DeviceName) | summarize arg_max(TimeGenerated, *) by DeviceName",
	}, notebookQueries...)
	want := make([][][]any, len(queries))
	for i, q := range queries {
		res, err := db.Execute(context.Background(), q, Options{Now: notebookNow})
		must(t, err)
		want[i] = tableRows(res[0])
	}
	errs := make(chan error, 8*len(queries))
	for w := 0; w < 8; w++ {
		go func() {
			for i, q := range queries {
				res, err := db.Execute(context.Background(), q, Options{Now: notebookNow})
				if err == nil && !reflect.DeepEqual(tableRows(res[0]), want[i]) {
					err = fmt.Errorf("query %d: different result under concurrency", i)
				}
				errs <- err
			}
		}()
	}
	for k := 0; k < 8*len(queries); k++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
