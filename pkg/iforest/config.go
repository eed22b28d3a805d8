package iforest

import (
	"fmt"
	"math"
	"runtime"
)

// Config holds IsolationForest's parameters, named and defaulted as in
// scikit-learn 1.2.1 (bootstrap is always False, n_jobs is Workers).
type Config struct {
	// NEstimators is n_estimators, the number of trees. int, default 100,
	// allowed 1..10000.
	NEstimators int
	// MaxSamples is max_samples, the rows drawn (without replacement) to grow
	// each tree: MaxSamplesAuto() (default, min(256, n)), MaxSamplesCount(k)
	// with k >= 1 (k > n is reduced to n with a warning, as scikit-learn
	// does), or MaxSamplesFraction(f) with f in (0, 1] (int(f * n) rows).
	MaxSamples MaxSamples
	// Contamination is contamination, the expected share of outliers, which
	// sets Offset: ContaminationAuto() (offset -0.5, as in the original
	// paper) or ContaminationFraction(c) with c in (0, 0.5]. The default is
	// 0.01, the hunting notebook's value (scikit-learn's own default is
	// "auto").
	Contamination Contamination
	// MaxFeatures is max_features as a fraction of the columns drawn for each
	// tree: float in (0, 1], default 1.0 (all columns, no draw);
	// max(1, int(MaxFeatures * n_features)) columns.
	MaxFeatures float64
	// RandomState is random_state: the integer seed of numpy's RandomState,
	// 0..2**32-1, default 42 (the notebook's).
	RandomState int64
	// Workers is the number of goroutines used to grow trees and score rows;
	// 0 means runtime.GOMAXPROCS(0). Results are identical for every value.
	Workers int
}

// MaxSamples is the max_samples parameter: "auto", an int or a float.
type MaxSamples struct {
	kind     maxSamplesKind
	count    int
	fraction float64
}

type maxSamplesKind int

const (
	maxSamplesAuto maxSamplesKind = iota
	maxSamplesCount
	maxSamplesFraction
)

// MaxSamplesAuto is max_samples="auto": min(256, n_samples).
func MaxSamplesAuto() MaxSamples { return MaxSamples{} }

// MaxSamplesCount is an integer max_samples (>= 1).
func MaxSamplesCount(k int) MaxSamples { return MaxSamples{kind: maxSamplesCount, count: k} }

// MaxSamplesFraction is a float max_samples in (0, 1]: int(f * n_samples).
func MaxSamplesFraction(f float64) MaxSamples {
	return MaxSamples{kind: maxSamplesFraction, fraction: f}
}

// String renders the value as scikit-learn's repr would show it.
func (m MaxSamples) String() string {
	switch m.kind {
	case maxSamplesCount:
		return fmt.Sprint(m.count)
	case maxSamplesFraction:
		return fmt.Sprint(m.fraction)
	}
	return `"auto"`
}

// Contamination is the contamination parameter: "auto" or a float.
type Contamination struct {
	auto     bool
	fraction float64
}

// ContaminationAuto is contamination="auto": Offset is -0.5.
func ContaminationAuto() Contamination { return Contamination{auto: true} }

// ContaminationFraction is a float contamination in (0, 0.5].
func ContaminationFraction(c float64) Contamination { return Contamination{fraction: c} }

// IsAuto reports whether the contamination is "auto".
func (c Contamination) IsAuto() bool { return c.auto }

// Fraction returns the float contamination (meaningless when IsAuto).
func (c Contamination) Fraction() float64 { return c.fraction }

// String renders the value as scikit-learn's repr would show it.
func (c Contamination) String() string {
	if c.auto {
		return `"auto"`
	}
	return fmt.Sprint(c.fraction)
}

// DefaultConfig returns the hunting notebook's settings:
// IsolationForest(n_estimators=100, contamination=0.01, random_state=42).
func DefaultConfig() Config {
	return Config{
		NEstimators:   100,
		MaxSamples:    MaxSamplesAuto(),
		Contamination: ContaminationFraction(0.01),
		MaxFeatures:   1.0,
		RandomState:   42,
	}
}

// maxEstimators bounds NEstimators: beyond it a query could hold a
// dashboard's backend for minutes.
const maxEstimators = 10000

func (c Config) validate() error {
	if c.NEstimators < 1 || c.NEstimators > maxEstimators {
		return &ParamError{"n_estimators", c.NEstimators, fmt.Sprintf("must be an integer in [1, %d]", maxEstimators)}
	}
	switch c.MaxSamples.kind {
	case maxSamplesCount:
		if c.MaxSamples.count < 1 {
			return &ParamError{"max_samples", c.MaxSamples.count, "as an integer must be >= 1"}
		}
	case maxSamplesFraction:
		f := c.MaxSamples.fraction
		if !(f > 0 && f <= 1) {
			return &ParamError{"max_samples", f, "as a fraction must be in (0, 1]"}
		}
	}
	if !c.Contamination.auto {
		v := c.Contamination.fraction
		if math.IsNaN(v) || v <= 0 || v > MaxContamination {
			return &ParamError{"contamination", v, `must be "auto" or a number in (0, 0.5]`}
		}
	}
	if !(c.MaxFeatures > 0 && c.MaxFeatures <= 1) {
		return &ParamError{"max_features", c.MaxFeatures, "must be a fraction in (0, 1]"}
	}
	if c.RandomState < 0 || c.RandomState > math.MaxUint32 {
		return &ParamError{"random_state", c.RandomState, "must be in [0, 2**32-1]"}
	}
	if c.Workers < 0 {
		return &ParamError{"workers", c.Workers, "must be >= 0 (0 = all cores)"}
	}
	return nil
}

func (c Config) workers() int {
	if c.Workers > 0 {
		return c.Workers
	}
	return runtime.GOMAXPROCS(0)
}
