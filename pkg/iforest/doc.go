// Package iforest is scikit-learn 1.2.1's IsolationForest, reproduced in
// Go so that the plugin flags the same rows with the same scores as the
// hunting notebook:
//
//	le = LabelEncoder(); df['Outlier'] = le.fit_transform(df[field])
//	iso = IsolationForest(n_estimators=100, contamination=0.01, random_state=42)
//	df['Anomaly'] = iso.fit_predict(df[['Outlier']])
//	df['Anomaly_Score'] = iso.decision_function(df[['Outlier']])
//
// becomes
//
//	codes, _ := iforest.LabelEncodeStrings(values, nulls)
//	X, _ := iforest.MatrixFromCodes(codes)
//	f, err := iforest.New(iforest.DefaultConfig())
//	labels, scores, err := f.FitPredictDecision(ctx, X)
//
// # The algorithm
//
// The isolation forest (Liu, Ting and Zhou, "Isolation forest", ICDM 2008,
// and "Isolation-based anomaly detection", TKDD 2012) isolates rows by
// recursive random splits: a feature is picked at random, then a threshold
// uniformly between that feature's minimum and maximum in the node. Rare
// values are isolated after few splits, so the average path length over
// the trees, normalised by c(max_samples) (the average path length of an
// unsuccessful binary search tree lookup), measures normality.
//
// Each tree is grown on max_samples rows drawn without replacement, to a
// depth of at most ceil(log2(max_samples)). A row's path length in a tree
// is the number of nodes from the root to its leaf plus c(rows in that
// leaf) minus one. ScoreSamples returns -2 ** (-mean path length / c(max_samples)),
// so lower is more abnormal; DecisionFunction subtracts Offset; Predict
// returns -1 where the decision is strictly negative.
//
// # Exactly scikit-learn's answer
//
// Every random number is numpy's (package mtrand): the per-tree seeds from
// RandomState(random_state).randint(2**31-1), the rows from
// sample_without_replacement (reservoir, permutation or tracking selection
// by sampling ratio), the splitter's xorshift stream consumed depth first.
// Features are cast to float32 and compared with float64 thresholds, a
// feature whose range is within 1e-7 is constant, nodes with fewer than two
// rows or at max_depth are leaves, and so are the rare nodes where the MSE
// impurity of fit's random target y (uniform(size=n), drawn from
// random_state) is within EPSILON of zero, computed in scikit-learn's
// summation order. Path terms are summed tree by tree in
// order and Offset is numpy's linear percentile. The parity tests in
// ./parity compare trees (node counts, thresholds, per-node row counts),
// offsets, labels and scores with scikit-learn 1.2.1 itself.
//
// The one place where bits can differ is the last bit of a score: numpy
// 1.24 computes 2**x with Intel SVML and log with its own SIMD code on CPUs
// with AVX512F, neither correctly rounded; this package rounds correctly
// (and uses numpy's own values of c(n) for n <= 256). Scores then differ in
// the last bit or two (at most 2.2e-16 in the parity runs); labels are
// unaffected unless two distinct scores sit within an ulp of the offset.
//
// # Row order: as returned or canonical
//
// A tree is grown on rows drawn by position, so scikit-learn's answer
// depends on the order of the rows: the same rows returned in another
// order (Log Analytics promises none) give other trees, another offset and
// other flags. Rows with equal feature vectors are interchangeable,
// though, so if the rows are fitted as if sorted by their feature vectors
// the answer depends only on how many rows carry each vector.
// Config.RowOrder chooses:
//
//   - AsReturned (the zero value): scikit-learn's fit on the rows in the
//     order given, as the notebook does.
//   - Canonical: scikit-learn's fit on the rows stably sorted by feature
//     vector, lexicographically over the columns, as
//     df.sort_values(columns, kind="stable") sorts them. Labels and
//     decisions still come back in the caller's row order; the same rows
//     in any order give the same answer, bit for bit.
//
// # Fitting from counts
//
// Because canonical order depends only on how many rows carry each vector,
// FitPredictDecisionCounts fits from a summarize count() by <fields>
// answer (the distinct vectors and an int64 count each) exactly as
// Canonical would on the rows those counts describe, without them: row p of
// the virtual sorted frame is the vector whose cumulative count range
// holds p, the samplers draw positions in [0, n), fit's random y is read
// only at drawn positions, each vector is scored once, and offset_ is the
// percentile of the scores weighted by the counts. n may exceed 2**31 and
// 2**32 (numpy then draws positions with its 64-bit bounded integers, and
// so does package mtrand); the only cost linear in n is stepping through
// y's random stream, about 2 ns a row (4 CPU-seconds for 2 billion rows),
// so counts may describe at most MaxCountedRows rows.
//
// # Memory, time and cancellation
//
// One plugin process serves every user of a Grafana server, so a fit's
// memory is bounded before any work: n_estimators x max_samples_ may not
// exceed MaxSampledRows (4,194,304; the notebook's forest uses 25,600),
// and scikit-learn's permutation sampling, which shuffles every row
// position for each tree, is refused above 33,554,432 positions. Errors
// say what to lower. Within the budget a fit holds O(n_estimators x
// max_samples_) besides its input (the drawn positions, fit's y at them,
// the trees), grows trees on at most Workers goroutines that reuse their
// scratch space, and frees each tree's rows when the tree is done. Scoring
// costs distinct vectors x trees x depth, which the budget does not bound:
// every method that fits or scores takes a context and returns its error
// within milliseconds of its end, leaving no goroutine behind.
//
// # Speed
//
// Each distinct feature vector is scored once (label codes have a few
// hundred distinct values among hundreds of thousands of rows); trees are
// grown and rows scored on all cores, with results identical for any number
// of workers; the hot loops do not allocate per row.
//
// # Parameters (Config)
//
//   - NEstimators (n_estimators): int, default 100, 1..10000.
//   - MaxSamples (max_samples): MaxSamplesAuto() (default, min(256, n)),
//     MaxSamplesCount(k) for k >= 1 (k > n uses n and records a warning,
//     as scikit-learn warns), or MaxSamplesFraction(f), f in (0, 1].
//   - Contamination (contamination): ContaminationAuto() (Offset = -0.5)
//     or ContaminationFraction(c), c in (0, 0.5]; default 0.01, the
//     notebook's (scikit-learn's default is "auto").
//   - MaxFeatures (max_features): float in (0, 1], default 1.0.
//   - RandomState (random_state): int in [0, 2**32-1], default 42.
//   - Workers: goroutines, 0 = GOMAXPROCS; never changes the result.
//   - RowOrder: AsReturned (default) or Canonical, see above.
//
// bootstrap is always false. Errors wrap ErrInvalidConfig, ErrInvalidInput,
// ErrNotFitted or ErrMixedTypes, or are the context's; nothing panics on
// bad input.
package iforest
