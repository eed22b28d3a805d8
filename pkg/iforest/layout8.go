package iforest

// perfect8 is a perfectTree of depth 8 (max_samples 129..256, the default
// "auto" on 256 rows or more) in fixed-size arrays: with masked indices the
// compiler drops every bounds check from the walk.
type perfect8 struct {
	nodes [256]pnode // 255 used
	leaf  [256]float64
}

func newPerfect8(p *perfectTree) *perfect8 {
	if p.depth != 8 {
		return nil
	}
	t := &perfect8{}
	copy(t.nodes[:], p.nodes)
	copy(t.leaf[:], p.leaf)
	return t
}

// addPathTerms8 adds the tree's path term to acc for rows of at most four
// features padded to [4]float32 (the column index is masked into the row).
func addPathTerms8(t *perfect8, rows [][4]float32, acc []float64) {
	rows = rows[:len(acc)]
	r := 0
	for ; r+4 <= len(acc); r += 4 {
		x0, x1, x2, x3 := &rows[r], &rows[r+1], &rows[r+2], &rows[r+3]
		i0, i1, i2, i3 := 0, 0, 0, 0
		for range 8 {
			n0, n1, n2, n3 := t.nodes[i0&255], t.nodes[i1&255], t.nodes[i2&255], t.nodes[i3&255]
			i0 = 2*i0 + 1 + b2i(x0[n0.col&3] > n0.thr)
			i1 = 2*i1 + 1 + b2i(x1[n1.col&3] > n1.thr)
			i2 = 2*i2 + 1 + b2i(x2[n2.col&3] > n2.thr)
			i3 = 2*i3 + 1 + b2i(x3[n3.col&3] > n3.thr)
		}
		a := (*[4]float64)(acc[r : r+4])
		a[0] += t.leaf[(i0-255)&255]
		a[1] += t.leaf[(i1-255)&255]
		a[2] += t.leaf[(i2-255)&255]
		a[3] += t.leaf[(i3-255)&255]
	}
	for ; r < len(acc); r++ {
		x := &rows[r]
		i := 0
		for range 8 {
			n := t.nodes[i&255]
			i = 2*i + 1 + b2i(x[n.col&3] > n.thr)
		}
		acc[r] += t.leaf[(i-255)&255]
	}
}
