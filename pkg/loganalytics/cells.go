package loganalytics

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Cell parsers: each reads one non-null raw JSON cell. Numbers are accepted
// as JSON numbers or, as older payloads send them, as strings.

var errNotString = errors.New("expected a JSON string")

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// text returns a JSON string's value, or the raw JSON text of anything else.
func text(raw json.RawMessage) (string, bool, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) >= 2 && raw[0] == '"' && bytes.IndexByte(raw, '\\') < 0 {
		// The common case, a string without escapes, needs no decoder;
		// invalid UTF-8 becomes U+FFFD as encoding/json would make it.
		s := string(raw[1 : len(raw)-1])
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
		return s, true, nil
	}
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", true, err
		}
		return s, true, nil
	}
	return string(raw), false, nil
}

func parseString(raw json.RawMessage) (string, error) {
	s, _, err := text(raw)
	return s, err
}

// parseDynamic returns the JSON text of a dynamic cell. The service sends it
// as a JSON-encoded string; a cell sent as a plain JSON value is compacted.
func parseDynamic(raw json.RawMessage) (string, error) {
	s, quoted, err := text(raw)
	if err != nil || quoted {
		return s, err
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return "", err
	}
	return b.String(), nil
}

func parseInt64(raw json.RawMessage) (int64, error) {
	s, _, err := text(raw)
	if err != nil {
		return 0, err
	}
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	// Integral values written as 12.0 or 1e3 are still exact integers.
	r, ok := new(big.Rat).SetString(s)
	if !ok || !r.IsInt() || !r.Num().IsInt64() {
		return 0, fmt.Errorf("not an integer in the range of a 64-bit long")
	}
	return r.Num().Int64(), nil
}

func parseInt32(raw json.RawMessage) (int32, error) {
	n, err := parseInt64(raw)
	if err != nil {
		return 0, err
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		return 0, fmt.Errorf("%d is outside the range of a 32-bit int", n)
	}
	return int32(n), nil
}

// parseFloat reads real and decimal cells, including the strings "NaN",
// "Infinity" and "-Infinity" the service uses for non-finite reals.
func parseFloat(raw json.RawMessage) (float64, error) {
	s, _, err := text(raw)
	if err != nil {
		return 0, err
	}
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

func parseBool(raw json.RawMessage) (bool, error) {
	s, _, err := text(raw)
	if err != nil {
		return false, err
	}
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		return false, fmt.Errorf("not a bool")
	}
	return b, nil
}

// parseTime reads an ISO 8601 datetime (the service writes UTC with Z and
// 0-7 fractional digits); a value without a zone is taken as UTC.
func parseTime(raw json.RawMessage) (time.Time, error) {
	s, quoted, err := text(raw)
	if err != nil {
		return time.Time{}, err
	}
	if !quoted {
		return time.Time{}, errNotString
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse("2006-01-02T15:04:05.999999999", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("not an ISO 8601 datetime")
	}
	return t, nil
}
