package parity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
)

// params are the IsolationForest arguments of a case, in scikit-learn's
// names so the same map feeds the oracle.
type params struct {
	NEstimators   int     `json:"n_estimators"`
	MaxSamples    any     `json:"max_samples"` // "auto", int or float
	Contamination any     `json:"contamination"`
	MaxFeatures   float64 `json:"max_features"`
	RandomState   int64   `json:"random_state"`
	// Canonical fits scikit-learn on the frame stably sorted by its
	// columns, and the Go forest with RowOrder Canonical.
	Canonical bool `json:"canonical,omitempty"`
}

func notebook() params {
	return params{NEstimators: 100, MaxSamples: "auto", Contamination: 0.01, MaxFeatures: 1.0, RandomState: 42}
}

func (p params) config(workers int) iforest.Config {
	c := iforest.DefaultConfig()
	c.NEstimators, c.MaxFeatures, c.RandomState, c.Workers = p.NEstimators, p.MaxFeatures, p.RandomState, workers
	if p.Canonical {
		c.RowOrder = iforest.Canonical
	}
	switch v := p.MaxSamples.(type) {
	case int:
		c.MaxSamples = iforest.MaxSamplesCount(v)
	case float64:
		c.MaxSamples = iforest.MaxSamplesFraction(v)
	}
	switch v := p.Contamination.(type) {
	case string:
		c.Contamination = iforest.ContaminationAuto()
	case float64:
		c.Contamination = iforest.ContaminationFraction(v)
	}
	return c
}

// inShort lists the cases run under -short: still every sampling method
// (reservoir with and without draws, permutation, tracking selection),
// label and float data, and feature subsampling.
var inShort = map[string]bool{
	"n200_uniform12": true, "n257_zipf40_reservoir": true, "n259_permutation": true,
	"n25600_tracking_ratio_exactly_0.01": true, "n1000_one_value_auto": true,
	"float2_n2000": true, "three_fields_n2000_maxfeatures0.67": true, "float2_n500_extremes": true, "float2_n300_seed12519_impurity_stop": true, "float4_n300_maxfeatures0.5": true,
}

// canonicalNames are the cases also run in canonical order (and from
// counts): every sampling regime (reservoir without and with draws,
// permutation, tracking selection), one and several fields, a fraction,
// max_samples above n, signed zeros, and one value.
var canonicalNames = map[string]bool{
	"n200_uniform12": true, "n257_zipf40_reservoir": true, "n259_permutation": true, "n5000_zipf300": true,
	"n25600_tracking_ratio_exactly_0.01": true, "n4000_fraction0.05": true, "n150_maxsamples_above_n": true,
	"n1000_one_value_auto": true, "two_fields_n26000_tracking": true, "three_fields_n2000_maxfeatures0.67": true,
	"float2_n500_extremes": true, "float4_n1000_constant_and_few_values": true,
}

// canonicalOf returns the cases of canonicalNames again, fitted in
// canonical order.
func canonicalOf[C any](cases []C, name func(*C) *string, p func(*C) *params) []C {
	var out []C
	for _, c := range cases {
		if canonicalNames[*name(&c)] {
			*name(&c) += "_canonical"
			p(&c).Canonical = true
			out = append(out, c)
		}
	}
	return out
}

// labelCase is a notebook run on one string column (nil = null).
type labelCase struct {
	name   string
	values []*string
	p      params
}

// floatCase is IsolationForest on float features.
type floatCase struct {
	name string
	rows [][]float64
	p    params
}

func rng(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x6b716c68756e74)) }

// processNames are label texts chosen to exercise code-point ordering
// (digits, upper case, lower case, non-ASCII).
func processName(i int) string {
	switch i % 5 {
	case 0:
		return fmt.Sprintf("proc%d.exe", i)
	case 1:
		return fmt.Sprintf("Svc_%03d.EXE", i)
	case 2:
		return strconv.Itoa(i * 7)
	case 3:
		return fmt.Sprintf("ñame-%d", i)
	}
	return fmt.Sprintf("a%d", i)
}

