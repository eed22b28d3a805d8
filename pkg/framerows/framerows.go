// Package framerows copies rows of Grafana data frames into new fields: the rows a search or a
// ranking chose (pkg/anomaly), or a run of consecutive rows (one chunk of a large answer,
// pkg/plugin, cut by Chunks to about a given encoded size). The SDK has no way to slice a field, and copying cell by cell through At and Set
// boxes every number and time; here the common types are copied through typed pointers, so a copy
// allocates only its new fields. Nullable cells share their pointee with the source, which nothing
// writes to once a frame is built.
package framerows

import (
	"encoding/json"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Take returns new fields holding the rows of fields at idx, in idx's order, each with its
// source's name, labels and config. Every index must be a row of every field.
func Take(fields []*data.Field, idx []int) []*data.Field {
	out := make([]*data.Field, len(fields))
	for j, f := range fields {
		out[j] = TakeField(f, idx)
	}
	return out
}

// TakeField is Take for one field.
func TakeField(src *data.Field, idx []int) *data.Field {
	return copyField(src, len(idx), func(j int) int { return idx[j] })
}

// Range returns new fields holding the rows from (inclusive) to to (exclusive) of fields, each with
// its source's name, labels and config. 0 <= from <= to <= the fields' length.
func Range(fields []*data.Field, from, to int) []*data.Field {
	out := make([]*data.Field, len(fields))
	for j, f := range fields {
		out[j] = copyField(f, to-from, func(k int) int { return from + k })
	}
	return out
}

// copyField copies n cells into a new field of src's type: cell j of the copy is cell at(j) of src.
func copyField(src *data.Field, n int, at func(j int) int) *data.Field {
	dst := data.NewFieldFromFieldType(src.Type(), n)
	dst.Name, dst.Labels, dst.Config = src.Name, src.Labels, src.Config
	if n == 0 {
		return dst
	}
	switch src.PointerAt(at(0)).(type) {
	case *string:
		copyCells[string](dst, src, n, at)
	case **string:
		copyCells[*string](dst, src, n, at)
	case *int64:
		copyCells[int64](dst, src, n, at)
	case **int64:
		copyCells[*int64](dst, src, n, at)
	case *int32:
		copyCells[int32](dst, src, n, at)
	case **int32:
		copyCells[*int32](dst, src, n, at)
	case *float64:
		copyCells[float64](dst, src, n, at)
	case **float64:
		copyCells[*float64](dst, src, n, at)
	case *bool:
		copyCells[bool](dst, src, n, at)
	case **bool:
		copyCells[*bool](dst, src, n, at)
	case *time.Time:
		copyCells[time.Time](dst, src, n, at)
	case **time.Time:
		copyCells[*time.Time](dst, src, n, at)
	case *json.RawMessage:
		copyCells[json.RawMessage](dst, src, n, at)
	case **json.RawMessage:
		copyCells[*json.RawMessage](dst, src, n, at)
	default:
		for j := range n {
			dst.Set(j, src.CopyAt(at(j)))
		}
	}
	return dst
}

func copyCells[T any](dst, src *data.Field, n int, at func(j int) int) {
	for j := range n {
		*dst.PointerAt(j).(*T) = *src.PointerAt(at(j)).(*T)
	}
}
