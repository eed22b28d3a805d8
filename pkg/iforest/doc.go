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
//	labels, scores, err := f.FitPredictDecision(X)
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
//
// bootstrap is always false. Errors wrap ErrInvalidConfig, ErrInvalidInput,
// ErrNotFitted or ErrMixedTypes; nothing panics on bad input.
package iforest
