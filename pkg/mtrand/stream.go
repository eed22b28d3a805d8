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
	next := int64(0)      // the row whose first output is next in the stream
	unchecked := int64(0) // outputs since ctx was last looked at
	for k, p := range positions {
		if p < 0 {
			return fmt.Errorf("mtrand: positions must be >= 0, got %d", p)
		}
		if p < next {
			return fmt.Errorf("mtrand: positions must increase strictly, got %d after %d", p, next-1)
		}
		for gap := 2 * (p - next); ; {
			if unchecked >= checkOutputs {
				if err := ctx.Err(); err != nil {
					return err
				}
				unchecked = 0
			}
			if gap == 0 {
				break
			}
			step := min(gap, checkOutputs-unchecked)
			r.Skip(step)
			gap -= step
			unchecked += step
		}
		dst[k] = r.RandomSample()
		unchecked += 2
		next = p + 1
	}
	return nil
}

// checkOutputs is how many outputs RandomSampleAt steps over between two
// looks at its context: about a millisecond.
const checkOutputs = 1 << 20
