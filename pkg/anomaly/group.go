package anomaly

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
)

// groups numbers a field's distinct values in order of first appearance. It is the one pass over a
// column that every step needs: label codes and counts (encoding), the value list of
// countByValue and AnomalousValues, and search (each distinct value is rendered and matched once,
// not once per row).
type groups struct {
	ids     []int32 // row -> group
	first   []int   // group -> its first row
	missing int32   // the group of null (and NaN) rows, or -1
}

func (g groups) len() int { return len(g.first) }

// groupKeys groups rows by key. A missing row (null, NaN) joins the one missing group. Runs of
// equal values, common in logs, skip the map.
func groupKeys[K comparable](n int, key func(int) (K, bool)) (groups, []K) {
	g := groups{ids: make([]int32, n), missing: -1}
	index := make(map[K]int32, 256)
	var keys []K
	var last K
	lastID := int32(-1)
	for i := 0; i < n; i++ {
		k, miss := key(i)
		if miss {
			if g.missing < 0 {
				g.missing = int32(len(g.first))
				g.first = append(g.first, i)
				var zero K
				keys = append(keys, zero)
			}
			g.ids[i] = g.missing
			continue
		}
		if lastID >= 0 && k == last {
			g.ids[i] = lastID
			continue
		}
		id, ok := index[k]
		if !ok {
			id = int32(len(g.first))
			index[k] = id
			g.first = append(g.first, i)
			keys = append(keys, k)
		}
		g.ids[i], last, lastID = id, k, id
	}
	return g, keys
}

type signed interface {
	~int8 | ~int16 | ~int32 | ~int64
}
type unsigned interface {
	~uint8 | ~uint16 | ~uint32 | ~uint64
}
type float interface{ ~float32 | ~float64 }

// The accessors read a cell through PointerAt, which hands out a pointer into the field's own
// slice: no value is boxed, so reading a column allocates nothing per row.

func signedAt[T signed](f *data.Field) func(int) (int64, bool) {
	return func(i int) (int64, bool) {
		switch p := f.PointerAt(i).(type) {
		case *T:
			return int64(*p), false
		case **T:
			if *p != nil {
				return int64(**p), false
			}
		}
		return 0, true
	}
}

func unsignedAt[T unsigned](f *data.Field) func(int) (uint64, bool) {
	return func(i int) (uint64, bool) {
		switch p := f.PointerAt(i).(type) {
		case *T:
			return uint64(*p), false
		case **T:
			if *p != nil {
				return uint64(**p), false
			}
		}
		return 0, true
	}
}

// floatAt treats NaN as missing (pandas' missing number) and -0 as 0 (Python's -0.0 == 0.0).
func floatAt[T float](f *data.Field) func(int) (float64, bool) {
	return func(i int) (float64, bool) {
		var v float64
		switch p := f.PointerAt(i).(type) {
		case *T:
			v = float64(*p)
		case **T:
			if *p == nil {
				return 0, true
			}
			v = float64(**p)
		default:
			return 0, true
		}
		if math.IsNaN(v) {
			return 0, true
		}
		if v == 0 {
			v = 0
		}
		return v, false
	}
}

// displayValue is a float as countByValue and search tell values apart: NaN is a value of its
// own, apart from null (the encoding merges them, as pandas stores a missing number as NaN).
type displayValue struct {
	v   float64
	nan bool
}

func displayFloatAt(at func(int) (float64, bool), f *data.Field) func(int) (displayValue, bool) {
	return func(i int) (displayValue, bool) {
		v, miss := at(i)
		if !miss {
			return displayValue{v: v}, false
		}
		if f.NilAt(i) {
			return displayValue{}, true
		}
		return displayValue{nan: true}, false // a NaN cell
	}
}

func valueAt[T any](f *data.Field) func(int) (T, bool) {
	return func(i int) (T, bool) {
		switch p := f.PointerAt(i).(type) {
		case *T:
			return *p, false
		case **T:
			if *p != nil {
				return **p, false
			}
		}
		var zero T
		return zero, true
	}
}

// instant is a time as a comparable key (time.Time's == also compares locations).
type instant struct {
	sec  int64
	nsec int32
}

func instantAt(f *data.Field) func(int) (instant, bool) {
	at := valueAt[time.Time](f)
	return func(i int) (instant, bool) {
		t, miss := at(i)
		return instant{t.Unix(), int32(t.Nanosecond())}, miss
	}
}

func rawAt(f *data.Field) func(int) (string, bool) {
	at := valueAt[json.RawMessage](f)
	return func(i int) (string, bool) {
		b, miss := at(i)
		return string(b), miss
	}
}

