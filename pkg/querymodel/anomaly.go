package querymodel

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
)

// Anomaly encodings.
const (
	// EncodingLabel is the notebook's LabelEncoder: sorted distinct values numbered 0..k-1.
	EncodingLabel = "label"
	// EncodingFrequency replaces a value by its count among the rows, so rare values are isolated.
	EncodingFrequency = "frequency"
)

// Outputs of an anomaly query.
const (
	OutputRows         = "rows"
	OutputAnomalies    = "anomalies"
	OutputTop          = "top"
	OutputCount        = "count"
	OutputCountByValue = "countByValue"
	OutputSeries       = "series"
)

// DefaultField is the notebook's field.
const DefaultField = "InitiatingProcessFileName"

// Anomaly holds an anomaly query's settings with the notebook's defaults.
type Anomaly struct {
	// Fields are the encoded columns: the notebook's one field, or several.
	Fields   []string
	Encoding string
	// Contamination is a share in (0, 0.5]; ContaminationAuto means scikit-learn's "auto" (offset -0.5).
	Contamination     float64
	ContaminationAuto bool
	NEstimators       int
	// MaxSamplesAuto is "auto" (min(256, n)); else MaxSamplesCount or MaxSamplesFraction is set.
	MaxSamplesAuto     bool
	MaxSamplesCount    int
	MaxSamplesFraction float64
	RandomState        int64
	Output             string
	TopN               int
	Search             *Search
}

func parseAnomaly(w *wire, check bool) (Anomaly, error) {
	a := Anomaly{
		Encoding: orDefault(w.Encoding, EncodingLabel), Contamination: 0.01, NEstimators: 100,
		MaxSamplesAuto: true, RandomState: 42, Output: orDefault(w.Output, OutputRows), TopN: 10, Search: w.Search,
	}
	for _, f := range w.Fields {
		if f = strings.TrimSpace(f); f != "" {
			a.Fields = append(a.Fields, f)
		}
	}
	if len(a.Fields) == 0 {
		a.Fields = []string{orDefault(w.Field, DefaultField)}
	}
	if !check {
		return a, nil
	}
	for _, f := range a.Fields {
		if f == "" {
			return a, invalid("field is empty: name the column to score, e.g. %q", DefaultField)
		}
	}
	switch a.Encoding {
	case EncodingLabel, EncodingFrequency:
	default:
		return a, invalid("encoding %q is not known: use %q (the notebook's LabelEncoder) or %q", a.Encoding, EncodingLabel, EncodingFrequency)
	}
	if err := parseContamination(w.Contamination, &a); err != nil {
		return a, err
	}
	n, err := intKey("nEstimators", w.NEstimators, 100, 1, 10000)
	if err != nil {
		return a, err
	}
	a.NEstimators = int(n)
	if err := parseMaxSamples(w.MaxSamples, &a); err != nil {
		return a, err
	}
	// numpy seeds RandomState with an integer in [0, 2^32 - 1].
	if a.RandomState, err = intKey("randomState", w.RandomState, 42, 0, math.MaxUint32); err != nil {
		return a, err
	}
	switch a.Output {
	case OutputRows, OutputAnomalies, OutputTop, OutputCount, OutputCountByValue, OutputSeries:
	default:
		return a, invalid("output %q is not known: use rows, anomalies, top, count, countByValue or series", a.Output)
	}
	topN, err := intKey("topN", w.TopN, 10, 1, 10000)
	if err != nil {
		return a, err
	}
	a.TopN = int(topN)
	if a.Search != nil && a.Search.Value != "" && strings.TrimSpace(a.Search.Column) == "" {
		return a, invalid("search needs a column: set search.column to the column to search in")
	}
	return a, nil
}

func isAbsent(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || bytes.Equal(t, []byte("null"))
}

func parseContamination(raw json.RawMessage, a *Anomaly) error {
	if isAbsent(raw) {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s == "auto" {
			a.ContaminationAuto = true
			return nil
		}
		return invalid("contamination %q is not valid: use \"auto\" or a number in (0, 0.5], e.g. 0.01", s)
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil || !(f > 0 && f <= 0.5) {
		return invalid("contamination %s is not valid: use \"auto\" or a number in (0, 0.5], e.g. 0.01", string(raw))
	}
	a.Contamination = f
	return nil
}

func parseMaxSamples(raw json.RawMessage, a *Anomaly) error {
	if isAbsent(raw) {
		return nil
	}
	const hint = `use "auto", a whole number of rows (e.g. 256) or a fraction in (0, 1]`
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s == "auto" {
			return nil
		}
		return invalid("maxSamples %q is not valid: %s", s, hint)
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil || f <= 0 || math.IsInf(f, 0) {
		return invalid("maxSamples %s is not valid: %s", string(raw), hint)
	}
	a.MaxSamplesAuto = false
	// scikit-learn reads an int as a row count and a float as a fraction; JSON has one number type, so
	// 1 means one row, and a number with a fractional part at most 1 is a fraction.
	if f == math.Trunc(f) && !bytes.ContainsAny(raw, ".eE") {
		a.MaxSamplesCount = int(f)
		return nil
	}
	if f > 1 {
		return invalid("maxSamples %s is not valid: %s", string(raw), hint)
	}
	a.MaxSamplesFraction = f
	return nil
}

// intKey reads a whole number in [lo, hi]; int64 so that randomState's 2^32-1 fits on 32-bit builds.
func intKey(name string, raw json.RawMessage, def, lo, hi int64) (int64, error) {
	if isAbsent(raw) {
		return def, nil
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil || f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		return 0, invalid("%s %s is not valid: use a whole number from %d to %d (default %d)", name, string(raw), lo, hi, def)
	}
	return int64(f), nil
}
