package mtrand

const (
	stateLen = 624
	shift    = 397
	matrixA  = 0x9908b0df
	// pairs is the state as 64-bit words: word j holds outputs 2j (low
	// half) and 2j+1 (high half), so that the twist handles two outputs per
	// operation.
	pairs = stateLen / 2
	// Both halves of a pair word at once.
	upper2 = 0x80000000_80000000
	lower2 = 0x7fffffff_7fffffff
	odd2   = 0x00000001_00000001
)

// RandomState is numpy's legacy RandomState reduced to what scikit-learn's
// forests draw: 32-bit outputs of MT19937 and bounded integers built on them.
// The zero value is not usable; call New or Seed.
type RandomState struct {
	key [pairs]uint64 // the 624 32-bit words of MT19937, two per element
	pos int           // next 32-bit word to output, 0..624
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
		if i%2 == 0 {
			r.key[i/2] = uint64(s)
		} else {
			r.key[i/2] |= uint64(s) << 32
		}
		s = 1812433253*(s^(s>>30)) + uint32(i) + 1
	}
	r.pos = stateLen
}

// generate refills the whole state block (the "twist"). MT19937 computes
// word i from words i, i+1 and i+397 (mod 624), in place, in increasing i;
// here two words are computed per step from 64-bit pairs. Reading the pairs
// in the same increasing order sees exactly the words, old or already
// replaced, that the one-word loop sees: word i+1 is always old, word
// i+397 is old while i < 227 and new after (it wraps to i-227), and the
// last word pairs with the new word 0.
func (r *RandomState) generate() {
	k := &r.key
	// pair(a, b) is the pair (high half of a, low half of b): words 2j+1 and 2j+2.
	step := func(cur, next, far uint64) uint64 {
		y := (cur & upper2) | (next & lower2)
		return far ^ ((y >> 1) & lower2) ^ ((y & odd2) * matrixA)
	}
	// Words 0..225 (pairs 0..112) read words 397..622, all old.
	for j := 0; j < 113; j++ {
		k[j] = step(k[j], k[j]>>32|k[j+1]<<32, k[j+198]>>32|k[j+199]<<32)
	}
	// Words 226 and 227: word 623 (old) and word 0 (new).
	k[113] = step(k[113], k[113]>>32|k[114]<<32, k[311]>>32|k[0]<<32)
	// Words 228..621 read words 1..394, already new.
	for j := 114; j < pairs-1; j++ {
		k[j] = step(k[j], k[j]>>32|k[j+1]<<32, k[j-114]>>32|k[j-113]<<32)
	}
	// Words 622 and 623: the next words are 623 and the new word 0.
	k[pairs-1] = step(k[pairs-1], k[pairs-1]>>32|k[0]<<32, k[197]>>32|k[198]<<32)
	r.pos = 0
}

// Uint32 returns the next tempered 32-bit output (numpy's next_uint32 for
// MT19937, genrand_int32 in the reference code).
func (r *RandomState) Uint32() uint32 {
	if r.pos == stateLen {
		r.generate()
	}
	y := uint32(r.key[r.pos/2] >> (32 * (r.pos % 2)))
	r.pos++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// Uint64 returns numpy's next_uint64 for MT19937: two outputs, the first
// in the high half (mt19937_next64).
func (r *RandomState) Uint64() uint64 {
	hi := uint64(r.Uint32())
	return hi<<32 | uint64(r.Uint32())
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
func (r *RandomState) Skip(k int64) {
	for k > 0 {
		if r.pos == stateLen {
			r.generate()
		}
		step := min(k, int64(stateLen-r.pos))
		r.pos += int(step)
		k -= step
	}
}
