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
// parallel; tree i depends only on seeds[i], the frame and fit's y, so the
// forest is the same for any number of workers. Three phases, each on at
// most Workers goroutines: draw every tree's features and row positions;
// read fit's y = uniform(size=n) and the feature vector at the drawn
// positions only; grow the trees, each freeing its positions when done.
// What is held is O(n_estimators x max_samples_) (the budget bounds it)
// plus, while drawing by permutation, one shuffled population per worker.
func (f *Forest) growTrees(ctx context.Context, fr *trainFrame, maxDepth int) error {
	nEst := f.cfg.NEstimators
	seeds := make([]int64, nEst)
	mtrand.New(uint32(f.cfg.RandomState)).IntnInto(seeds, maxInt32)
	f.trees = make([]tree, nEst)
	positions := make([][]int64, nEst)
	splitSeeds := make([]uint32, nEst)
	drawers := f.cfg.workers()
	if mtrand.ChooseMethod(fr.n, f.maxSamples) == mtrand.PermutationMethod {
		// Each drawer shuffles all n positions: keep their pools together
		// within 2 x MaxSampledRows positions (32 MiB) when n is large.
		drawers = max(1, min(drawers, int(2*MaxSampledRows/fr.n)))
	}
	err := parallel(ctx, drawers, nEst, func() func(i int) error {
		var rs mtrand.RandomState
		var sampler mtrand.Sampler
		var scratch []int64
		return func(i int) error {
			seed := uint32(seeds[i])
			// _make_estimator: the tree's random_state, then its splitter's seed.
			rs.Seed(seed)
			rs.Seed(uint32(rs.Intn(maxInt32)))
			splitSeeds[i] = uint32(rs.Intn(randRMax))
			// _generate_bagging_indices: features, then rows, from a fresh RandomState(seed).
			rs.Seed(seed)
			feats, err := sampler.Sample(ctx, &rs, int64(f.nFeatures), f.maxFeatures, mtrand.Auto)
			if err != nil {
				return fmt.Errorf("drawing the features of tree %d: %w", i, err)
			}
			t := &f.trees[i]
			t.features = make([]int32, len(feats))
			for j, c := range feats {
				t.features[j] = int32(c)
			}
			drawn, err := sampler.Sample(ctx, &rs, fr.n, f.maxSamples, mtrand.Auto)
			if err != nil {
				return fmt.Errorf("drawing the rows of tree %d: %w", i, err)
			}
			p := slices.Clone(drawn)
			// The zero-weight trick leaves rows in ascending order.
			if scratch, err = sortPositions(ctx, p, fr.n, scratch); err != nil {
				return err
			}
			positions[i] = p
			return nil
		}
	})
	if err != nil {
		return err
	}
	slots, y, vec, err := f.atDrawn(ctx, fr, positions)
	if err != nil {
		return err
	}
	cols := fr.cols
	return parallel(ctx, f.cfg.workers(), nEst, func() func(i int) error {
		b := treeBuilder{ctx: ctx}
		return func(i int) error {
			t := &f.trees[i]
			s := slots[i]
			b.nf = len(t.features)
			b.x = growF32(b.x, len(s)*b.nf)
			b.y = growF64(b.y, len(s))
			for k, slot := range s {
				if stopped(ctx, k) {
					return ctx.Err()
				}
				b.y[k] = y[slot]
				src := fr.x[int(vec[slot])*cols:]
				dst := b.x[k*b.nf:]
				for j, c := range t.features {
					dst[j] = src[c]
				}
			}
			slots[i] = nil
			b.impurityStops = 0
			if !b.grow(t, len(s), splitSeeds[i], maxDepth) {
				return ctx.Err()
			}
			f.impurityStops.Add(int64(b.impurityStops))
			t.layout(maxDepth, cols)
			return nil
		}
	})
}

// atDrawn returns fit's y and the vector index at each position some tree
// drew, and for each tree the index of each of its rows in those lists.
func (f *Forest) atDrawn(ctx context.Context, fr *trainFrame, positions [][]int64) (slots [][]int32, y []float64, vec []int32, err error) {
	slots, drawn, err := drawnPositions(ctx, fr.n, positions)
	if err != nil {
		return nil, nil, nil, err
	}
	y = make([]float64, len(drawn))
	if err := mtrand.New(uint32(f.cfg.RandomState)).RandomSampleAt(ctx, drawn, y); err != nil {
		return nil, nil, nil, err
	}
	vec = make([]int32, len(drawn))
	if err := fr.vectors(ctx, drawn, vec); err != nil {
		return nil, nil, nil, err
	}
	return slots, y, vec, nil
}

// drawnPositions merges the trees' ascending positions into one ascending
// list of distinct positions, and returns for each tree the index of each
// of its positions in that list; it frees the trees' position lists as it
// goes. When the population is small next to the draws (rows fitted as
// rows), a bitmap of the population and its running popcounts do it in
// linear time; otherwise (counts over billions of rows) the positions are
// sorted. The loops look at ctx every cancelEvery positions.
func drawnPositions(ctx context.Context, n int64, positions [][]int64) (slots [][]int32, drawn []int64, err error) {
	total := 0
	for _, p := range positions {
		total += len(p)
	}
	slots = make([][]int32, len(positions))
	if n/64 <= int64(total) {
		needed := make([]uint64, (n+63)/64)
		for _, p := range positions {
			for k, v := range p {
				if stopped(ctx, k) {
					return nil, nil, ctx.Err()
				}
				needed[v/64] |= 1 << (v % 64)
			}
		}
		// rank[w] = drawn positions before word w.
		rank := make([]int32, len(needed))
		count := int32(0)
		for w, word := range needed {
			rank[w] = count
			count += int32(bits.OnesCount64(word))
		}
		drawn = make([]int64, 0, count)
		for w, word := range needed {
			if stopped(ctx, w) {
				return nil, nil, ctx.Err()
			}
			for word != 0 {
				drawn = append(drawn, int64(w)*64+int64(bits.TrailingZeros64(word)))
				word &= word - 1
			}
		}
		for i, p := range positions {
			s := make([]int32, len(p))
			for k, v := range p {
				if stopped(ctx, k) {
					return nil, nil, ctx.Err()
				}
				below := needed[v/64] & (1<<(v%64) - 1)
				s[k] = rank[v/64] + int32(bits.OnesCount64(below))
			}
			slots[i], positions[i] = s, nil
		}
		return slots, drawn, nil
	}
	drawn = make([]int64, 0, total)
	for _, p := range positions {
		drawn = append(drawn, p...)
	}
	if _, err := sortPositions(ctx, drawn, n, nil); err != nil {
		return nil, nil, err
	}
	drawn = slices.Compact(drawn)
	for i, p := range positions {
		s := make([]int32, len(p))
		lo := 0
		for k, v := range p { // p ascends: search only above the last hit
			if stopped(ctx, k) {
				return nil, nil, ctx.Err()
			}
			j, _ := slices.BinarySearch(drawn[lo:], v)
			lo += j
			s[k] = int32(lo)
		}
		slots[i], positions[i] = s, nil
	}
	return slots, drawn, nil
}

// parallel runs task(i) for i in [0, n) on up to workers goroutines, each
// with its own state from newTask, and returns when all have stopped: the
// first error wins, and once ctx ends no new task starts and ctx's error
// is returned (tasks that run long look at ctx themselves).
func parallel(ctx context.Context, workers, n int, newTask func() func(i int) error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, max(1, min(workers, n)))
	for w := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			task := newTask()
			for ctx.Err() == nil {
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
	if err := ctx.Err(); err != nil {
		return err
	}
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
