package anomaly

import (
	"cmp"
	"errors"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
)

// scoredRows is what every output is built from: the rows, their labels and scores as ScoreRows
// gives them (ScoreRows itself is checked against iforest in score_test.go).
type scoredRows struct {
	names   []string
	devices []string
	times   []time.Time
	labels  []int64
	scores  []float64
}

func scoreFixture(t *testing.T, n int, seed uint64) (*data.Frame, scoredRows) {
	t.Helper()
	in := eventsFrame(processes(n, seed))
	s, err := ScoreRows(in, NotebookOptions())
	if err != nil {
		t.Fatal(err)
	}
	return in, scoredRows{
		names: column[string](t, s, "InitiatingProcessFileName"), devices: column[string](t, s, "DeviceName"),
		times: column[time.Time](t, s, "TimeGenerated"), labels: column[int64](t, s, FieldAnomaly), scores: column[float64](t, s, FieldScore),
	}
}

func run(t *testing.T, in *data.Frame, mut func(*Options), interval time.Duration) *data.Frame {
	t.Helper()
	out, err := Pipeline{Options: opts(mut), Interval: interval}.Run(in)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// expectedAnomalies sorts the flagged rows (among keep) by score with a plain insertion sort,
// independent of the package's sort.
func expectedAnomalies(r scoredRows, keep func(i int) bool) []int {
	var idx []int
	for i, l := range r.labels {
		if l == -1 && keep(i) {
			j := len(idx)
			idx = append(idx, i)
			for j > 0 && r.scores[idx[j-1]] > r.scores[i] {
				idx[j] = idx[j-1]
				j--
			}
			idx[j] = i
		}
	}
	return idx
}

func all(int) bool { return true }

func TestOutputsRowsAnomaliesTop(t *testing.T) {
	in, r := scoreFixture(t, 4000, 11)
	want := expectedAnomalies(r, all)
	if len(want) < 12 {
		t.Fatalf("only %d anomalies: fixture too small to test top 10", len(want))
	}
	pick := func(idx []int) []string {
		out := make([]string, len(idx))
		for k, i := range idx {
			out[k] = r.names[i]
		}
		return out
	}
	pickTimes := func(idx []int) []time.Time {
		out := make([]time.Time, len(idx))
		for k, i := range idx {
			out[k] = r.times[i]
		}
		return out
	}

	rows := run(t, in, nil, 0)
	if rows.Rows() != 4000 || !slices.Equal(column[string](t, rows, "InitiatingProcessFileName"), r.names) {
		t.Error("rows output lost or reordered rows")
	}

	an := run(t, in, func(o *Options) { o.Output = "anomalies" }, 0)
	if got := column[string](t, an, "InitiatingProcessFileName"); !slices.Equal(got, pick(want)) {
		t.Errorf("anomalies: %v\nwant %v", got, pick(want))
	}
	if !slices.Equal(column[time.Time](t, an, "TimeGenerated"), pickTimes(want)) {
		t.Error("anomalies: rows' other columns do not travel with them")
	}
	for _, l := range column[int64](t, an, FieldAnomaly) {
		if l != -1 {
			t.Fatal("anomalies output holds a normal row")
		}
	}

	for _, n := range []int{10, 1, 3, len(want) + 5} {
		top := run(t, in, func(o *Options) { o.Output = "top"; o.TopN = n }, 0)
		w := want[:min(n, len(want))]
		if got := column[float64](t, top, FieldScore); len(got) != len(w) || !slices.Equal(column[time.Time](t, top, "TimeGenerated"), pickTimes(w)) {
			t.Errorf("top %d: %d rows, want %d", n, len(got), len(w))
		}
	}
	if top := run(t, in, func(o *Options) { o.Output = "top" }, 0); !slices.IsSortedFunc(column[float64](t, top, FieldScore), cmp.Compare[float64]) || top.Rows() != 10 {
		t.Error("default top is not the ten lowest scores")
	}
}

func TestOutputCount(t *testing.T) {
	in, r := scoreFixture(t, 3000, 12)
	var flagged, chrome, chromeFlagged int64
	for i, l := range r.labels {
		isChrome := strings.Contains(strings.ToLower(r.names[i]), "chrome")
		if isChrome {
			chrome++
		}
		if l == -1 {
			flagged++
			if isChrome {
				chromeFlagged++
			}
		}
	}
	for _, tc := range []struct {
		desc          string
		search        *Search
		anomalies, of int64
	}{
		{"all rows", nil, flagged, 3000},
		{"searched rows", &Search{Column: "InitiatingProcessFileName", Value: "CHROME", Mode: SearchText}, chromeFlagged, chrome},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			c := run(t, in, func(o *Options) { o.Output = "count"; o.Search = tc.search }, 0)
			// One numeric field, one row: what Grafana's alerting reads as a single number.
			numeric := 0
			for _, f := range c.Fields {
				if f.Type().Numeric() {
					numeric++
				}
			}
			if c.Rows() != 1 || numeric != 1 || len(c.Fields) != 1 || c.Fields[0].Name != "Anomalies" {
				t.Fatalf("count frame %v with %d rows", fieldNames(c), c.Rows())
			}
			if got := c.Fields[0].At(0).(int64); got != tc.anomalies {
				t.Errorf("Anomalies = %d, want %d", got, tc.anomalies)
			}
			var rowsStat float64 = -1
			for _, s := range c.Meta.Stats {
				if s.DisplayName == "Rows" {
					rowsStat = s.Value
				}
			}
			if rowsStat != float64(tc.of) {
				t.Errorf("Rows stat = %v, want %d", rowsStat, tc.of)
			}
			if c.Meta.Type != data.FrameTypeNumericWide {
				t.Errorf("frame type %q", c.Meta.Type)
			}
		})
	}
}

