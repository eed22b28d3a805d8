package kql

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// formatValue renders a value as tostring() does.
func formatValue(t Type, v value) string {
	if v.null {
		return ""
	}
	switch t {
	case TypeBool:
		if v.i != 0 {
			return "true"
		}
		return "false"
	case TypeInt, TypeLong:
		return strconv.FormatInt(v.i, 10)
	case TypeReal:
		return formatReal(v.f)
	case TypeDateTime:
		return formatDatetime(v.i)
	case TypeTimespan:
		return formatTimespan(v.i)
	case TypeDynamic:
		// A dynamic string converts to its text, anything else to JSON.
		if strings.HasPrefix(v.s, `"`) {
			var s string
			if json.Unmarshal([]byte(v.s), &s) == nil {
				return s
			}
		}
		return v.s
	default:
		return v.s
	}
}

func formatReal(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// formatDatetime gives ISO 8601 UTC with 7 fractional digits when the value
// has a fraction, as Kusto prints datetimes.
func formatDatetime(ticks int64) string {
	t := ticksToTime(ticks)
	if ticks%ticksPerSecond == 0 {
		return t.Format("2006-01-02T15:04:05Z")
	}
	return t.Format("2006-01-02T15:04:05.0000000Z")
}

// formatTimespan gives [-][d.]hh:mm:ss[.fffffff].
func formatTimespan(ticks int64) string {
	var b strings.Builder
	u := uint64(ticks)
	if ticks < 0 {
		b.WriteByte('-')
		u = uint64(-ticks) // also right for MinInt64 as uint64
	}
	frac := u % ticksPerSecond
	sec := u / ticksPerSecond
	days := sec / 86400
	sec %= 86400
	if days > 0 {
		b.WriteString(strconv.FormatUint(days, 10))
		b.WriteByte('.')
	}
	pad2 := func(n uint64) {
		b.WriteByte(byte('0' + n/10))
		b.WriteByte(byte('0' + n%10))
	}
	pad2(sec / 3600)
	b.WriteByte(':')
	pad2(sec / 60 % 60)
	b.WriteByte(':')
	pad2(sec % 60)
	if frac != 0 {
		s := strconv.FormatUint(frac, 10)
		b.WriteByte('.')
		b.WriteString(strings.Repeat("0", 7-len(s)))
		b.WriteString(s)
	}
	return b.String()
}

// appendJSON appends a value as a JSON element of a dynamic array.
func appendJSON(b []byte, t Type, v value) []byte {
	if v.null {
		return append(b, "null"...)
	}
	switch t {
	case TypeBool, TypeInt, TypeLong:
		return append(b, formatValue(t, v)...)
	case TypeReal:
		if math.IsNaN(v.f) || math.IsInf(v.f, 0) {
			return strconv.AppendQuote(b, formatReal(v.f))
		}
		return strconv.AppendFloat(b, v.f, 'g', -1, 64)
	case TypeDynamic:
		return append(b, v.s...)
	}
	return appendJSONString(b, formatValue(t, v))
}

// appendJSONString quotes s as JSON (strconv.Quote is Go syntax, not JSON).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			b = append(b, '\\', 'u', hex[r>>12&15], hex[r>>8&15], hex[r>>4&15], hex[r&15])
		case r == 0xFFFD:
			b = append(b, "\ufffd"...)
		default:
			b = append(b, string(r)...)
		}
	}
	return append(b, '"')
}
