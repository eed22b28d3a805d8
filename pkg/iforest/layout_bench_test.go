package iforest

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkScoreFloat4 times scoring alone: 200,000 distinct 4-feature rows
// through 100 trees.
func BenchmarkScoreFloat4(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	data := make([]float64, 200_000*4)
	for i := range data {
		data[i] = r.NormFloat64()
	}
	X, _ := NewMatrix(200_000, 4, data)
	f, _ := New(DefaultConfig())
	if err := f.Fit(b.Context(), X); err != nil {
		b.Fatal(err)
	}
	x, _ := toFloat32(b.Context(), X, 4)
	rows, _ := dedupe(b.Context(), x, 4)
	for b.Loop() {
		if _, err := f.scoreDistinct(b.Context(), rows); err != nil {
			b.Fatal(err)
		}
	}
}
