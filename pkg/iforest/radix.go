package iforest

import (
	"context"
	"math/bits"
	"slices"
)

// sortPositions sorts row positions in [0, n) in place. Large samples (a
// tree of millions of rows, or all the trees' positions over billions of
// counted rows) are sorted by LSD radix sort, a byte of the position per
// pass over the slice, with ctx looked at between passes: it is several
// times faster than a comparison sort there and never runs for long without
// looking. scratch is reused when large enough; the (possibly grown)
// scratch is returned.
func sortPositions(ctx context.Context, p []int64, n int64, scratch []int64) ([]int64, error) {
	if len(p) <= 1<<12 {
		slices.Sort(p)
		return scratch, nil
	}
	if cap(scratch) < len(p) {
		scratch = make([]int64, len(p))
	}
	src, dst := p, scratch[:len(p)]
	passes := (bits.Len64(uint64(max(n-1, 1))) + 7) / 8
	for pass := range passes {
		if err := ctx.Err(); err != nil {
			return scratch, err
		}
		shift := 8 * pass
		var start [256]int
		for _, v := range src {
			start[v>>shift&0xff]++
		}
		sum := 0
		for b, c := range start {
			start[b] = sum
			sum += c
		}
		for _, v := range src {
			b := v >> shift & 0xff
			dst[start[b]] = v
			start[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &p[0] {
		copy(p, src)
	}
	return scratch, nil
}
