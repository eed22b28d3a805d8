package iforest

import (
	"context"
	"fmt"
	"slices"
)

// MaxCountedRows bounds the rows that counts may describe. Fitting from
// counts holds nothing of size n, but fit's y = uniform(size=n) is one
// numpy stream that must be stepped through up to the last sampled row:
// two Mersenne Twister outputs a row, about 2 ns a row on this project's
// machine (4 CPU-seconds for 2 billion rows), so 2^35 (34 billion) rows
// cost about 70 CPU-seconds, within Grafana's longest query timeout. A
// month of a large tenant's DeviceNetworkEvents is a few billion rows.
const MaxCountedRows = 1 << 35

// FitPredictDecisionCounts fits the forest on the rows that counts
// describe, without materialising them, and scores them: vectors holds
// distinct feature vectors (a summarize count() by <fields> answer,
// encoded) and counts[k] the rows that carry vectors row k. The answer is
// exactly what FitPredictDecision with RowOrder Canonical gives on the
// expanded rows (any RowOrder in the Config is ignored: counts have no row
// order): trees sample positions of the virtual sorted frame, fit's y is
// read only at sampled positions, each vector is scored once, and offset_
// is the percentile over the scores weighted by the counts.
//
// labels and decision have one entry per row of vectors, in its order.
// Offset, MaxSamples, Rows and Warnings describe the fit afterwards.
// Errors wrap ErrInvalidInput (no vectors, a count below 1, fewer than 2
// rows in all, more than MaxCountedRows, NaN or infinite features) or
// ErrInvalidConfig (settings, or the budget MaxSampledRows), or are ctx's.
func (f *Forest) FitPredictDecisionCounts(ctx context.Context, vectors Matrix, counts []int64) (labels []int64, decision []float64, err error) {
	n, err := countedRows(vectors, counts)
	if err != nil {
		return nil, nil, err
	}
	ms, warnings, err := f.start(n)
	if err != nil {
		return nil, nil, err
	}
	x, err := toFloat32(ctx, vectors, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("in the counts: %w", err)
	}
	if err := f.grow(ctx, countsFrame(vectors, x, counts), vectors.Cols, ms, warnings); err != nil {
		return nil, nil, err
	}
	rows, err := dedupe(ctx, x, vectors.Cols)
	if err != nil {
		return nil, nil, err
	}
	// Each distinct vector weighs the rows of every input vector equal to it.
	clear(rows.counts)
	for k, d := range rows.index {
		rows.counts[d] += counts[k]
	}
	s, err := f.scoreTraining(ctx, rows)
	if err != nil {
		return nil, nil, err
	}
	labels, decision = f.expand(s)
	return labels, decision, nil
}

// countedRows validates counts against vectors and returns their sum.
func countedRows(vectors Matrix, counts []int64) (int64, error) {
	if vectors.Rows != len(counts) {
		return 0, fmt.Errorf("%w: %d vectors but %d counts; give one count per vector", ErrInvalidInput, vectors.Rows, len(counts))
	}
	if vectors.Rows > maxRows {
		return 0, fmt.Errorf("%w: %d distinct vectors is more than the %d this package indexes", ErrInvalidInput, vectors.Rows, maxRows)
	}
	var n int64
	for k, c := range counts {
		if c < 1 {
			return 0, fmt.Errorf("%w: the count of vector %d is %d; every vector must count at least 1 row", ErrInvalidInput, k, c)
		}
		if c > MaxCountedRows-n {
			return 0, fmt.Errorf("%w: the counts describe more than %d rows, the most a forest is fitted on from counts (stepping through fit's random y takes about a minute at that size); narrow the time range or the query", ErrInvalidInput, int64(MaxCountedRows))
		}
		n += c
	}
	if n < 2 {
		return 0, fmt.Errorf("%w: isolation forest needs at least 2 rows, the counts describe %d; widen the time range or the query", ErrInvalidInput, n)
	}
	return n, nil
}

// countsFrame lays the counted vectors out as the virtual sorted frame:
// vectors in pandas' stable sort order (equal vectors, if any, in input
// order), each repeated count times.
func countsFrame(vectors Matrix, x []float32, counts []int64) *trainFrame {
	cols := vectors.Cols
	order := make([]int, vectors.Rows)
	for k := range order {
		order[k] = k
	}
	row := func(k int) []float64 { return vectors.Data[k*cols : k*cols+cols] }
	slices.SortStableFunc(order, func(a, b int) int { return compareRows(row(a), row(b)) })
	fr := &trainFrame{cols: cols, x: make([]float32, 0, len(x)), ends: make([]int64, len(order))}
	for i, k := range order {
		fr.x = append(fr.x, x[k*cols:k*cols+cols]...)
		fr.n += counts[k]
		fr.ends[i] = fr.n
	}
	return fr
}
