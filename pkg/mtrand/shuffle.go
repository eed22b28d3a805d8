package mtrand

import "context"

// cancelEvery is how many loop steps the long loops (shuffles, reservoir
// sampling) take between two looks at their context: well under a
// millisecond of work, so a cancelled caller is released at once while the
// check costs nothing measurable.
const cancelEvery = 1 << 16

// shuffle permutes a in place like numpy's legacy RandomState.shuffle on a
// one-dimensional array (RandomState.permutation shuffles arange(n)): for
// i from len-1 down to 1, swap a[i] with a[Interval(i)]. It returns ctx's
// error if ctx ends first (a is then partly shuffled). len(a) must be at
// most MaxShuffled + 1.
func shuffle(ctx context.Context, r *RandomState, a []int32) error {
	for i := len(a) - 1; i >= 1; i-- {
		if i%cancelEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		j := r.Interval(uint32(i))
		a[i], a[j] = a[j], a[i]
	}
	return nil
}
