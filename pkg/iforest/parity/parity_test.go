package parity

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
)

// sklearnForest is the oracle's dump of one fitted IsolationForest.
type sklearnForest struct {
	Codes            []int64   `json:"codes"`
	CodesMulti       [][]int64 `json:"codes_multi"`
	MaxSamples       int       `json:"max_samples_"`
	Offset           string    `json:"offset"`
	Predict          []int64   `json:"predict"`
	DecisionFunction []string  `json:"decision_function"`
	ScoreSamples     []string  `json:"score_samples"`
	Warnings         []string  `json:"warnings"`
	Trees            []struct {
		Features      []int    `json:"features"`
		NodeCount     int      `json:"node_count"`
		ChildrenLeft  []int    `json:"children_left"`
		ChildrenRight []int    `json:"children_right"`
		Feature       []int    `json:"feature"`
		Threshold     []string `json:"threshold"`
		NNodeSamples  []int    `json:"n_node_samples"`
	} `json:"trees"`
}

func fromHex(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad hex float %q: %v", s, err)
	}
	return v
}

// tally is one case's line in the summary.
type tally struct {
	name                            string
	rows, trees                     int
	scoreNotBitEq, decisionNotBitEq int
	maxScoreDiff                    float64
	offsetBitEq                     bool
	flagged                         int
}

// TestParity runs every case through scikit-learn and the Go forest.
func TestParity(t *testing.T) {
	requireOracle(t)
	lcs, fcs, mcs := labelCases(), floatCases(), multiCases()
	if testing.Short() {
		mcs = slices.DeleteFunc(mcs, func(c multiCase) bool { return !inShort[c.name] })
		lcs = slices.DeleteFunc(lcs, func(c labelCase) bool { return !inShort[c.name] })
		fcs = slices.DeleteFunc(fcs, func(c floatCase) bool { return !inShort[c.name] })
		t.Logf("-short: %d label and %d float cases (every sampling method)", len(lcs), len(fcs))
	}
	lcs = append(lcs, canonicalOf(lcs, func(c *labelCase) *string { return &c.name }, func(c *labelCase) *params { return &c.p })...)
	fcs = append(fcs, canonicalOf(fcs, func(c *floatCase) *string { return &c.name }, func(c *floatCase) *params { return &c.p })...)
	mcs = append(mcs, canonicalOf(mcs, func(c *multiCase) *string { return &c.name }, func(c *multiCase) *params { return &c.p })...)
	var manifest []map[string]any
	for _, c := range lcs {
		vals := make([]any, len(c.values))
		for i, v := range c.values {
			if v != nil {
				vals[i] = *v
			}
		}
		manifest = append(manifest, map[string]any{"name": c.name, "kind": "labels", "values": vals, "params": c.p})
	}
	for _, c := range fcs {
		manifest = append(manifest, map[string]any{"name": c.name, "kind": "floats", "rows": c.rows, "params": c.p})
	}
	for _, c := range mcs {
		cols := make([][]any, len(c.columns))
		for j, col := range c.columns {
			cols[j] = make([]any, len(col))
			for i, v := range col {
				if v != nil {
					cols[j][i] = *v
				}
			}
		}
		manifest = append(manifest, map[string]any{"name": c.name, "kind": "labels_multi", "columns": cols, "params": c.p})
	}
	res := runOracle(t, manifest)
	t.Logf("oracle: scikit-learn %s, numpy %s", res.Sklearn, res.Numpy)
	if !strings.HasPrefix(res.Sklearn, "1.2.") {
		t.Fatalf("oracle is scikit-learn %s, want 1.2.x", res.Sklearn)
	}
	var tallies []tally
	decode := func(name string) *sklearnForest {
		var sf sklearnForest
		if err := json.Unmarshal(res.Cases[name], &sf); err != nil {
			t.Fatalf("%s: decoding oracle case: %v", name, err)
		}
		return &sf
	}
	for _, c := range lcs {
		sf := decode(c.name)
		t.Run(c.name, func(t *testing.T) {
			vals := make([]string, len(c.values))
			null := make([]bool, len(c.values))
			for i, v := range c.values {
				if v == nil {
					null[i] = true
				} else {
					vals[i] = *v
				}
			}
			codes, _ := iforest.LabelEncodeStrings(vals, null)
			if !slices.Equal(codes, sf.Codes) {
				t.Fatalf("label codes differ from LabelEncoder")
			}
			X, err := iforest.MatrixFromCodes(codes)
			if err != nil {
				t.Fatal(err)
			}
			tallies = append(tallies, compareForest(t, c.name, X, c.p, sf))
		})
	}
	for _, c := range fcs {
		sf := decode(c.name)
		t.Run(c.name, func(t *testing.T) {
			data := make([]float64, 0, len(c.rows)*len(c.rows[0]))
			for _, r := range c.rows {
				data = append(data, r...)
			}
			X, err := iforest.NewMatrix(len(c.rows), len(c.rows[0]), data)
			if err != nil {
				t.Fatal(err)
			}
			tallies = append(tallies, compareForest(t, c.name, X, c.p, sf))
		})
	}
	for _, c := range mcs {
		sf := decode(c.name)
		t.Run(c.name, func(t *testing.T) {
			var codeCols [][]int64
			for j, col := range c.columns {
				vals := make([]string, len(col))
				null := make([]bool, len(col))
				for i, v := range col {
					if v == nil {
						null[i] = true
					} else {
						vals[i] = *v
					}
				}
				codes, _ := iforest.LabelEncodeStrings(vals, null)
				if !slices.Equal(codes, sf.CodesMulti[j]) {
					t.Fatalf("label codes of field %d differ from LabelEncoder", j)
				}
				codeCols = append(codeCols, codes)
			}
			X, err := iforest.MatrixFromCodes(codeCols...)
			if err != nil {
				t.Fatal(err)
			}
			tallies = append(tallies, compareForest(t, c.name, X, c.p, sf))
		})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "PARITY SUMMARY vs scikit-learn %s / numpy %s (%d cases)\n", res.Sklearn, res.Numpy, len(tallies))
	fmt.Fprintf(&b, "%-48s %7s %5s %7s %11s %11s %9s %s\n", "case", "rows", "trees", "flagged", "score!=bits", "decis!=bits", "max|diff|", "offset bit-equal")
	totalRows, totalNE := 0, 0
	for _, tl := range tallies {
		fmt.Fprintf(&b, "%-48s %7d %5d %7d %11d %11d %9.1e %v\n", tl.name, tl.rows, tl.trees, tl.flagged, tl.scoreNotBitEq, tl.decisionNotBitEq, tl.maxScoreDiff, tl.offsetBitEq)
		totalRows += tl.rows
		totalNE += tl.scoreNotBitEq
	}
	fmt.Fprintf(&b, "total: %d rows, %d with score_samples not bit-identical (all within 1e-12; trees, codes and labels identical)", totalRows, totalNE)
	t.Log("\n" + b.String())
}

