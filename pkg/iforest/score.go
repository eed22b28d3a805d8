package iforest

import (
	"math"
	"slices"
	"sync"
	"sync/atomic"
)

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
