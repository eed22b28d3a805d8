package iforest

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestToyOutliers is scikit-learn's test_iforest_works: the two far points
// are the most abnormal and the only ones flagged, for several seeds and
// contaminations.
func TestToyOutliers(t *testing.T) {
	X, _ := NewMatrix(8, 2, []float64{-2, -1, -1, -1, -1, -2, 1, 1, 1, 2, 2, 1, 7, 4, -5, 9})
	want := []int64{1, 1, 1, 1, 1, 1, -1, -1}
	for _, seed := range []int64{0, 7, 42} {
		for _, cont := range []Contamination{ContaminationFraction(0.25), ContaminationAuto()} {
			c := DefaultConfig()
			c.RandomState, c.Contamination = seed, cont
			f, err := New(c)
			if err != nil {
				t.Fatal(err)
			}
			labels, dec, err := f.FitPredictDecision(t.Context(), X)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(labels, want) {
				t.Errorf("seed %d contamination %v: labels %v, want %v", seed, cont, labels, want)
			}
			if min(-dec[6], -dec[7]) <= max(-dec[0], -dec[1], -dec[2], -dec[3], -dec[4], -dec[5]) {
				t.Errorf("seed %d contamination %v: outliers not the most abnormal: %v", seed, cont, dec)
			}
		}
	}
}

// TestConstantDataAllInliers is scikit-learn's test_iforest_with_uniform_data:
// with one value everywhere nothing can be isolated. With a float
// contamination the offset is the common score itself, so no row is below
// it. (With contamination "auto" and 256-row trees scikit-learn 1.2.1 flags
// every row: the sum of 100 equal c(256) terms rounds above 100 * c(256), so
// the score is a hair below -0.5. The parity case n1000_one_value_auto
// checks that this package does the same.)
func TestConstantDataAllInliers(t *testing.T) {
	tests := []struct {
		name string
		rows int
		cols int
		cont Contamination
	}{
		{"label code, notebook settings", 1000, 1, ContaminationFraction(0.01)},
		{"label code, 0.5", 300, 1, ContaminationFraction(0.5)},
		{"three features", 40000, 3, ContaminationFraction(0.2)},
		{"100 rows, auto", 100, 10, ContaminationAuto()}, // scikit-learn's own test
		{"two rows", 2, 1, ContaminationFraction(0.1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := make([]float64, tt.rows*tt.cols)
			for i := range data {
				data[i] = 42
			}
			X, _ := NewMatrix(tt.rows, tt.cols, data)
			c := DefaultConfig()
			c.Contamination = tt.cont
			f, _ := New(c)
			labels, err := f.FitPredict(t.Context(), X)
			if err != nil {
				t.Fatal(err)
			}
			for i, l := range labels {
				if l != 1 {
					t.Fatalf("row %d flagged on constant data", i)
				}
			}
			for i, tr := range f.Trees() {
				if tr.NodeCount != 1 {
					t.Fatalf("tree %d has %d nodes on constant data, want a single leaf", i, tr.NodeCount)
				}
			}
		})
	}
}

// TestSameResultForAnyWorkerCount: trees and scores must not depend on how
// many goroutines grew and scored them.
func TestSameResultForAnyWorkerCount(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n, cols := 30000, 3
	data := make([]float64, n*cols)
	for i := range data {
		data[i] = math.Round(r.NormFloat64()*100) / 10
	}
	X, _ := NewMatrix(n, cols, data)
	var refTrees []TreeInfo
	var refDec []float64
	var refLabels []int64
	for _, workers := range []int{1, 2, 3, 8} {
		c := DefaultConfig()
		c.Workers = workers
		f, _ := New(c)
		labels, dec, err := f.FitPredictDecision(t.Context(), X)
		if err != nil {
			t.Fatal(err)
		}
		trees := f.Trees()
		if refTrees == nil {
			refTrees, refDec, refLabels = trees, dec, labels
			continue
		}
		for i := range trees {
			if !slices.Equal(trees[i].Threshold, refTrees[i].Threshold) || !slices.Equal(trees[i].NNodeSamples, refTrees[i].NNodeSamples) {
				t.Fatalf("%d workers: tree %d differs from 1 worker", workers, i)
			}
		}
		for i := range dec {
			if math.Float64bits(dec[i]) != math.Float64bits(refDec[i]) || labels[i] != refLabels[i] {
				t.Fatalf("%d workers: row %d decision %x label %d, 1 worker %x %d", workers, i, dec[i], labels[i], refDec[i], refLabels[i])
			}
		}
	}
}

