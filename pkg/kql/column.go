package kql

import (
	"math"
	"time"
)

// column is one typed column. Values live in exactly one of the slices,
// chosen by the type's storage class, so that the evaluator reads int64,
// float64 and string directly instead of boxed interfaces:
//
//	i: bool (0/1), int, long, datetime and timespan (both in 100 ns ticks,
//	   datetimes counted from the Unix epoch, the resolution Kusto uses)
//	f: real
//	s: string, guid, dynamic (JSON text), decimal (text)
//
// null is nil while the column has no nulls, which keeps the common case
// free of a second slice. String columns never hold nulls: Kusto has no
// null string, a missing string is "".
type column struct {
	typ  Type
	i    []int64
	f    []float64
	s    []string
	null []bool
}

type storage uint8

const (
	stInt storage = iota
	stReal
	stStr
)

func storageOf(t Type) storage {
	switch t {
	case TypeBool, TypeInt, TypeLong, TypeDateTime, TypeTimespan:
		return stInt
	case TypeReal:
		return stReal
	default:
		return stStr
	}
}

func newColumn(t Type, capacity int) *column {
	c := &column{typ: t}
	switch storageOf(t) {
	case stInt:
		c.i = make([]int64, 0, capacity)
	case stReal:
		c.f = make([]float64, 0, capacity)
	default:
		c.s = make([]string, 0, capacity)
	}
	return c
}

func (c *column) len() int {
	switch storageOf(c.typ) {
	case stInt:
		return len(c.i)
	case stReal:
		return len(c.f)
	default:
		return len(c.s)
	}
}

func (c *column) grow(n int) {
	switch storageOf(c.typ) {
	case stInt:
		c.i = append(make([]int64, 0, len(c.i)+n), c.i...)
	case stReal:
		c.f = append(make([]float64, 0, len(c.f)+n), c.f...)
	default:
		c.s = append(make([]string, 0, len(c.s)+n), c.s...)
	}
	if c.null != nil {
		c.null = append(make([]bool, 0, len(c.null)+n), c.null...)
	}
}

func (c *column) isNull(r int) bool { return c.null != nil && c.null[r] }

func (c *column) setNull(r int) {
	if c.null == nil {
		c.null = make([]bool, c.len(), cap(c.i)+cap(c.f)+cap(c.s))
	}
	c.null[r] = true
}

// accepts reports whether appendAny can store v.
func (c *column) accepts(v any) bool {
	if v == nil {
		return true
	}
	switch c.typ {
	case TypeBool:
		_, ok := v.(bool)
		return ok
	case TypeInt, TypeLong:
		switch v.(type) {
		case int64, int:
			return true
		}
		return false
	case TypeReal:
		_, ok := v.(float64)
		return ok
	case TypeDateTime:
		_, ok := v.(time.Time)
		return ok
	case TypeTimespan:
		_, ok := v.(time.Duration)
		return ok
	default:
		_, ok := v.(string)
		return ok
	}
}

// appendAny appends a value already checked by accepts.
func (c *column) appendAny(v any) {
	if v == nil {
		c.appendValue(value{null: true})
		return
	}
	switch x := v.(type) {
	case bool:
		c.appendValue(boolValue(x))
	case int64:
		c.appendValue(value{i: x})
	case int:
		c.appendValue(value{i: int64(x)})
	case float64:
		c.appendValue(value{f: x})
	case string:
		c.appendValue(value{s: x})
	case time.Time:
		c.appendValue(value{i: timeToTicks(x)})
	case time.Duration:
		c.appendValue(value{i: durationToTicks(x)})
	}
}

// appendValue appends an evaluator value of the column's type.
func (c *column) appendValue(v value) {
	n := c.len()
	switch storageOf(c.typ) {
	case stInt:
		c.i = append(c.i, v.i)
	case stReal:
		c.f = append(c.f, v.f)
	default:
		c.s = append(c.s, v.s)
	}
	if c.null != nil {
		c.null = append(c.null, false)
	}
	if v.null && c.typ != TypeString {
		c.setNull(n)
	}
}

// get returns row r as an evaluator value.
func (c *column) get(r int) value {
	if c.null != nil && c.null[r] {
		return value{null: true}
	}
	switch storageOf(c.typ) {
	case stInt:
		return value{i: c.i[r]}
	case stReal:
		return value{f: c.f[r]}
	default:
		return value{s: c.s[r]}
	}
}

// valueAt returns row r as the public Go representation.
func (c *column) valueAt(r int) any {
	if c.isNull(r) {
		return nil
	}
	switch c.typ {
	case TypeBool:
		return c.i[r] != 0
	case TypeInt, TypeLong:
		return c.i[r]
	case TypeReal:
		return c.f[r]
	case TypeDateTime:
		return ticksToTime(c.i[r])
	case TypeTimespan:
		return ticksToDuration(c.i[r])
	default:
		return c.s[r]
	}
}

// gather returns a new column holding the rows of sel (all rows if sel is nil).
func (c *column) gather(sel []int32) *column {
	if sel == nil {
		return c
	}
	out := &column{typ: c.typ}
	switch storageOf(c.typ) {
	case stInt:
		out.i = make([]int64, len(sel))
		for k, r := range sel {
			out.i[k] = c.i[r]
		}
	case stReal:
		out.f = make([]float64, len(sel))
		for k, r := range sel {
			out.f[k] = c.f[r]
		}
	default:
		out.s = make([]string, len(sel))
		for k, r := range sel {
			out.s[k] = c.s[r]
		}
	}
	if c.null != nil {
		out.null = make([]bool, len(sel))
		for k, r := range sel {
			out.null[k] = c.null[r]
		}
	}
	return out
}

// clip returns a shallow copy of the first n rows whose slices have no
// spare capacity, so appending to it never writes into c's arrays.
func (c *column) clip(n int) *column {
	out := &column{typ: c.typ}
	switch storageOf(c.typ) {
	case stInt:
		out.i = c.i[:n:n]
	case stReal:
		out.f = c.f[:n:n]
	default:
		out.s = c.s[:n:n]
	}
	if c.null != nil {
		out.null = c.null[:n:n]
	}
	return out
}

const (
	ticksPerSecond = 10_000_000
	nsPerTick      = 100
)

// timeToTicks converts to 100 ns ticks since the Unix epoch.
func timeToTicks(t time.Time) int64 {
	return t.Unix()*ticksPerSecond + int64(t.Nanosecond()/nsPerTick)
}

func ticksToTime(v int64) time.Time {
	sec := floorDiv(v, ticksPerSecond)
	return time.Unix(sec, (v-sec*ticksPerSecond)*nsPerTick).UTC()
}

func durationToTicks(d time.Duration) int64 { return int64(d / nsPerTick) }

// ticksToDuration saturates where time.Duration (±292 years) is narrower
// than Kusto's timespan.
func ticksToDuration(v int64) time.Duration {
	if v > math.MaxInt64/nsPerTick {
		return math.MaxInt64
	}
	if v < math.MinInt64/nsPerTick {
		return math.MinInt64
	}
	return time.Duration(v * nsPerTick)
}

// floorDiv divides rounding toward negative infinity; b must be positive.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && (a < 0) {
		q--
	}
	return q
}
