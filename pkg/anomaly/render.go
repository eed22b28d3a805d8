package anomaly

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// timeLayout renders times as pandas prints a UTC timestamp, without the zone, so a search for
// "2026-11-27 10:" finds the rows of that hour.
const timeLayout = "2006-01-02 15:04:05.999999999"

// render returns the cell as text: strings as they are, numbers in decimal, bools as true/false,
// times in UTC with timeLayout, JSON as its text. ok is false for null (and NaN), which never
// matches a search and is never a pivot value. It is called once per distinct value.
func render(f *data.Field, row int) (s string, ok bool) {
	v, ok := f.ConcreteAt(row)
	if !ok {
		return "", false
	}
	switch x := v.(type) {
	case string:
		return x, true
	case time.Time:
		return x.UTC().Format(timeLayout), true
	case json.RawMessage:
		return string(x), true
	case float64:
		return formatFloat(x, 64)
	case float32:
		return formatFloat(float64(x), 32)
	case bool:
		return strconv.FormatBool(x), true
	}
	return fmt.Sprint(v), true
}

func formatFloat(v float64, bits int) (string, bool) {
	if v != v {
		return "", false
	}
	return strconv.FormatFloat(v, 'g', -1, bits), true
}

// containsFold reports whether sub is within s, comparing runes under Unicode simple case
// folding (what strings.EqualFold does), without lowering copies of either string.
func containsFold(s, sub string) bool {
	if sub == "" {
		return true
	}
	for i := 0; i < len(s); {
		if hasPrefixFold(s[i:], sub) {
			return true
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	for prefix != "" {
		if s == "" {
			return false
		}
		if a, b := s[0], prefix[0]; a < utf8.RuneSelf && b < utf8.RuneSelf {
			if lowerASCII(a) != lowerASCII(b) {
				return false
			}
			s, prefix = s[1:], prefix[1:]
			continue
		}
		r1, n1 := utf8.DecodeRuneInString(s)
		r2, n2 := utf8.DecodeRuneInString(prefix)
		if !equalFoldRune(r1, r2) {
			return false
		}
		s, prefix = s[n1:], prefix[n2:]
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFoldRune walks r1's case-folding orbit (k, K and the Kelvin sign are one orbit).
func equalFoldRune(r1, r2 rune) bool {
	if r1 == r2 {
		return true
	}
	for r := unicode.SimpleFold(r1); r != r1; r = unicode.SimpleFold(r) {
		if r == r2 {
			return true
		}
	}
	return false
}
