package iforest

import (
	"cmp"
	"context"
	"math"
	"slices"
)

// scoreChunk is the number of distinct rows a worker scores through all
// trees at a time: small enough for the partial sums to stay in cache.
const scoreChunk = 512

// scoreDistinct returns score_samples for each distinct vector. Each row's
// path terms are added tree by tree in tree order, as numpy's
// depths += ... does, whatever the number of workers.
func (f *Forest) scoreDistinct(ctx context.Context, rows *distinctRows) ([]float64, error) {
	nd := rows.len()
	out := make([]float64, nd)
	cols := rows.cols
	denom := float64(len(f.trees)) * AveragePathLength(f.maxSamples)
	chunks := (nd + scoreChunk - 1) / scoreChunk
	err := parallel(ctx, f.cfg.workers(), chunks, func() func(int) error {
		var pad [][4]float32 // a chunk's rows padded to four features
		if cols > 1 && cols <= 4 {
			pad = make([][4]float32, scoreChunk)
		}
		return func(c int) error {
			lo := c * scoreChunk
			hi := min(lo+scoreChunk, nd)
			acc := out[lo:hi]
			xs := rows.values[lo*cols : hi*cols]
			if pad != nil {
				for r := range acc {
					copy(pad[r][:], xs[r*cols:r*cols+cols])
				}
			}
			for ti := range f.trees {
				if ti%cancelTrees == 0 && ctx.Err() != nil {
					return ctx.Err()
				}
				t := &f.trees[ti]
				switch {
				case t.perfect8 != nil && pad != nil:
					addPathTerms8(t.perfect8, pad, acc)
				case t.perfect != nil:
					addPathTermsPerfect(t.perfect, xs, cols, acc)
				default:
					addPathTerms(t.nodes, xs, cols, acc)
				}
			}
			for i, d := range acc {
				q := 1.0 // np.divide's out=ones where the denominator is 0
				if denom != 0 {
					q = d / denom
				}
				acc[i] = -Exp2(-q)
			}
			return nil
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
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
	items := make([]weighted, len(scores))
	for i, v := range scores {
		items[i] = weighted{v, counts[i]}
	}
	a, b := kth(items, ip), kth(items, in)
	gamma := vi - prev
	diff := b - a
	if gamma >= 0.5 {
		return b - float64(diff*(1-gamma))
	}
	return a + float64(diff*gamma)
}

// weighted is a value with its multiplicity.
type weighted struct {
	v float64
	c int64
}

// kth returns the value at 0-based position k of the sorted multiset, by
// three-way quickselect on the counts (expected linear time). It reorders
// items. Scores are never NaN.
func kth(items []weighted, k int64) float64 {
	lo, hi := 0, len(items)
	var base int64 // multiset positions before items[lo:hi]
	for hi-lo > 16 {
		a, b, c := items[lo].v, items[(lo+hi)/2].v, items[hi-1].v
		pivot := max(min(a, b), min(max(a, b), c)) // median of three
		// Dutch flag: [lo,lt) < pivot, [lt,gt) == pivot, [gt,hi) > pivot.
		lt, i, gt := lo, lo, hi
		var less, equal int64
		for i < gt {
			switch x := items[i]; {
			case x.v < pivot:
				items[lt], items[i] = items[i], items[lt]
				less += x.c
				lt++
				i++
			case x.v > pivot:
				gt--
				items[gt], items[i] = items[i], items[gt]
			default:
				equal += x.c
				i++
			}
		}
		switch {
		case k < base+less:
			hi = lt
		case k < base+less+equal:
			return pivot
		default:
			base += less + equal
			lo = gt
		}
	}
	rest := items[lo:hi]
	slices.SortFunc(rest, func(x, y weighted) int { return cmp.Compare(x.v, y.v) })
	for _, x := range rest {
		base += x.c
		if k < base {
			return x.v
		}
	}
	return rest[len(rest)-1].v
}
