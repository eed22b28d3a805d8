package kql

// value is one scalar during evaluation. Its type is known statically from
// the compiled expression, so the struct carries only the payload: i for
// bool, int, long, datetime and timespan; f for real; s for the string-like
// types. Returning it by value from closures costs no allocation.
type value struct {
	s    string
	i    int64
	f    float64
	null bool
}

func boolValue(b bool) value {
	if b {
		return value{i: 1}
	}
	return value{}
}

var nullValue = value{null: true}