func TestOutputCountByValue(t *testing.T) {
	in, r := scoreFixture(t, 3000, 13)
	type agg struct {
		first          int
		count, flagged int64
		score          float64
	}
	// Independent aggregation, keyed by the combination of process and device.
	build := func(key func(i int) string) ([]string, map[string]*agg) {
		m := map[string]*agg{}
		var order []string
		for i := range r.names {
			k := key(i)
			a := m[k]
			if a == nil {
				a = &agg{first: i, score: r.scores[i]}
				m[k] = a
				order = append(order, k)
			}
			a.count++
			if r.labels[i] == -1 {
				a.flagged++
			}
			a.score = min(a.score, r.scores[i])
		}
		slices.SortStableFunc(order, func(a, b string) int { return cmp.Compare(m[a].score, m[b].score) })
		return order, m
	}
	t.Run("one field", func(t *testing.T) {
		order, m := build(func(i int) string { return r.names[i] })
		c := run(t, in, func(o *Options) { o.Output = "countByValue" }, 0)
		if want := []string{"InitiatingProcessFileName", "Count", "Anomalies", "Anomaly_Score"}; !slices.Equal(fieldNames(c), want) {
			t.Fatalf("fields %v, want %v", fieldNames(c), want)
		}
		names, counts, flagged, scores := column[string](t, c, "InitiatingProcessFileName"), column[int64](t, c, "Count"), column[int64](t, c, "Anomalies"), column[float64](t, c, FieldScore)
		if !slices.Equal(names, order) {
			t.Fatalf("values %v\nwant %v", names, order)
		}
		for k, n := range names {
			if a := m[n]; counts[k] != a.count || flagged[k] != a.flagged || scores[k] != a.score {
				t.Errorf("%s: %d/%d/%v, want %d/%d/%v", n, counts[k], flagged[k], scores[k], a.count, a.flagged, a.score)
			}
		}
	})
	t.Run("two fields", func(t *testing.T) {
		o := func(o *Options) {
			o.Output = "countByValue"
			o.Fields = []string{"InitiatingProcessFileName", "DeviceName"}
		}
		s, err := ScoreRows(in, opts(o))
		if err != nil {
			t.Fatal(err)
		}
		r.labels, r.scores = column[int64](t, s, FieldAnomaly), column[float64](t, s, FieldScore)
		order, m := build(func(i int) string { return r.names[i] + "|" + r.devices[i] })
		c := run(t, in, o, 0)
		names, devices, counts := column[string](t, c, "InitiatingProcessFileName"), column[string](t, c, "DeviceName"), column[int64](t, c, "Count")
		if len(names) != len(order) {
			t.Fatalf("%d combinations, want %d", len(names), len(order))
		}
		for k := range names {
			if key := names[k] + "|" + devices[k]; key != order[k] || counts[k] != m[key].count {
				t.Errorf("row %d: %s (%d), want %s (%d)", k, key, counts[k], order[k], m[order[k]].count)
			}
		}
	})
}

