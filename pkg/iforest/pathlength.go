package iforest

// eulerGamma is np.euler_gamma.
const eulerGamma = 0.5772156649015329

// AveragePathLength is scikit-learn's _average_path_length for one leaf size
// n: the average path length of an unsuccessful search in a binary search
// tree of n keys, c(n) = 2 H(n-1) - 2 (n-1) / n with H(i) ~ ln(i) + gamma.
// It is 0 for n <= 1 and 1 for n == 2. For n <= 256 the value is the one
// scikit-learn computes with numpy (a recorded table, see
// parity/gen_pathlength_table.py); above that it is evaluated in numpy's
// operation order with a correctly rounded logarithm.
func AveragePathLength(n int) float64 {
	if n < 0 {
		return 0
	}
	if n < len(pathLengthTable) {
		return pathLengthTable[n]
	}
	return averagePathLengthFormula(n)
}

// averagePathLengthFormula is
// 2.0 * (log(n - 1.0) + euler_gamma) - 2.0 * (n - 1.0) / n
// with each operation rounded as numpy rounds it.
func averagePathLengthFormula(n int) float64 {
	switch {
	case n <= 1:
		return 0
	case n == 2:
		return 1
	}
	nf := float64(n)
	a := float64(LogCR(nf-1.0) + eulerGamma)
	b := float64(2.0*(nf-1.0)) / nf
	return float64(2.0*a) - b
}
