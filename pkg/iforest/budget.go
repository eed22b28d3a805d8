package iforest

import (
	"fmt"

	"github.com/kqlhunt/anomaly-datasource/pkg/mtrand"
)

// MaxSampledRows bounds n_estimators x max_samples_, the rows all the trees
// of one fit are grown on, because one plugin process serves every user of
// a Grafana server and a fit's memory and time grow with that product: each
// sampled row costs up to about 50 bytes while the forest grows (its
// position, fit's y and its features while its tree grows, and the tree
// nodes and scoring layout that are kept) and a few hundred nanoseconds of
// growing. Measured at the budget on this project's 2-core machine
// (docs/benchmarks/iforest-counts.md, distinct values, which grow the
// largest trees): 1 to 4 CPU-seconds and at most about 210 MiB above the
// input. It admits the notebook's forest (100 trees x 256 rows = 25,600)
// 160 times over and the largest forest of max_samples "auto" (10,000
// trees x 256), while the query of issue 7 (10,000 trees x 100,000 rows,
// which took a process past 4 GiB) is refused before any work.
const MaxSampledRows = 1 << 22

// maxShuffledRows bounds the population of scikit-learn's permutation
// sampling (used when 0.01 < max_samples_ / n < 0.99), which shuffles all n
// row positions for every tree: 4 bytes a position (128 MiB at the bound)
// for each tree being drawn at once. Rows mode reaches it only with more
// rows than the result budget lets a query return; counts mode with a
// max_samples above 1% of tens of millions of rows.
const maxShuffledRows = 8 * MaxSampledRows

// sampleSize resolves max_samples_ for n rows as scikit-learn does
// (int(max_samples * n) for a fraction, n with a warning for a count above
// n) and refuses, before any work, what the budget does not admit. Errors
// wrap ErrInvalidConfig and say what to lower.
func (c Config) sampleSize(n int64) (int, []string, error) {
	var ms int64
	var warnings []string
	switch m := c.MaxSamples; m.kind {
	case maxSamplesAuto:
		ms = min(256, n)
	case maxSamplesCount:
		ms = int64(m.count)
		if ms > n {
			warnings = append(warnings, fmt.Sprintf("max_samples (%d) is greater than the total number of samples (%d). max_samples will be set to n_samples for estimation.", m.count, n))
			ms = n
		}
	case maxSamplesFraction:
		ms = int64(m.fraction * float64(n)) // validate keeps the fraction in (0, 1]: no overflow
		if ms < 1 {
			return 0, nil, fmt.Errorf("%w: max_samples as a fraction must be in (0, 1] and give at least one of the %d rows, but int(%v * %d) = 0; use a fraction of at least 1/%d or a whole number of rows",
				ErrInvalidConfig, n, m.fraction, n, n)
		}
	}
	trees := int64(c.NEstimators)
	if total := trees * ms; total > MaxSampledRows {
		fewerTrees := ""
		if k := MaxSampledRows / ms; k >= 1 {
			fewerTrees = fmt.Sprintf("nEstimators to %d or ", k)
		}
		return 0, nil, fmt.Errorf("%w: %d trees of %d rows each (nEstimators x max_samples_) is %d sampled rows, more than the %d one forest may use (it bounds the plugin's memory); lower %smaxSamples to %d rows or fewer (\"auto\" uses at most 256)",
			ErrInvalidConfig, trees, ms, total, MaxSampledRows, fewerTrees, MaxSampledRows/trees)
	}
	if mtrand.ChooseMethod(n, int(ms)) == mtrand.PermutationMethod && n > maxShuffledRows {
		return 0, nil, fmt.Errorf("%w: maxSamples of %d out of %d rows makes scikit-learn shuffle all %d row positions for every tree, more than the %d this forest shuffles; use maxSamples of at most %d (1%% of the rows, drawn without a shuffle) or \"auto\"",
			ErrInvalidConfig, ms, n, n, maxShuffledRows, n/100)
	}
	return int(ms), warnings, nil
}
