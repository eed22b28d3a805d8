package iforest

import (
	"math"
	"testing"
)

// TestAveragePathLengthClosedForms mirrors scikit-learn's
// test_iforest_average_path_length: the closed forms at 0, 1, 2, 5, 999 and
// monotonicity.
func TestAveragePathLengthClosedForms(t *testing.T) {
	closed := func(n float64) float64 { return 2*(math.Log(n-1)+eulerGamma) - 2*(n-1)/n }
	tests := []struct {
		n    int
		want float64
	}{
		{0, 0},
		{1, 0},
		{2, 1},
		{5, closed(5)},
		{999, closed(999)},
		{256, closed(256)},
		{257, closed(257)},
		{100000, closed(100000)},
	}
	for _, tt := range tests {
		if got := AveragePathLength(tt.n); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("c(%d) = %v, closed form %v", tt.n, got, tt.want)
		}
	}
	prev := AveragePathLength(1)
	for n := 2; n <= 3000; n++ {
		c := AveragePathLength(n)
		if !(c > prev) {
			t.Fatalf("c(%d) = %v is not above c(%d) = %v", n, c, n-1, prev)
		}
		prev = c
	}
}

// TestPathLengthTableNearFormula bounds the recorded numpy table against
// the correctly rounded formula: they may differ in the last bit only
// (numpy's SIMD log), and the count is logged.
func TestPathLengthTableNearFormula(t *testing.T) {
	differ := 0
	for n := 0; n < len(pathLengthTable); n++ {
		tab, cr := pathLengthTable[n], averagePathLengthFormula(n)
		if tab != cr {
			differ++
			if math.Abs(tab-cr) > 1e-15*math.Abs(cr) {
				t.Errorf("c(%d): numpy %x vs correctly rounded %x, relative difference above 1e-15", n, tab, cr)
			}
		}
	}
	t.Logf("c(n), n <= 256: %d of %d numpy values differ in the last bits from a correctly rounded log (numpy AVX512F log: %v)",
		differ, len(pathLengthTable), numpyAVX512F)
}
