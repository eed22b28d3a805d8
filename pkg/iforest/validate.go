package iforest

import "fmt"

// Limits of the settings, for callers that show them (editors, docs); Config.Validate enforces them.
const (
	// MaxEstimators is the largest n_estimators accepted.
	MaxEstimators = maxEstimators
	// MaxRandomState is the largest random_state numpy's RandomState takes (2**32 - 1).
	MaxRandomState = 1<<32 - 1
	// MaxContamination is the largest contamination fraction scikit-learn accepts.
	MaxContamination = 0.5
)

// Validate reports the first setting scikit-learn would refuse, before any data is seen; errors
// wrap ErrInvalidConfig. New calls it too.
func (c Config) Validate() error { return c.validate() }

// ParamError is a setting scikit-learn would refuse: which parameter (scikit-learn's name), the
// value given and the rule it breaks ("must be an integer in [1, 10000]"). It wraps
// ErrInvalidConfig; callers that name the setting otherwise (a query key) read Param and Rule.
type ParamError struct {
	Param string
	Value any
	Rule  string
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("%v: %s %s, got %v", ErrInvalidConfig, e.Param, e.Rule, e.Value)
}

// Unwrap exposes ErrInvalidConfig.
func (e *ParamError) Unwrap() error { return ErrInvalidConfig }
