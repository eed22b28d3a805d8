package kql

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// datetimeLayouts are the forms datetime(...) and todatetime() accept: ISO
// 8601 with or without T, seconds, fraction and zone, or a bare date.
var datetimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04Z07:00",
	"2006-01-02 15:04",
	"2006-01-02T15Z07:00",
	"2006-01-02",
	time.RFC1123,
	time.RFC1123Z,
	"2006-01",
}

// parseDatetime parses a datetime literal body into ticks; ok is false if it
// is not a datetime. "null" gives a null datetime.
func parseDatetime(s string) (value, bool) {
	s = unquote(strings.TrimSpace(s))
	if s == "null" {
		return nullValue, true
	}
	for _, l := range datetimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return value{i: timeToTicks(t.UTC())}, true
		}
	}
	return value{}, false
}

// parseTimespan parses a timespan literal body: "1d", "1.5h", "2" (days),
// "[-][d.]hh:mm[:ss[.fffffff]]" or "null".
func parseTimespan(s string) (value, bool) {
	s = unquote(strings.TrimSpace(s))
	if s == "null" {
		return nullValue, true
	}
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	v, ok := parseTimespanAbs(s)
	if !ok {
		return value{}, false
	}
	if neg {
		v = -v
	}
	return value{i: v}, true
}

func parseTimespanAbs(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	if !strings.Contains(s, ":") {
		i := len(s)
		for i > 0 && (s[i-1] >= 'a' && s[i-1] <= 'z' || s[i-1] >= 'A' && s[i-1] <= 'Z') {
			i--
		}
		unit := 864e9 // a bare number counts days
		if i < len(s) {
			u, ok := timespanUnits[s[i:]]
			if !ok {
				return 0, false
			}
			unit = u
		}
		f, err := strconv.ParseFloat(s[:i], 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f*unit) > 9e18 {
			return 0, false
		}
		return int64(math.Round(f * unit)), true
	}
	var days int64
	if dot := strings.IndexByte(s, '.'); dot >= 0 && dot < strings.IndexByte(s, ':') {
		d, err := strconv.ParseInt(s[:dot], 10, 32)
		if err != nil {
			return 0, false
		}
		days, s = d, s[dot+1:]
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	h, err1 := strconv.ParseUint(parts[0], 10, 32)
	m, err2 := strconv.ParseUint(parts[1], 10, 32)
	if err1 != nil || err2 != nil || h > 23 && days > 0 || m > 59 {
		return 0, false
	}
	ticks := (days*24*3600 + int64(h)*3600 + int64(m)*60) * ticksPerSecond
	if len(parts) == 3 {
		sec, frac, _ := strings.Cut(parts[2], ".")
		sv, err := strconv.ParseUint(sec, 10, 32)
		if err != nil || sv > 59 {
			return 0, false
		}
		ticks += int64(sv) * ticksPerSecond
		if frac != "" {
			if len(frac) > 7 {
				frac = frac[:7]
			}
			fv, err := strconv.ParseUint(frac, 10, 32)
			if err != nil {
				return 0, false
			}
			for k := len(frac); k < 7; k++ {
				fv *= 10
			}
			ticks += int64(fv)
		}
	}
	return ticks, true
}

// parseTyped turns a typed literal "name(body)" into its type and value.
func parseTyped(text string) (Type, value, bool) {
	open := strings.IndexByte(text, '(')
	name, body := text[:open], strings.TrimSpace(text[open+1:len(text)-1])
	isNull := body == "null"
	switch name {
	case "datetime":
		v, ok := parseDatetime(body)
		return TypeDateTime, v, ok
	case "time", "timespan":
		v, ok := parseTimespan(body)
		return TypeTimespan, v, ok
	case "int", "long":
		t := TypeLong
		if name == "int" {
			t = TypeInt
		}
		if isNull {
			return t, nullValue, true
		}
		n, err := strconv.ParseInt(body, 0, 64)
		if t == TypeInt && (n > math.MaxInt32 || n < math.MinInt32) {
			err = strconv.ErrRange
		}
		return t, value{i: n}, err == nil
	case "real", "double":
		if isNull {
			return TypeReal, nullValue, true
		}
		f, ok := parseReal(body)
		return TypeReal, value{f: f}, ok
	case "bool", "boolean":
		switch body {
		case "null":
			return TypeBool, nullValue, true
		case "true", "1":
			return TypeBool, value{i: 1}, true
		case "false", "0":
			return TypeBool, value{}, true
		}
		return TypeBool, value{}, false
	case "guid":
		if isNull {
			return TypeGUID, nullValue, true
		}
		return TypeGUID, value{s: strings.ToLower(unquote(body))}, validGUID(unquote(body))
	case "decimal":
		if isNull {
			return TypeDecimal, nullValue, true
		}
		_, err := strconv.ParseFloat(body, 64)
		return TypeDecimal, value{s: body}, err == nil
	case "dynamic":
		if isNull {
			return TypeDynamic, nullValue, true
		}
		var b strings.Builder
		if err := compactJSON(&b, body); err != nil {
			return TypeDynamic, value{}, false
		}
		return TypeDynamic, value{s: b.String()}, true
	}
	return "", value{}, false
}

func compactJSON(b *strings.Builder, s string) error {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return err
	}
	out, err := json.Marshal(v)
	b.Write(out)
	return err
}

// parseReal accepts Kusto's real spellings including nan and ±inf.
func parseReal(s string) (float64, bool) {
	switch strings.ToLower(s) {
	case "nan":
		return math.NaN(), true
	case "inf", "+inf":
		return math.Inf(1), true
	case "-inf":
		return math.Inf(-1), true
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil || isRangeErr(err)
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func validGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
		} else if !(isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// unquote strips one level of matching quotes, as in datetime("2024-05-01").
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}
