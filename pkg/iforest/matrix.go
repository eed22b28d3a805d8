package iforest

import (
	"context"
	"fmt"
	"math"
)

// Matrix is a dense row-major feature matrix: row i, column j is
// Data[i*Cols+j]. It is the X of scikit-learn's fit and score methods.
type Matrix struct {
	Rows, Cols int
	Data       []float64
}

// NewMatrix wraps row-major data without copying.
func NewMatrix(rows, cols int, data []float64) (Matrix, error) {
	m := Matrix{Rows: rows, Cols: cols, Data: data}
	if !m.wellShaped() {
		return Matrix{}, fmt.Errorf("%w: a matrix of %d rows x %d columns cannot hold %d values", ErrInvalidInput, rows, cols, len(data))
	}
	return m, nil
}

// wellShaped reports whether Data holds exactly Rows x Cols values, with
// at least one column, without overflowing Rows*Cols.
func (X Matrix) wellShaped() bool {
	return X.Cols >= 1 && X.Rows >= 0 && (X.Rows == 0 || X.Cols <= len(X.Data)/X.Rows) && len(X.Data) == X.Rows*X.Cols
}

// MatrixFromColumns builds a matrix from equally long feature columns, the
// shape of df[[field1, field2, ...]].
func MatrixFromColumns(cols ...[]float64) (Matrix, error) {
	if len(cols) == 0 {
		return Matrix{}, fmt.Errorf("%w: no feature columns", ErrInvalidInput)
	}
	n := len(cols[0])
	data := make([]float64, n*len(cols))
	for j, c := range cols {
		if len(c) != n {
			return Matrix{}, fmt.Errorf("%w: column %d has %d rows, column 0 has %d", ErrInvalidInput, j, len(c), n)
		}
		for i, v := range c {
			data[i*len(cols)+j] = v
		}
	}
	return Matrix{Rows: n, Cols: len(cols), Data: data}, nil
}

// MatrixFromCodes builds a matrix from integer columns such as label codes
// or frequencies (the encoders' output).
func MatrixFromCodes(cols ...[]int64) (Matrix, error) {
	fc := make([][]float64, len(cols))
	for j, c := range cols {
		fc[j] = make([]float64, len(c))
		for i, v := range c {
			fc[j][i] = float64(v)
		}
	}
	return MatrixFromColumns(fc...)
}

// toFloat32 casts X to float32 as scikit-learn does before fitting and
// scoring (trees compare float32 features with float64 thresholds), and
// rejects what check_array rejects: NaN, infinity, and values that overflow
// float32.
func toFloat32(ctx context.Context, X Matrix, wantCols int) ([]float32, error) {
	if !X.wellShaped() {
		return nil, fmt.Errorf("%w: matrix of %d rows x %d columns has %d values", ErrInvalidInput, X.Rows, X.Cols, len(X.Data))
	}
	if wantCols > 0 && X.Cols != wantCols {
		return nil, fmt.Errorf("%w: X has %d features, but the forest was fitted with %d", ErrInvalidInput, X.Cols, wantCols)
	}
	out := make([]float32, len(X.Data))
	for i, v := range X.Data {
		if stopped(ctx, i) {
			return nil, ctx.Err()
		}
		f := float32(v)
		if math.IsNaN(v) || math.IsInf(float64(f), 0) {
			what := "NaN"
			switch {
			case math.IsInf(v, 0):
				what = "infinite"
			case !math.IsNaN(v):
				what = fmt.Sprintf("%g, too large for float32", v)
			}
			return nil, fmt.Errorf("%w: row %d, feature %d is %s; drop or fill such rows before scoring", ErrInvalidInput, i/X.Cols, i%X.Cols, what)
		}
		out[i] = f
	}
	return out, nil
}
