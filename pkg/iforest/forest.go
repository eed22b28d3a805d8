package iforest

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
)

// maxInt32 is np.iinfo(np.int32).max, the bound of the seeds scikit-learn
// draws for its estimators.
const maxInt32 = 1<<31 - 1

// maxRows bounds the rows of one fit or score of rows: rows are indexed
// with int32.
const maxRows = maxInt32

// Forest is a fitted (or to-be-fitted) isolation forest. A Forest is safe
// for concurrent scoring once Fit has returned; Fit itself must not run
// concurrently with anything else on the same Forest.
type Forest struct {
	cfg         Config
	trees       []tree
	nFeatures   int
	rows        int64 // n_samples of the last fit (rows, or the sum of counts)
	maxSamples  int   // max_samples_
	maxFeatures int   // _max_features
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

// Rows is the number of rows the last fit saw: X's rows, or the sum of
// the counts.
func (f *Forest) Rows() int64 { return f.rows }

// Warnings returns what scikit-learn would have warned about during Fit
// (max_samples above the number of rows).
func (f *Forest) Warnings() []string { return slices.Clone(f.warnings) }

// Fit grows the trees on X, in the order Config.RowOrder says. It errors
// (wrapping ErrInvalidInput) on fewer than two rows and on NaN or infinite
// features, (wrapping ErrInvalidConfig) on a forest over the budget
// MaxSampledRows, and returns ctx's error if ctx ends first.
func (f *Forest) Fit(ctx context.Context, X Matrix) error {
	_, err := f.fitRows(ctx, X, !f.cfg.Contamination.IsAuto())
	return err
}

// FitPredict is fit(X).predict(X): -1 for outliers, 1 for inliers.
func (f *Forest) FitPredict(ctx context.Context, X Matrix) ([]int64, error) {
	labels, _, err := f.FitPredictDecision(ctx, X)
	return labels, err
}

// FitPredictDecision does the notebook's two calls in one pass:
// labels = fit_predict(X), decision = decision_function(X), one of each per
// row of X in X's order. Scoring the training rows once serves the offset,
// the labels and the decisions. With Config.RowOrder Canonical the trees
// are grown on the rows sorted by feature vector, so the answer is the
// same for X in any row order.
func (f *Forest) FitPredictDecision(ctx context.Context, X Matrix) (labels []int64, decision []float64, err error) {
	s, err := f.fitRows(ctx, X, true)
	if err != nil {
		return nil, nil, err
	}
	labels, decision = f.expand(s)
	return labels, decision, nil
}

// ScoreSamples is score_samples(X): the opposite of the anomaly score of
// the original paper, -2 ** (-E[path length] / c(max_samples_)); the lower,
// the more abnormal.
func (f *Forest) ScoreSamples(ctx context.Context, X Matrix) ([]float64, error) {
	s, err := f.score(ctx, X)
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
func (f *Forest) DecisionFunction(ctx context.Context, X Matrix) ([]float64, error) {
	s, err := f.score(ctx, X)
	if err != nil {
		return nil, err
	}
	_, d := f.expand(s)
	return d, nil
}

// Predict is predict(X): -1 where DecisionFunction is strictly negative,
// else 1.
func (f *Forest) Predict(ctx context.Context, X Matrix) ([]int64, error) {
	s, err := f.score(ctx, X)
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

// fitRows fits on the rows of X and, if score (or offset_ needs them),
// scores them; otherwise it returns nil scores.
func (f *Forest) fitRows(ctx context.Context, X Matrix, score bool) (*scored, error) {
	if X.Rows < 2 {
		return nil, fmt.Errorf("%w: isolation forest needs at least 2 rows, got %d; widen the time range or the query", ErrInvalidInput, X.Rows)
	}
	if X.Rows > maxRows {
		return nil, fmt.Errorf("%w: %d rows is more than the %d this package indexes; sample the data first", ErrInvalidInput, X.Rows, maxRows)
	}
	n := int64(X.Rows)
	ms, warnings, err := f.start(n)
	if err != nil {
		return nil, err
	}
	x, err := toFloat32(ctx, X, 0)
	if err != nil {
		return nil, err
	}
	fr := &trainFrame{n: n, cols: X.Cols, x: x}
	if f.cfg.RowOrder == Canonical {
		if fr.order, err = canonicalOrder(ctx, X); err != nil {
			return nil, err
		}
	}
	if !score {
		return nil, f.grow(ctx, fr, X.Cols, ms, warnings)
	}
	// Grouping equal rows does not depend on the trees: do it meanwhile.
	type deduped struct {
		rows *distinctRows
		err  error
	}
	dedupeDone := make(chan deduped, 1)
	go func() {
		rows, err := dedupe(ctx, x, X.Cols)
		dedupeDone <- deduped{rows, err}
	}()
	err = f.grow(ctx, fr, X.Cols, ms, warnings)
	d := <-dedupeDone
	if err != nil {
		return nil, err
	}
	if d.err != nil {
		return nil, d.err
	}
	return f.scoreTraining(ctx, d.rows)
}

// start checks the settings against n rows before any work (max_samples_
// and the budget) and resets the forest.
func (f *Forest) start(n int64) (ms int, warnings []string, err error) {
	f.fitted, f.trees, f.warnings = false, nil, nil
	f.impurityStops.Store(0)
	return f.cfg.sampleSize(n)
}

// grow grows the forest on fr with max_samples_ ms.
func (f *Forest) grow(ctx context.Context, fr *trainFrame, cols, ms int, warnings []string) error {
	f.rows, f.maxSamples, f.warnings = fr.n, ms, warnings
	f.nFeatures = cols
	f.maxFeatures = max(1, int(f.cfg.MaxFeatures*float64(cols)))
	maxDepth := 1
	for 1<<maxDepth < max(f.maxSamples, 2) { // ceil(log2(max(max_samples, 2)))
		maxDepth++
	}
	if err := f.growTrees(ctx, fr, maxDepth); err != nil {
		f.trees = nil
		return err
	}
	f.fitted = true
	f.offset = -0.5 // contamination "auto"; scoreTraining sets the percentile otherwise
	return nil
}

// scoreTraining scores the training vectors, weighted by their rows, and
// sets offset_ from them unless contamination is "auto".
func (f *Forest) scoreTraining(ctx context.Context, rows *distinctRows) (*scored, error) {
	scores, err := f.scoreDistinct(ctx, rows)
	if err != nil {
		f.fitted = false
		return nil, err
	}
	if !f.cfg.Contamination.IsAuto() {
		f.offset = percentile(scores, rows.counts, 100.0*f.cfg.Contamination.Fraction())
	}
	return &scored{rows: rows, scores: scores}, nil
}

func (f *Forest) score(ctx context.Context, X Matrix) (*scored, error) {
	if !f.fitted {
		return nil, fmt.Errorf("%w: call Fit first", ErrNotFitted)
	}
	if X.Rows < 1 {
		return nil, fmt.Errorf("%w: no rows to score", ErrInvalidInput)
	}
	if X.Rows > maxRows {
		return nil, fmt.Errorf("%w: %d rows is more than the %d this package indexes; score them in parts", ErrInvalidInput, X.Rows, maxRows)
	}
	x, err := toFloat32(ctx, X, f.nFeatures)
	if err != nil {
		return nil, err
	}
	rows, err := dedupe(ctx, x, X.Cols)
	if err != nil {
		return nil, err
	}
	scores, err := f.scoreDistinct(ctx, rows)
	if err != nil {
		return nil, err
	}
	return &scored{rows: rows, scores: scores}, nil
}