// groupField groups a field's rows by value. With wantCodes it also returns each group's label
// code, scikit-learn's LabelEncoder on what pandas would hold (see the package doc for nulls).
func groupField(f *data.Field, wantCodes bool) (groups, []int64, error) {
	n := f.Len()
	switch f.Type() {
	case data.FieldTypeString, data.FieldTypeNullableString:
		g, keys := groupKeys(n, valueAt[string](f))
		return g, stringCodes(g, keys, wantCodes), nil
	case data.FieldTypeJSON, data.FieldTypeNullableJSON:
		g, keys := groupKeys(n, rawAt(f))
		return g, stringCodes(g, keys, wantCodes), nil
	case data.FieldTypeInt8, data.FieldTypeNullableInt8:
		return numberGroups(groupKeys(n, signedAt[int8](f)))(wantCodes)
	case data.FieldTypeInt16, data.FieldTypeNullableInt16:
		return numberGroups(groupKeys(n, signedAt[int16](f)))(wantCodes)
	case data.FieldTypeInt32, data.FieldTypeNullableInt32:
		return numberGroups(groupKeys(n, signedAt[int32](f)))(wantCodes)
	case data.FieldTypeInt64, data.FieldTypeNullableInt64:
		return numberGroups(groupKeys(n, signedAt[int64](f)))(wantCodes)
	case data.FieldTypeUint8, data.FieldTypeNullableUint8:
		return numberGroups(groupKeys(n, unsignedAt[uint8](f)))(wantCodes)
	case data.FieldTypeUint16, data.FieldTypeNullableUint16:
		return numberGroups(groupKeys(n, unsignedAt[uint16](f)))(wantCodes)
	case data.FieldTypeUint32, data.FieldTypeNullableUint32:
		return numberGroups(groupKeys(n, unsignedAt[uint32](f)))(wantCodes)
	case data.FieldTypeUint64, data.FieldTypeNullableUint64:
		return numberGroups(groupKeys(n, unsignedAt[uint64](f)))(wantCodes)
	case data.FieldTypeEnum, data.FieldTypeNullableEnum:
		return numberGroups(groupKeys(n, unsignedAt[data.EnumItemIndex](f)))(wantCodes)
	case data.FieldTypeFloat32, data.FieldTypeNullableFloat32:
		if !wantCodes {
			g, _ := groupKeys(n, displayFloatAt(floatAt[float32](f), f))
			return g, nil, nil
		}
		return numberGroups(groupKeys(n, floatAt[float32](f)))(wantCodes)
	case data.FieldTypeFloat64, data.FieldTypeNullableFloat64:
		if !wantCodes {
			g, _ := groupKeys(n, displayFloatAt(floatAt[float64](f), f))
			return g, nil, nil
		}
		return numberGroups(groupKeys(n, floatAt[float64](f)))(wantCodes)
	case data.FieldTypeBool, data.FieldTypeNullableBool:
		g, keys := groupKeys(n, valueAt[bool](f))
		if !wantCodes {
			return g, nil, nil
		}
		// pandas keeps a bool column with None as objects: False < True, None last.
		reps := make([]any, len(keys))
		for i, k := range keys {
			reps[i] = k
		}
		if g.missing >= 0 {
			reps[g.missing] = nil
		}
		codes, _, err := iforest.LabelEncode(reps)
		return g, codes, err
	case data.FieldTypeTime, data.FieldTypeNullableTime:
		g, keys := groupKeys(n, instantAt(f))
		if !wantCodes {
			return g, nil, nil
		}
		return g, sortedCodes(g, keys, func(a, b instant) int {
			return cmp.Or(cmp.Compare(a.sec, b.sec), cmp.Compare(a.nsec, b.nsec))
		}), nil
	}
	return groups{}, nil, fmt.Errorf("field %q has type %s, which cannot be encoded", f.Name, f.Type())
}

// stringCodes label-encodes the distinct strings with iforest's LabelEncodeStrings (code point
// order, None last).
func stringCodes(g groups, keys []string, want bool) []int64 {
	if !want {
		return nil
	}
	var null []bool
	if g.missing >= 0 {
		null = make([]bool, len(keys))
		null[g.missing] = true
	}
	codes, _ := iforest.LabelEncodeStrings(keys, null)
	return codes
}

// numberGroups label-encodes distinct numbers with iforest's LabelEncode; a missing number is
// NaN, as pandas stores it, which LabelEncoder sorts last.
func numberGroups[K int64 | uint64 | float64](g groups, keys []K) func(bool) (groups, []int64, error) {
	return func(want bool) (groups, []int64, error) {
		if !want {
			return g, nil, nil
		}
		reps := make([]any, len(keys))
		for i, k := range keys {
			reps[i] = k
		}
		if g.missing >= 0 {
			reps[g.missing] = math.NaN()
		}
		codes, _, err := iforest.LabelEncode(reps)
		return g, codes, err
	}
}

// sortedCodes numbers distinct keys in sorted order, the missing group last.
func sortedCodes[K any](g groups, keys []K, compare func(a, b K) int) []int64 {
	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		am, bm := int32(a) == g.missing, int32(b) == g.missing
		switch {
		case am || bm:
			return cmpBool(am, bm)
		}
		return compare(keys[a], keys[b])
	})
	codes := make([]int64, len(keys))
	for c, id := range order {
		codes[id] = int64(c)
	}
	return codes
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
