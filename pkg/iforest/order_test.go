package iforest

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// fitResult is everything a fit answers, for comparing fits bit for bit.
type fitResult struct {
	labels     []int64
	decision   []float64
	offset     float64
	maxSamples int
	warnings   []string
	trees      []TreeInfo
}

func fitWith(t *testing.T, cfg Config, X Matrix) fitResult {
	t.Helper()
	f, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	labels, dec, err := f.FitPredictDecision(t.Context(), X)
	if err != nil {
		t.Fatal(err)
	}
	return fitResult{labels, dec, f.Offset(), f.MaxSamples(), f.Warnings(), f.Trees()}
}

// sameResult fails unless a and b agree bit for bit, trees included.
func sameResult(t *testing.T, what string, a, b fitResult) {
	t.Helper()
	if a.offset != b.offset || a.maxSamples != b.maxSamples || !slices.Equal(a.warnings, b.warnings) {
		t.Fatalf("%s: offset %x vs %x, max_samples_ %d vs %d, warnings %q vs %q", what, a.offset, b.offset, a.maxSamples, b.maxSamples, a.warnings, b.warnings)
	}
	if len(a.labels) != len(b.labels) {
		t.Fatalf("%s: %d vs %d rows", what, len(a.labels), len(b.labels))
	}
	for i := range a.labels {
		if a.labels[i] != b.labels[i] || math.Float64bits(a.decision[i]) != math.Float64bits(b.decision[i]) {
			t.Fatalf("%s: row %d: label %d decision %x vs label %d decision %x", what, i, a.labels[i], a.decision[i], b.labels[i], b.decision[i])
		}
	}
	if len(a.trees) != len(b.trees) {
		t.Fatalf("%s: %d vs %d trees", what, len(a.trees), len(b.trees))
	}
	for i := range a.trees {
		x, y := a.trees[i], b.trees[i]
		if !slices.Equal(x.NNodeSamples, y.NNodeSamples) || !slices.Equal(x.Feature, y.Feature) || !slices.Equal(x.ChildrenRight, y.ChildrenRight) {
			t.Fatalf("%s: tree %d differs in shape", what, i)
		}
		for j := range x.Threshold {
			if x.Threshold[j] != y.Threshold[j] { // == so that a zero threshold's sign does not count
				t.Fatalf("%s: tree %d node %d threshold %v vs %v", what, i, j, x.Threshold[j], y.Threshold[j])
			}
		}
	}
}

// orderCase is a data set and the settings that put it in one sampling
// regime.
type orderCase struct {
	name string
	X    Matrix
	cfg  Config
}

// codes draws n rows of cols label-code-like columns, column j over k[j]
// values with a skew, so that vectors repeat.
func codes(seed uint64, n int, k ...int) Matrix {
	r := rand.New(rand.NewPCG(seed, 99))
	data := make([]float64, 0, n*len(k))
	for range n {
		for _, kj := range k {
			data = append(data, float64(min(r.IntN(kj), r.IntN(kj))))
		}
	}
	return Matrix{Rows: n, Cols: len(k), Data: data}
}

// signedZeros is a float column where -0.0 and 0.0 are interleaved, with
// values that round together in float32: rows that pandas sorts as equal,
// or as different, while the forest sees the opposite.
func signedZeros(n int) Matrix {
	r := rand.New(rand.NewPCG(5, 5))
	vals := []float64{0, math.Copysign(0, -1), 1, 1 + 1e-12, 2.5, -3, 16777217, 16777216}
	data := make([]float64, 2*n)
	for i := range n {
		data[2*i] = vals[r.IntN(len(vals))]
		data[2*i+1] = vals[r.IntN(len(vals))]
	}
	return Matrix{Rows: n, Cols: 2, Data: data}
}

func orderCases() []orderCase {
	with := func(f func(*Config)) Config { c := DefaultConfig(); f(&c); return c }
	return []orderCase{
		{"reservoir, no draws (200 rows)", codes(1, 200, 12), DefaultConfig()},
		{"reservoir with draws (ratio >= 0.99)", codes(2, 1000, 30, 4), with(func(c *Config) { c.MaxSamples = MaxSamplesCount(995); c.NEstimators = 20 })},
		{"permutation (259 rows)", codes(3, 259, 30), with(func(c *Config) { c.Contamination = ContaminationFraction(0.1) })},
		{"permutation, three fields, max_features", codes(4, 3000, 50, 20, 3), with(func(c *Config) { c.MaxFeatures = 0.67; c.Contamination = ContaminationFraction(0.05) })},
		{"tracking (26000 rows, two fields)", codes(5, 26000, 300, 7), DefaultConfig()},
		{"fraction, auto contamination", codes(6, 5000, 200), with(func(c *Config) { c.MaxSamples = MaxSamplesFraction(0.05); c.Contamination = ContaminationAuto() })},
		{"max_samples above n", codes(7, 150, 20), with(func(c *Config) { c.MaxSamples = MaxSamplesCount(300) })},
		{"signed zeros and float32 ties", signedZeros(3000), with(func(c *Config) { c.Contamination = ContaminationFraction(0.2) })},
		{"one value", codes(8, 500, 1), DefaultConfig()},
	}
}