func TestOutputSeries(t *testing.T) {
	in, r := scoreFixture(t, 3000, 14)
	for _, interval := range []time.Duration{time.Hour, 10 * time.Minute, 0} {
		s := run(t, in, func(o *Options) { o.Output = "series" }, interval)
		if s.Meta.Type != data.FrameTypeTimeSeriesWide || !slices.Equal(fieldNames(s), []string{"Time", "Anomalies"}) {
			t.Fatalf("series frame %v type %q", fieldNames(s), s.Meta.Type)
		}
		times, counts := column[time.Time](t, s, "Time"), column[int64](t, s, "Anomalies")
		step := interval
		if step == 0 {
			step = times[1].Sub(times[0])
		}
		// Independent bucketing: Unix-epoch alignment equals bin()'s for these intervals.
		want := map[int64]int64{}
		var total int64
		for i, l := range r.labels {
			if l == -1 {
				want[r.times[i].UnixNano()/int64(step)]++
				total++
			}
		}
		var sum int64
		for k, tm := range times {
			if k > 0 && tm.Sub(times[k-1]) != step {
				t.Fatalf("interval %v: gap between buckets %v and %v", interval, times[k-1], tm)
			}
			if tm.UnixNano()%int64(step) != 0 {
				t.Fatalf("bucket %v is not aligned to %v", tm, step)
			}
			if counts[k] != want[tm.UnixNano()/int64(step)] {
				t.Errorf("interval %v: bucket %v has %d, want %d", interval, tm, counts[k], want[tm.UnixNano()/int64(step)])
			}
			sum += counts[k]
		}
		if sum != total || !times[0].Before(r.times[0].Add(time.Nanosecond)) || times[len(times)-1].Add(step).Before(r.times[len(r.times)-1]) {
			t.Errorf("interval %v: %d anomalies in %d buckets, want %d over the rows' span", interval, sum, len(times), total)
		}
		if interval == 0 && len(times) > 100 {
			t.Errorf("automatic interval gave %d buckets", len(times))
		}
	}
	// A tiny interval is widened rather than making millions of points.
	s := run(t, in, func(o *Options) { o.Output = "series" }, time.Millisecond)
	if s.Rows() > maxBuckets || len(s.Meta.Notices) == 0 {
		t.Errorf("1ms interval: %d buckets, notices %v", s.Rows(), s.Meta.Notices)
	}
	// No time column.
	noTime := data.NewFrame("t", data.NewField("InitiatingProcessFileName", nil, processes(50, 1)))
	if _, err := Score(noTime, opts(func(o *Options) { o.Output = "series" })); !errors.Is(err, ErrNoColumn) || !strings.Contains(err.Error(), "time column") {
		t.Errorf("series without time: %v", err)
	}
}