// compareForest fits the Go forest on X and checks it against the oracle:
// identical trees and labels, scores and decisions within 1e-12, with the
// rows that are not bit-identical counted.
func compareForest(t *testing.T, name string, X iforest.Matrix, p params, sf *sklearnForest) tally {
	t.Helper()
	tl := tally{name: name, rows: X.Rows}
	f, err := iforest.New(p.config(0))
	if err != nil {
		t.Fatal(err)
	}
	labels, decision, err := f.FitPredictDecision(t.Context(), X)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(name, "impurity_stop") && f.ImpurityStops() == 0 {
		t.Errorf("case meant to exercise the impurity rule made no impurity stop")
	}
	if f.MaxSamples() != sf.MaxSamples {
		t.Errorf("max_samples_ = %d, scikit-learn %d", f.MaxSamples(), sf.MaxSamples)
	}
	if len(sf.Warnings) != len(f.Warnings()) {
		t.Errorf("warnings %q, scikit-learn %q", f.Warnings(), sf.Warnings)
	}
	trees := f.Trees()
	tl.trees = len(trees)
	if len(trees) != len(sf.Trees) {
		t.Fatalf("%d trees, scikit-learn %d", len(trees), len(sf.Trees))
	}
	for i, st := range sf.Trees {
		gt := trees[i]
		if gt.NodeCount != st.NodeCount || !slices.Equal(gt.NNodeSamples, st.NNodeSamples) ||
			!slices.Equal(gt.ChildrenLeft, st.ChildrenLeft) || !slices.Equal(gt.ChildrenRight, st.ChildrenRight) ||
			!slices.Equal(gt.Feature, st.Feature) || !slices.Equal(gt.Features, st.Features) {
			t.Fatalf("tree %d differs: node_count %d vs %d; n_node_samples %v vs %v; features %v vs %v",
				i, gt.NodeCount, st.NodeCount, head(gt.NNodeSamples), head(st.NNodeSamples), gt.Features, st.Features)
		}
		for j, h := range st.Threshold {
			if w := fromHex(t, h); math.Float64bits(w) != math.Float64bits(gt.Threshold[j]) {
				t.Fatalf("tree %d node %d threshold %x, scikit-learn %x", i, j, gt.Threshold[j], w)
			}
		}
	}
	offset := fromHex(t, sf.Offset)
	tl.offsetBitEq = offset == f.Offset()
	if math.Abs(offset-f.Offset()) > 1e-12 {
		t.Errorf("offset %x, scikit-learn %x", f.Offset(), offset)
	}
	if !slices.Equal(labels, sf.Predict) {
		n := 0
		for i := range labels {
			if labels[i] != sf.Predict[i] {
				n++
			}
		}
		t.Errorf("%d of %d labels differ from fit_predict", n, len(labels))
	}
	for _, l := range labels {
		if l == -1 {
			tl.flagged++
		}
	}
	scores, err := f.ScoreSamples(t.Context(), X)
	if err != nil {
		t.Fatal(err)
	}
	tl.scoreNotBitEq, tl.maxScoreDiff = diffCount(t, "score_samples", scores, sf.ScoreSamples)
	var dmax float64
	tl.decisionNotBitEq, dmax = diffCount(t, "decision_function", decision, sf.DecisionFunction)
	tl.maxScoreDiff = max(tl.maxScoreDiff, dmax)
	t.Logf("%s: %d rows, %d flagged, score_samples not bit-identical: %d, decision_function: %d, max |diff| %.1e, offset bit-equal %v",
		name, tl.rows, tl.flagged, tl.scoreNotBitEq, tl.decisionNotBitEq, tl.maxScoreDiff, tl.offsetBitEq)
	if p.Canonical {
		compareCounts(t, X, p, f, labels, decision)
	}
	return tl
}

