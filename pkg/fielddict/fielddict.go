// Package fielddict carries a string field's dictionary from the code that made the field to the
// code that reads it, without either importing the other: the Log Analytics decoder interns every
// string column (one string per distinct value, each row an index), and the anomaly pipeline's
// label and frequency encoding want exactly that grouping. Handing it over saves regrouping the
// field, a map lookup per row.
//
// A data.Field has no room for such data (its config and labels are sent to Grafana), so the
// dictionary is attached to the field's identity instead: a process-wide table keyed by a weak
// pointer to the field, whose entry is dropped when the field is garbage collected. The table
// holds no field alive and nothing outlives its field.
//
// A producer attaches a dictionary only to a field it will not modify again; Of checks the field
// still has the dictionary's length and a string type, and a consumer that changes a field must
// not rely on Of afterwards.
package fielddict

import (
	"runtime"
	"sync"
	"weak"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Dictionary is a string field's rows grouped by value, groups numbered in order of first
// appearance (a null row is a group of its own, at the place its first row appears).
type Dictionary struct {
	IDs    []int32  // row -> group
	Values []string // group -> value; "" for the null group
	First  []int    // group -> its first row
	Null   int32    // the null group, or -1 when no row is null
}

var table sync.Map // weak.Pointer[data.Field] -> *Dictionary

// Attach records d as f's dictionary, for as long as f lives.
func Attach(f *data.Field, d *Dictionary) {
	if f == nil || d == nil {
		return
	}
	key := weak.Make(f)
	if _, loaded := table.Swap(key, d); !loaded {
		runtime.AddCleanup(f, func(k weak.Pointer[data.Field]) { table.Delete(k) }, key)
	}
}

// Of returns f's dictionary, if one was attached and f is still a string field of as many rows.
func Of(f *data.Field) (*Dictionary, bool) {
	if f == nil {
		return nil, false
	}
	v, ok := table.Load(weak.Make(f))
	if !ok {
		return nil, false
	}
	d := v.(*Dictionary)
	if t := f.Type(); (t != data.FieldTypeString && t != data.FieldTypeNullableString) || f.Len() != len(d.IDs) {
		return nil, false
	}
	return d, true
}
