package iforest

import (
	"fmt"
	"slices"
	"sync/atomic"
)

// maxInt32 is np.iinfo(np.int32).max, the bound of the seeds scikit-learn
// draws for its estimators.
const maxInt32 = 1<<31 - 1

// maxRows bounds the rows of one fit: rows are indexed with int32.
const maxRows = maxInt32

// Forest is a fitted (or to-be-fitted) isolation forest. A Forest is safe
// for concurrent scoring once Fit has returned; Fit itself must not run
// concurrently with anything else on the same Forest.
type Forest struct {
	cfg         Config
	trees       []tree
	nFeatures   int
	maxSamples  int // max_samples_
	maxFeatures int // _max_features
	offset      float64
	fitted      bool
	warnings    []string
	// impurityStops counts nodes that scikit-learn's impurity rules made
	// leaves (tests use it to find seeds that exercise them).
	impurityStops atomic.Int64
}

// New validates cfg and returns an unfitted forest. Invalid settings give an
// error wrapping ErrInvalidConfig; New never panics.
func New(cfg Config) (*Forest, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return &Forest{cfg: cfg}, nil
}

// Offset is offset_: -0.5 for contamination "auto", else the
// contamination-th percentile (linear interpolation) of the training
// scores. DecisionFunction is ScoreSamples minus Offset.
func (f *Forest) Offset() float64 { return f.offset }

// MaxSamples is max_samples_, the rows each tree was grown on.
func (f *Forest) MaxSamples() int { return f.maxSamples }

// ImpurityStops is a diagnostic: the number of nodes that scikit-learn's
// impurity rules (node impurity of fit's random y within EPSILON of zero,
// or a split improvement below -EPSILON) turned into leaves in the last
// Fit. It is almost always 0; tests use it to prove the rule is exercised.
func (f *Forest) ImpurityStops() int { return int(f.impurityStops.Load()) }

// Warnings returns what scikit-learn would have warned about during Fit
// (max_samples above the number of rows).
func (f *Forest) Warnings() []string { return slices.Clone(f.warnings) }

// Fit grows the trees on X. It errors (wrapping ErrInvalidInput) on fewer
// than two rows and on NaN or infinite features.
func (f *Forest) Fit(X Matrix) error {
	_, err := f.fit(X)
	return err
}

// FitPredict is fit(X).predict(X): -1 for outliers, 1 for inliers.
func (f *Forest) FitPredict(X Matrix) ([]int64, error) {
	labels, _, err := f.FitPredictDecision(X)
	return labels, err
}

// FitPredictDecision does the notebook's two calls in one pass:
// labels = fit_predict(X), decision = decision_function(X). Scoring the
// training rows once serves the offset, the labels and the decisions.
func (f *Forest) FitPredictDecision(X Matrix) (labels []int64, decision []float64, err error) {
	s, err := f.fit(X)
	if err != nil {
		return nil, nil, err
	}
	labels, decision = f.expand(s)
	return labels, decision, nil
}

// ScoreSamples is score_samples(X): the opposite of the anomaly score of
// the original paper, -2 ** (-E[path length] / c(max_samples_)); the lower,
// the more abnormal.
func (f *Forest) ScoreSamples(X Matrix) ([]float64, error) {
	s, err := f.score(X)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(s.rows.index))
	for i, d := range s.rows.index {
		out[i] = s.scores[d]
	}
	return out, nil
}

// DecisionFunction is decision_function(X) = ScoreSamples(X) - Offset():
// negative for outliers.
func (f *Forest) DecisionFunction(X Matrix) ([]float64, error) {
	s, err := f.score(X)
	if err != nil {
		return nil, err
	}
	_, d := f.expand(s)
	return d, nil
}

// Predict is predict(X): -1 where DecisionFunction is strictly negative,
// else 1.
func (f *Forest) Predict(X Matrix) ([]int64, error) {
	s, err := f.score(X)
	if err != nil {
		return nil, err
	}
	l, _ := f.expand(s)
	return l, nil
}

// scored holds scores per distinct feature vector.
type scored struct {
	rows   *distinctRows
	scores []float64
}

func (f *Forest) expand(s *scored) ([]int64, []float64) {
	labels := make([]int64, len(s.rows.index))
	decision := make([]float64, len(s.rows.index))
	dl := make([]int64, len(s.scores))
	dd := make([]float64, len(s.scores))
	for i, v := range s.scores {
		dd[i] = v - f.offset
		dl[i] = 1
		if dd[i] < 0 {
			dl[i] = -1
		}
	}
	for i, d := range s.rows.index {
		labels[i] = dl[d]
		decision[i] = dd[d]
	}
	return labels, decision
}

func (f *Forest) fit(X Matrix) (*scored, error) {
	if X.Rows < 2 {
		return nil, fmt.Errorf("%w: isolation forest needs at least 2 rows, got %d; widen the time range or the query", ErrInvalidInput, X.Rows)
	}
	if X.Rows > maxRows {
		return nil, fmt.Errorf("%w: %d rows is more than the %d this package indexes; sample the data first", ErrInvalidInput, X.Rows, maxRows)
	}
	x, err := toFloat32(X, 0)
	if err != nil {
		return nil, err
	}
	n := X.Rows
	f.fitted, f.trees, f.warnings = false, nil, nil
	f.impurityStops.Store(0)
	ms := f.cfg.MaxSamples
	switch ms.kind {
	case maxSamplesAuto:
		f.maxSamples = min(256, n)
	case maxSamplesCount:
		f.maxSamples = ms.count
		if ms.count > n {
			f.warnings = append(f.warnings, fmt.Sprintf("max_samples (%d) is greater than the total number of samples (%d). max_samples will be set to n_samples for estimation.", ms.count, n))
			f.maxSamples = n
		}
	case maxSamplesFraction:
		f.maxSamples = int(ms.fraction * float64(n))
		if f.maxSamples < 1 {
			return nil, fmt.Errorf("%w: max_samples=%v of %d rows gives no rows per tree; use a larger fraction or an integer", ErrInvalidConfig, ms.fraction, n)
		}
	}
	f.nFeatures = X.Cols
	f.maxFeatures = max(1, int(f.cfg.MaxFeatures*float64(X.Cols)))
	maxDepth := 1
	for 1<<maxDepth < max(f.maxSamples, 2) { // ceil(log2(max(max_samples, 2)))
		maxDepth++
	}
	// Grouping equal rows does not depend on the trees: do it meanwhile.
	dedupeDone := make(chan *distinctRows, 1)
	go func() { dedupeDone <- dedupe(x, X.Cols) }()
	if err := f.growTrees(x, n, maxDepth); err != nil {
		<-dedupeDone
		return nil, err
	}
	f.fitted = true
	rows := <-dedupeDone
	s := &scored{rows: rows, scores: f.scoreDistinct(rows)}
	if f.cfg.Contamination.IsAuto() {
		f.offset = -0.5
	} else {
		f.offset = percentile(s.scores, rows.counts, 100.0*f.cfg.Contamination.Fraction())
	}
	return s, nil
}

func (f *Forest) score(X Matrix) (*scored, error) {
	if !f.fitted {
		return nil, fmt.Errorf("%w: call Fit first", ErrNotFitted)
	}
	if X.Rows < 1 {
		return nil, fmt.Errorf("%w: no rows to score", ErrInvalidInput)
	}
	x, err := toFloat32(X, f.nFeatures)
	if err != nil {
		return nil, err
	}
	rows := dedupe(x, X.Cols)
	return &scored{rows: rows, scores: f.scoreDistinct(rows)}, nil
}
