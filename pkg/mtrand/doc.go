// Package mtrand reproduces, draw for draw, the parts of numpy's legacy
// RandomState (MT19937) and of scikit-learn's sample_without_replacement that
// scikit-learn's IsolationForest consumes.
//
// Why a port and not math/rand: the forest must grow the very trees that
// scikit-learn grows for the same random_state, so every random number has to
// be the one numpy would produce. That fixes the generator (MT19937 seeded by
// init_genrand), the bounded-integer method (masked rejection, the "legacy"
// path numpy keeps for RandomState: on 32-bit draws up to a range of
// 2**32-1, on 64-bit draws above it), numpy's legacy shuffle, and the three
// sampling methods scikit-learn picks between by sample ratio.
//
// Populations are int64: a forest fitted from counts samples positions in
// a virtual frame of billions of rows, where scikit-learn's tracking
// selection draws with randint(n) and numpy switches to its 64-bit draw
// above 2**32 rows. RandomSampleAt reads fit's y = uniform(size=n) at the
// sampled positions only, stepping over the rest of the stream.
//
// The loops whose length is the population (permutation, reservoir
// sampling, stepping over the stream) take a context and stop soon after it
// ends. The package is stdlib only and allocation free in its hot paths:
// callers that draw many samples pass a reusable Sampler.
package mtrand