// TestLayeredAPI checks the layering score_samples -> decision_function ->
// predict and that FitPredictDecision equals the separate calls.
func TestLayeredAPI(t *testing.T) {
	codes := make([]int64, 5000)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range codes {
		codes[i] = int64(r.IntN(40) * r.IntN(40))
	}
	X, _ := MatrixFromCodes(codes)
	f, _ := New(DefaultConfig())
	labels, dec, err := f.FitPredictDecision(t.Context(), X)
	if err != nil {
		t.Fatal(err)
	}
	scores, _ := f.ScoreSamples(t.Context(), X)
	dec2, _ := f.DecisionFunction(t.Context(), X)
	pred, _ := f.Predict(t.Context(), X)
	flagged := 0
	for i := range scores {
		if dec2[i] != scores[i]-f.Offset() || dec[i] != dec2[i] {
			t.Fatalf("row %d: decision %v != score %v - offset %v", i, dec2[i], scores[i], f.Offset())
		}
		if want := map[bool]int64{true: -1, false: 1}[dec[i] < 0]; pred[i] != want || labels[i] != want {
			t.Fatalf("row %d: predict %d fit_predict %d for decision %v", i, pred[i], labels[i], dec[i])
		}
		if scores[i] >= 0 || scores[i] < -1 {
			t.Fatalf("row %d: score %v outside [-1, 0)", i, scores[i])
		}
		if labels[i] == -1 {
			flagged++
		}
	}
	if flagged == 0 || flagged > len(codes)/100 {
		t.Errorf("%d rows flagged with contamination 0.01 of %d rows", flagged, len(codes))
	}
}

// TestPercentileMatchesLinearDefinition checks the weighted percentile on
// small expanded arrays against numpy's documented linear method, computed
// directly on the sorted expanded values.
func TestPercentileMatchesLinearDefinition(t *testing.T) {
	tests := []struct {
		scores []float64
		counts []int64
		q      float64
	}{
		{[]float64{-0.3, -0.6, -0.5}, []int64{1, 1, 1}, 50},
		{[]float64{-0.3, -0.6, -0.5}, []int64{5, 2, 9}, 1},
		{[]float64{-0.4, -0.7}, []int64{99, 1}, 1},
		{[]float64{-0.4, -0.7}, []int64{98, 2}, 1},
		{[]float64{-0.41, -0.7, -0.55}, []int64{3, 4, 5}, 7.000000000000001},
		{[]float64{-0.5}, []int64{10}, 50},
	}
	for _, tt := range tests {
		var all []float64
		for i, s := range tt.scores {
			for range tt.counts[i] {
				all = append(all, s)
			}
		}
		slices.Sort(all)
		vi := float64(len(all)-1) * (tt.q / 100)
		lo := math.Floor(vi)
		a, b := all[int(lo)], all[min(int(lo)+1, len(all)-1)]
		g := vi - lo
		want := a + (b-a)*g
		if g >= 0.5 {
			want = b - (b-a)*(1-g)
		}
		if got := percentile(tt.scores, tt.counts, tt.q); got != want {
			t.Errorf("percentile(%v x %v, %v) = %v, want %v", tt.scores, tt.counts, tt.q, got, want)
		}
	}
}

// TestKthAgainstSortedExpansion checks the weighted quickselect against
// sorting the expanded multiset, with many ties.
func TestKthAgainstSortedExpansion(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for trial := 0; trial < 200; trial++ {
		n := 1 + r.IntN(300)
		vals := make([]float64, n)
		counts := make([]int64, n)
		var all []float64
		for i := range vals {
			vals[i] = float64(r.IntN(40)) / 8 // ties between distinct entries too
			counts[i] = 1 + int64(r.IntN(5))
			for range counts[i] {
				all = append(all, vals[i])
			}
		}
		slices.Sort(all)
		for _, k := range []int{0, len(all) / 100, len(all) / 3, len(all) - 1, r.IntN(len(all))} {
			items := make([]weighted, n)
			for i := range items {
				items[i] = weighted{vals[i], counts[i]}
			}
			if got := kth(items, int64(k)); got != all[k] {
				t.Fatalf("trial %d: kth(%d) = %v, sorted %v", trial, k, got, all[k])
			}
		}
	}
}

// TestCountsSameForAnyWorkerCount: fitting from counts over more rows than
// a bitmap covers (the sorted path: 2.8 million rows, past 64 times the
// 25,600 positions 100 trees draw) gives the same answer on 1 and 3 workers.
// It runs with the race detector, so it is no larger than that.
func TestCountsSameForAnyWorkerCount(t *testing.T) {
	vectors, _ := NewMatrix(5, 2, []float64{0, 0, 1, 0, 0, 1, 5, 5, 2, 2})
	counts := []int64{1_400_000, 400_000, 100_000, 17, 900_000}
	var ref []float64
	for _, workers := range []int{1, 3} {
		c := DefaultConfig()
		c.Workers = workers
		f, _ := New(c)
		_, dec, err := f.FitPredictDecisionCounts(t.Context(), vectors, counts)
		if err != nil {
			t.Fatal(err)
		}
		if ref == nil {
			ref = dec
			continue
		}
		for i := range dec {
			if math.Float64bits(dec[i]) != math.Float64bits(ref[i]) {
				t.Fatalf("%d workers: vector %d decision %x, 1 worker %x", workers, i, dec[i], ref[i])
			}
		}
	}
}
