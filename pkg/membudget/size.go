package membudget

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// EnvVar is the plugin process's environment variable that sizes its result budget.
const EnvVar = "KQLHUNT_MAX_RESULT_MEMORY"

// DefaultLimit is the budget when EnvVar is unset: 1 GiB of decoded results at once, about
// 6 million cells of a typical Sentinel projection (see pkg/loganalytics' per-cell estimate), or
// a dozen 500,000-row answers of the notebook's seven columns.
const DefaultLimit = 1 << 30

// minLimit keeps a typo such as "1" (one byte) from making every query fail.
const minLimit = 1 << 20

var units = []struct {
	suffix string
	scale  int64
}{
	// Longest suffixes first, so "KiB" is not read as "K" followed by "iB".
	{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"TIB", 1 << 40},
	{"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"TB", 1 << 40},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40},
	{"B", 1},
}

// ParseSize reads a byte count: a whole number of bytes, or a number (decimals allowed) with a
// suffix K, M, G, T, KB, MB, GB, TB, KiB, MiB, GiB or TiB, case-insensitive, all powers of 1024
// (as Grafana's and Kubernetes' memory settings are read in practice). Examples: 1073741824,
// 1GiB, 512M, 1.5G.
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	scale := int64(1)
	for _, u := range units {
		if num, ok := strings.CutSuffix(t, u.suffix); ok {
			t, scale = strings.TrimSpace(num), u.scale
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || t == "" || strings.ContainsAny(t, "xXpP_") || math.IsNaN(f) {
		return 0, fmt.Errorf("%q is not a size: write bytes, or a number with K, M, G, KiB, MiB or GiB, e.g. 1GiB", s)
	}
	v := f * float64(scale)
	if v < 1 || v >= math.MaxInt64 {
		return 0, fmt.Errorf("%q is out of range: write a size from 1MiB to a few GiB, e.g. 1GiB", s)
	}
	return int64(v), nil
}

// FromEnv sizes the process's budget from EnvVar (lookup is os.LookupEnv in the plugin):
// DefaultLimit when unset or empty. A value that is not a size, or below 1 MiB, is an error that
// names the variable, for the plugin to report at startup rather than run with a limit the
// admin did not ask for.
func FromEnv(lookup func(string) (string, bool)) (*Budget, error) {
	limit := int64(DefaultLimit)
	if v, ok := lookup(EnvVar); ok && strings.TrimSpace(v) != "" {
		n, err := ParseSize(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", EnvVar, err)
		}
		if n < minLimit {
			return nil, fmt.Errorf("%s=%s is below the smallest budget, 1MiB: every query would fail", EnvVar, v)
		}
		limit = n
	}
	return New(limit)
}

// FormatSize writes n bytes for messages, to two decimals at most: 1 GiB, 512 MiB, 1.5 GiB,
// 300 KiB, 12 bytes.
func FormatSize(n int64) string {
	for _, u := range []struct {
		name  string
		scale int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.scale {
			x := math.Round(float64(n)/float64(u.scale)*100) / 100
			return strconv.FormatFloat(x, 'f', -1, 64) + " " + u.name
		}
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
