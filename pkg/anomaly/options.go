package anomaly

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
)

// Encodings of the scored fields.
const (
	// EncodingLabel is the notebook's LabelEncoder: the sorted distinct values numbered 0..k-1.
	EncodingLabel = "label"
	// EncodingFrequency replaces a value by its count among the rows, so rare values are isolated.
	EncodingFrequency = "frequency"
)

// Outputs: what Pipeline.Run returns (see Run for each).
const (
	OutputRows         = "rows"
	OutputAnomalies    = "anomalies"
	OutputTop          = "top"
	OutputCount        = "count"
	OutputCountByValue = "countByValue"
	OutputSeries       = "series"
	// OutputAnomaliesByValue is for alert rules: one instance per anomalous value.
	OutputAnomaliesByValue = "anomaliesByValue"
	// OutputValues is for template variables: the anomalous values, most anomalous first.
	OutputValues = "values"
)

// Outputs lists every output, in the order the docs give them.
var Outputs = []string{OutputRows, OutputAnomalies, OutputTop, OutputCount, OutputCountByValue, OutputSeries, OutputAnomaliesByValue, OutputValues}

// Search modes.
const (
	// SearchRegex is the notebook's pandas str.contains: a case-sensitive regular expression.
	SearchRegex = "regex"
	// SearchText is plain text, case-insensitive.
	SearchText = "text"
)

// DefaultField is the notebook's field.
const DefaultField = "InitiatingProcessFileName"

// MaxTopN bounds the top output: past a few thousand rows a "top" panel is a table of anomalies.
const MaxTopN = 10000

// Options are an anomaly query's settings: which fields, how they are encoded, the forest, and the
// shape of the answer. NotebookOptions gives the notebook's; Validate says what is wrong.
type Options struct {
	// Fields are the encoded columns: the notebook's one field, or several (one feature each).
	Fields   []string
	Encoding string
	// Forest is scikit-learn's IsolationForest settings (n_estimators, max_samples,
	// contamination, random_state).
	Forest iforest.Config
	Output string
	// TopN is the number of rows of the top output.
	TopN int
	// Search keeps the rows whose column matches, after every row is scored; nil: no search.
	Search *Search
}

// Search is the notebook's table search.
type Search struct {
	Column string
	Value  string
	// Mode is SearchRegex (default when empty) or SearchText.
	Mode string
}

// NotebookOptions returns the notebook's settings, the defaults of every anomaly query:
// InitiatingProcessFileName, label encoding, IsolationForest(n_estimators=100, contamination=0.01,
// random_state=42) with max_samples "auto", output rows, top 10.
func NotebookOptions() Options {
	return Options{
		Fields:   []string{DefaultField},
		Encoding: EncodingLabel,
		Forest:   iforest.DefaultConfig(),
		Output:   OutputRows,
		TopN:     10,
	}
}

// Validate reports the first setting to fix, in words that name it; errors wrap ErrInvalid (and
// iforest.ErrInvalidConfig for the forest's settings).
func (o Options) Validate() error {
	if len(o.Fields) == 0 {
		return invalid("no field to score: set field, e.g. %q", DefaultField)
	}
	for _, f := range o.Fields {
		if strings.TrimSpace(f) == "" {
			return invalid("field is empty: name the column to score, e.g. %q", DefaultField)
		}
	}
	if o.Encoding != EncodingLabel && o.Encoding != EncodingFrequency {
		return invalid("encoding %q is not known: use %q (the notebook's LabelEncoder) or %q", o.Encoding, EncodingLabel, EncodingFrequency)
	}
	if err := o.Forest.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if !slices.Contains(Outputs, o.Output) {
		return invalid("output %q is not known: use %s", o.Output, strings.Join(Outputs, ", "))
	}
	if o.TopN < 1 || o.TopN > MaxTopN {
		return invalid("topN %d is not valid: use a whole number from 1 to %d", o.TopN, MaxTopN)
	}
	if s := o.Search; s != nil && s.Value != "" {
		if strings.TrimSpace(s.Column) == "" {
			return invalid("search needs a column: set search.column to the column to search in")
		}
		if s.Mode != "" && s.Mode != SearchRegex && s.Mode != SearchText {
			return invalid("search mode %q is not known: use %q (a case-sensitive regular expression, as the notebook's search) or %q (plain text, any case)", s.Mode, SearchRegex, SearchText)
		}
	}
	return nil
}