func TestSearch(t *testing.T) {
	in, r := scoreFixture(t, 2000, 15)
	for _, tc := range []struct {
		desc   string
		search Search
		keep   func(i int) bool
	}{
		{"text mode is case-insensitive", Search{Column: "InitiatingProcessFileName", Value: "TEAMS", Mode: SearchText},
			func(i int) bool { return strings.Contains(strings.ToLower(r.names[i]), "teams") }},
		{"regex mode is case-sensitive", Search{Column: "InitiatingProcessFileName", Value: "TEAMS"}, func(int) bool { return false }},
		{"regex mode, the notebook's default", Search{Column: "InitiatingProcessFileName", Value: `^[Tt]eams\.`},
			func(i int) bool { return strings.HasPrefix(strings.ToLower(r.names[i]), "teams.") }},
		{"regex alternation", Search{Column: "DeviceName", Value: "ws-03|ws-04", Mode: SearchRegex},
			func(i int) bool { return r.devices[i] == "ws-03" || r.devices[i] == "ws-04" }},
		{"substring of device", Search{Column: "DeviceName", Value: "s-03"}, func(i int) bool { return r.devices[i] == "ws-03" }},
		{"number column", Search{Column: "RemotePort", Value: "80"}, func(i int) bool { return i%3 == 1 || i%3 == 2 }},
		{"the anomalies, as a hunter searches them", Search{Column: "Anomaly", Value: "-1"}, func(i int) bool { return r.labels[i] == -1 }},
		{"time prefix", Search{Column: "TimeGenerated", Value: r.times[0].UTC().Format("2006-01-02 15:04")},
			func(i int) bool {
				return r.times[i].UTC().Format("2006-01-02 15:04") == r.times[0].UTC().Format("2006-01-02 15:04")
			}},
		{"regex characters are text in text mode", Search{Column: "InitiatingProcessFileName", Value: ".*", Mode: SearchText}, func(int) bool { return false }},
		{"regex characters are a regex by default", Search{Column: "InitiatingProcessFileName", Value: ".*"}, all},
		{"empty value keeps all", Search{Column: "DeviceName", Value: ""}, all},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			var want []time.Time
			for i := range r.names {
				if tc.keep(i) {
					want = append(want, r.times[i])
				}
			}
			s := tc.search
			got := run(t, in, func(o *Options) { o.Search = &s }, 0)
			if !slices.Equal(column[time.Time](t, got, "TimeGenerated"), want) {
				t.Errorf("%d rows, want %d", got.Rows(), len(want))
			}
			// Scores are those of all rows, whatever the search.
			an := run(t, in, func(o *Options) { o.Search = &s; o.Output = "anomalies" }, 0)
			wantIdx := expectedAnomalies(r, tc.keep)
			gotScores := column[float64](t, an, FieldScore)
			if len(gotScores) != len(wantIdx) {
				t.Fatalf("searched anomalies: %d, want %d", len(gotScores), len(wantIdx))
			}
			for k, i := range wantIdx {
				if gotScores[k] != r.scores[i] {
					t.Errorf("searched anomaly %d scored %v, want the unsearched %v", k, gotScores[k], r.scores[i])
				}
			}
		})
	}
	if _, err := Score(in, opts(func(o *Options) { o.Search = &Search{Column: "Nope", Value: "x"} })); !errors.Is(err, ErrNoColumn) || !strings.Contains(err.Error(), `search column "Nope"`) {
		t.Errorf("unknown search column: %v", err)
	}
	if _, err := Score(in, opts(func(o *Options) { o.Output = "histogram" })); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown output: %v", err)
	}
}

func TestAnomalousValues(t *testing.T) {
	in, r := scoreFixture(t, 3000, 16)
	s, err := ScoreRows(in, NotebookOptions())
	if err != nil {
		t.Fatal(err)
	}
	// Independent: flagged values ordered by their lowest score, then first appearance.
	var want []string
	for _, i := range expectedAnomalies(r, all) {
		if !slices.Contains(want, r.names[i]) {
			want = append(want, r.names[i])
		}
	}
	if got, err := AnomalousValues(s, "InitiatingProcessFileName"); err != nil || !slices.Equal(got, want) || len(want) == 0 {
		t.Errorf("AnomalousValues = %q, %v, want %q", got, err, want)
	}
	// The anomalies output keeps what AnomalousValues needs.
	an := run(t, in, func(o *Options) { o.Output = "anomalies" }, 0)
	if got, err := AnomalousValues(an, "InitiatingProcessFileName"); err != nil || !slices.Equal(got, want) {
		t.Errorf("from anomalies output: %q, %v", got, err)
	}
	if got, err := AnomalousValues(s, "RemotePort"); err != nil || len(got) == 0 || got[0] == "" {
		t.Errorf("numbers render as text: %q, %v", got, err)
	}
	for _, f := range []*data.Frame{nil, in} {
		if got, err := AnomalousValues(f, "InitiatingProcessFileName"); got != nil || !errors.Is(err, ErrNotScored) {
			t.Errorf("unscored frame gave %q, %v", got, err)
		}
	}
	if got, err := AnomalousValues(s, "Nope"); got != nil || !errors.Is(err, ErrNoColumn) || !strings.Contains(err.Error(), `"Nope"`) {
		t.Errorf("missing field gave %q, %v", got, err)
	}
	// Nulls and empty strings are never pivot values.
	names := processes(400, 2)
	vals := make([]*string, len(names))
	for i := range names {
		vals[i] = ptr(names[i])
	}
	vals[7], vals[8] = nil, ptr("")
	sn, err := ScoreRows(data.NewFrame("t", data.NewField("InitiatingProcessFileName", nil, vals)), opts(func(o *Options) { o.Forest.Contamination = iforest.ContaminationFraction(0.5) }))
	if err != nil {
		t.Fatal(err)
	}
	values, err := AnomalousValues(sn, "InitiatingProcessFileName")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range values {
		if v == "" {
			t.Error("an empty or null value is offered as a pivot value")
		}
	}
}

