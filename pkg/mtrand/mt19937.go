package mtrand

const (
	stateLen  = 624
	shift     = 397
	matrixA   = 0x9908b0df
	upperMask = 0x80000000
	lowerMask = 0x7fffffff
)

// RandomState is numpy's legacy RandomState reduced to what scikit-learn's
// forests draw: 32-bit outputs of MT19937 and bounded integers built on them.
// The zero value is not usable; call New or Seed.
type RandomState struct {
	key [stateLen]uint32
	pos int
}

// New returns a generator seeded like numpy.random.RandomState(seed) for an
// integer seed (numpy's mt19937_seed, i.e. Matsumoto and Nishimura's
// init_genrand). numpy accepts seeds in [0, 2**32-1]; the uint32 type makes
// that range explicit.
func New(seed uint32) *RandomState {
	r := &RandomState{}
	r.Seed(seed)
	return r
}

// Seed resets the state in place, so a worker can reuse one RandomState value
// for many trees without allocating.
func (r *RandomState) Seed(seed uint32) {
	s := seed
	for i := 0; i < stateLen; i++ {
		r.key[i] = s
		s = 1812433253*(s^(s>>30)) + uint32(i) + 1
	}
	r.pos = stateLen
}

// generate refills the whole state block (the "twist").
func (r *RandomState) generate() {
	k := &r.key
	i := 0
	for ; i < stateLen-shift; i++ {
		y := (k[i] & upperMask) | (k[i+1] & lowerMask)
		k[i] = k[i+shift] ^ (y >> 1) ^ (-(y & 1) & matrixA)
	}
	for ; i < stateLen-1; i++ {
		y := (k[i] & upperMask) | (k[i+1] & lowerMask)
		k[i] = k[i+shift-stateLen] ^ (y >> 1) ^ (-(y & 1) & matrixA)
	}
	y := (k[stateLen-1] & upperMask) | (k[0] & lowerMask)
	k[stateLen-1] = k[shift-1] ^ (y >> 1) ^ (-(y & 1) & matrixA)
	r.pos = 0
}

// Uint32 returns the next tempered 32-bit output (numpy's next_uint32 for
// MT19937, genrand_int32 in the reference code).
func (r *RandomState) Uint32() uint32 {
	if r.pos == stateLen {
		r.generate()
	}
	y := r.key[r.pos]
	r.pos++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// RandomSample returns numpy's random_sample(): a double in [0, 1) from two
// 32-bit outputs, (a>>5 * 2**26 + b>>6) / 2**53. RandomState.uniform(size=n)
// with the default bounds returns exactly these values (0 + 1 * d).
func (r *RandomState) RandomSample() float64 {
	a := r.Uint32() >> 5
	b := r.Uint32() >> 6
	return (float64(a)*67108864.0 + float64(b)) / 9007199254740992.0
}

// Skip advances the generator by k 32-bit outputs without computing them
// (no tempering), for streams of which only some values are needed.
func (r *RandomState) Skip(k int) {
	for k > 0 {
		if r.pos == stateLen {
			r.generate()
		}
		step := min(k, stateLen-r.pos)
		r.pos += step
		k -= step
	}
}
