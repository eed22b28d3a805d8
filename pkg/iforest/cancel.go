package iforest

import "context"

// Cancellation: every public method that fits or scores takes a context and
// returns its error soon after it ends, with no goroutine left running.
// Loops over rows look at the context every cancelEvery rows, the workers
// before each tree or chunk of rows, the tree builder before splitting a
// large node, and the scorer every cancelTrees trees; mtrand's long loops
// (shuffles, stepping over fit's y) do the same. Each look is one atomic
// load, and the work between two looks is well under 100 ms.
const (
	cancelEvery = 1 << 16
	cancelTrees = 64
)

// stopped is the look a loop takes at step i: whether ctx has ended,
// checked every cancelEvery steps.
func stopped(ctx context.Context, i int) bool {
	return i%cancelEvery == 0 && ctx.Err() != nil
}
