package framerows

import (
	"encoding/json"
	"iter"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Chunks cuts fields' n rows into runs of about size bytes as Arrow encodes them, and yields each
// run's first row and the row after its last: every row once, in order, at least one row a run.
// A row's width is exact, not sampled (a sample of uneven rows can be off many times over): a bit
// per bool, 8 to 64 bits per number or time, a bit more per nullable cell (its validity), and a
// string or JSON cell's bytes plus its 4-byte offset. The schema each encoded run also carries is
// not counted.
func Chunks(fields []*data.Field, size int) iter.Seq2[int, int] {
	w := newRowWidths(fields)
	n := 0
	if len(fields) > 0 {
		n = fields[0].Len()
	}
	return func(yield func(from, to int) bool) {
		for from := 0; from < n; {
			to := w.chunkEnd(from, n, size)
			if !yield(from, to) {
				return
			}
			from = to
		}
	}
}

// rowWidths measures rows in bits: fixedBits for the fixed-width cells, plus the variable ones'.
type rowWidths struct {
	fixedBits int
	variable  []*data.Field
}

func newRowWidths(fields []*data.Field) rowWidths {
	var w rowWidths
	for _, f := range fields {
		if f.Nullable() {
			w.fixedBits++
		}
		switch f.Type().NonNullableType() {
		case data.FieldTypeString, data.FieldTypeJSON:
			w.variable = append(w.variable, f)
		case data.FieldTypeBool:
			w.fixedBits++
		case data.FieldTypeInt8, data.FieldTypeUint8:
			w.fixedBits += 8
		case data.FieldTypeInt16, data.FieldTypeUint16, data.FieldTypeEnum:
			w.fixedBits += 16
		case data.FieldTypeInt32, data.FieldTypeUint32, data.FieldTypeFloat32:
			w.fixedBits += 32
		default:
			w.fixedBits += 64
		}
	}
	return w
}

// chunkEnd is where the run of rows starting at from ends: the rows that fit in size bytes, at
// least one.
func (w rowWidths) chunkEnd(from, n, size int) int {
	bits, limit := 0, 8*size
	to := from
	for to < n {
		row := w.fixedBits
		for _, f := range w.variable {
			row += 8 * cellBytes(f, to)
		}
		if to > from && bits+row > limit {
			break
		}
		bits += row
		to++
	}
	return to
}

// cellBytes is a string or JSON cell's encoded size: its bytes and its offset.
func cellBytes(f *data.Field, i int) int {
	switch v := f.PointerAt(i).(type) {
	case *string:
		return len(*v) + 4
	case **string:
		if *v != nil {
			return len(**v) + 4
		}
	case *json.RawMessage:
		return len(*v) + 4
	case **json.RawMessage:
		if *v != nil {
			return len(**v) + 4
		}
	}
	return 4
}
