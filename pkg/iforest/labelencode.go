package iforest

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// LabelEncode is scikit-learn's LabelEncoder().fit_transform(values) for an
// object column: classes are the sorted distinct values and codes index
// them. Strings sort by code point (Go's byte order on valid UTF-8, so
// "10" < "9" < "B" < "a"); numbers (ints, floats, bools) sort numerically
// and compare across types as Python does (1 == 1.0 == true, the first seen
// is the class kept). nil and NaN sort last, nil before NaN, all NaNs one
// class. Strings mixed with numbers give an error wrapping ErrMixedTypes
// with scikit-learn's TypeError text. Supported element types: nil, string,
// bool, int*, uint*, float32, float64.
//
// For a column of strings, LabelEncodeStrings is faster.
func LabelEncode(values []any) (codes []int64, classes []any, err error) {
	g, err := groupValues(values)
	if err != nil {
		return nil, nil, err
	}
	if g.hasString && g.hasNumber {
		return nil, nil, fmt.Errorf("%w. Got %s", ErrMixedTypes, g.typeList())
	}
	order := make([]int, len(g.reps))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return compareKeys(g.keys[a], g.keys[b]) })
	return remap(g.ids, order, g.reps)
}

// LabelEncodeStrings is LabelEncode for a string column; null[i] marks row
// i as missing (None), which sorts last. null may be nil or shorter than
// values: rows past its end are not missing. The classes
// are strings and, when any row is null, nil last.
func LabelEncodeStrings(values []string, null []bool) (codes []int64, classes []any) {
	ids := make([]int32, len(values))
	index := make(map[string]int32, 256)
	var uniq []string
	nullID := int32(-1)
	var last string
	lastID := int32(-1)
	for i, v := range values {
		if i < len(null) && null[i] {
			if nullID < 0 {
				nullID = int32(len(uniq))
				uniq = append(uniq, "")
			}
			ids[i] = nullID
			continue
		}
		if lastID >= 0 && v == last { // runs of equal values are common in logs
			ids[i] = lastID
			continue
		}
		id, ok := index[v]
		if !ok {
			id = int32(len(uniq))
			index[v] = id
			uniq = append(uniq, v)
		}
		ids[i], last, lastID = id, v, id
	}
	order := make([]int, len(uniq))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		an, bn := int32(a) == nullID, int32(b) == nullID
		switch {
		case an:
			return 1
		case bn:
			return -1
		}
		return strings.Compare(uniq[a], uniq[b])
	})
	reps := make([]any, len(uniq))
	for i, s := range uniq {
		if int32(i) == nullID {
			reps[i] = nil
		} else {
			reps[i] = s
		}
	}
	codes, classes, _ = remap(ids, order, reps)
	return codes, classes
}

// remap turns first-seen ids into sorted class codes.
func remap(ids []int32, order []int, reps []any) ([]int64, []any, error) {
	code := make([]int64, len(order))
	classes := make([]any, len(order))
	for c, id := range order {
		code[id] = int64(c)
		classes[c] = reps[id]
	}
	codes := make([]int64, len(ids))
	for i, id := range ids {
		codes[i] = code[id]
	}
	return codes, classes, nil
}

// keyKind orders the kinds of values: numbers and strings never meet in a
// sort (that is an error), and missing values go last, None before NaN.
type keyKind int

const (
	kindNumber keyKind = iota
	kindString
	kindNone
	kindNaN
)

// valueKey identifies a value up to Python equality: integers that fit in
// int64 are exact; other numbers are float64 (a float with an integral
// value that fits in int64 is stored as that integer, so 3 and 3.0 meet).
type valueKey struct {
	kind  keyKind
	isInt bool
	i     int64
	f     float64
	s     string
}

func compareKeys(a, b valueKey) int {
	if a.kind != b.kind {
		return int(a.kind) - int(b.kind)
	}
	switch a.kind {
	case kindString:
		return strings.Compare(a.s, b.s)
	case kindNumber:
		return compareNumbers(a, b)
	}
	return 0
}