// stablySorted returns X's rows sorted as pandas' sort_values(kind="stable")
// does, written apart from the package's own sort: sort.SliceStable over
// row indices with float comparisons.
func stablySorted(X Matrix) (sorted Matrix, rowAt []int) {
	rowAt = make([]int, X.Rows)
	for i := range rowAt {
		rowAt[i] = i
	}
	row := func(i int) []float64 { return X.Data[i*X.Cols : (i+1)*X.Cols] }
	sort.SliceStable(rowAt, func(a, b int) bool {
		ra, rb := row(rowAt[a]), row(rowAt[b])
		for j := range ra {
			if ra[j] != rb[j] {
				return ra[j] < rb[j]
			}
		}
		return false
	})
	data := make([]float64, 0, len(X.Data))
	for _, r := range rowAt {
		data = append(data, row(r)...)
	}
	return Matrix{Rows: X.Rows, Cols: X.Cols, Data: data}, rowAt
}

// TestCanonicalIsAsReturnedOnSortedRows: canonical order is scikit-learn's
// fit on the stably sorted frame (AsReturned is checked against scikit-learn
// in ./parity), mapped back to the caller's rows.
func TestCanonicalIsAsReturnedOnSortedRows(t *testing.T) {
	for _, tc := range orderCases() {
		t.Run(tc.name, func(t *testing.T) {
			canonical := tc.cfg
			canonical.RowOrder = Canonical
			got := fitWith(t, canonical, tc.X)
			sorted, rowAt := stablySorted(tc.X)
			want := fitWith(t, tc.cfg, sorted)
			back := want
			back.labels = make([]int64, len(rowAt))
			back.decision = make([]float64, len(rowAt))
			for p, r := range rowAt {
				back.labels[r], back.decision[r] = want.labels[p], want.decision[p]
			}
			sameResult(t, "canonical vs as returned on the sorted rows", got, back)
		})
	}
}

// TestCanonicalIgnoresRowOrder: the same rows in 10 random orders give the
// same trees, offset, and label and decision for every row.
func TestCanonicalIgnoresRowOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 10))
	for _, tc := range orderCases() {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.NEstimators = min(cfg.NEstimators, 25) // the property does not depend on it
			cfg.RowOrder = Canonical
			ref := fitWith(t, cfg, tc.X)
			returned := cfg
			returned.RowOrder = AsReturned
			asReturned := fitWith(t, returned, tc.X)
			differs := false
			for trial := range 10 {
				perm := r.Perm(tc.X.Rows)
				data := make([]float64, 0, len(tc.X.Data))
				for _, row := range perm {
					data = append(data, tc.X.Data[row*tc.X.Cols:(row+1)*tc.X.Cols]...)
				}
				shuffled := Matrix{Rows: tc.X.Rows, Cols: tc.X.Cols, Data: data}
				got := fitWith(t, cfg, shuffled)
				// Row p of the shuffled rows is row perm[p] of the original ones.
				back := got
				back.labels = make([]int64, len(perm))
				back.decision = make([]float64, len(perm))
				for p, row := range perm {
					back.labels[row], back.decision[row] = got.labels[p], got.decision[p]
				}
				sameResult(t, "order "+string(rune('0'+trial)), back, ref)
				if !differs {
					other := fitWith(t, returned, shuffled)
					differs = other.offset != asReturned.offset || !slices.Equal(other.trees[0].NNodeSamples, asReturned.trees[0].NNodeSamples)
				}
			}
			// The test has teeth: where trees sample some of several vectors,
			// the same shuffles change the forest grown as returned.
			if sampled := ref.maxSamples < tc.X.Rows && ref.trees[0].NodeCount > 1; sampled && !differs {
				t.Errorf("as returned, no shuffle changed the forest: the shuffles are too weak to test canonical order")
			}
		})
	}
}

// summarize is a summarize count() by <columns> of X, written apart from
// the package: a map from the vector's bits to its count, in first-seen
// order.
func summarize(X Matrix) (vectors Matrix, counts []int64, vectorOf []int) {
	index := map[[4]uint64]int{}
	vectorOf = make([]int, X.Rows)
	vectors.Cols = X.Cols
	for i := range X.Rows {
		row := X.Data[i*X.Cols : (i+1)*X.Cols]
		var key [4]uint64 // the test data has at most 4 columns
		for j, v := range row {
			key[j] = math.Float64bits(v)
		}
		k, ok := index[key]
		if !ok {
			k = len(counts)
			index[key] = k
			counts = append(counts, 0)
			vectors.Data = append(vectors.Data, row...)
			vectors.Rows++
		}
		counts[k]++
		vectorOf[i] = k
	}
	return vectors, counts, vectorOf
}

