package iforest

import "context"

// One isolation tree, grown as scikit-learn 1.2.1 grows
// ExtraTreeRegressor(max_features=1, splitter="random") inside
// IsolationForest: depth-first, left child first, every random number drawn
// from the splitter's xorshift generator in the same order.

// node is the hot representation used for scoring. Nodes are stored in
// pre-order, so the left child of node i is i+1.
type node struct {
	// value is the split threshold for an internal node; for a leaf it is
	// the leaf's path term (nodes on the path + c(leaf rows)) - 1.0,
	// computed once at fit time in numpy's operation order.
	value float64
	right int32 // right child (internal nodes)
	col   int32 // column of X compared at this node; -1 for a leaf
}

// tree holds the nodes, one scoring layout, and the per-node row counts
// kept for inspection (Trees rebuilds scikit-learn's other arrays from the
// nodes). A forest holds up to MaxSampledRows / max_samples_ trees, so each
// byte per node counts.
type tree struct {
	nodes       []node
	perfect     *perfectTree // scoring layout when max_depth <= perfectDepthLimit
	perfect8    *perfect8    // instead of perfect for max_depth 8 on 2 to 4 features
	features    []int32      // estimators_features_: X's columns seen by the tree, in tree order
	nodeSamples []int32      // tree_.n_node_samples
}

// layout builds the scoring layout the scorer will use for this tree: the
// fixed-array one for depth 8 on 2 to 4 columns, the perfect one up to
// perfectDepthLimit, none beyond (the nodes are walked).
func (t *tree) layout(maxDepth, cols int) {
	if maxDepth > perfectDepthLimit {
		return
	}
	p := newPerfectTree(t, maxDepth)
	if maxDepth == 8 && cols > 1 && cols <= 4 {
		t.perfect8 = newPerfect8(p)
		return
	}
	t.perfect = p
}

const (
	randRMax         = 0x7FFFFFFF
	featureThreshold = float32(1e-7) // FEATURE_THRESHOLD, a float32 in scikit-learn
	treeUndefined    = -2
	epsilon          = 0x1p-52 // np.finfo('double').eps, the builder's EPSILON
)

// splitRand is scikit-learn's our_rand_r: 32-bit xorshift, 0 replaced by 1.
type splitRand uint32

func (s *splitRand) next() uint32 {
	x := uint32(*s)
	if x == 0 {
		x = 1
	}
	x ^= x << 13
	x ^= x >> 17
	x ^= x << 5
	*s = splitRand(x)
	return x % (randRMax + 1)
}

// intn is rand_int(low, high): low + r % (high - low).
func (s *splitRand) intn(low, high int) int {
	return low + int(s.next()%uint32(high-low))
}

// uniform is rand_uniform(low, high) = ((high - low) * r) / RAND_R_MAX + low,
// each operation rounded separately (no fused multiply-add).
func (s *splitRand) uniform(low, high float64) float64 {
	r := float64(s.next())
	return float64(float64((high-low)*r)/randRMax) + low
}

// treeBuilder holds a worker's scratch space; reused across trees.
type treeBuilder struct {
	ctx             context.Context // growing stops when it ends
	cancelled       bool
	x               []float32 // sampled rows x tree features, row-major
	y               []float64 // fit's y = RandomState(random_state).uniform(size=n), at the sampled rows
	nf              int       // features seen by the tree
	samples         []int32
	xf              []float32
	features        []int32 // the splitter's feature permutation state
	constFeatures   []int32
	rng             splitRand
	maxDepth        int
	weightedSamples float64 // the criterion's weighted_n_samples: rows in the tree
	impurityStops   int     // nodes made leaves by the impurity or improvement rule
	t               *tree
}

// cancelNodeRows: a node of at least this many rows looks at the context
// before it is split and between the passes over its rows; a pass over
// the largest node the budget allows (4 million rows) takes a few
// milliseconds, so a tree stops within milliseconds of a cancel.
const cancelNodeRows = 1 << 12