// compareNumbers compares exactly, as Python compares int and float.
func compareNumbers(a, b valueKey) int {
	switch {
	case a.isInt && b.isInt:
		return cmp.Compare(a.i, b.i)
	case !a.isInt && !b.isInt:
		return cmp.Compare(a.f, b.f)
	case a.isInt:
		return -compareFloatInt(b.f, a.i)
	default:
		return compareFloatInt(a.f, b.i)
	}
}

// compareFloatInt compares a non-integral (or out of int64 range) float
// with an int64 exactly.
func compareFloatInt(f float64, i int64) int {
	if f >= 9.223372036854775807e18 {
		return 1
	}
	if f < -9.223372036854775807e18 {
		return -1
	}
	fl := math.Floor(f)
	if c := cmp.Compare(int64(fl), i); c != 0 {
		return c
	}
	if f > fl {
		return 1
	}
	return 0
}

// grouped is the first-seen grouping shared by the encoders.
type grouped struct {
	ids                  []int32 // row -> first-seen group
	keys                 []valueKey
	reps                 []any // first value seen of each group
	hasString, hasNumber bool
	types                map[string]bool // Python type names, for the error text
}

func (g *grouped) typeList() string {
	names := make([]string, 0, len(g.types))
	for n := range g.types {
		names = append(names, "'"+n+"'")
	}
	slices.Sort(names)
	return "[" + strings.Join(names, ", ") + "]"
}

func groupValues(values []any) (*grouped, error) {
	g := &grouped{ids: make([]int32, len(values)), types: map[string]bool{}}
	index := make(map[valueKey]int32, 256)
	for i, v := range values {
		k, pyType, err := keyOf(v)
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
		g.types[pyType] = true
		switch k.kind {
		case kindString:
			g.hasString = true
		case kindNumber:
			g.hasNumber = true
		}
		id, ok := index[k]
		if !ok {
			id = int32(len(g.keys))
			index[k] = id
			g.keys = append(g.keys, k)
			g.reps = append(g.reps, v)
		}
		g.ids[i] = id
	}
	return g, nil
}

func keyOf(v any) (valueKey, string, error) {
	switch x := v.(type) {
	case nil:
		return valueKey{kind: kindNone}, "NoneType", nil
	case string:
		return valueKey{kind: kindString, s: x}, "str", nil
	case bool:
		if x {
			return valueKey{isInt: true, i: 1}, "bool", nil
		}
		return valueKey{isInt: true}, "bool", nil
	case int:
		return valueKey{isInt: true, i: int64(x)}, "int", nil
	case int8:
		return valueKey{isInt: true, i: int64(x)}, "int", nil
	case int16:
		return valueKey{isInt: true, i: int64(x)}, "int", nil
	case int32:
		return valueKey{isInt: true, i: int64(x)}, "int", nil
	case int64:
		return valueKey{isInt: true, i: x}, "int", nil
	case uint:
		return uintKey(uint64(x)), "int", nil
	case uint8:
		return uintKey(uint64(x)), "int", nil
	case uint16:
		return uintKey(uint64(x)), "int", nil
	case uint32:
		return uintKey(uint64(x)), "int", nil
	case uint64:
		return uintKey(x), "int", nil
	case float32:
		return floatKey(float64(x)), "float", nil
	case float64:
		return floatKey(x), "float", nil
	}
	return valueKey{}, "", fmt.Errorf("%w: unsupported value type %T; use strings or numbers", ErrInvalidInput, v)
}

func uintKey(u uint64) valueKey {
	if u <= math.MaxInt64 {
		return valueKey{isInt: true, i: int64(u)}
	}
	return valueKey{f: float64(u)} // beyond int64: compared as a float (rare)
}

func floatKey(f float64) valueKey {
	switch {
	case math.IsNaN(f):
		return valueKey{kind: kindNaN}
	case f == math.Trunc(f) && f >= -9.223372036854775808e18 && f < 9.223372036854775808e18:
		return valueKey{isInt: true, i: int64(f)} // 3.0 == 3; -0.0 == 0
	}
	return valueKey{f: f}
}