// TestOutputsOfNothing: every output answers an empty result without an error, so a panel shows
// nothing and an alert on count reads 0.
func TestOutputsOfNothing(t *testing.T) {
	for _, output := range []string{"rows", "anomalies", "top", "count", "countByValue", "series"} {
		out, err := Score(eventsFrame(nil), opts(func(o *Options) { o.Output = output }))
		if err != nil {
			t.Errorf("%s: %v", output, err)
			continue
		}
		want := 0
		if output == "count" {
			want = 1
		}
		if out.Rows() != want {
			t.Errorf("%s: %d rows", output, out.Rows())
		}
	}
}

// TestSeriesNullTimes: rows without a time are left out of the series, with a warning.
func TestSeriesNullTimes(t *testing.T) {
	names := processes(300, 21)
	times := make([]*time.Time, len(names))
	for i := range times {
		if i%10 != 0 {
			tm := testNow.Add(-time.Duration(i) * time.Minute)
			times[i] = &tm
		}
	}
	in := data.NewFrame("t", data.NewField("TimeGenerated", nil, times), data.NewField("InitiatingProcessFileName", nil, names))
	s, err := Pipeline{Options: opts(func(o *Options) { o.Output = "series"; o.Forest.Contamination = iforest.ContaminationFraction(0.5) }), Interval: time.Hour}.Run(in)
	if err != nil {
		t.Fatal(err)
	}
	scored, err := ScoreRows(in, opts(func(o *Options) { o.Forest.Contamination = iforest.ContaminationFraction(0.5) }))
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	for i, l := range column[int64](t, scored, FieldAnomaly) {
		if l == -1 && times[i] != nil {
			want++
		}
	}
	var got int64
	for _, c := range column[int64](t, s, "Anomalies") {
		got += c
	}
	if got != want || len(s.Meta.Notices) != 1 || !strings.Contains(s.Meta.Notices[0].Text, "30 rows have no TimeGenerated") {
		t.Errorf("series counted %d, want %d; notices %v", got, want, s.Meta.Notices)
	}
}

// TestSearchInvalidRegex: an expression Go's regexp cannot compile is the user's to fix, and the
// message says how (escape, or plain text mode).
func TestSearchInvalidRegex(t *testing.T) {
	in, _ := scoreFixture(t, 300, 3)
	for _, v := range []string{"a.exe(", "[", `(?<=x)y`} {
		_, err := Score(in, opts(func(o *Options) { o.Search = &Search{Column: "InitiatingProcessFileName", Value: v} }))
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "is not a regular expression") || !strings.Contains(err.Error(), `"text"`) {
			t.Errorf("%q: %v", v, err)
		}
	}
	_, err := Score(in, opts(func(o *Options) { o.Search = &Search{Column: "DeviceName", Value: "x", Mode: "glob"} }))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `search mode "glob" is not known`) {
		t.Errorf("unknown mode: %v", err)
	}
}

// TestCountByValueKeepsNullApartFromNaN: the forest sees null and NaN as one value (pandas stores
// a missing number as NaN), but a count per value tells the hunter which is which.
func TestCountByValueKeepsNullApartFromNaN(t *testing.T) {
	vals := make([]*float64, 300)
	for i := range vals {
		switch {
		case i%50 == 0:
			vals[i] = nil
		case i%50 == 1:
			vals[i] = ptr(math.NaN())
		default:
			vals[i] = ptr(float64(i % 7))
		}
	}
	c, err := Score(data.NewFrame("t", data.NewField("Bytes", nil, vals)), opts(func(o *Options) { o.Fields = []string{"Bytes"}; o.Output = "countByValue" }))
	if err != nil {
		t.Fatal(err)
	}
	var nulls, nans int64
	counts, _ := c.FieldByName("Count")
	for i := 0; i < c.Rows(); i++ {
		v := c.Fields[0].At(i).(*float64)
		switch {
		case v == nil:
			nulls += counts.At(i).(int64)
		case math.IsNaN(*v):
			nans += counts.At(i).(int64)
		}
	}
	if nulls != 6 || nans != 6 || c.Rows() != 9 {
		t.Errorf("null rows %d, NaN rows %d (want 6 and 6), %d values (want 7 numbers, null, NaN)", nulls, nans, c.Rows())
	}
}

