package iforest

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
)

// FuzzFitNeverPanics feeds arbitrary bytes as features and settings: the
// forest must return results or an error wrapping one of the package's
// sentinels, never panic. Without -fuzz only the seeds run.
func FuzzFitNeverPanics(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, uint8(1), uint8(3), uint16(10), uint8(0))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0xf0, 0x7f}, uint8(1), uint8(0), uint16(1), uint8(2))       // +Inf
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0xf8, 0x7f, 1, 2}, uint8(2), uint8(1), uint16(3), uint8(1)) // NaN
	f.Add(make([]byte, 800), uint8(4), uint8(2), uint16(0), uint8(3))
	f.Fuzz(func(t *testing.T, raw []byte, cols, contamination uint8, nEst uint16, ms uint8) {
		c := int(cols%5) + 1
		var vals []float64
		for i := 0; i+8 <= len(raw); i += 8 {
			vals = append(vals, math.Float64frombits(binary.LittleEndian.Uint64(raw[i:])))
		}
		for _, b := range raw[len(raw)/8*8:] {
			vals = append(vals, float64(b)) // small values too, with ties
		}
		rows := len(vals) / c
		X := Matrix{Rows: rows, Cols: c, Data: vals[:rows*c]}
		cfg := DefaultConfig()
		cfg.NEstimators = int(nEst % 40)
		cfg.Contamination = ContaminationFraction(float64(contamination) / 200)
		switch ms % 4 {
		case 1:
			cfg.MaxSamples = MaxSamplesCount(int(ms))
		case 2:
			cfg.MaxSamples = MaxSamplesFraction(float64(ms) / 255)
		case 3:
			cfg.Contamination = ContaminationAuto()
		}
		if nEst&1 == 1 {
			cfg.RowOrder = Canonical
		}
		forest, err := New(cfg)
		if err != nil {
			if !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("New: unexpected error %v", err)
			}
			return
		}
		labels, dec, err := forest.FitPredictDecision(t.Context(), X)
		if err != nil {
			if !errors.Is(err, ErrInvalidInput) && !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("Fit: unexpected error %v", err)
			}
			return
		}
		if len(labels) != rows || len(dec) != rows {
			t.Fatalf("%d labels, %d decisions for %d rows", len(labels), len(dec), rows)
		}
		for i, d := range dec {
			if math.IsNaN(d) || (labels[i] == -1) != (d < 0) {
				t.Fatalf("row %d: label %d, decision %v", i, labels[i], d)
			}
		}
		// The same rows as counts (each row its own vector, counted from the
		// raw bytes, zero and negative counts included): results or an
		// error, never a panic; when the counts are all 1 they are the rows,
		// and canonical order must agree with them.
		counts := make([]int64, rows)
		allOnes := true
		for i := range counts {
			counts[i] = 1
			if i < len(raw) && raw[i] > 250 {
				counts[i] = int64(raw[i]) - 252 // -1, 0, 1, 2, 3
				allOnes = allOnes && counts[i] == 1
			}
		}
		cl, cd, err := forest.FitPredictDecisionCounts(t.Context(), X, counts)
		if err != nil {
			if !errors.Is(err, ErrInvalidInput) && !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("counts: unexpected error %v", err)
			}
			return
		}
		if len(cl) != rows || len(cd) != rows {
			t.Fatalf("counts: %d labels, %d decisions for %d vectors", len(cl), len(cd), rows)
		}
		if allOnes && cfg.RowOrder == Canonical {
			for i := range cl {
				if cl[i] != labels[i] || math.Float64bits(cd[i]) != math.Float64bits(dec[i]) {
					t.Fatalf("row %d: counts give %d %v, canonical rows %d %v", i, cl[i], cd[i], labels[i], dec[i])
				}
			}
		}
	})
}

// FuzzLabelEncodeStrings: codes index sorted classes and equal strings
// share a code.
func FuzzLabelEncodeStrings(f *testing.F) {
	f.Add("b,a,,B,a,é,10,9")
	f.Fuzz(func(t *testing.T, joined string) {
		var vals []string
		start := 0
		for i := 0; i <= len(joined); i++ {
			if i == len(joined) || joined[i] == ',' {
				vals = append(vals, joined[start:i])
				start = i + 1
			}
		}
		codes, classes := LabelEncodeStrings(vals, nil)
		for i, c := range codes {
			if classes[c] != vals[i] {
				t.Fatalf("row %d: code %d is class %q, value %q", i, c, classes[c], vals[i])
			}
		}
		for i := 1; i < len(classes); i++ {
			if !(classes[i-1].(string) < classes[i].(string)) {
				t.Fatalf("classes not strictly sorted: %q, %q", classes[i-1], classes[i])
			}
		}
	})
}
