package mtrand

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRandomSampleAtMatchesNumpyUniform reads numpy's recorded
// uniform(size=1000) at scattered positions, the way the forest reads fit's
// y at the rows its trees drew.
func TestRandomSampleAtMatchesNumpyUniform(t *testing.T) {
	s := loadStreams(t)
	positions := []int64{0, 1, 2, 311, 312, 313, 624, 700, 998, 999}
	for _, c := range s.Cases.Uniform {
		got := make([]float64, len(positions))
		if err := New(c.Seed).RandomSampleAt(context.Background(), positions, got); err != nil {
			t.Fatal(err)
		}
		for k, p := range positions {
			want, err := strconv.ParseFloat(c.Values[p], 64)
			if err != nil {
				t.Fatal(err)
			}
			if got[k] != want {
				t.Fatalf("seed %d: y[%d] = %x, numpy %s", c.Seed, p, got[k], c.Values[p])
			}
		}
	}
}

func TestRandomSampleAtRejectsBadPositions(t *testing.T) {
	tests := []struct {
		name      string
		positions []int64
		room      int
		want      string
	}{
		{"repeated", []int64{3, 3}, 2, "increase strictly, got 3 after 3"},
		{"decreasing", []int64{5, 2}, 2, "got 2 after 5"},
		{"negative", []int64{-1}, 1, "must be >= 0, got -1"},
		{"short destination", []int64{1, 2}, 1, "2 positions but room for 1"},
	}
	for _, tt := range tests {
		err := New(1).RandomSampleAt(context.Background(), tt.positions, make([]float64, tt.room))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}

// TestRandomSampleAtStopsWhenCancelled: reaching row 10^12 would take about
// half an hour; a cancelled context must end it at once.
func TestRandomSampleAtStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	err := New(1).RandomSampleAt(ctx, []int64{1_000_000_000_000}, make([]float64, 1))
	latency := time.Since(start) - 50*time.Millisecond
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	t.Logf("stopped %v after the cancel", latency)
	if latency > time.Second {
		t.Errorf("stopped %v after the cancel, want well under 1 s", latency)
	}
}

// BenchmarkSkip times stepping over the stream, the cost of fit's y per
// row (two outputs a row) when fitting from counts.
func BenchmarkSkip(b *testing.B) {
	const outputs = 100_000_000
	r := New(42)
	for b.Loop() {
		r.Skip(outputs)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/outputs, "ns/output")
}
