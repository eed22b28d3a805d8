package iforest

import (
	"cmp"
	"context"
	"math"
	"slices"
)

// trainFrame is the frame the trees sample from, as they see it: n row
// positions, each carrying one of the float32 feature vectors in x. Trees
// depend only on which vector sits at each position (rows with equal
// vectors are interchangeable), so the three ways of fitting differ only
// in how a position finds its vector:
//
//   - rows as returned: position p is row p of x;
//   - canonical rows: position p is row order[p] of x, order being the
//     stable sort of the rows by feature vector;
//   - counts: x holds the distinct vectors in sorted order and position p
//     is the vector whose range of ends holds p, so the n rows are never
//     materialised (n may be billions).
type trainFrame struct {
	n     int64
	cols  int
	x     []float32
	order []int32 // canonical rows: the row of x at each position
	ends  []int64 // counts: ends[k] = positions held by vectors 0..k (cumulative counts)
}

// vectors writes the vector index of each position (ascending) to dst.
func (t *trainFrame) vectors(ctx context.Context, positions []int64, dst []int32) error {
	k := 0 // counts: positions ascend, so the ends are walked once
	for i, p := range positions {
		if stopped(ctx, i) {
			return ctx.Err()
		}
		switch {
		case t.ends != nil:
			for t.ends[k] <= p {
				k++
			}
			dst[i] = int32(k)
		case t.order != nil:
			dst[i] = t.order[p]
		default:
			dst[i] = int32(p)
		}
	}
	return nil
}

// compareRows orders feature vectors as pandas' sort_values over several
// columns does: lexicographically, by value (so -0.0 equals 0.0); NaN
// never gets here.
func compareRows(a, b []float64) int {
	for j := range a {
		if c := cmp.Compare(a[j], b[j]); c != 0 {
			return c
		}
	}
	return 0
}

// canonicalOrder returns the rows of X stably sorted by feature vector:
// order[p] is the row at position p of df.sort_values(columns,
// kind="stable"). Rows are grouped by value (one hash pass), the groups
// sorted, and the rows placed by a counting pass in their original order,
// so the cost is linear in the rows plus a sort of the distinct vectors.
// Label codes and frequencies (one column of small non-negative integers)
// are counting-sorted by value directly.
func canonicalOrder(ctx context.Context, X Matrix) ([]int32, error) {
	if order, ok, err := denseOrder(ctx, X); ok || err != nil {
		return order, err
	}
	n, cols := X.Rows, X.Cols
	group := make([]int32, n) // row -> group of equal vectors (first seen first)
	var reps []int32          // a row of each group
	if err := hashGroups(ctx, X, group, &reps); err != nil {
		return nil, err
	}
	rank := make([]int32, len(reps)) // groups in sorted order
	for g := range rank {
		rank[g] = int32(g)
	}
	row := func(r int32) []float64 { return X.Data[int(r)*cols : int(r)*cols+cols] }
	slices.SortFunc(rank, func(a, b int32) int { return compareRows(row(reps[a]), row(reps[b])) })
	start := make([]int32, len(reps)) // first position of each group
	for _, g := range group {
		start[g]++
	}
	next := int32(0)
	for _, g := range rank {
		next, start[g] = next+start[g], next
	}
	order := make([]int32, n)
	for r, g := range group {
		if stopped(ctx, r) {
			return nil, ctx.Err()
		}
		order[start[g]] = int32(r)
		start[g]++
	}
	return order, nil
}

// denseOrder is canonicalOrder for one column of integers in [0,
// denseCodeLimit) (label codes, frequencies): a counting sort by value. It
// reports false, doing nothing, for other data.
func denseOrder(ctx context.Context, X Matrix) ([]int32, bool, error) {
	if X.Cols != 1 {
		return nil, false, nil
	}
	maxV := 0.0
	for _, v := range X.Data {
		if !(v >= 0 && v < denseCodeLimit) || v != math.Trunc(v) {
			return nil, false, nil
		}
		maxV = max(maxV, v)
	}
	start := make([]int32, int(maxV)+1) // first position of each value
	for _, v := range X.Data {
		start[int(v)]++
	}
	next := int32(0)
	for v, c := range start {
		next, start[v] = next+c, next
	}
	order := make([]int32, X.Rows)
	for r, v := range X.Data { // -0.0 counts as 0, as pandas sorts it
		if stopped(ctx, r) {
			return nil, true, ctx.Err()
		}
		order[start[int(v)]] = int32(r)
		start[int(v)]++
	}
	return order, true, nil
}

// hashGroups groups rows of equal value (-0.0 with 0.0) with an
// open-addressing table.
func hashGroups(ctx context.Context, X Matrix, group []int32, reps *[]int32) error {
	n, cols := X.Rows, X.Cols
	size := 16
	for size < 2*n {
		size <<= 1
	}
	table := make([]int32, size) // group + 1; 0 = empty
	mask := uint64(size - 1)
	for r := 0; r < n; r++ {
		if stopped(ctx, r) {
			return ctx.Err()
		}
		v := X.Data[r*cols : r*cols+cols]
		h := uint64(0x9e3779b97f4a7c15)
		for _, x := range v {
			if x == 0 {
				x = 0 // -0.0 sorts with 0.0: hash them alike
			}
			h ^= math.Float64bits(x)
			h *= 0xff51afd7ed558ccd
			h ^= h >> 29
		}
		slot := h & mask
		for {
			g := table[slot]
			if g == 0 {
				*reps = append(*reps, int32(r))
				table[slot] = int32(len(*reps))
				group[r] = int32(len(*reps)) - 1
				break
			}
			rep := int(((*reps)[g-1]))
			if compareRows(X.Data[rep*cols:rep*cols+cols], v) == 0 {
				group[r] = g - 1
				break
			}
			slot = (slot + 1) & mask
		}
	}
	return nil
}
