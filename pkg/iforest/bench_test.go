package iforest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// zipfNames draws n process names over k values with P(i) ~ 1/(i+1), the
// shape of InitiatingProcessFileName in the hunting notebook.
func zipfNames(n, k int) []string {
	r := rand.New(rand.NewPCG(2026, 11))
	cum := make([]float64, k)
	total := 0.0
	for i := range cum {
		total += 1 / float64(i+1)
		cum[i] = total
	}
	names := make([]string, k)
	for i := range names {
		names[i] = fmt.Sprintf("process_%03d.exe", (i*7919)%k)
	}
	out := make([]string, n)
	for i := range out {
		u := r.Float64() * total
		lo, hi := 0, k-1
		for lo < hi {
			mid := (lo + hi) / 2
			if cum[mid] < u {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		out[i] = names[lo]
	}
	return out
}

// benchNotebook times the notebook pipeline: LabelEncoder, fit_predict and
// decision_function (one pass here) on one string column.
func benchNotebook(b *testing.B, n int) {
	names := zipfNames(n, 300)
	cfg := DefaultConfig()
	b.ReportAllocs()
	for b.Loop() {
		codes, _ := LabelEncodeStrings(names, nil)
		X, err := MatrixFromCodes(codes)
		if err != nil {
			b.Fatal(err)
		}
		f, _ := New(cfg)
		if _, _, err := f.FitPredictDecision(b.Context(), X); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNotebook200k(b *testing.B) { benchNotebook(b, 200_000) }
func BenchmarkNotebook1M(b *testing.B)   { benchNotebook(b, 1_000_000) }

// BenchmarkFloat4x200k: 200,000 rows of 4 float features, all distinct.
func BenchmarkFloat4x200k(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	data := make([]float64, 200_000*4)
	for i := range data {
		data[i] = r.NormFloat64() * math.Pow(2, float64(i%4))
	}
	X, _ := NewMatrix(200_000, 4, data)
	cfg := DefaultConfig()
	b.ReportAllocs()
	for b.Loop() {
		f, _ := New(cfg)
		if _, _, err := f.FitPredictDecision(b.Context(), X); err != nil {
			b.Fatal(err)
		}
	}
}
