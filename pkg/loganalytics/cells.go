package loganalytics

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Cell parsers. Each reads one non-null cell from its raw JSON bytes (a slice of the scanner's
// buffer) by its column's type. Numbers are accepted as JSON numbers or, as older payloads send
// them, as strings. The common forms take a fast path that allocates nothing (a JSON integer, a
// datetime in the service's own format); everything else goes through the *Text functions, which
// are the rules: the fast paths must agree with them (FuzzDecodeMatchesReference and
// FuzzCellFastPaths check that).

var errNotString = errors.New("expected a JSON string")

// cellText is a cell's text: a string's value (escapes resolved), or the raw JSON of anything
// else; quoted says which. It is valid until the scanner's next call.
func cellText(s *scanner, raw []byte, k valueKind, f strFlags) (text []byte, quoted bool) {
	if k == kindString {
		return s.unquote(raw, f), true
	}
	return raw, false
}

func parseInt64Cell(s *scanner, raw []byte, k valueKind, f strFlags) (int64, error) {
	if k == kindNumber {
		if n, ok := atoiFast(raw); ok {
			return n, nil
		}
	}
	t, _ := cellText(s, raw, k, f)
	return parseInt64Text(string(t))
}

// atoiFast reads -?[0-9]{1,18}, which cannot overflow an int64.
func atoiFast(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// parseInt64Text reads a long: an integer, or an integral value written as 12.0 or 1e3.
func parseInt64Text(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || !r.IsInt() || !r.Num().IsInt64() {
		return 0, fmt.Errorf("not an integer in the range of a 64-bit long")
	}
	return r.Num().Int64(), nil
}

func parseInt32Cell(s *scanner, raw []byte, k valueKind, f strFlags) (int32, error) {
	n, err := parseInt64Cell(s, raw, k, f)
	if err != nil {
		return 0, err
	}
	return int32Range(n)
}

func int32Range(n int64) (int32, error) {
	if n < math.MinInt32 || n > math.MaxInt32 {
		return 0, fmt.Errorf("%d is outside the range of a 32-bit int", n)
	}
	return int32(n), nil
}

func parseFloatCell(s *scanner, raw []byte, k valueKind, f strFlags) (float64, error) {
	if k == kindNumber {
		// A JSON number is always a valid ParseFloat input; only overflow can fail.
		if v, err := strconv.ParseFloat(string(raw), 64); err == nil {
			return v, nil
		}
	}
	t, _ := cellText(s, raw, k, f)
	return parseFloatText(string(t))
}

// parseFloatText reads real and decimal cells, including the strings "NaN", "Infinity" and
// "-Infinity" the service uses for non-finite reals.
func parseFloatText(s string) (float64, error) {
	switch s = strings.TrimSpace(s); s {
	case "NaN":
		return math.NaN(), nil
	case "Infinity", "+Infinity":
		return math.Inf(1), nil
	case "-Infinity":
		return math.Inf(-1), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("not a finite number")
	}
	return f, nil
}

func parseBoolCell(s *scanner, raw []byte, k valueKind, f strFlags) (bool, error) {
	switch k {
	case kindTrue:
		return true, nil
	case kindFalse:
		return false, nil
	}
	t, _ := cellText(s, raw, k, f)
	return parseBoolText(string(t))
}

func parseBoolText(s string) (bool, error) {
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		return false, fmt.Errorf("not a bool")
	}
	return b, nil
}

func parseTimeCell(s *scanner, raw []byte, k valueKind, f strFlags) (time.Time, error) {
	if k != kindString {
		return time.Time{}, errNotString
	}
	t := s.unquote(raw, f)
	if v, ok := timeFast(t); ok {
		return v, nil
	}
	return parseTimeText(string(t))
}

// parseTimeText reads an ISO 8601 datetime (the service writes UTC with Z and 0-7 fractional
// digits); a value without a zone is taken as UTC.
func parseTimeText(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse("2006-01-02T15:04:05.999999999", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("not an ISO 8601 datetime")
	}
	return t, nil
}

// timeFast reads the service's own form, YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z, without allocating; it
// reports false for anything else (including out-of-range fields), which parseTimeText then
// judges.
func timeFast(b []byte) (time.Time, bool) {
	if len(b) < 20 || b[len(b)-1] != 'Z' || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	num := func(p []byte) (int, bool) {
		n := 0
		for _, c := range p {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	year, ok1 := num(b[0:4])
	month, ok2 := num(b[5:7])
	day, ok3 := num(b[8:10])
	hour, ok4 := num(b[11:13])
	minute, ok5 := num(b[14:16])
	sec, ok6 := num(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	nsec := 0
	if frac := b[19 : len(b)-1]; len(frac) > 0 {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return time.Time{}, false
		}
		n, ok := num(frac[1:])
		if !ok {
			return time.Time{}, false
		}
		for range 10 - len(frac) {
			n *= 10
		}
		nsec = n
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if t.Day() != day { // Feb 30 and the like: time.Parse refuses them
		return time.Time{}, false
	}
	return t, true
}
