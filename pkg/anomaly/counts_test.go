package anomaly

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/framerows"
)

// countsOfRows is `summarize n = count() by <fields>[, bin(TimeGenerated, bucket)]` done in plain Go
// on the fixture's rows: one row per combination in order of first appearance.
func countsOfRows(t *testing.T, in *data.Frame, fields []string, bucket time.Duration) *data.Frame {
	t.Helper()
	type key struct {
		vals string
		at   time.Time
	}
	var order []key
	first := map[key]int{}
	n := map[key]int64{}
	times := column[time.Time](t, in, "TimeGenerated")
	for i := range times {
		var parts []string
		for _, f := range fields {
			v, _ := in.Fields[slices.IndexFunc(in.Fields, func(x *data.Field) bool { return x.Name == f })].ConcreteAt(i)
			b, _ := json.Marshal(v)
			parts = append(parts, string(b))
		}
		k := key{vals: strings.Join(parts, "|")}
		if bucket > 0 {
			k.at = times[i].UTC().Truncate(bucket)
		}
		if _, ok := first[k]; !ok {
			first[k] = i
			order = append(order, k)
		}
		n[k]++
	}
	out := data.NewFrame("PrimaryResult")
	for _, f := range fields {
		src, _ := in.FieldByName(f)
		var idx []int
		for _, k := range order {
			idx = append(idx, first[k])
		}
		out.Fields = append(out.Fields, framerows.TakeField(src, idx))
	}
	var counts []int64
	var at []time.Time
	for _, k := range order {
		counts = append(counts, n[k])
		at = append(at, k.at)
	}
	if bucket > 0 {
		out.Fields = append(out.Fields, data.NewField("TimeGenerated", nil, at))
	}
	out.Fields = append(out.Fields, data.NewField("n", nil, counts))
	return out
}

// TestCountsEqualCanonicalRows: every output counts allow is, output by output, what canonical
// order gives on the rows the counts stand for (issue 10's proof, in the anomaly package).
func TestCountsEqualCanonicalRows(t *testing.T) {
	in, _ := scoreFixture(t, 4000, 11)
	ctx := context.Background()
	for _, fields := range [][]string{{"InitiatingProcessFileName"}, {"InitiatingProcessFileName", "DeviceName"}} {
		for _, enc := range []string{EncodingLabel, EncodingFrequency} {
			counts := countsOfRows(t, in, fields, 0)
			for _, output := range []string{OutputCount, OutputCountByValue, OutputAnomaliesByValue, OutputValues} {
				o := opts(func(o *Options) { o.Fields, o.Encoding, o.Output = fields, enc, output })
				fromRows, err := Pipeline{Options: o}.Run(ctx, in)
				if err != nil {
					t.Fatal(err)
				}
				fromCounts, err := CountsPipeline{Options: o, CountField: "n"}.Run(ctx, counts)
				if err != nil {
					t.Fatal(err)
				}
				if a, b := tableOf(t, fromRows), tableOf(t, fromCounts); a != b {
					t.Errorf("%v %s %s:\nrows   %s\ncounts %s", fields, enc, output, a, b)
				}
				if m, ok := fromCounts.Meta.Custom.(*Meta); !ok || m.Aggregate != AggregateCounts || m.RowOrder != RowOrderCanonical {
					t.Errorf("counts meta %+v", fromCounts.Meta.Custom)
				}
			}
			// anomalies and top: the rows of the anomalous values, as a second query fetches them.
			o := opts(func(o *Options) { o.Fields, o.Encoding = fields, enc })
			scored, err := ScoreCounts(ctx, counts, o, "n")
			if err != nil {
				t.Fatal(err)
			}
			combos, err := AnomalousCombinations(scored)
			if err != nil || len(combos) == 0 {
				t.Fatalf("%v %v", combos, err)
			}
			for _, output := range []string{OutputAnomalies, OutputTop} {
				o.Output = output
				fromRows, err := Pipeline{Options: o}.Run(ctx, in)
				if err != nil {
					t.Fatal(err)
				}
				got, err := ScoreFetchedRows(in, scored, o) // every row fetched: the flagged ones must come out
				if err != nil {
					t.Fatal(err)
				}
				if a, b := tableOf(t, fromRows), tableOf(t, got); a != b {
					t.Errorf("%v %s %s differ", fields, enc, output)
				}
			}
		}
	}
}

// TestCountSeriesEqualsRows: the series from per-bucket counts is the series of the rows.
func TestCountSeriesEqualsRows(t *testing.T) {
	in, _ := scoreFixture(t, 4000, 12)
	o := opts(func(o *Options) { o.Output = OutputSeries })
	fromRows, err := Pipeline{Options: o, Interval: time.Hour}.Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	counts := countsOfRows(t, in, o.Fields, time.Hour)
	fromCounts, err := CountSeries(context.Background(), counts, o, "n", "TimeGenerated", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := tableOf(t, fromRows), tableOf(t, fromCounts); a != b || fromRows.Rows() < 2 {
		t.Errorf("rows   %s\ncounts %s", a, b)
	}
}

func TestCountsErrors(t *testing.T) {
	in, _ := scoreFixture(t, 500, 13)
	counts := countsOfRows(t, in, []string{"InitiatingProcessFileName"}, 0)
	ctx := context.Background()
	if _, err := (CountsPipeline{Options: opts(nil), CountField: "n"}).Run(ctx, counts); !errors.Is(err, ErrRowsNeedRows) {
		t.Errorf("rows from counts: %v", err)
	}
	if _, err := ScoreCounts(ctx, counts, opts(nil), "nope"); !errors.Is(err, ErrNoColumn) {
		t.Errorf("missing count field: %v", err)
	}
	bad := countsOfRows(t, in, []string{"InitiatingProcessFileName"}, 0)
	bad.Fields[1] = data.NewField("n", nil, append([]int64{0}, make([]int64, bad.Rows()-1)...))
	if _, err := ScoreCounts(ctx, bad, opts(nil), "n"); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "at least 1") {
		t.Errorf("zero count: %v", err)
	}
}

// tableOf renders a frame's fields and values (not its metadata) for comparison.
func tableOf(t *testing.T, f *data.Frame) string {
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
