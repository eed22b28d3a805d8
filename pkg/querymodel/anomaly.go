package querymodel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/kqlhunt/anomaly-datasource/pkg/anomaly"
	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
)

// parseAnomaly reads the anomaly keys onto the notebook's options (anomaly.NotebookOptions), the
// one place their defaults live. It checks only the JSON's form (a number where a number is
// expected); ranges and names are checked by Options.Validate, their owner.
func parseAnomaly(w *wire) (anomaly.Options, error) {
	a := anomaly.NotebookOptions()
	// An empty name is kept for Options.Validate to report (as the editor does): dropped, it would
	// score fewer fields than the query lists, without a word.
	var fields []string
	for _, f := range w.Fields {
		fields = append(fields, strings.TrimSpace(f))
	}
	if len(fields) == 0 && w.Field != nil {
		fields = []string{strings.TrimSpace(*w.Field)}
	}
	if len(fields) > 0 {
		a.Fields = fields
	}
	if w.Encoding != nil {
		a.Encoding = strings.TrimSpace(*w.Encoding)
	}
	if w.Output != nil {
		a.Output = strings.TrimSpace(*w.Output)
	}
	if w.Search != nil {
		a.Search = &anomaly.Search{Column: strings.TrimSpace(w.Search.Column), Value: w.Search.Value, Mode: strings.TrimSpace(w.Search.Mode)}
	}
	if w.RowOrder != nil {
		order, ok := anomaly.RowOrders[strings.TrimSpace(*w.RowOrder)]
		if !ok {
			return a, invalid("rowOrder %q is not known: use %q (the answer does not depend on the order the rows arrive in) or %q (scikit-learn's answer on the rows as returned)", strings.TrimSpace(*w.RowOrder), anomaly.RowOrderCanonical, anomaly.RowOrderAsReturned)
		}
		a.Forest.RowOrder = order
	}
	if err := parseContamination(w.Contamination, &a.Forest); err != nil {
		return a, err
	}
	if err := parseMaxSamples(w.MaxSamples, &a.Forest); err != nil {
		return a, err
	}
	var err error
	if a.Forest.NEstimators, err = wholeNumber("nEstimators", w.NEstimators, a.Forest.NEstimators); err != nil {
		return a, err
	}
	seed, err := wholeNumber("randomState", w.RandomState, int(a.Forest.RandomState))
	if err != nil {
		return a, err
	}
	a.Forest.RandomState = int64(seed)
	if a.TopN, err = wholeNumber("topN", w.TopN, a.TopN); err != nil {
		return a, err
	}
	return a, nil
}

func isAbsent(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || bytes.Equal(t, []byte("null"))
}

// parseContamination reads "auto" or a number.
func parseContamination(raw json.RawMessage, f *iforest.Config) error {
	if isAbsent(raw) {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s == "auto" {
			f.Contamination = iforest.ContaminationAuto()
			return nil
		}
		return invalid("contamination %q is not valid: use \"auto\" or a number in (0, %v], e.g. 0.01", s, iforest.MaxContamination)
	}
	var v float64
	if err := json.Unmarshal(raw, &v); err != nil {
		return invalid("contamination %s is not valid: use \"auto\" or a number in (0, %v], e.g. 0.01", string(raw), iforest.MaxContamination)
	}
	f.Contamination = iforest.ContaminationFraction(v)
	return nil
}

// parseMaxSamples reads "auto", a row count or a fraction. scikit-learn reads a Python int as a row
// count and a float as a fraction; JSON has one number type, so a number written without a
// fractional part or exponent (256) is a count and any other (0.5, 1.0, 1e-3) a fraction. A number
// may also come as text ("1.0"): JavaScript writes the number 1.0 as 1, so an editor sends the
// fraction of all rows as the string "1.0".
func parseMaxSamples(raw json.RawMessage, f *iforest.Config) error {
	if isAbsent(raw) {
		return nil
	}
	const hint = `use "auto", a whole number of rows (e.g. 256) or a fraction in (0, 1] (e.g. 0.5)`
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s = strings.TrimSpace(s); s == "auto" {
			f.MaxSamples = iforest.MaxSamplesAuto()
			return nil
		}
		if _, err := strconv.ParseFloat(s, 64); err != nil || s == "" {
			return invalid("maxSamples %q is not valid: %s", s, hint)
		}
		raw = json.RawMessage(s) // the number as written, its form deciding count or fraction
	}
	var v float64
	if err := json.Unmarshal(raw, &v); err != nil || math.IsInf(v, 0) {
		return invalid("maxSamples %s is not valid: %s", string(raw), hint)
	}
	if !bytes.ContainsAny(raw, ".eE") {
		if v < 1 || v > math.MaxInt32 {
			return invalid("maxSamples %s is not valid: %s; a row count is at least 1 and at most %d", string(raw), hint, math.MaxInt32)
		}
		f.MaxSamples = iforest.MaxSamplesCount(int(v))
		return nil
	}
	f.MaxSamples = iforest.MaxSamplesFraction(v)
	return nil
}

// wholeNumber reads an integer key; def when absent. Its range is its owner's to check.
func wholeNumber(name string, raw json.RawMessage, def int) (int, error) {
	if isAbsent(raw) {
		return def, nil
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, invalid("%s %s is not valid: use a whole number (default %d)", name, truncate(string(raw), 40), def)
	}
	return int(f), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// forestKeys are the query keys of scikit-learn's parameters.
var forestKeys = map[string]string{
	"n_estimators": "nEstimators", "max_samples": "maxSamples", "contamination": "contamination", "random_state": "randomState",
}

// keyedError is an error from a domain package reworded with the query key the user wrote; it
// still wraps the original, so its kind (anomaly.ErrInvalid, iforest.ErrInvalidConfig) is kept.
type keyedError struct {
	msg string
	err error
}

func (e *keyedError) Error() string { return e.msg }
func (e *keyedError) Unwrap() error { return e.err }

// withQueryKey names the query key in a forest setting's error: "nEstimators 0 is not valid: must
// be an integer in [1, 10000]" rather than scikit-learn's n_estimators.
func withQueryKey(err error, w *wire) error {
	var pe *iforest.ParamError
	if !errors.As(err, &pe) {
		return err
	}
	key, ok := forestKeys[pe.Param]
	if !ok {
		return err
	}
	raw := map[string]json.RawMessage{"nEstimators": w.NEstimators, "maxSamples": w.MaxSamples, "contamination": w.Contamination, "randomState": w.RandomState}[key]
	value := strings.TrimSpace(string(raw))
	if value == "" {
		value = fmt.Sprint(pe.Value)
	}
	return &keyedError{msg: fmt.Sprintf("%s %s is not valid: %s", key, truncate(value, 40), pe.Rule), err: err}
}