// TestSeriesRefusesSpansItCannotRepresent: times 300 years apart would overflow the bucket
// arithmetic (time.Duration) and label buckets with wrong years.
func TestSeriesRefusesSpansItCannotRepresent(t *testing.T) {
	times := make([]time.Time, 200)
	names := processes(200, 4)
	for i := range times {
		times[i] = time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
	}
	times[199] = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	in := data.NewFrame("t", data.NewField("TimeGenerated", nil, times), data.NewField("InitiatingProcessFileName", nil, names))
	_, err := Score(in, opts(func(o *Options) { o.Output = "series" }))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "292 years") || !strings.Contains(err.Error(), "1800-01-01") {
		t.Errorf("got %v", err)
	}
	times[199] = time.Date(2080, 1, 1, 0, 0, 0, 0, time.UTC) // 280 years: fine, widened buckets
	in = data.NewFrame("t", data.NewField("TimeGenerated", nil, times), data.NewField("InitiatingProcessFileName", nil, names))
	s, err := Score(in, opts(func(o *Options) { o.Output = "series" }))
	if err != nil {
		t.Fatalf("280 years: %v", err)
	}
	first, last := s.Fields[0].At(0).(time.Time), s.Fields[0].At(s.Rows()-1).(time.Time)
	if s.Rows() > maxBuckets || first.After(times[0]) || last.After(times[199]) || last.Year() < 2070 {
		t.Errorf("280 years: %d buckets from %v to %v", s.Rows(), first, last)
	}
}

// TestOutputAnomaliesByValue: the alerting output is Grafana's numeric data, one number and the
// values as string labels, one row per anomalous value, counted independently here.
func TestOutputAnomaliesByValue(t *testing.T) {
	in, r := scoreFixture(t, 3000, 21)
	want := map[string]int64{}
	for i, l := range r.labels {
		if l == -1 {
			want[r.names[i]]++
		}
	}
	if len(want) == 0 {
		t.Fatal("the fixture has no anomalies")
	}
	c := run(t, in, func(o *Options) { o.Output = OutputAnomaliesByValue }, 0)
	if c.Meta.Type != data.FrameTypeNumericLong || len(c.Fields) != 2 || c.Fields[1].Type() != data.FieldTypeInt64 ||
		c.Fields[0].Type() != data.FieldTypeString || c.Fields[0].Name != "InitiatingProcessFileName" {
		t.Fatalf("shape: type %s, fields %v", c.Meta.Type, fieldNames(c))
	}
	got := map[string]int64{}
	var order []string
	for i := 0; i < c.Rows(); i++ {
		got[c.Fields[0].At(i).(string)] = c.Fields[1].At(i).(int64)
		order = append(order, c.Fields[0].At(i).(string))
	}
	if !maps.Equal(got, want) || !slices.IsSorted(order) {
		t.Errorf("got %v (order %q), want %v sorted by value", got, order, want)
	}
	// Several fields: one label per field.
	c = run(t, in, func(o *Options) {
		o.Output = OutputAnomaliesByValue
		o.Fields = []string{"InitiatingProcessFileName", "DeviceName"}
	}, 0)
	if len(c.Fields) != 3 || c.Fields[1].Name != "DeviceName" || c.Fields[2].Name != "Anomalies" {
		t.Errorf("two fields: %v", fieldNames(c))
	}
}

// TestOutputValues: the variable output lists what AnomalousValues lists, in one string field.
func TestOutputValues(t *testing.T) {
	in, _ := scoreFixture(t, 2000, 5)
	v := run(t, in, func(o *Options) { o.Output = OutputValues }, 0)
	want, err := AnomalousValues(run(t, in, func(*Options) {}, 0), "InitiatingProcessFileName")
	if err != nil || len(want) == 0 {
		t.Fatalf("%q %v", want, err)
	}
	if len(v.Fields) != 1 || !slices.Equal(column[string](t, v, "InitiatingProcessFileName"), want) {
		t.Errorf("values %v, want %q", fieldNames(v), want)
	}
}
