package iforest

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/kqlhunt/anomaly-datasource/pkg/mtrand"
)

// maxInt32 is np.iinfo(np.int32).max, the bound of the seeds scikit-learn
// draws for its estimators.
const maxInt32 = 1<<31 - 1

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

// growTrees draws the seeds as BaseBagging._fit does and grows the trees in
// parallel; tree i depends only on seeds[i] and fit's y, so the forest is
// the same for any number of workers. Three phases: draw every tree's
// features and rows; read y = uniform(size=n) at the drawn rows only;
// grow the trees.
func (f *Forest) growTrees(x []float32, n, maxDepth int) error {
	nEst := f.cfg.NEstimators
	seeds := make([]int64, nEst)
	mtrand.New(uint32(f.cfg.RandomState)).IntnInto(seeds, maxInt32)
	f.trees = make([]tree, nEst)
	rows := make([][]int32, nEst)
	splitSeeds := make([]uint32, nEst)
	err := parallel(f.cfg.workers(), nEst, func() func(i int) error {
		var rs mtrand.RandomState
		var sampler mtrand.Sampler
		return func(i int) error {
			seed := uint32(seeds[i])
			// _make_estimator: the tree's random_state, then its splitter's seed.
			rs.Seed(seed)
			rs.Seed(uint32(rs.Intn(maxInt32)))
			splitSeeds[i] = uint32(rs.Intn(randRMax))
			// _generate_bagging_indices: features, then rows, from a fresh RandomState(seed).
			rs.Seed(seed)
			feats, err := sampler.Sample(&rs, f.nFeatures, f.maxFeatures, mtrand.Auto)
			if err != nil {
				return fmt.Errorf("drawing the features of tree %d: %w", i, err)
			}
			t := &f.trees[i]
			t.features = make([]int32, len(feats))
			for j, c := range feats {
				t.features[j] = int32(c)
			}
			drawn, err := sampler.Sample(&rs, n, f.maxSamples, mtrand.Auto)
			if err != nil {
				return fmt.Errorf("drawing the rows of tree %d: %w", i, err)
			}
			r := make([]int32, len(drawn))
			for k, v := range drawn {
				r[k] = int32(v)
			}
			slices.Sort(r) // the zero-weight trick leaves rows in ascending order
			rows[i] = r
			return nil
		}
	})
	if err != nil {
		return err
	}
	yAt := fitTargetAt(uint32(f.cfg.RandomState), n, rows)
	cols := f.nFeatures
	return parallel(f.cfg.workers(), nEst, func() func(i int) error {
		var b treeBuilder
		return func(i int) error {
			t := &f.trees[i]
			r := rows[i]
			b.nf = len(t.features)
			b.x = growF32(b.x, len(r)*b.nf)
			b.y = growF64(b.y, len(r))
			for k, row := range r {
				b.y[k] = yAt(row)
				src := x[int(row)*cols:]
				dst := b.x[k*b.nf:]
				for j, c := range t.features {
					dst[j] = src[c]
				}
			}
			b.impurityStops = 0
			b.grow(t, len(r), splitSeeds[i], maxDepth)
			f.impurityStops.Add(int64(b.impurityStops))
			if maxDepth <= perfectDepthLimit {
				t.perfect = newPerfectTree(t, maxDepth)
			}
			return nil
		}
	})
}

// fitTargetAt returns y[row] for fit's y = RandomState(random_state).uniform(size=n)
// (two 32-bit draws per row), computed only at the rows some tree uses:
// with 256-row trees over a million rows, most of the stream is skipped
// untempered and nothing of size n but a bitmap is allocated.
func fitTargetAt(seed uint32, n int, rows [][]int32) func(int32) float64 {
	needed := make([]uint64, (n+63)/64)
	for _, r := range rows {
		for _, v := range r {
			needed[v/64] |= 1 << (v % 64)
		}
	}
	// rank[w] = needed rows before word w, so a row's slot is
	// rank[w] + popcount of the lower bits in its word.
	rank := make([]int32, len(needed))
	total := int32(0)
	for w, bits := range needed {
		rank[w] = total
		total += int32(bits64OnesCount(bits))
	}
	vals := make([]float64, total)
	rs := mtrand.New(seed)
	k, last := 0, 0
	for w, bits := range needed {
		for bits != 0 {
			row := w*64 + bits64TrailingZeros(bits)
			bits &= bits - 1
			rs.Skip(2 * (row - last))
			vals[k] = rs.RandomSample()
			k++
			last = row + 1
		}
	}
	return func(row int32) float64 {
		w := row / 64
		below := needed[w] & (1<<(row%64) - 1)
		return vals[rank[w]+int32(bits64OnesCount(below))]
	}
}

