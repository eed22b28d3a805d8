package kql

import "math"

func isIntLike(t Type) bool { return t == TypeInt || t == TypeLong }
func isNumeric(t Type) bool { return t == TypeInt || t == TypeLong || t == TypeReal }
func isStringy(t Type) bool {
	return t == TypeString || t == TypeGUID || t == TypeDynamic || t == TypeDecimal
}

// promote gives Kusto's numeric result type: real beats long beats int.
func promote(a, b Type) Type {
	switch {
	case a == TypeReal || b == TypeReal:
		return TypeReal
	case a == TypeLong || b == TypeLong:
		return TypeLong
	}
	return TypeInt
}

// unify finds the common type of branches (iff, case, coalesce).
func unify(a, b Type) (Type, bool) {
	switch {
	case a == b:
		return a, true
	case isNumeric(a) && isNumeric(b):
		return promote(a, b), true
	case isStringy(a) && isStringy(b):
		return TypeString, true
	}
	return "", false
}

// convert changes a value's representation from type from to type to,
// where unify allowed it.
func convert(v value, from, to Type) value {
	if v.null || from == to {
		return v
	}
	switch {
	case to == TypeReal && isIntLike(from):
		return value{f: float64(v.i)}
	case isIntLike(to) && from == TypeReal:
		return realToInt(v.f)
	case to == TypeString:
		return value{s: formatValue(from, v)}
	}
	return v
}

// realToInt truncates toward zero; NaN and out-of-range give null.
func realToInt(f float64) value {
	if math.IsNaN(f) || f >= 9.223372036854775807e18 || f < -9.223372036854775808e18 {
		return nullValue
	}
	return value{i: int64(f)}
}

func toFloat(t Type, v value) float64 {
	if t == TypeReal {
		return v.f
	}
	return float64(v.i)
}

// converter returns a closure that reads e converted to type to.
func converter(e *cexpr, to Type) func(int) value {
	if e.typ == to {
		return e.eval
	}
	ev, from := e.eval, e.typ
	return func(r int) value { return convert(ev(r), from, to) }
}
