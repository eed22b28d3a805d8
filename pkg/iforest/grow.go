package iforest

import (
	"context"
	"fmt"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/kqlhunt/anomaly-datasource/pkg/mtrand"
)

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
			feats, err := sampler.Sample(context.Background(), &rs, int64(f.nFeatures), f.maxFeatures, mtrand.Auto)
			if err != nil {
				return fmt.Errorf("drawing the features of tree %d: %w", i, err)
			}
			t := &f.trees[i]
			t.features = make([]int32, len(feats))
			for j, c := range feats {
				t.features[j] = int32(c)
			}
			drawn, err := sampler.Sample(context.Background(), &rs, int64(n), f.maxSamples, mtrand.Auto)
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
				t.perfect8 = newPerfect8(t.perfect)
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
	for w, word := range needed {
		rank[w] = total
		total += int32(bits.OnesCount64(word))
	}
	vals := make([]float64, total)
	rs := mtrand.New(seed)
	k, last := 0, 0
	for w, word := range needed {
		for word != 0 {
			row := w*64 + bits.TrailingZeros64(word)
			word &= word - 1
			rs.Skip(int64(2 * (row - last)))
			vals[k] = rs.RandomSample()
			k++
			last = row + 1
		}
	}
	return func(row int32) float64 {
		w := row / 64
		below := needed[w] & (1<<(row%64) - 1)
		return vals[rank[w]+int32(bits.OnesCount64(below))]
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
