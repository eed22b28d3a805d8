package kql

import (
	"strings"
	"unicode/utf8"
)

// Kusto's string predicates. "Case-insensitive" folds ASCII quickly and
// falls back to strings.ToLower for other text. A term is a run of
// alphanumeric characters (any non-ASCII character counts as one), so has
// "cmd" matches "C:\cmd.exe /c" but not "cmdline".

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= utf8.RuneSelf
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// foldPair returns hay and needle in a form where byte comparison after
// lowerASCII is a case-insensitive comparison.
func foldPair(hay, needle string) (string, string) {
	if isASCII(hay) && isASCII(needle) {
		return hay, needle
	}
	return strings.ToLower(hay), strings.ToLower(needle)
}

// indexFold finds needle in hay from byte offset from, ignoring ASCII case;
// both must have come through foldPair.
func indexFold(hay, needle string, from int) int {
	n := len(needle)
	if n == 0 {
		return from
	}
	first := lowerASCII(needle[0])
	for i := from; i+n <= len(hay); i++ {
		if lowerASCII(hay[i]) != first {
			continue
		}
		j := 1
		for j < n && lowerASCII(hay[i+j]) == lowerASCII(needle[j]) {
			j++
		}
		if j == n {
			return i
		}
	}
	return -1
}

func containsFold(hay, needle string) bool {
	hay, needle = foldPair(hay, needle)
	return indexFold(hay, needle, 0) >= 0
}

func hasPrefixFold(s, prefix string) bool {
	s, prefix = foldPair(s, prefix)
	return len(s) >= len(prefix) && indexFold(s[:len(prefix)], prefix, 0) == 0
}

func hasSuffixFold(s, suffix string) bool {
	s, suffix = foldPair(s, suffix)
	return len(s) >= len(suffix) && indexFold(s[len(s)-len(suffix):], suffix, 0) == 0
}

// termMatch reports whether needle occurs in hay with the required term
// boundaries: at its start (start) and/or its end (end). has needs both,
// hasprefix the start, hassuffix the end. A needle edge that is not
// alphanumeric is its own boundary.
func termMatch(hay, needle string, fold, start, end bool) bool {
	if needle == "" {
		return true
	}
	if fold {
		hay, needle = foldPair(hay, needle)
	}
	for i := 0; ; i++ {
		if fold {
			i = indexFold(hay, needle, i)
		} else if k := strings.Index(hay[i:], needle); k >= 0 {
			i += k
		} else {
			i = -1
		}
		if i < 0 {
			return false
		}
		j := i + len(needle)
		okStart := !start || i == 0 || !isAlnum(hay[i-1]) || !isAlnum(needle[0])
		okEnd := !end || j == len(hay) || !isAlnum(hay[j]) || !isAlnum(needle[len(needle)-1])
		if okStart && okEnd {
			return true
		}
	}
}

// stringPredicate returns the test for a binary string operator (without
// its "!" negation) and whether the operator is known.
func stringPredicate(op string) (func(hay, needle string) bool, bool) {
	switch op {
	case "has":
		return func(h, n string) bool { return termMatch(h, n, true, true, true) }, true
	case "has_cs":
		return func(h, n string) bool { return termMatch(h, n, false, true, true) }, true
	case "hasprefix":
		return func(h, n string) bool { return termMatch(h, n, true, true, false) }, true
	case "hasprefix_cs":
		return func(h, n string) bool { return termMatch(h, n, false, true, false) }, true
	case "hassuffix":
		return func(h, n string) bool { return termMatch(h, n, true, false, true) }, true
	case "hassuffix_cs":
		return func(h, n string) bool { return termMatch(h, n, false, false, true) }, true
	case "contains":
		return containsFold, true
	case "contains_cs":
		return strings.Contains, true
	case "startswith":
		return hasPrefixFold, true
	case "startswith_cs":
		return strings.HasPrefix, true
	case "endswith":
		return hasSuffixFold, true
	case "endswith_cs":
		return strings.HasSuffix, true
	case "=~":
		return strings.EqualFold, true
	}
	return nil, false
}
