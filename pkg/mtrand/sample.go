package mtrand

import (
	"context"
	"fmt"
	"math"
)

// Method names scikit-learn's sample_without_replacement methods.
type Method int

const (
	// Auto picks a method by ratio = n_samples / n_population exactly as
	// scikit-learn's "auto" does: permutation when 0.01 < ratio < 0.99,
	// otherwise tracking selection when ratio < 0.2, else reservoir sampling.
	Auto Method = iota
	// PermutationMethod returns permutation(n_population)[:n_samples].
	PermutationMethod
	// TrackingSelection draws randint(n_population), drawing again on a
	// value already selected.
	TrackingSelection
	// ReservoirSampling keeps 0..n_samples-1 and replaces out[j] with i when
	// randint(0, i+1) = j < n_samples, for i from n_samples to n_population-1.
	ReservoirSampling
	// Pool is random.sample's pool method (scikit-learn's "pool").
	Pool
)

// String returns scikit-learn's name for the method.
func (m Method) String() string {
	switch m {
	case Auto:
		return "auto"
	case PermutationMethod:
		return "permutation"
	case TrackingSelection:
		return "tracking_selection"
	case ReservoirSampling:
		return "reservoir_sampling"
	case Pool:
		return "pool"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ChooseMethod resolves Auto the way scikit-learn 1.2 does. The ratio is a
// float64 division, so n_samples=256 of n_population=25,600 gives exactly
// 0.01 and selects tracking selection, while 25,599 selects permutation.
func ChooseMethod(nPopulation int64, nSamples int) Method {
	ratio := ratioOf(nPopulation, nSamples)
	if ratio > 0.01 && ratio < 0.99 {
		return PermutationMethod
	}
	if ratio < 0.2 {
		return TrackingSelection
	}
	return ReservoirSampling
}

// ResolveMethod maps one of scikit-learn's method names ("auto",
// "tracking_selection", "reservoir_sampling", "pool") to the algorithm that
// scikit-learn 1.2 actually runs. Note that "tracking_selection" is itself
// ratio dependent there: it falls back to reservoir sampling when
// n_samples / n_population >= 0.2.
func ResolveMethod(name string, nPopulation int64, nSamples int) (Method, error) {
	switch name {
	case "auto":
		return ChooseMethod(nPopulation, nSamples), nil
	case "tracking_selection":
		if ratioOf(nPopulation, nSamples) < 0.2 {
			return TrackingSelection, nil
		}
		return ReservoirSampling, nil
	case "reservoir_sampling":
		return ReservoirSampling, nil
	case "pool":
		return Pool, nil
	}
	return Auto, fmt.Errorf("mtrand: unknown method %q, expected auto, tracking_selection, reservoir_sampling or pool", name)
}

func ratioOf(nPopulation int64, nSamples int) float64 {
	if nPopulation == 0 {
		return 1.0
	}
	return float64(nSamples) / float64(nPopulation)
}

// SampleWithoutReplacement returns scikit-learn's
// sample_without_replacement(nPopulation, nSamples, method, random_state=r),
// in the order scikit-learn returns it (not sorted).
func SampleWithoutReplacement(r *RandomState, nPopulation int64, nSamples int, method Method) ([]int64, error) {
	var s Sampler
	out, err := s.Sample(context.Background(), r, nPopulation, nSamples, method)
	if err != nil {
		return nil, err
	}
	return append([]int64(nil), out...), nil
}

// MaxShuffled is the largest population the permutation method shuffles:
// it holds every position (as int32), as numpy's permutation does.
const MaxShuffled = math.MaxInt32

// Sampler holds buffers reused across calls so that drawing the rows of many
// trees allocates only while the buffers grow. It is not safe for concurrent
// use; give each worker its own. The permutation method's buffer holds the
// whole population (4 bytes a position); the other methods' hold the sample.
type Sampler struct {
	out  []int64
	pool []int32
	set  []int64 // open-addressing set for tracking selection, -1 = empty
}

// Sample is SampleWithoutReplacement writing into the Sampler's buffer. The
// returned slice is valid until the next call. The loops whose length is
// the population (permutation, reservoir and pool sampling) return ctx's
// error soon after ctx ends.
func (s *Sampler) Sample(ctx context.Context, r *RandomState, nPopulation int64, nSamples int, method Method) ([]int64, error) {
	if nPopulation < 0 {
		return nil, fmt.Errorf("mtrand: n_population should be greater than 0, got %d", nPopulation)
	}
	if nSamples < 0 || int64(nSamples) > nPopulation {
		return nil, fmt.Errorf("mtrand: n_population should be greater or equal than n_samples, got n_samples > n_population (%d > %d)", nSamples, nPopulation)
	}
	if method == Auto {
		method = ChooseMethod(nPopulation, nSamples)
	}
	switch method {
	case PermutationMethod, Pool:
		if nPopulation > MaxShuffled {
			return nil, fmt.Errorf("mtrand: the %v method holds every position, and %d positions are more than %d", method, nPopulation, MaxShuffled)
		}
	}
	out := grow(s.out, nSamples)
	s.out = out
	switch method {
	case PermutationMethod:
		pool, err := s.arange(ctx, nPopulation)
		if err != nil {
			return nil, err
		}
		if err := shuffle(ctx, r, pool); err != nil {
			return nil, err
		}
		for i := range out {
			out[i] = int64(pool[i])
		}
		return out, nil
	case TrackingSelection:
		s.tracking(r, nPopulation, out)
		return out, nil
	case ReservoirSampling:
		for i := range out {
			if i%cancelEvery == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			out[i] = int64(i)
		}
		for i := int64(nSamples); i < nPopulation; i++ {
			if i%cancelEvery == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			if j := r.Intn(i + 1); j < int64(nSamples) {
				out[j] = i
			}
		}
		return out, nil
	case Pool:
		pool, err := s.arange(ctx, nPopulation)
		if err != nil {
			return nil, err
		}
		for i := range out {
			if i%cancelEvery == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			j := r.Intn(nPopulation - int64(i))
			out[i] = int64(pool[j])
			pool[j] = pool[int(nPopulation)-i-1]
		}
		return out, nil
	}
	return nil, fmt.Errorf("mtrand: unknown sampling method %v", method)
}

// tracking is scikit-learn's tracking selection with an open-addressing set
// in place of a Python set; only membership matters, so the draws are the
// same. It fills out.
func (s *Sampler) tracking(r *RandomState, nPopulation int64, out []int64) {
	size := 16
	for size < 2*len(out) {
		size <<= 1
	}
	if len(s.set) < size {
		s.set = make([]int64, size)
	}
	set := s.set[:size]
	for i := range set {
		set[i] = -1
	}
	m := uint64(size - 1)
	for i := range out {
		for {
			j := r.Intn(nPopulation)
			h := (uint64(j) * 0x9e3779b97f4a7c15) >> 32 & m
			for set[h] != -1 && set[h] != j {
				h = (h + 1) & m
			}
			if set[h] == j {
				continue // already selected: draw again
			}
			set[h] = j
			out[i] = j
			break
		}
	}
}

func grow(b []int64, n int) []int64 {
	if cap(b) < n {
		return make([]int64, n)
	}
	return b[:n]
}

// arange fills the pool with 0..n-1, the array that permutation shuffles.
func (s *Sampler) arange(ctx context.Context, n int64) ([]int32, error) {
	s.pool = growPool(s.pool, int(n))
	for i := range s.pool {
		if i%cancelEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		s.pool[i] = int32(i)
	}
	return s.pool, nil
}

func growPool(b []int32, n int) []int32 {
	if cap(b) < n {
		return make([]int32, n)
	}
	return b[:n]
}
