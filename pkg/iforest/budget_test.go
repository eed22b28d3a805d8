package iforest

import (
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestIssue7ForestIsRefusedBeforeAnyWork is the query of issue 7: 10,000
// trees of max_samples 1.0 on 100,000 rows of three fields allocated every
// tree's sample at once and died at 4 GiB. It must now fail at once, say
// what to lower, and allocate next to nothing.
func TestIssue7ForestIsRefusedBeforeAnyWork(t *testing.T) {
	X := codes(7, 100_000, 5000, 3000, 60)
	cfg := DefaultConfig()
	cfg.NEstimators = 10000
	cfg.MaxSamples = MaxSamplesFraction(1.0)
	f, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, _, err = f.FitPredictDecision(t.Context(), X)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("refused in %v, %d bytes allocated: %v", took, allocated, err)
	want := "10000 trees of 100000 rows each (nEstimators x max_samples_) is 1000000000 sampled rows, more than the 4194304 one forest may use (it bounds the plugin's memory); lower nEstimators to 41 or maxSamples to 419 rows or fewer"
	if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v, want ErrInvalidConfig with %q", err, want)
	}
	if allocated > 64<<10 {
		t.Errorf("the refusal allocated %d bytes: work was done before the budget check", allocated)
	}
}

func TestSampleSizeAndBudget(t *testing.T) {
	tests := []struct {
		name    string
		trees   int
		ms      MaxSamples
		n       int64
		want    int
		warning string
		err     string
	}{
		{"auto, few rows", 100, MaxSamplesAuto(), 100, 100, "", ""},
		{"auto", 100, MaxSamplesAuto(), 1 << 40, 256, "", ""},
		{"10000 trees of auto", 10000, MaxSamplesAuto(), 1_000_000, 256, "", ""},
		{"at the budget", 64, MaxSamplesCount(65536), 1 << 20, 65536, "", ""},
		{"one row over the budget", 64, MaxSamplesCount(65537), 1 << 20, 0, "", "64 trees of 65537 rows each (nEstimators x max_samples_) is 4194368 sampled rows, more than the 4194304 one forest may use (it bounds the plugin's memory); lower nEstimators to 63 or maxSamples to 65536 rows or fewer"},
		{"one tree too large", 1, MaxSamplesFraction(1), 5_000_000, 0, "", "lower maxSamples to 4194304 rows or fewer"},
		{"count above n", 10, MaxSamplesCount(1_000_000), 500, 500, "max_samples (1000000) is greater than the total number of samples (500)", ""},
		{"count far above n", 10, MaxSamplesCount(math.MaxInt), 500, 500, "max_samples (9223372036854775807) is greater", ""},
		{"fraction", 100, MaxSamplesFraction(0.25), 1000, 250, "", ""},
		{"fraction giving no row", 100, MaxSamplesFraction(0.001), 999, 0, "", "max_samples as a fraction must be in (0, 1] and give at least one of the 999 rows, but int(0.001 * 999) = 0; use a fraction of at least 1/999 or a whole number of rows"},
		{"smallest fraction", 100, MaxSamplesFraction(5e-324), 3_000_000_000, 0, "", "give at least one of the 3000000000 rows, but int(5e-324 * 3000000000) = 0"},
		{"shuffle too large", 8, MaxSamplesCount(500_000), 40_000_000, 0, "", "maxSamples of 500000 out of 40000000 rows makes scikit-learn shuffle all 40000000 row positions for every tree, more than the 33554432 this forest shuffles; use maxSamples of at most 400000"},
		{"tracking instead", 8, MaxSamplesCount(400_000), 40_000_000, 400_000, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			c.NEstimators, c.MaxSamples = tt.trees, tt.ms
			if err := c.validate(); err != nil {
				t.Fatal(err)
			}
			got, warnings, err := c.sampleSize(tt.n)
			if tt.err != "" {
				if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want ErrInvalidConfig with %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("max_samples_ %d (%v), want %d", got, err, tt.want)
			}
			if (tt.warning == "") != (len(warnings) == 0) || (tt.warning != "" && !strings.Contains(warnings[0], tt.warning)) {
				t.Errorf("warnings %q, want %q", warnings, tt.warning)
			}
		})
	}
}

// TestFractionOutOfRange: any float64 given as a fraction gets the range
// message with the value, never a wrapped-around "got 0" (issue 7).
func TestFractionOutOfRange(t *testing.T) {
	for _, v := range []float64{1e20, math.Inf(1), math.Inf(-1), math.NaN(), 0, math.Copysign(0, -1), -0.5, 1.0000000000000002, math.MaxFloat64} {
		c := DefaultConfig()
		c.MaxSamples = MaxSamplesFraction(v)
		_, err := New(c)
		want := "max_samples as a fraction must be in (0, 1], got " + MaxSamplesFraction(v).String()
		if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), want) {
			t.Errorf("fraction %v: error %v, want %q", v, err, want)
		}
	}
}

func TestCountsRejectBadInput(t *testing.T) {
	vec := func(vals ...float64) Matrix { return Matrix{Rows: len(vals), Cols: 1, Data: vals} }
	tests := []struct {
		name    string
		vectors Matrix
		counts  []int64
		want    string
	}{
		{"no vectors", vec(), nil, "needs at least 2 rows, the counts describe 0"},
		{"one row", vec(3), []int64{1}, "needs at least 2 rows, the counts describe 1"},
		{"fewer counts", vec(1, 2), []int64{5}, "2 vectors but 1 counts"},
		{"zero count", vec(1, 2), []int64{5, 0}, "the count of vector 1 is 0"},
		{"negative count", vec(1, 2), []int64{-5, 7}, "the count of vector 0 is -5"},
		{"too many rows", vec(1, 2), []int64{MaxCountedRows, 1}, "describe more than 34359738368 rows"},
		{"int64 overflow", vec(1, 2, 3), []int64{math.MaxInt64, math.MaxInt64, 1}, "describe more than 34359738368 rows"},
		{"NaN", vec(1, math.NaN()), []int64{4, 4}, "in the counts: invalid isolation forest input: row 1, feature 0 is NaN"},
		{"ragged", Matrix{Rows: 2, Cols: 2, Data: []float64{1, 2, 3}}, []int64{1, 1}, "has 3 values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := New(DefaultConfig())
			_, _, err := f.FitPredictDecisionCounts(t.Context(), tt.vectors, tt.counts)
			if !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want ErrInvalidInput with %q", err, tt.want)
			}
		})
	}
	c := DefaultConfig()
	c.NEstimators, c.MaxSamples = 10000, MaxSamplesFraction(0.5)
	f, _ := New(c)
	if _, _, err := f.FitPredictDecisionCounts(t.Context(), vec(1, 2), []int64{1000, 1000}); !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), "10000 trees of 1000 rows") {
		t.Errorf("counts over the budget: %v", err)
	}
}

func TestRowOrderIsValidated(t *testing.T) {
	c := DefaultConfig()
	c.RowOrder = RowOrder(7)
	if _, err := New(c); !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), "row order must be AsReturned or Canonical, got RowOrder(7)") {
		t.Errorf("New: %v", err)
	}
}
