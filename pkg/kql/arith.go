package kql

import "math"

// arith compiles + - * / % with Kusto's typing: int op int is int, long
// wins over int, real over both; datetime - datetime is a timespan,
// datetime ± timespan a datetime, timespan scales by numbers. Integer
// division or modulo by zero gives null instead of failing the query.
func (c *compiler) arith(e *binaryExpr, x, y *cexpr) *cexpr {
	xt, yt := x.typ, y.typ
	xe, ye := x.eval, y.eval
	op := e.op
	out := &cexpr{col: -1}
	intOp := func(a, b int64) (int64, bool) {
		switch op {
		case "+":
			return a + b, true
		case "-":
			return a - b, true
		case "*":
			return a * b, true
		case "/":
			if b == 0 {
				return 0, false
			}
			return a / b, true
		}
		if b == 0 {
			return 0, false
		}
		return a % b, true
	}
	ints := func(t Type) *cexpr {
		out.typ = t
		out.eval = func(r int) value {
			a, b := xe(r), ye(r)
			if a.null || b.null {
				return nullValue
			}
			v, ok := intOp(a.i, b.i)
			if !ok {
				return nullValue
			}
			return value{i: v}
		}
		return out
	}
	switch {
	case isIntLike(xt) && isIntLike(yt):
		return ints(promote(xt, yt))
	case isNumeric(xt) && isNumeric(yt):
		out.typ = TypeReal
		out.eval = func(r int) value {
			a, b := xe(r), ye(r)
			if a.null || b.null {
				return nullValue
			}
			p, q := toFloat(xt, a), toFloat(yt, b)
			switch op {
			case "+":
				return value{f: p + q}
			case "-":
				return value{f: p - q}
			case "*":
				return value{f: p * q}
			case "/":
				return value{f: p / q}
			}
			return value{f: math.Mod(p, q)}
		}
		return out
	case xt == TypeDateTime && yt == TypeDateTime && op == "-":
		return ints(TypeTimespan)
	case xt == TypeDateTime && yt == TypeTimespan && (op == "+" || op == "-"),
		xt == TypeTimespan && yt == TypeDateTime && op == "+":
		return ints(TypeDateTime)
	case xt == TypeTimespan && yt == TypeTimespan && (op == "+" || op == "-" || op == "%"):
		return ints(TypeTimespan)
	case xt == TypeTimespan && yt == TypeTimespan && op == "/":
		out.typ = TypeReal
		out.eval = func(r int) value {
			a, b := xe(r), ye(r)
			if a.null || b.null {
				return nullValue
			}
			return value{f: float64(a.i) / float64(b.i)}
		}
		return out
	case xt == TypeTimespan && isNumeric(yt) && (op == "*" || op == "/"),
		isNumeric(xt) && yt == TypeTimespan && op == "*":
		out.typ = TypeTimespan
		out.eval = func(r int) value {
			a, b := xe(r), ye(r)
			if a.null || b.null {
				return nullValue
			}
			var f float64
			if xt == TypeTimespan {
				q := toFloat(yt, b)
				if op == "/" {
					if q == 0 {
						return nullValue
					}
					f = float64(a.i) / q
				} else {
					f = float64(a.i) * q
				}
			} else {
				f = toFloat(xt, a) * float64(b.i)
			}
			return realToInt(math.Round(f))
		}
		return out
	}
	c.fail(e.at, "'%s' cannot be applied to %s and %s", op, xt, yt)
	return nil
}
