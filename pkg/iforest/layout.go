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
	thr   []float32 // largest float32 <= the float64 threshold
	col   []int32
	leaf  []float64 // path term at each depth-D slot
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
		thr:   make([]float32, internal),
		col:   make([]int32, internal),
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
			p.thr[slot] = float32(math.Inf(1))
			fill(id, 2*slot+1, level+1)
			return
		}
		p.thr[slot] = float32Below(nd.value)
		p.col[slot] = nd.col
		fill(id+1, 2*slot+1, level+1)
		fill(int(nd.right), 2*slot+2, level+1)
	}
	fill(0, 0, 0)
	return p
}

// addPathTermsPerfect adds the tree's path term to acc for each row of xs,
// four rows at a time so that their independent walks overlap.
func addPathTermsPerfect(p *perfectTree, xs []float32, cols int, acc []float64) {
	thr, col, leaf := p.thr, p.col, p.leaf
	d := p.depth
	internal := len(thr)
	r := 0
	for ; r+4 <= len(acc); r += 4 {
		x0 := xs[r*cols:]
		x1 := xs[(r+1)*cols:]
		x2 := xs[(r+2)*cols:]
		x3 := xs[(r+3)*cols:]
		i0, i1, i2, i3 := 0, 0, 0, 0
		for l := 0; l < d; l++ {
			i0 = 2*i0 + 1 + b2i(x0[col[i0]] > thr[i0])
			i1 = 2*i1 + 1 + b2i(x1[col[i1]] > thr[i1])
			i2 = 2*i2 + 1 + b2i(x2[col[i2]] > thr[i2])
			i3 = 2*i3 + 1 + b2i(x3[col[i3]] > thr[i3])
		}
		acc[r] += leaf[i0-internal]
		acc[r+1] += leaf[i1-internal]
		acc[r+2] += leaf[i2-internal]
		acc[r+3] += leaf[i3-internal]
	}
	for ; r < len(acc); r++ {
		x := xs[r*cols:]
		i := 0
		for l := 0; l < d; l++ {
			i = 2*i + 1 + b2i(x[col[i]] > thr[i])
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
