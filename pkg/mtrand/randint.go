package mtrand

// mask returns the smallest all-ones bit mask that is >= v, as numpy's
// gen_mask and random_interval compute it.
func mask(v uint64) uint64 {
	v |= v >> 1
	v |= v >> 2
	v |= v >> 4
	v |= v >> 8
	v |= v >> 16
	v |= v >> 32
	return v
}

// Interval returns a uniform integer in [0, max] by masked rejection, the
// way numpy's random_interval does for legacy shuffle and permutation.
// max must fit in 32 bits (it always does for the sizes this project uses);
// larger values panic because numpy would switch to 64-bit draws.
func (r *RandomState) Interval(max uint64) uint64 {
	if max == 0 {
		return 0
	}
	if max > 0xffffffff {
		panic("mtrand: Interval above 2**32-1 is not ported")
	}
	m := uint32(mask(max))
	for {
		v := uint64(r.Uint32() & m)
		if v <= max {
			return v
		}
	}
}

// Intn returns numpy's RandomState.randint(n) (equivalently randint(0, n))
// for the default int64 dtype: masked rejection on 32-bit draws over
// [0, n-1]. n == 1 consumes no draw, as in numpy. n must be in [1, 2**32].
func (r *RandomState) Intn(n int64) int64 {
	if n < 1 || n > 1<<32 {
		panic("mtrand: Intn bound outside [1, 2**32]")
	}
	rng := uint64(n - 1)
	if rng == 0 {
		return 0
	}
	if rng == 0xffffffff {
		return int64(r.Uint32())
	}
	m := uint32(mask(rng))
	for {
		v := uint64(r.Uint32() & m)
		if v <= rng {
			return int64(v)
		}
	}
}

// IntRange returns numpy's randint(low, high): low + Intn(high-low).
func (r *RandomState) IntRange(low, high int64) int64 {
	return low + r.Intn(high-low)
}

// IntnInto fills dst like randint(n, size=len(dst)): the array form draws
// the same sequence as repeated scalar calls.
func (r *RandomState) IntnInto(dst []int64, n int64) {
	for i := range dst {
		dst[i] = r.Intn(n)
	}
}
