// Package mtrand reproduces, draw for draw, the parts of numpy's legacy
// RandomState (MT19937) and of scikit-learn's sample_without_replacement that
// scikit-learn's IsolationForest consumes.
//
// Why a port and not math/rand: the forest must grow the very trees that
// scikit-learn grows for the same random_state, so every random number has to
// be the one numpy would produce. That fixes the generator (MT19937 seeded by
// init_genrand), the bounded-integer method (masked rejection on 32-bit draws,
// the "legacy" path numpy keeps for RandomState), numpy's legacy shuffle, and
// the three sampling methods scikit-learn picks between by sample ratio.
//
// The package is stdlib only and allocation free in its hot paths: callers
// that draw many samples pass a reusable Sampler.
package mtrand
