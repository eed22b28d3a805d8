package anomaly

import (
	"encoding/json"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// takeRows returns a frame of frame's rows at idx, in idx's order, with its own copy of Meta.
func takeRows(frame *data.Frame, idx []int) *data.Frame {
	out := &data.Frame{Name: frame.Name, RefID: frame.RefID, Meta: cloneMeta(frame.Meta), Fields: make([]*data.Field, len(frame.Fields))}
	for j, f := range frame.Fields {
		out.Fields[j] = takeField(f, idx)
	}
	return out
}

// takeField copies the cells at idx into a new field of the same type, name, labels and config.
// Common types are copied through typed pointers (no boxing); nullable cells share their pointee
// with the source, which is never written to.
func takeField(src *data.Field, idx []int) *data.Field {
	dst := data.NewFieldFromFieldType(src.Type(), len(idx))
	dst.Name, dst.Labels, dst.Config = src.Name, src.Labels, src.Config
	if len(idx) == 0 {
		return dst
	}
	switch src.PointerAt(0).(type) {
	case *string:
		copyCells[string](dst, src, idx)
	case **string:
		copyCells[*string](dst, src, idx)
	case *int64:
		copyCells[int64](dst, src, idx)
	case **int64:
		copyCells[*int64](dst, src, idx)
	case *int32:
		copyCells[int32](dst, src, idx)
	case **int32:
		copyCells[*int32](dst, src, idx)
	case *float64:
		copyCells[float64](dst, src, idx)
	case **float64:
		copyCells[*float64](dst, src, idx)
	case *bool:
		copyCells[bool](dst, src, idx)
	case **bool:
		copyCells[*bool](dst, src, idx)
	case *time.Time:
		copyCells[time.Time](dst, src, idx)
	case **time.Time:
		copyCells[*time.Time](dst, src, idx)
	case *json.RawMessage:
		copyCells[json.RawMessage](dst, src, idx)
	default:
		for j, i := range idx {
			dst.Set(j, src.CopyAt(i))
		}
	}
	return dst
}

func copyCells[T any](dst, src *data.Field, idx []int) {
	for j, i := range idx {
		*dst.PointerAt(j).(*T) = *src.PointerAt(i).(*T)
	}
}
