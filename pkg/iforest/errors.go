package iforest

import "errors"

// Sentinel errors. Every error the package returns wraps one of them, so a
// caller maps them once with errors.Is (a bad query option vs bad data) and
// keeps the wrapped text, which says what to fix, for the user.
var (
	// ErrInvalidConfig: a Config field is out of its allowed range.
	ErrInvalidConfig = errors.New("invalid isolation forest configuration")
	// ErrInvalidInput: the data cannot be fitted or scored (too few rows,
	// NaN or infinite values, wrong number of features).
	ErrInvalidInput = errors.New("invalid isolation forest input")
	// ErrNotFitted: scoring was asked of a forest that has not been fitted.
	ErrNotFitted = errors.New("isolation forest is not fitted")
	// ErrMixedTypes: LabelEncode was given strings and numbers together.
	// The text is scikit-learn 1.2.1's TypeError, which the wrapping error
	// completes with the list of types found.
	ErrMixedTypes = errors.New("Encoders require their input to be uniformly strings or numbers")
)