// grow builds a tree over the builder's sampled rows (already in ascending
// row order, as scikit-learn's zero-weight trick leaves them). It reports
// false, leaving the tree unfinished, when the builder's context ended.
func (b *treeBuilder) grow(t *tree, nRows int, seed uint32, maxDepth int) bool {
	b.t = t
	b.rng = splitRand(seed)
	b.maxDepth = maxDepth
	b.samples = growI32(b.samples, nRows)
	for i := range b.samples {
		b.samples[i] = int32(i)
	}
	if cap(b.xf) < nRows {
		b.xf = make([]float32, nRows)
	}
	b.xf = b.xf[:nRows]
	b.features = growI32(b.features, b.nf)
	b.constFeatures = growI32(b.constFeatures, b.nf)
	for i := range b.features {
		b.features[i] = int32(i)
		b.constFeatures[i] = 0
	}
	// The root's impurity is the criterion's node_impurity; children get
	// theirs from the parent's split.
	sum, sq := b.sums(0, nRows)
	w := float64(nRows)
	b.weightedSamples = w
	b.cancelled = false
	b.node(0, nRows, 0, 0, float64(sq/w)-sq2(sum/w))
	if b.cancelled {
		return false
	}
	for i := range t.nodes {
		if t.nodes[i].col >= 0 {
			t.nodes[i].col = t.features[t.nodes[i].col]
		}
	}
	return true
}

// node adds the node holding samples[start:end] and, recursively, its
// subtree. Pre-order recursion consumes the generator in the order of
// scikit-learn's DepthFirstTreeBuilder stack (left popped first).
func (b *treeBuilder) node(start, end, depth, nConstant int, impurity float64) {
	t := b.t
	id := len(t.nodes)
	n := end - start
	if b.stopped(n) {
		return
	}
	t.nodes = append(t.nodes, node{col: -1})
	t.nodeSamples = append(t.nodeSamples, int32(n))
	// min_samples_split = 2, min_samples_leaf = 1, min_weight_leaf = 0,
	// and a node whose y impurity is within EPSILON of 0 is a leaf (y is
	// fit's random uniform target, so this is rare but part of the stream).
	if depth < b.maxDepth && n >= 2 && impurity <= epsilon {
		b.impurityStops++
	}
	if depth < b.maxDepth && n >= 2 && !(impurity <= epsilon) {
		sp := b.split(start, end, nConstant, impurity)
		if b.cancelled {
			return
		}
		// min_impurity_decrease = 0: improvement + EPSILON < 0 stops too.
		if sp.pos < end && sp.improvement+epsilon < 0 {
			b.impurityStops++
		}
		if sp.pos < end && !(sp.improvement+epsilon < 0) {
			t.nodes[id] = node{value: sp.threshold, col: sp.feature}
			b.node(start, sp.pos, depth+1, sp.nConstants, sp.impurityLeft)
			t.nodes[id].right = int32(len(t.nodes))
			b.node(sp.pos, end, depth+1, sp.nConstants, sp.impurityRight)
			return
		}
	}
	// A leaf: (nodes on the path) + c(n) - 1.0, as sklearn's depths term.
	t.nodes[id].value = float64(float64(depth+1)+AveragePathLength(n)) - 1.0
}

// stopped reports whether the builder's context has ended, looking at it
// only for nodes of at least cancelNodeRows rows; once it has, growing
// stops and grow reports false.
func (b *treeBuilder) stopped(rows int) bool {
	if !b.cancelled && rows >= cancelNodeRows && b.ctx.Err() != nil {
		b.cancelled = true
	}
	return b.cancelled
}

// splitResult is the SplitRecord scikit-learn's builder reads back.
type splitResult struct {
	feature                     int32
	threshold                   float64
	pos                         int
	nConstants                  int
	impurityLeft, impurityRight float64
	improvement                 float64
}

// sums is the MSE criterion's init over samples[start:end] in their
// current order: the sum of y and of y*y (weights are all 1).
func (b *treeBuilder) sums(start, end int) (sum, sq float64) {
	for _, s := range b.samples[start:end] {
		yi := b.y[s]
		sum += yi
		sq += float64(yi * yi)
	}
	return sum, sq
}

func sq2(v float64) float64 { return v * v } // C pow(v, 2.0): exact square, rounded once