// compareCounts fits the same rows from their counts (a summarize count()
// by the columns, made here with a map) and checks that every output is the
// canonical fit's, bit for bit: labels, decisions, offset_, max_samples_,
// warnings and trees.
func compareCounts(t *testing.T, X iforest.Matrix, p params, canonical *iforest.Forest, labels []int64, decision []float64) {
	t.Helper()
	index := map[string]int{}
	var vectors []float64
	var counts []int64
	vectorOf := make([]int, X.Rows)
	for i := range X.Rows {
		row := X.Data[i*X.Cols : (i+1)*X.Cols]
		key := fmt.Sprint(row)
		k, ok := index[key]
		if !ok {
			k = len(counts)
			index[key] = k
			vectors = append(vectors, row...)
			counts = append(counts, 0)
		}
		counts[k]++
		vectorOf[i] = k
	}
	vm, err := iforest.NewMatrix(len(counts), X.Cols, vectors)
	if err != nil {
		t.Fatal(err)
	}
	f, err := iforest.New(p.config(0))
	if err != nil {
		t.Fatal(err)
	}
	vl, vd, err := f.FitPredictDecisionCounts(t.Context(), vm, counts)
	if err != nil {
		t.Fatal(err)
	}
	if f.Offset() != canonical.Offset() || f.MaxSamples() != canonical.MaxSamples() || f.Rows() != int64(X.Rows) ||
		!slices.Equal(f.Warnings(), canonical.Warnings()) {
		t.Fatalf("counts: offset %x max_samples_ %d rows %d warnings %q; canonical %x %d %d %q", f.Offset(), f.MaxSamples(), f.Rows(), f.Warnings(),
			canonical.Offset(), canonical.MaxSamples(), X.Rows, canonical.Warnings())
	}
	for i, k := range vectorOf {
		if vl[k] != labels[i] || math.Float64bits(vd[k]) != math.Float64bits(decision[i]) {
			t.Fatalf("counts: row %d label %d decision %x, canonical %d %x", i, vl[k], vd[k], labels[i], decision[i])
		}
	}
	ct, gt := f.Trees(), canonical.Trees()
	for i := range gt {
		if !slices.Equal(ct[i].NNodeSamples, gt[i].NNodeSamples) || !slices.Equal(ct[i].Threshold, gt[i].Threshold) {
			t.Fatalf("counts: tree %d differs from the canonical fit's", i)
		}
	}
	t.Logf("counts: %d distinct vectors for %d rows: labels, decisions, offset and trees identical to canonical order", len(counts), X.Rows)
}

func diffCount(t *testing.T, what string, got []float64, want []string) (int, float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, scikit-learn %d", what, len(got), len(want))
	}
	n, worst := 0, 0.0
	for i, h := range want {
		w := fromHex(t, h)
		if math.Float64bits(w) != math.Float64bits(got[i]) {
			n++
			worst = max(worst, math.Abs(w-got[i]))
		}
	}
	if worst > 1e-12 {
		t.Errorf("%s: max |difference| %g exceeds 1e-12", what, worst)
	}
	return n, worst
}

func head(a []int) []int { return a[:min(8, len(a))] }