// zipfLabels draws n labels over k values with P(i) ~ 1/(i+1)^s.
func zipfLabels(seed uint64, n, k int, s float64, nullShare float64) []*string {
	r := rng(seed)
	cum := make([]float64, k)
	total := 0.0
	for i := range cum {
		total += 1 / math.Pow(float64(i+1), s)
		cum[i] = total
	}
	names := make([]string, k)
	for i := range names {
		names[i] = processName(i)
	}
	out := make([]*string, n)
	for i := range out {
		if r.Float64() < nullShare {
			continue
		}
		u := r.Float64() * total
		j := 0
		for cum[j] < u {
			j++
		}
		out[i] = &names[j]
	}
	return out
}

func uniformLabels(seed uint64, n, k int) []*string {
	r := rng(seed)
	names := make([]string, k)
	for i := range names {
		names[i] = processName(i)
	}
	out := make([]*string, n)
	for i := range out {
		out[i] = &names[r.IntN(k)]
	}
	return out
}

// gaussRows draws n rows of d features around 0 with a few far outliers;
// round > 0 rounds values to that many decimals, creating duplicates.
func gaussRows(seed uint64, n, d int, round int) [][]float64 {
	r := rng(seed)
	out := make([][]float64, n)
	for i := range out {
		row := make([]float64, d)
		for j := range row {
			v := r.NormFloat64() * float64(j+1)
			if r.IntN(100) == 0 {
				v += 12 * float64(j+1)
			}
			if round > 0 {
				p := math.Pow(10, float64(round))
				v = math.Round(v*p) / p
			}
			row[j] = v
		}
		out[i] = row
	}
	return out
}

// pcgNormRows is n rows of d standard normal values drawn in sequence from
// PCG(s1, s2).
func pcgNormRows(s1, s2 uint64, n, d int) [][]float64 {
	r := rand.New(rand.NewPCG(s1, s2))
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, d)
		for j := range out[i] {
			out[i][j] = r.NormFloat64()
		}
	}
	return out
}

func labelCases() []labelCase {
	nb := notebook()
	with := func(f func(*params)) params { p := notebook(); f(&p); return p }
	return []labelCase{
		{"n200_uniform12", uniformLabels(1, 200, 12), nb},
		{"n257_zipf40_reservoir", zipfLabels(2, 257, 40, 1.1, 0), with(func(p *params) { p.Contamination = 0.05; p.RandomState = 7 })},
		{"n258_zipf_auto", zipfLabels(3, 258, 60, 1.0, 0.02), with(func(p *params) { p.Contamination = "auto" })},
		{"n259_permutation", zipfLabels(4, 259, 30, 1.2, 0), with(func(p *params) { p.Contamination = 0.1 })},
		{"n5000_zipf300", zipfLabels(5, 5000, 300, 1.1, 0.01), nb},
		{"n25599_permutation", zipfLabels(6, 25599, 300, 1.1, 0), with(func(p *params) { p.RandomState = 123; p.Contamination = 0.02 })},
		{"n25600_tracking_ratio_exactly_0.01", zipfLabels(7, 25600, 300, 1.1, 0), nb},
		{"n27000_zipf300_tracking", zipfLabels(8, 27000, 300, 1.1, 0.005), nb},
		{"n26000_three_values", uniformLabels(9, 26000, 3), with(func(p *params) { p.Contamination = 0.2; p.RandomState = 99 })},
		{"n3000_uniform_maxsamples100", uniformLabels(10, 3000, 500), with(func(p *params) { p.MaxSamples = 100; p.Contamination = 0.03 })},
		{"n4000_fraction0.05", zipfLabels(11, 4000, 200, 0.9, 0), with(func(p *params) { p.MaxSamples = 0.05 })},
		{"n150_maxsamples_above_n", zipfLabels(12, 150, 20, 1.0, 0), with(func(p *params) { p.MaxSamples = 300; p.Contamination = 0.1 })},
		{"n2000_37trees_seed_max", zipfLabels(13, 2000, 100, 1.3, 0), with(func(p *params) { p.NEstimators = 37; p.RandomState = 1<<32 - 1; p.Contamination = 0.5 })},
		{"n5000_maxsamples1000", zipfLabels(14, 5000, 400, 1.0, 0), with(func(p *params) { p.MaxSamples = 1000; p.Contamination = 0.015 })},
		{"n1000_one_value", uniformLabels(15, 1000, 1), nb},
		{"n1000_one_value_auto", uniformLabels(15, 1000, 1), with(func(p *params) { p.Contamination = "auto" })},
	}
}