// TestCountsEqualCanonical: fitting from counts answers, for each vector,
// what canonical order answers for each of its rows, with the same trees,
// offset_, max_samples_ and warnings.
func TestCountsEqualCanonical(t *testing.T) {
	cases := append(orderCases(),
		// Above 64 positions per sampled row the drawn positions are sorted, not marked in a bitmap.
		orderCase{"two million rows, 40 values", codes(9, 2_000_000, 40), DefaultConfig()})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.RowOrder = Canonical
			want := fitWith(t, cfg, tc.X)
			vectors, counts, vectorOf := summarize(tc.X)
			// Counts come in the service's order: shuffle them.
			r := rand.New(rand.NewPCG(uint64(len(counts)), 1))
			perm := r.Perm(len(counts))
			shuffled := Matrix{Rows: vectors.Rows, Cols: vectors.Cols}
			shuffledCounts := make([]int64, len(counts))
			where := make([]int, len(counts)) // vector k is at where[k]
			for p, k := range perm {
				shuffled.Data = append(shuffled.Data, vectors.Data[k*vectors.Cols:(k+1)*vectors.Cols]...)
				shuffledCounts[p] = counts[k]
				where[k] = p
			}
			f, err := New(tc.cfg) // RowOrder AsReturned: counts ignore it
			if err != nil {
				t.Fatal(err)
			}
			labels, dec, err := f.FitPredictDecisionCounts(t.Context(), shuffled, shuffledCounts)
			if err != nil {
				t.Fatal(err)
			}
			if f.Rows() != int64(tc.X.Rows) {
				t.Errorf("Rows() = %d, want %d", f.Rows(), tc.X.Rows)
			}
			got := fitResult{make([]int64, tc.X.Rows), make([]float64, tc.X.Rows), f.Offset(), f.MaxSamples(), f.Warnings(), f.Trees()}
			for i, k := range vectorOf {
				got.labels[i], got.decision[i] = labels[where[k]], dec[where[k]]
			}
			sameResult(t, "counts vs canonical", got, want)
		})
	}
}

// TestDrawnPositions checks both ways of merging the trees' positions (a
// bitmap for small populations, a sort for large ones) on the same draws.
func TestDrawnPositions(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for _, n := range []int64{300, 5000, 1 << 40} {
		var positions [][]int64
		for range 20 {
			set := map[int64]bool{}
			for len(set) < 256 {
				set[r.Int64N(min(n, 1<<40))] = true
			}
			p := make([]int64, 0, len(set))
			for v := range set {
				p = append(p, v)
			}
			slices.Sort(p)
			positions = append(positions, p)
		}
		want := make([][]int64, len(positions))
		for i, p := range positions {
			want[i] = slices.Clone(p)
		}
		slots, drawn, err := drawnPositions(t.Context(), n, positions)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.IsSortedFunc(drawn, func(a, b int64) int { return cmp.Compare(a, b) }) || len(slices.Compact(slices.Clone(drawn))) != len(drawn) {
			t.Fatalf("n %d: drawn positions not ascending and distinct", n)
		}
		for i, s := range slots {
			for k, slot := range s {
				if drawn[slot] != want[i][k] {
					t.Fatalf("n %d: tree %d row %d maps to position %d, want %d", n, i, k, drawn[slot], want[i][k])
				}
			}
		}
	}
}

// TestCountsOfRepeatedVectors: a vector listed twice (a count split in two,
// as two float64 keys that one float32 vector stands for would be) gives
// the same forest as its counts merged.
func TestCountsOfRepeatedVectors(t *testing.T) {
	merged, _ := NewMatrix(4, 1, []float64{3, 1, 2, 7})
	mergedCounts := []int64{5000, 300, 20_000, 12}
	split, _ := NewMatrix(6, 1, []float64{2, 3, 1, 2, 7, 3})
	splitCounts := []int64{15_000, 4000, 300, 5000, 12, 1000}
	fit := func(X Matrix, counts []int64) ([]int64, []float64, float64, []TreeInfo) {
		f, _ := New(DefaultConfig())
		l, d, err := f.FitPredictDecisionCounts(t.Context(), X, counts)
		if err != nil {
			t.Fatal(err)
		}
		return l, d, f.Offset(), f.Trees()
	}
	ml, md, mo, mt := fit(merged, mergedCounts)
	sl, sd, so, st := fit(split, splitCounts)
	if mo != so {
		t.Fatalf("offset %v merged, %v split", mo, so)
	}
	for i := range mt {
		if !slices.Equal(mt[i].NNodeSamples, st[i].NNodeSamples) || !slices.Equal(mt[i].Threshold, st[i].Threshold) {
			t.Fatalf("tree %d differs", i)
		}
	}
	value := map[float64]int{3: 0, 1: 1, 2: 2, 7: 3}
	for k, v := range split.Data {
		m := value[v]
		if sl[k] != ml[m] || sd[k] != md[m] {
			t.Errorf("vector %v: split gives %d %v, merged %d %v", v, sl[k], sd[k], ml[m], md[m])
		}
	}
}
