package iforest

import (
	"context"
	"math"
)

// distinctRows groups equal feature vectors. Trees see only feature values,
// so equal rows get equal scores: each distinct vector is scored once and
// the result is copied to its rows. Label-encoded columns typically have a
// few hundred distinct values among hundreds of thousands of rows.
type distinctRows struct {
	cols   int
	values []float32 // distinct vectors, row-major
	counts []int64   // rows per distinct vector
	index  []int32   // row -> distinct vector
}

func (d *distinctRows) len() int { return len(d.counts) }

// denseCodeLimit bounds the direct-indexed path for one column of small
// non-negative integers (label codes, frequencies).
const denseCodeLimit = 1 << 20

func dedupe(ctx context.Context, x []float32, cols int) (*distinctRows, error) {
	n := len(x) / cols
	d := &distinctRows{cols: cols, index: make([]int32, n)}
	if cols == 1 {
		if ok, err := dedupeDense(ctx, d, x); ok || err != nil {
			return d, err
		}
	}
	size := 16
	for size < 2*n {
		size <<= 1
	}
	table := make([]int32, size) // distinct id + 1; 0 = empty
	mask := uint64(size - 1)
	for i := 0; i < n; i++ {
		if stopped(ctx, i) {
			return nil, ctx.Err()
		}
		row := x[i*cols : i*cols+cols]
		h := uint64(0x9e3779b97f4a7c15)
		for _, v := range row {
			h ^= uint64(math.Float32bits(v))
			h *= 0xff51afd7ed558ccd
			h ^= h >> 29
		}
		slot := h & mask
		for {
			id := table[slot]
			if id == 0 {
				id = int32(len(d.counts)) + 1
				table[slot] = id
				d.values = append(d.values, row...)
				d.counts = append(d.counts, 0)
			} else if !sameBits(d.values[int(id-1)*cols:int(id)*cols], row) {
				slot = (slot + 1) & mask
				continue
			}
			d.index[i] = id - 1
			d.counts[id-1]++
			break
		}
	}
	return d, nil
}

func sameBits(a, b []float32) bool {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}

// dedupeDense handles one column of integers in [0, denseCodeLimit) with an
// array instead of a hash table; it reports false (doing nothing) otherwise.
func dedupeDense(ctx context.Context, d *distinctRows, x []float32) (bool, error) {
	maxV := float32(0)
	for _, v := range x {
		if !(v >= 0 && v < denseCodeLimit) || v != float32(int32(v)) || math.Signbit(float64(v)) {
			return false, nil
		}
		maxV = max(maxV, v)
	}
	slot := make([]int32, int(maxV)+1) // distinct id + 1
	for i, v := range x {
		if stopped(ctx, i) {
			return true, ctx.Err()
		}
		s := &slot[int(v)]
		if *s == 0 {
			d.values = append(d.values, v)
			d.counts = append(d.counts, 0)
			*s = int32(len(d.counts))
		}
		d.index[i] = *s - 1
		d.counts[*s-1]++
	}
	return true, nil
}
