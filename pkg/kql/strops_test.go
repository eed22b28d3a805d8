package kql

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// TestStringPredicatesAgainstReference compares has, hasprefix, hassuffix,
// contains, startswith and endswith (case-insensitive and _cs) with
// independent regexp and strings implementations on random ASCII text.
func TestStringPredicatesAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "abAB1 .-_\\"
	word := func(n int, alnumEdges bool) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			c := alphabet[rng.IntN(len(alphabet))]
			if alnumEdges && (i == 0 || i == n-1) {
				c = "abAB1"[rng.IntN(5)]
			}
			b.WriteByte(c)
		}
		return b.String()
	}
	boundary := func(prefix, suffix bool, cs bool, needle string) *regexp.Regexp {
		re := regexp.QuoteMeta(needle)
		if prefix {
			re = `(^|[^a-zA-Z0-9])` + re
		}
		if suffix {
			re += `($|[^a-zA-Z0-9])`
		}
		if !cs {
			re = "(?i)" + re
		}
		return regexp.MustCompile(re)
	}
	for i := 0; i < 20000; i++ {
		hay, needle := word(rng.IntN(12), false), word(1+rng.IntN(3), true)
		low := strings.ToLower
		want := map[string]bool{
			"has":           boundary(true, true, false, needle).MatchString(hay),
			"has_cs":        boundary(true, true, true, needle).MatchString(hay),
			"hasprefix":     boundary(true, false, false, needle).MatchString(hay),
			"hassuffix":     boundary(false, true, false, needle).MatchString(hay),
			"contains":      strings.Contains(low(hay), low(needle)),
			"contains_cs":   strings.Contains(hay, needle),
			"startswith":    strings.HasPrefix(low(hay), low(needle)),
			"startswith_cs": strings.HasPrefix(hay, needle),
			"endswith":      strings.HasSuffix(low(hay), low(needle)),
			"endswith_cs":   strings.HasSuffix(hay, needle),
			"=~":            low(hay) == low(needle),
		}
		for op, w := range want {
			f, ok := stringPredicate(op)
			if !ok {
				t.Fatalf("no predicate for %s", op)
			}
			if got := f(hay, needle); got != w {
				t.Fatalf("%q %s %q = %v, want %v", hay, op, needle, got, w)
			}
		}
	}
}

func TestHasNonASCII(t *testing.T) {
	for _, tc := range []struct {
		hay, needle string
		want        bool
	}{
		{"Ünïcode Wörds", "wörds", true},
		{"Ünïcode Wörds", "wör", false},
		{"straße", "STRASSE", false}, // no full case folding
		{"C:\\Temp\\ps.exe", "PS.EXE", true},
		{"myps.exe", "ps.exe", false},
		{"a.b", ".b", true}, // a needle edge that is not alphanumeric is its own boundary
		{"abc", "", true},
	} {
		if got := termMatch(tc.hay, tc.needle, true, true, true); got != tc.want {
			t.Errorf("%q has %q = %v, want %v", tc.hay, tc.needle, got, tc.want)
		}
	}
}