// multiCase is the notebook on several fields at once.
type multiCase struct {
	name    string
	columns [][]*string
	p       params
}

func multiCases() []multiCase {
	return []multiCase{
		{"two_fields_n26000_tracking", [][]*string{zipfLabels(40, 26000, 300, 1.1, 0.01), uniformLabels(41, 26000, 7)},
			params{100, "auto", 0.01, 1.0, 42, false}},
		{"three_fields_n2000_maxfeatures0.67", [][]*string{zipfLabels(42, 2000, 50, 1.0, 0), zipfLabels(43, 2000, 20, 1.5, 0.05), uniformLabels(44, 2000, 3)},
			params{100, "auto", 0.05, 0.67, 77, false}},
	}
}

// extremeRows mixes float32's largest finite values, subnormals, signed
// zeros and values that round together in float32.
func extremeRows(n int) [][]float64 {
	r := rng(45)
	specials := []float64{3.4e38, -3.4e38, 1e-40, -1e-45, 0, math.Copysign(0, -1), 1 + 1e-9, 1, 16777217, 16777216}
	out := make([][]float64, n)
	for i := range out {
		out[i] = []float64{specials[r.IntN(len(specials))], r.NormFloat64()}
		if i%3 == 0 {
			out[i][1] = specials[r.IntN(len(specials))]
		}
	}
	return out
}

func floatCases() []floatCase {
	constantCol := gaussRows(21, 1000, 4, 1)
	for i, row := range constantCol {
		row[1] = 3.5            // constant feature
		row[2] = float64(i % 3) // few values
	}
	return []floatCase{
		{"float2_n2000", gaussRows(16, 2000, 2, 0), params{100, "auto", 0.02, 1.0, 3, false}},
		{"float3_n26000_rounded_tracking_auto", gaussRows(17, 26000, 3, 1), params{100, "auto", "auto", 1.0, 42, false}},
		{"float4_n300_maxfeatures0.5", gaussRows(18, 300, 4, 0), params{60, "auto", 0.05, 0.5, 5, false}},
		{"float4_n1000_constant_and_few_values", constantCol, params{100, 128, 0.04, 1.0, 11, false}},
		{"float4_n500_maxfeatures0.25_fraction", gaussRows(19, 500, 4, 2), params{50, 0.5, 0.1, 0.25, 2024, false}},
		// A seed found by scanning random_state 0..~30,000 on this data: two nodes
		// become leaves only because fit's random y has (near) zero impurity
		// there (ImpurityStops() == 2); without that rule the trees differ.
		{"float2_n300_seed12519_impurity_stop", pcgNormRows(31, 32, 300, 2), params{100, "auto", 0.01, 1.0, 12519, false}},
		{"float2_n500_extremes", extremeRows(500), params{100, "auto", 0.1, 1.0, 6, false}},
		// max_samples 5000: max_depth 13, scored by walking nodes, not the perfect layout.
		{"float2_n8000_maxsamples5000_deep", gaussRows(20, 8000, 2, 0), params{30, 5000, 0.01, 1.0, 8, false}},
	}
}
