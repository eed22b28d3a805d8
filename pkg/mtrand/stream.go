package mtrand

import (
	"context"
	"fmt"
)

// RandomSampleAt writes to dst[k] the value that random_sample(size=n)
// (equivalently uniform(size=n)) would hold at index positions[k], for
// strictly increasing positions, and leaves the generator just past the
// last one. scikit-learn's IsolationForest.fit draws such a y over all n
// rows but reads it only at the rows its trees sample: the outputs in
// between are stepped over without tempering, and no memory of size n is
// needed, so n may be far larger than memory (counts describing billions
// of rows). The time is still linear in the last position (two 32-bit
// outputs a row, about 1 ns each on this project's machine), so ctx is
// checked every few milliseconds.
func (r *RandomState) RandomSampleAt(ctx context.Context, positions []int64, dst []float64) error {
	if len(dst) != len(positions) {
		return fmt.Errorf("mtrand: %d positions but room for %d values", len(positions), len(dst))
	}
	next := int64(0) // the row whose first output is next in the stream
	for k, p := range positions {
		if p < 0 {
			return fmt.Errorf("mtrand: positions must be >= 0, got %d", p)
		}
		if p < next {
			return fmt.Errorf("mtrand: positions must increase strictly, got %d after %d", p, next-1)
		}
		if err := r.skipContext(ctx, 2*(p-next)); err != nil {
			return err
		}
		dst[k] = r.RandomSample()
		next = p + 1
	}
	return nil
}

// skipContext is Skip, returning ctx's error if it ends first.
func (r *RandomState) skipContext(ctx context.Context, k int64) error {
	const chunk = 1 << 23 // outputs between two looks at ctx: about 10 ms
	for k > chunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		r.Skip(chunk)
		k -= chunk
	}
	r.Skip(k)
	return nil
}