// split is RandomSplitter.node_split with max_features = 1: draw features
// Fisher-Yates style, skipping known constant ones, until one is not
// constant in the node; draw its threshold and partition. It returns
// pos == end when every feature is constant (the node becomes a leaf).
// The children's impurities and the improvement are the MSE criterion's,
// in its summation order, because the builder tests them against EPSILON.
func (b *treeBuilder) split(start, end, nKnownConstants int, impurity float64) splitResult {
	sumTotal, sqTotal := b.sums(start, end) // node_reset, before any partition
	var (
		feature   int32
		threshold float64
		pos       int
	)
	const maxFeatures = 1
	features, x, xf, samples, nf := b.features, b.x, b.xf, b.samples, b.nf
	fi := nf
	nFound, nDrawn := 0, 0
	nTotal := nKnownConstants
	nVisited := 0
	pos = end
	for fi > nTotal && (nVisited < maxFeatures || nVisited <= nFound+nDrawn) {
		nVisited++
		fj := b.rng.intn(nDrawn, fi-nFound)
		if fj < nKnownConstants {
			features[nDrawn], features[fj] = features[fj], features[nDrawn]
			nDrawn++
			continue
		}
		fj += nFound
		cur := features[fj]
		mn := x[int(samples[start])*nf+int(cur)]
		mx := mn
		xf[start] = mn
		for p := start + 1; p < end; p++ {
			v := x[int(samples[p])*nf+int(cur)]
			xf[p] = v
			if v < mn {
				mn = v
			} else if v > mx {
				mx = v
			}
		}
		if mx <= mn+featureThreshold {
			features[fj], features[nTotal] = features[nTotal], cur
			nFound++
			nTotal++
			continue
		}
		fi--
		features[fi], features[fj] = features[fj], features[fi]
		if b.stopped(end - start) { // between the passes over a large node
			return splitResult{pos: end}
		}
		thr := b.rng.uniform(float64(mn), float64(mx))
		if thr == float64(mx) {
			thr = float64(mn)
		}
		p, pend := start, end
		for p < pend {
			if float64(xf[p]) <= thr {
				p++
			} else {
				pend--
				xf[p], xf[pend] = xf[pend], xf[p]
				samples[p], samples[pend] = samples[pend], samples[p]
			}
		}
		// Both sides are non-empty (min <= thr < max), so the split passes
		// min_samples_leaf and, with one feature visited, is the best one.
		feature, threshold, pos = cur, thr, pend
	}

	copy(features[:nKnownConstants], b.constFeatures[:nKnownConstants])
	copy(b.constFeatures[nKnownConstants:nKnownConstants+nFound], features[nKnownConstants:nKnownConstants+nFound])
	sp := splitResult{feature: feature, threshold: threshold, pos: pos, nConstants: nTotal}
	if pos < end && !b.stopped(end-start) {
		b.childImpurity(&sp, start, end, sumTotal, sqTotal, impurity)
	}
	return sp
}

// childImpurity is criterion.reset(); update(pos); children_impurity();
// impurity_improvement(), operation for operation.
func (b *treeBuilder) childImpurity(sp *splitResult, start, end int, sumTotal, sqTotal, impurity float64) {
	y, samples, pos := b.y, b.samples, sp.pos
	wNode := float64(end - start)
	var sumLeft, wLeft float64
	if pos-start <= end-pos {
		for p := start; p < pos; p++ {
			sumLeft += y[samples[p]]
			wLeft++
		}
	} else {
		sumLeft, wLeft = sumTotal, wNode
		for p := end - 1; p >= pos; p-- {
			sumLeft -= y[samples[p]]
			wLeft--
		}
	}
	wRight := wNode - wLeft
	sumRight := sumTotal - sumLeft
	var sqLeft float64
	for p := start; p < pos; p++ {
		yi := y[samples[p]]
		sqLeft += float64(yi * yi)
	}
	sqRight := sqTotal - sqLeft
	sp.impurityLeft = float64(sqLeft/wLeft) - sq2(sumLeft/wLeft)
	sp.impurityRight = float64(sqRight/wRight) - sq2(sumRight/wRight)
	sp.improvement = float64(wNode/b.weightedSamples) *
		(float64(impurity-float64(float64(wRight/wNode)*sp.impurityRight)) - float64(float64(wLeft/wNode)*sp.impurityLeft))
}

func growI32(b []int32, n int) []int32 {
	if cap(b) < n {
		return make([]int32, n)
	}
	return b[:n]
}
