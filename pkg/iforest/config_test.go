package iforest

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Config)
		want   string
	}{
		{"no trees", func(c *Config) { c.NEstimators = 0 }, "n_estimators must be an integer in [1, 10000], got 0"},
		{"too many trees", func(c *Config) { c.NEstimators = 10001 }, "n_estimators must be an integer in [1, 10000], got 10001"},
		{"zero contamination", func(c *Config) { c.Contamination = ContaminationFraction(0) }, "contamination must be \"auto\" or a number in (0, 0.5], got 0"},
		{"negative contamination", func(c *Config) { c.Contamination = ContaminationFraction(-0.1) }, "got -0.1"},
		{"contamination above 0.5", func(c *Config) { c.Contamination = ContaminationFraction(0.51) }, "got 0.51"},
		{"NaN contamination", func(c *Config) { c.Contamination = ContaminationFraction(math.NaN()) }, "got NaN"},
		{"zero max_samples", func(c *Config) { c.MaxSamples = MaxSamplesCount(0) }, "max_samples as an integer must be >= 1"},
		{"zero fraction", func(c *Config) { c.MaxSamples = MaxSamplesFraction(0) }, "max_samples as a fraction must be in (0, 1]"},
		{"fraction above 1", func(c *Config) { c.MaxSamples = MaxSamplesFraction(1.5) }, "max_samples as a fraction must be in (0, 1], got 1.5"},
		{"max_features zero", func(c *Config) { c.MaxFeatures = 0 }, "max_features must be a fraction in (0, 1]"},
		{"negative seed", func(c *Config) { c.RandomState = -1 }, "random_state must be in [0, 2**32-1], got -1"},
		{"seed too large", func(c *Config) { c.RandomState = 1 << 32 }, "random_state must be in [0, 2**32-1]"},
		{"negative workers", func(c *Config) { c.Workers = -1 }, "workers must be >= 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			tt.modify(&c)
			f, err := New(c)
			if err == nil || f != nil {
				t.Fatalf("New accepted %+v", c)
			}
			if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q, want ErrInvalidConfig containing %q", err, tt.want)
			}
		})
	}
}

func TestNewAcceptsBoundaries(t *testing.T) {
	for _, c := range []Config{
		DefaultConfig(),
		{NEstimators: 1, MaxSamples: MaxSamplesFraction(1), Contamination: ContaminationFraction(0.5), MaxFeatures: 1, RandomState: 1<<32 - 1},
		{NEstimators: 10000, MaxSamples: MaxSamplesCount(1), Contamination: ContaminationAuto(), MaxFeatures: 0.01},
	} {
		if _, err := New(c); err != nil {
			t.Errorf("New(%+v): %v", c, err)
		}
	}
}

func TestFitAndScoreRejectBadInput(t *testing.T) {
	m := func(rows, cols int, vals ...float64) Matrix { return Matrix{Rows: rows, Cols: cols, Data: vals} }
	tests := []struct {
		name string
		X    Matrix
		want string
	}{
		{"zero rows", m(0, 1), "needs at least 2 rows, got 0"},
		{"one row", m(1, 1, 3), "needs at least 2 rows, got 1"},
		{"NaN", m(3, 1, 1, math.NaN(), 2), "row 1, feature 0 is NaN"},
		{"+Inf", m(2, 2, 1, 2, 3, math.Inf(1)), "row 1, feature 1 is infinite"},
		{"-Inf", m(2, 1, math.Inf(-1), 0), "row 0, feature 0 is infinite"},
		{"float32 overflow", m(2, 1, 1e39, 0), "too large for float32"},
		{"ragged", m(2, 2, 1, 2, 3), "has 3 values"},
		{"rows x columns overflows", m(4, 1<<62+1, 1, 2, 3, 4), "has 4 values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := New(DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			err = f.Fit(t.Context(), tt.X)
			if !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Fit error %v, want ErrInvalidInput containing %q", err, tt.want)
			}
		})
	}
	f, _ := New(DefaultConfig())
	if _, err := f.ScoreSamples(t.Context(), m(1, 1, 1)); !errors.Is(err, ErrNotFitted) {
		t.Errorf("scoring before Fit: %v, want ErrNotFitted", err)
	}
	if err := f.Fit(t.Context(), m(4, 1, 1, 2, 3, 4)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Predict(t.Context(), m(1, 2, 1, 2)); !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), "fitted with 1") {
		t.Errorf("scoring 2 features on a 1-feature forest: %v", err)
	}
	if _, err := f.DecisionFunction(t.Context(), m(1, 1, math.NaN())); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("scoring NaN: %v", err)
	}
}

func TestNewMatrixRejectsBadShapes(t *testing.T) {
	for _, tc := range []struct{ rows, cols, values int }{{2, 2, 3}, {-1, 1, 0}, {1, 0, 0}, {4, 1<<62 + 1, 4}} {
		if _, err := NewMatrix(tc.rows, tc.cols, make([]float64, tc.values)); !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), "cannot hold") {
			t.Errorf("NewMatrix(%d, %d, %d values): %v", tc.rows, tc.cols, tc.values, err)
		}
	}
}

func TestMaxSamplesAboveRowsUsesRows(t *testing.T) {
	c := DefaultConfig()
	c.MaxSamples = MaxSamplesCount(500)
	f, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	X, _ := MatrixFromCodes([]int64{1, 2, 3, 4, 5, 6, 7, 100})
	if err := f.Fit(t.Context(), X); err != nil {
		t.Fatal(err)
	}
	if f.MaxSamples() != 8 {
		t.Errorf("max_samples_ = %d, want 8 (the number of rows)", f.MaxSamples())
	}
	if w := f.Warnings(); len(w) != 1 || !strings.Contains(w[0], "max_samples (500) is greater than the total number of samples (8)") {
		t.Errorf("warnings %q", w)
	}
}

func TestTinyFractionIsAnError(t *testing.T) {
	c := DefaultConfig()
	c.MaxSamples = MaxSamplesFraction(0.1)
	f, _ := New(c)
	X, _ := MatrixFromCodes([]int64{1, 2, 3})
	if err := f.Fit(t.Context(), X); !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), "must be in (0, 1] and give at least one of the 3 rows, but int(0.1 * 3) = 0") {
		t.Errorf("Fit: %v", err)
	}
}
