package iforest

import (
	"context"
	"errors"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user and system CPU time so far.
func cpuTime(t *testing.T) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// checkCancel runs work, cancels its context after a while, and checks
// that it returns the context's error promptly, that the process then stops
// using CPU, and that no goroutine is left behind.
func checkCancel(t *testing.T, after time.Duration, work func(ctx context.Context) error) {
	t.Helper()
	runtime.GC()
	baseline := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(t.Context())
	cancelled := make(chan time.Time, 1)
	timer := time.AfterFunc(after, func() {
		cancelled <- time.Now()
		cancel()
	})
	defer timer.Stop()
	err := work(ctx)
	returned := time.Now()
	var at time.Time
	select {
	case at = <-cancelled:
	default:
		t.Fatalf("the work ended before the cancel (%v): make it longer so the test means something", err)
	}
	latency := returned.Sub(at)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	// CPU over a quiet window after the return: only the runtime's own
	// housekeeping (a garbage collection of what the work left) may run.
	const window = 300 * time.Millisecond
	cpu0 := cpuTime(t)
	time.Sleep(window)
	cpu := cpuTime(t) - cpu0
	deadline := time.Now().Add(time.Second)
	for runtime.NumGoroutine() > baseline && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	goroutines := runtime.NumGoroutine()
	t.Logf("returned %v after the cancel; %v of CPU in the %v after; goroutines %d (baseline %d)", latency.Round(time.Microsecond), cpu.Round(time.Millisecond), window, goroutines, baseline)
	if latency > time.Second {
		t.Errorf("returned %v after the cancel, want within 100 ms (1 s allowed for a loaded machine)", latency)
	}
	if cpu > window/2 {
		t.Errorf("%v of CPU in the %v after returning: work goes on after the cancel", cpu, window)
	}
	if goroutines > baseline {
		t.Errorf("%d goroutines after returning, %d before: some are left behind", goroutines, baseline)
	}
}

// distinctFloats is n rows of cols values, all rows distinct (a
// multiplicative hash of the index, a bijection on uint32), cheap to make.
func distinctFloats(seed uint64, n, cols int) Matrix {
	data := make([]float64, n*cols)
	for i := range data {
		data[i] = float64(uint32(uint64(i)*2654435761+seed)) / 1024
	}
	return Matrix{Rows: n, Cols: cols, Data: data}
}

func TestCancelStopsFitAndScore(t *testing.T) {
	if testing.Short() {
		t.Skip("cancellation workloads take several seconds of setup; run without -short")
	}
	t.Run("counts: fit's y over 17 billion rows", func(t *testing.T) {
		f, _ := New(DefaultConfig())
		vectors := Matrix{Rows: 3, Cols: 1, Data: []float64{1, 2, 3}}
		checkCancel(t, 200*time.Millisecond, func(ctx context.Context) error {
			_, _, err := f.FitPredictDecisionCounts(ctx, vectors, []int64{1 << 33, 1<<33 - 5, 5})
			return err
		})
	})
	t.Run("counts: shuffling 20 million positions for each tree", func(t *testing.T) {
		c := DefaultConfig()
		c.NEstimators, c.MaxSamples = 19, MaxSamplesCount(210_000) // ratio 0.0105: permutation
		f, _ := New(c)
		vectors := Matrix{Rows: 2, Cols: 1, Data: []float64{1, 2}}
		checkCancel(t, 200*time.Millisecond, func(ctx context.Context) error {
			_, _, err := f.FitPredictDecisionCounts(ctx, vectors, []int64{19_000_000, 1_000_000})
			return err
		})
	})
	t.Run("rows: growing a tree of 4 million rows", func(t *testing.T) {
		X := distinctFloats(1, MaxSampledRows, 1)
		x, err := toFloat32(t.Context(), X, 0)
		if err != nil {
			t.Fatal(err)
		}
		c := DefaultConfig()
		c.NEstimators, c.MaxSamples = 1, MaxSamplesFraction(1)
		f, _ := New(c)
		fr := &trainFrame{n: int64(X.Rows), cols: 1, x: x}
		checkCancel(t, 100*time.Millisecond, func(ctx context.Context) error {
			// The fit's growing phase alone: the drawing is none (all rows),
			// fit's y takes milliseconds, the tree hundreds of them.
			return f.grow(ctx, fr, 1, X.Rows, nil)
		})
		if f.fitted || f.trees != nil {
			t.Errorf("a cancelled fit left a fitted forest")
		}
	})
	t.Run("rows: canonical order of 3 million rows, then the fit", func(t *testing.T) {
		c := DefaultConfig()
		c.RowOrder = Canonical
		f, _ := New(c)
		X := distinctFloats(2, 3_000_000, 2)
		checkCancel(t, 100*time.Millisecond, func(ctx context.Context) error {
			_, _, err := f.FitPredictDecision(ctx, X)
			return err
		})
	})
	t.Run("scoring a million rows through 1000 trees", func(t *testing.T) {
		c := DefaultConfig()
		c.NEstimators = 1000
		f, _ := New(c)
		if err := f.Fit(t.Context(), distinctFloats(3, 5000, 2)); err != nil {
			t.Fatal(err)
		}
		X := distinctFloats(4, 1_000_000, 2)
		checkCancel(t, 300*time.Millisecond, func(ctx context.Context) error {
			_, err := f.ScoreSamples(ctx, X)
			return err
		})
	})
}
