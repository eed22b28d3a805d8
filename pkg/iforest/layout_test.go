package iforest

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPerfectLayoutMatchesNodeWalk: the branch-free layout must give the
// same path term, bit for bit, as walking the pre-order nodes with
// scikit-learn's float64(x) <= threshold, including for values equal to a
// threshold's float32 neighbours.
func TestPerfectLayoutMatchesNodeWalk(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, cols := range []int{1, 3} {
		n := 5000
		data := make([]float64, n*cols)
		for i := range data {
			data[i] = math.Round(r.NormFloat64()*1000) / 100
		}
		X, _ := NewMatrix(n, cols, data)
		f, _ := New(DefaultConfig())
		if err := f.Fit(t.Context(), X); err != nil {
			t.Fatal(err)
		}
		x, _ := toFloat32(t.Context(), X, cols)
		// Add each tree's thresholds and their float32 neighbours as rows.
		for _, tr := range f.trees {
			for _, nd := range tr.nodes {
				if nd.col < 0 {
					continue
				}
				t32 := float32(nd.value)
				for _, v := range []float32{t32, math.Nextafter32(t32, -1e30), math.Nextafter32(t32, 1e30)} {
					row := make([]float32, cols)
					for j := range row {
						row[j] = v
					}
					x = append(x, row...)
				}
			}
		}
		rows := len(x) / cols
		for ti, tr := range f.trees {
			// The forest keeps one layout per tree (for the columns it was
			// fitted on); build both here.
			perf := newPerfectTree(&tr, 8)
			walk := make([]float64, rows)
			perfect := make([]float64, rows)
			fixed := make([]float64, rows)
			addPathTerms(tr.nodes, x, cols, walk)
			addPathTermsPerfect(perf, x, cols, perfect)
			pad := make([][4]float32, rows)
			for r := range pad {
				copy(pad[r][:], x[r*cols:r*cols+cols])
			}
			addPathTerms8(newPerfect8(perf), pad, fixed)
			for i := range walk {
				if math.Float64bits(walk[i]) != math.Float64bits(perfect[i]) || math.Float64bits(walk[i]) != math.Float64bits(fixed[i]) {
					t.Fatalf("cols %d tree %d row %d: node walk %v, perfect layout %v, fixed arrays %v", cols, ti, i, walk[i], perfect[i], fixed[i])
				}
			}
		}
	}
}

// TestFloat32Below checks the defining property: the result is <= t and
// the next float32 up is > t.
func TestFloat32Below(t *testing.T) {
	for _, v := range []float64{1.5, 0.1, 0.2, -0.1, 1e-40, -3.4028235677973366e38, 12345.678901234567, -2} {
		got := float32Below(v)
		if float64(got) > v || float64(math.Nextafter32(got, float32(math.Inf(1)))) <= v {
			t.Errorf("float32Below(%v) = %v is not the largest float32 <= it", v, got)
		}
	}
	if got := float32Below(math.Inf(1)); !math.IsInf(float64(got), 1) {
		t.Errorf("float32Below(+Inf) = %v", got)
	}
}
