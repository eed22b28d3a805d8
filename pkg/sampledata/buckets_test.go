package sampledata

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestRowsIsTheTableSize checks Config.Rows's contract: a span of whole days ending on the hour
// holds exactly Rows rows (planted ones included), whatever the hour, day or seed; other spans
// and instants hold about as many (the partial hours at the ends).
func TestRowsIsTheTableSize(t *testing.T) {
	tests := []struct {
		cfg       Config
		tolerance int
		want      int // 0: cfg.Rows
	}{
		{Config{Rows: 20000, Seed: 42, Now: testNow}, 0, 0},
		{Config{Rows: 20000, Seed: 42, Now: testNow.Add(13 * time.Hour)}, 0, 0},
		{Config{Rows: 20000, Seed: 5, Now: testNow.Add(-40 * 24 * time.Hour)}, 0, 0},
		{Config{Rows: 20000, Seed: 42, Now: testNow, NoIntrusions: true}, 0, 0},
		{Config{Rows: 7001, Seed: 1, Now: testNow, Span: 2 * 24 * time.Hour}, 0, 0},
		{Config{Rows: 999, Seed: 1, Now: testNow, Span: 24 * time.Hour}, 0, 0},
		{Config{Rows: 10, Seed: 1, Now: testNow}, 0, 0},
		{Config{Rows: 1, Seed: 1, Now: testNow}, 0, 0},
		{Config{Rows: 0, Seed: 1, Now: testNow}, 0, 0},
		{Config{Rows: -5, Seed: 1, Now: testNow}, 0, 0},
		// Inside an hour the first and last hours are cut: about one busy hour's events at most
		// (20,000 a week is at most 184 an hour).
		{Config{Rows: 20000, Seed: 42, Now: testNow.Add(17*time.Minute + 3*time.Second)}, 184, 0},
		{Config{Rows: 20000, Seed: 42, Now: testNow.Add(59 * time.Minute)}, 184, 0},
		{Config{Rows: 7001, Seed: 1, Now: testNow.Add(-3 * time.Minute), Span: 2 * 24 * time.Hour}, 7001 / 2 * 10 / 156, 0},
		// A span of an hour ending at 09:00 holds the office hour 08:00: its weight, 10 of the
		// day's 156, of a day that makes Rows (less the one planted event in the hour) an hour
		// on average: 2999*24*10/156 = 4613.8, and the planted event. A span under an hour counts
		// as an hour, not as Rows connections per millisecond.
		{Config{Rows: 3000, Seed: 1, Now: testNow, Span: time.Hour}, 1, 4615},
		{Config{Rows: 3000, Seed: 1, Now: testNow, Span: time.Millisecond}, 1, 4615},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d rows, span %v, %v", tt.cfg.Rows, tt.cfg.Span, tt.cfg.Now.Format(time.RFC3339)), func(t *testing.T) {
			want := tt.want
			if want == 0 {
				want = max(tt.cfg.Rows, 0)
			}
			n := len(Events(tt.cfg))
			if d := n - want; d < -tt.tolerance || d > tt.tolerance {
				t.Errorf("%d rows, want %d (tolerance %d)", n, want, tt.tolerance)
			}
		})
	}
}

// TestDemoSlides checks that the tables of two instants share their traffic: every fleet event
// of the table at now that is still in the window at now+d is in that table too, identical, and
// the two differ only by the hours that entered and left.
func TestDemoSlides(t *testing.T) {
	for _, d := range []time.Duration{time.Hour, 25*time.Minute + 7*time.Second, 3 * 24 * time.Hour} {
		a := Config{Rows: 20000, Seed: 42, Now: testNow.Add(11 * time.Minute)}
		b := a
		b.Now = a.Now.Add(d)
		later := map[int64]Event{}
		for _, e := range Events(b) {
			if e.Planted == "" {
				later[e.ReportId] = e
			}
		}
		kept := 0
		for _, e := range Events(a) {
			if e.Planted != "" || e.TimeGenerated.Before(b.Now.Add(-DefaultSpan)) {
				continue
			}
			if got, ok := later[e.ReportId]; !ok || got != e {
				t.Fatalf("after %v: event %d changed or vanished:\n was %+v\n now %+v", d, e.ReportId, e, got)
			}
			kept++
			delete(later, e.ReportId)
		}
		for _, e := range later {
			if e.TimeGenerated.Before(a.Now) {
				t.Fatalf("after %v: event %d at %v appeared in a period both tables cover", d, e.ReportId, e.TimeGenerated)
			}
		}
		if kept == 0 {
			t.Fatalf("after %v: nothing kept", d)
		}
	}
}

// TestEventsAreTrafficAndIntrusions checks Generate's assembly against its parts: the fleet's
// rows are Traffic of the window, the planted rows are Intrusions, and each planted event comes
// after the fleet's events of its hour and before those of the next hours.
func TestEventsAreTrafficAndIntrusions(t *testing.T) {
	for _, cfg := range []Config{
		{Rows: 20000, Seed: 42, Now: testNow.Add(29*time.Minute + 400*time.Millisecond)},
		{Rows: 3000, Seed: 8, Now: testNow, Span: 36 * time.Hour},
	} {
		evs := Events(cfg)
		var fleet, planted []Event
		for i, e := range evs {
			if e.Planted == "" {
				fleet = append(fleet, e)
				continue
			}
			planted = append(planted, e)
			for _, f := range evs[i+1:] {
				if f.Planted == "" && bucketOf(f.TimeGenerated) <= bucketOf(e.TimeGenerated) {
					t.Fatalf("planted event at %v comes before a fleet event at %v", e.TimeGenerated, f.TimeGenerated)
				}
			}
		}
		span := cfg.Span
		if span == 0 {
			span = DefaultSpan
		}
		if want := Traffic(cfg, cfg.Now.Add(-span), cfg.Now); len(fleet) == 0 || !slices.Equal(fleet, want) {
			t.Errorf("%+v: the fleet's rows are not Traffic of the window (%d rows, %d)", cfg, len(fleet), len(want))
		}
		if want := Intrusions(cfg); len(planted) == 0 || !slices.Equal(planted, want) {
			t.Errorf("%+v: the planted rows are not Intrusions (%d rows, %d)", cfg, len(planted), len(want))
		}
		ids := map[int64]bool{}
		for _, e := range evs {
			if ids[e.ReportId] {
				t.Fatalf("ReportId %d twice", e.ReportId)
			}
			ids[e.ReportId] = true
		}
	}
}

// TestHourlyCounts checks the bucket counts against the profile computed by hand: a day of
// 14,000 rows a day (98,000 a week) puts 14000*10/156 ≈ 897.4 in an office hour and 269.2 in a
// night hour, rounded cumulatively so that every day sums to 14,000.
func TestHourlyCounts(t *testing.T) {
	day := bucketOf(time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
	total := 0
	for h := int64(0); h < 24; h++ {
		n := bucketRows(98000, DefaultSpan, day+h)
		total += n
		want := []int{269, 270}
		if h >= 7 && h < 19 {
			want = []int{897, 898}
		}
		if !slices.Contains(want, n) {
			t.Errorf("hour %02d: %d events, want one of %v", h, n, want)
		}
	}
	if total != 14000 {
		t.Errorf("the day holds %d events, want 14000", total)
	}
	// Hours before 1970 count the same way (floor division).
	if a, b := bucketRows(98000, DefaultSpan, day+9), bucketRows(98000, DefaultSpan, day+9-24*365*80); a != b && a-b != 1 && b-a != 1 {
		t.Errorf("an office hour in 1946 holds %d events, in 2026 %d", b, a)
	}
}
