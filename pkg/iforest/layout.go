package iforest

import "math"

// perfectDepthLimit bounds the perfect-tree scoring layout: trees of
// max_depth <= 12 (max_samples <= 4096, the default gives 8) are scored
// with it; deeper ones walk the pre-order nodes.
const perfectDepthLimit = 12

// perfectTree is a tree re-laid as a complete binary tree of depth D, for
// scoring: level by level, node i's children are 2i+1 and 2i+2, so a
// row's walk is D branch-free steps with no child pointers to load. A leaf
// above depth D becomes a chain of "always left" nodes (threshold +Inf)
// ending at its leaf slot.
type perfectTree struct {
	depth int
	nodes []pnode   // internal slots, level order
	leaf  []float64 // path term at each depth-D slot
}

// pnode packs a slot's threshold and column into 8 bytes: one load per step.
type pnode struct {
	thr float32 // largest float32 <= the float64 threshold
	col int32
}

// float32Below returns the largest float32 not above t, so that for any
// float32 x, x <= float32Below(t) exactly when float64(x) <= t: the
// comparison scikit-learn makes (float32 features, float64 thresholds).
func float32Below(t float64) float32 {
	f := float32(t)
	if float64(f) > t {
		f = math.Nextafter32(f, float32(math.Inf(-1)))
	}
	return f
}

func newPerfectTree(t *tree, depth int) *perfectTree {
	internal := 1<<depth - 1
	p := &perfectTree{
		depth: depth,
		nodes: make([]pnode, internal),
		leaf:  make([]float64, internal+1),
	}
	var fill func(id, slot, level int)
	fill = func(id, slot, level int) {
		nd := t.nodes[id]
		if level == depth {
			p.leaf[slot-internal] = nd.value // always a leaf: depth >= max_depth stops
			return
		}
		if nd.col < 0 {
			p.nodes[slot] = pnode{thr: float32(math.Inf(1))}
			fill(id, 2*slot+1, level+1)
			return
		}
		p.nodes[slot] = pnode{thr: float32Below(nd.value), col: nd.col}
		fill(id+1, 2*slot+1, level+1)
		fill(int(nd.right), 2*slot+2, level+1)
	}
	fill(0, 0, 0)
	return p
}

// addPathTermsPerfect adds the tree's path term to acc for each row of xs,
// four rows at a time so that their independent walks overlap.
func addPathTermsPerfect(p *perfectTree, xs []float32, cols int, acc []float64) {
	if cols == 1 {
		addPathTermsPerfect1(p, xs, acc)
		return
	}
	nodes, leaf := p.nodes, p.leaf
	d := p.depth
	internal := len(nodes)
	r := 0
	for ; r+4 <= len(acc); r += 4 {
		x0 := xs[r*cols : r*cols+cols]
		x1 := xs[(r+1)*cols : (r+1)*cols+cols]
		x2 := xs[(r+2)*cols : (r+2)*cols+cols]
		x3 := xs[(r+3)*cols : (r+3)*cols+cols]
		i0, i1, i2, i3 := 0, 0, 0, 0
		for l := 0; l < d; l++ {
			n0, n1, n2, n3 := nodes[i0], nodes[i1], nodes[i2], nodes[i3]
			i0 = 2*i0 + 1 + b2i(x0[n0.col] > n0.thr)
			i1 = 2*i1 + 1 + b2i(x1[n1.col] > n1.thr)
			i2 = 2*i2 + 1 + b2i(x2[n2.col] > n2.thr)
			i3 = 2*i3 + 1 + b2i(x3[n3.col] > n3.thr)
		}
		acc[r] += leaf[i0-internal]
		acc[r+1] += leaf[i1-internal]
		acc[r+2] += leaf[i2-internal]
		acc[r+3] += leaf[i3-internal]
	}
	for ; r < len(acc); r++ {
		x := xs[r*cols : r*cols+cols]
		i := 0
		for l := 0; l < d; l++ {
			n := nodes[i]
			i = 2*i + 1 + b2i(x[n.col] > n.thr)
		}
		acc[r] += leaf[i-internal]
	}
}

// addPathTermsPerfect1 is addPathTermsPerfect for one feature: no column
// lookups.
func addPathTermsPerfect1(p *perfectTree, xs []float32, acc []float64) {
	nodes, leaf := p.nodes, p.leaf
	d := p.depth
	internal := len(nodes)
	xs = xs[:len(acc)]
	r := 0
	for ; r+4 <= len(acc); r += 4 {
		x0, x1, x2, x3 := xs[r], xs[r+1], xs[r+2], xs[r+3]
		i0, i1, i2, i3 := 0, 0, 0, 0
		for l := 0; l < d; l++ {
			i0 = 2*i0 + 1 + b2i(x0 > nodes[i0].thr)
			i1 = 2*i1 + 1 + b2i(x1 > nodes[i1].thr)
			i2 = 2*i2 + 1 + b2i(x2 > nodes[i2].thr)
			i3 = 2*i3 + 1 + b2i(x3 > nodes[i3].thr)
		}
		acc[r] += leaf[i0-internal]
		acc[r+1] += leaf[i1-internal]
		acc[r+2] += leaf[i2-internal]
		acc[r+3] += leaf[i3-internal]
	}
	for ; r < len(acc); r++ {
		i := 0
		for l := 0; l < d; l++ {
			i = 2*i + 1 + b2i(xs[r] > nodes[i].thr)
		}
		acc[r] += leaf[i-internal]
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