// parallel runs task(i) for i in [0, n) on up to workers goroutines, each
// with its own state from newTask; the first error wins.
func parallel(workers, n int, newTask func() func(i int) error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, max(1, min(workers, n)))
	for w := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			task := newTask()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := task(i); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func growF32(b []float32, n int) []float32 {
	if cap(b) < n {
		return make([]float32, n)
	}
	return b[:n]
}

func growF64(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}

// scoreChunk is the number of distinct rows a worker scores through all
// trees at a time: small enough for the partial sums to stay in cache.
const scoreChunk = 512

// scoreDistinct returns score_samples for each distinct vector. Each row's
// path terms are added tree by tree in tree order, as numpy's
// depths += ... does, whatever the number of workers.
func (f *Forest) scoreDistinct(rows *distinctRows) []float64 {
	nd := rows.len()
	out := make([]float64, nd)
	cols := rows.cols
	var next atomic.Int64
	var wg sync.WaitGroup
	workers := min(f.cfg.workers(), (nd+scoreChunk-1)/scoreChunk)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(scoreChunk) - scoreChunk)
				if lo >= nd {
					return
				}
				hi := min(lo+scoreChunk, nd)
				acc := out[lo:hi]
				xs := rows.values[lo*cols : hi*cols]
				for ti := range f.trees {
					if p := f.trees[ti].perfect; p != nil {
						addPathTermsPerfect(p, xs, cols, acc)
					} else {
						addPathTerms(f.trees[ti].nodes, xs, cols, acc)
					}
				}
			}
		}()
	}
	wg.Wait()
	denom := float64(len(f.trees)) * AveragePathLength(f.maxSamples)
	for i, d := range out {
		q := 1.0 // np.divide's out=ones where the denominator is 0
		if denom != 0 {
			q = d / denom
		}
		out[i] = -Exp2(-q)
	}
	return out
}

// addPathTerms adds one tree's path term to acc for each row of xs.
func addPathTerms(nodes []node, xs []float32, cols int, acc []float64) {
	for r := range acc {
		x := xs[r*cols : r*cols+cols]
		i := 0
		for {
			nd := &nodes[i]
			if nd.col < 0 {
				acc[r] += nd.value
				break
			}
			if float64(x[nd.col]) <= nd.value {
				i++
			} else {
				i = int(nd.right)
			}
		}
	}
}

// percentile is np.percentile(scores, q) with the default linear method,
// over values given as distinct scores with multiplicities.
func percentile(scores []float64, counts []int64, q float64) float64 {
	var n int64
	for _, c := range counts {
		n += c
	}
	quantile := q / 100
	vi := float64(n-1) * quantile
	prev := math.Floor(vi)
	var ip, in int64
	if vi >= float64(n-1) {
		ip, in = n-1, n-1
		prev = -1
	} else {
		ip = int64(prev)
		in = ip + 1
	}
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmpFloat(scores[a], scores[b]) })
	at := func(k int64) float64 {
		var cum int64
		for _, d := range order {
			cum += counts[d]
			if k < cum {
				return scores[d]
			}
		}
		return scores[order[len(order)-1]]
	}
	a, b := at(ip), at(in)
	gamma := vi - prev
	diff := b - a
	if gamma >= 0.5 {
		return b - float64(diff*(1-gamma))
	}
	return a + float64(diff*gamma)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func bits64OnesCount(x uint64) int     { return bits.OnesCount64(x) }
func bits64TrailingZeros(x uint64) int { return bits.TrailingZeros64(x) }
