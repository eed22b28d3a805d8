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

// Interval returns a uniform integer in [0, max] by masked rejection on
// 32-bit draws, the way numpy's random_interval does for legacy shuffle and
// permutation. (numpy switches to 64-bit draws above 2**32-1; shuffles here
// hold at most MaxShuffled positions, so the type leaves that path out.)
func (r *RandomState) Interval(max uint32) uint32 {
	if max == 0 {
		return 0
	}
	m := uint32(mask(uint64(max)))
	for {
		if v := r.Uint32() & m; v <= max {
			return v
		}
	}
}

// Intn returns numpy's RandomState.randint(n) (equivalently randint(0, n))
// for the default int64 dtype, n >= 1. numpy's legacy bounded draw
// (random_bounded_uint64_fill with masking) works on rng = n-1: no draw
// when rng is 0; one raw 32-bit output when rng is 2**32-1; masked
// rejection on 32-bit outputs below that; and above 2**32-1, masked
// rejection on 64-bit draws (two outputs each, the first in the high
// half). So a population of 3e9 rows uses 32-bit draws and one of 5e9
// rows 64-bit draws, as numpy does. n < 1 is a caller bug and panics.
func (r *RandomState) Intn(n int64) int64 {
	if n < 1 {
		panic("mtrand: Intn bound below 1")
	}
	rng := uint64(n - 1)
	switch {
	case rng == 0:
		return 0
	case rng == 0xffffffff:
		return int64(r.Uint32())
	case rng < 0xffffffff:
		m := uint32(mask(rng))
		for {
			if v := uint64(r.Uint32() & m); v <= rng {
				return int64(v)
			}
		}
	}
	m := mask(rng)
	for {
		if v := r.Uint64() & m; v <= rng {
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
