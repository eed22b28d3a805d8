package parity

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
)

// typed is how a value travels to the oracle without JSON losing its type:
// ["s", text], ["i", int], ["f", hex float], ["b", bool], ["none"], ["nan"].
func typed(v any) []any {
	switch x := v.(type) {
	case nil:
		return []any{"none"}
	case string:
		return []any{"s", x}
	case int:
		return []any{"i", x}
	case bool:
		return []any{"b", x}
	case float64:
		if math.IsNaN(x) {
			return []any{"nan"}
		}
		return []any{"f", strconv.FormatFloat(x, 'x', -1, 64)}
	}
	panic("unsupported test value")
}

// TestLabelEncoderParity compares LabelEncode with LabelEncoder on object
// arrays: ordering, missing values and the mixed-type error text.
func TestLabelEncoderParity(t *testing.T) {
	requireOracle(t)
	nan := math.NaN()
	cases := map[string][]any{
		"strings":           {"b", "a", "10", "9", "B", "é", "a", "", " "},
		"strings_none":      {"x", nil, "a", nil},
		"strings_none_nan":  {nan, "x", nil, "a", nan},
		"ints":              {10, -3, 7, 7, 0},
		"floats_ints":       {2.5, 1, 1.0, -0.5, true, false},
		"numbers_nan_none":  {3, nan, nil, 1.5, nan},
		"mixed":             {"a", 1},
		"mixed_float_none":  {2.5, "a", nil},
		"mixed_bool_string": {true, "a"},
	}
	var manifest []map[string]any
	for name, vals := range cases {
		tv := make([]any, len(vals))
		for i, v := range vals {
			tv[i] = typed(v)
		}
		manifest = append(manifest, map[string]any{"name": name, "kind": "encode", "values": tv})
	}
	res := runOracle(t, manifest)
	for name, vals := range cases {
		var want struct {
			Codes []int64 `json:"codes"`
			Error string  `json:"error"`
		}
		if err := json.Unmarshal(res.Cases[name], &want); err != nil {
			t.Fatal(err)
		}
		codes, _, err := iforest.LabelEncode(vals)
		if want.Error != "" {
			if err == nil || !strings.HasSuffix(err.Error(), want.Error) {
				t.Errorf("%s: error %v, scikit-learn TypeError %q", name, err, want.Error)
			}
			continue
		}
		if err != nil || !slices.Equal(codes, want.Codes) {
			t.Errorf("%s: codes %v (%v), scikit-learn %v", name, codes, err, want.Codes)
		}
	}
}

// TestNumpyMathParity checks c(n) against scikit-learn's
// _average_path_length (exact for n <= 256, where the table is used) and
// reports how often Exp2 and c(n > 256) differ from numpy in the last bit.
func TestNumpyMathParity(t *testing.T) {
	requireOracle(t)
	const nPath = 5000
	var xs []string
	var xv []float64
	r := rng(77)
	for i := 0; i < 20000; i++ {
		x := r.Float64() * 2
		xv = append(xv, x)
		xs = append(xs, strconv.FormatFloat(x, 'x', -1, 64))
	}
	res := runOracle(t, []map[string]any{
		{"name": "path", "kind": "pathlength", "n": nPath},
		{"name": "pow", "kind": "pow", "x": xs},
	})
	var path, pow struct {
		Values []string `json:"values"`
	}
	if err := json.Unmarshal(res.Cases["path"], &path); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(res.Cases["pow"], &pow); err != nil {
		t.Fatal(err)
	}
	above := 0
	for n, h := range path.Values {
		want := fromHex(t, h)
		got := iforest.AveragePathLength(n)
		if n <= 256 && math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("c(%d) = %x, scikit-learn %x", n, got, want)
		}
		if n > 256 && got != want {
			above++
			if math.Abs(got-want) > 1e-15*want {
				t.Errorf("c(%d) = %x, scikit-learn %x: beyond 1e-15 relative", n, got, want)
			}
		}
	}
	powDiff := 0
	for i, h := range pow.Values {
		want := fromHex(t, h)
		got := iforest.Exp2(-xv[i])
		if got != want {
			powDiff++
			if math.Abs(got-want) > 2.3e-16*want {
				t.Errorf("2**-%v = %x, numpy %x: more than an ulp apart", xv[i], got, want)
			}
		}
	}
	t.Logf("numpy %s: c(n) for 257 <= n < %d: %d of %d differ in the last bits; 2**-x on %d inputs in (0, 2): %d differ by one ulp",
		res.Numpy, nPath, above, nPath-257, len(xv), powDiff)

	// Diagnostic: the same inputs with numpy's AVX512 loops disabled, so
	// that np.power falls back to the C library's pow.
	plain := runOracleEnv(t, []string{"NPY_DISABLE_CPU_FEATURES=AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL"},
		[]map[string]any{{"name": "pow", "kind": "pow", "x": xs}})
	var plainPow struct {
		Values []string `json:"values"`
	}
	if err := json.Unmarshal(plain.Cases["pow"], &plainPow); err != nil {
		t.Fatal(err)
	}
	plainDiff := 0
	for i, h := range plainPow.Values {
		if fromHex(t, h) != iforest.Exp2(-xv[i]) {
			plainDiff++
		}
	}
	t.Logf("with numpy's AVX512 loops disabled (C library pow): 2**-x differs on %d of %d inputs", plainDiff, len(xv))
}
