package kql

import (
	"cmp"
	"regexp"
)

func (c *compiler) binary(e *binaryExpr) *cexpr {
	x, y := c.compile(e.x), c.compile(e.y)
	switch e.op {
	case "and", "or":
		return foldExpr(c.logical(e, x, y), x, y)
	case "==", "!=", "<", "<=", ">", ">=":
		return foldExpr(c.comparison(e, x, y), x, y)
	case "+", "-", "*", "/", "%":
		return foldExpr(c.arith(e, x, y), x, y)
	case "matches regex":
		return c.regex(e, x, y)
	}
	return foldExpr(c.stringOp(e, x, y), x, y)
}

func (c *compiler) needBool(pos int, x *cexpr, what string) {
	if x.typ != TypeBool {
		c.fail(pos, "%s expects a bool operand, got %s", what, x.typ)
	}
}

func (c *compiler) logical(e *binaryExpr, x, y *cexpr) *cexpr {
	c.needBool(e.at, x, "'"+e.op+"'")
	c.needBool(e.at, y, "'"+e.op+"'")
	xe, ye := x.eval, y.eval
	out := &cexpr{typ: TypeBool, col: -1}
	if e.op == "and" {
		out.eval = func(r int) value {
			a := xe(r)
			if !a.null && a.i == 0 {
				return a
			}
			b := ye(r)
			if !b.null && b.i == 0 {
				return b
			}
			if a.null || b.null {
				return nullValue
			}
			return b
		}
		return out
	}
	out.eval = func(r int) value {
		a := xe(r)
		if !a.null && a.i != 0 {
			return a
		}
		b := ye(r)
		if !b.null && b.i != 0 {
			return b
		}
		if a.null || b.null {
			return nullValue
		}
		return b
	}
	return out
}

func ordered[T cmp.Ordered](op string) func(a, b T) bool {
	switch op {
	case "==":
		return func(a, b T) bool { return a == b }
	case "!=":
		return func(a, b T) bool { return a != b }
	case "<":
		return func(a, b T) bool { return a < b }
	case "<=":
		return func(a, b T) bool { return a <= b }
	case ">":
		return func(a, b T) bool { return a > b }
	}
	return func(a, b T) bool { return a >= b }
}

// comparison compiles ==, !=, <, <=, >, >=. A null operand gives null,
// which where treats as false.
func (c *compiler) comparison(e *binaryExpr, x, y *cexpr) *cexpr {
	switch {
	case x.typ == TypeDynamic && y.typ != TypeDynamic:
		x = dynamicAs(x, y.typ)
	case y.typ == TypeDynamic && x.typ != TypeDynamic:
		y = dynamicAs(y, x.typ)
	}
	out := &cexpr{typ: TypeBool, col: -1}
	xe, ye := x.eval, y.eval
	switch {
	case isIntLike(x.typ) && isIntLike(y.typ) || x.typ == y.typ && storageOf(x.typ) == stInt:
		f := ordered[int64](e.op)
		if x.col >= 0 && y.isConst && !y.cval.null {
			// The hot path of time filters: column against constant.
			col, k := c.f.cols[x.col], y.cval.i
			data, nulls := col.i, col.null
			out.eval = func(r int) value {
				if nulls != nil && nulls[r] {
					return nullValue
				}
				return boolValue(f(data[r], k))
			}
			return out
		}
		out.eval = func(r int) value {
			a, b := xe(r), ye(r)
			if a.null || b.null {
				return nullValue
			}
			return boolValue(f(a.i, b.i))
		}
	case isNumeric(x.typ) && isNumeric(y.typ):
		f := ordered[float64](e.op)
		xt, yt := x.typ, y.typ
		out.eval = func(r int) value {
			a, b := xe(r), ye(r)
			if a.null || b.null {
				return nullValue
			}
			return boolValue(f(toFloat(xt, a), toFloat(yt, b)))
		}
	case isStringy(x.typ) && isStringy(y.typ):
		f := ordered[string](e.op)
		if x.col >= 0 && y.isConst && x.typ == TypeString {
			data, k := c.f.cols[x.col].s, y.cval.s
			out.eval = func(r int) value { return boolValue(f(data[r], k)) }
			return out
		}
		out.eval = func(r int) value {
			a, b := xe(r), ye(r)
			if a.null || b.null {
				return nullValue
			}
			return boolValue(f(a.s, b.s))
		}
	default:
		c.fail(e.at, "Cannot compare values of types %s and %s. Try adding explicit casts", x.typ, y.typ)
	}
	return out
}

// stringOp compiles has, contains, startswith, =~ and friends, negated
// with a leading "!" (and !~ for =~). Non-string operands are converted
// with tostring, as Kusto does implicitly.
func (c *compiler) stringOp(e *binaryExpr, x, y *cexpr) *cexpr {
	op, neg := e.op, false
	if op == "!~" {
		op, neg = "=~", true
	} else if op[0] == '!' {
		op, neg = op[1:], true
	}
	pred, ok := stringPredicate(op)
	if !ok {
		c.fail(e.at, "unknown operator '%s'", e.op)
	}
	if !isStringy(x.typ) && !isStringy(y.typ) && op == "=~" {
		c.fail(e.at, "'%s' expects string operands, got %s and %s", e.op, x.typ, y.typ)
	}
	xe, ye := converter(x, TypeString), converter(y, TypeString)
	out := &cexpr{typ: TypeBool, col: -1}
	if y.isConst {
		needle := ye(0).s
		out.eval = func(r int) value { return boolValue(pred(xe(r).s, needle) != neg) }
		return out
	}
	out.eval = func(r int) value { return boolValue(pred(xe(r).s, ye(r).s) != neg) }
	return out
}

// regex compiles "matches regex"; the pattern must be a constant so that
// it is compiled once per query (Go's regexp is RE2, as Kusto's).
func (c *compiler) regex(e *binaryExpr, x, y *cexpr) *cexpr {
	if !y.isConst || !isStringy(y.typ) {
		c.fail(e.at, "'matches regex' expects a constant string pattern")
	}
	re, err := regexp.Compile(y.cval.s)
	if err != nil {
		c.fail(e.y.pos(), "invalid regular expression '%s': %v", y.cval.s, err)
	}
	xe := converter(x, TypeString)
	return foldExpr(&cexpr{typ: TypeBool, col: -1, eval: func(r int) value {
		return boolValue(re.MatchString(xe(r).s))
	}}, x)
}

func (c *compiler) between(e *betweenExpr) *cexpr {
	x, lo, hi := c.compile(e.x), c.compile(e.lo), c.compile(e.hi)
	xe, le, he := x.eval, lo.eval, hi.eval
	neg := e.not
	out := &cexpr{typ: TypeBool, col: -1}
	switch {
	case x.typ == TypeDateTime && lo.typ == TypeDateTime && (hi.typ == TypeDateTime || hi.typ == TypeTimespan):
		span := hi.typ == TypeTimespan
		out.eval = func(r int) value {
			a, l, h := xe(r), le(r), he(r)
			if a.null || l.null || h.null {
				return nullValue
			}
			if span {
				h.i += l.i
			}
			return boolValue((a.i >= l.i && a.i <= h.i) != neg)
		}
	case isIntLike(x.typ) && isIntLike(lo.typ) && isIntLike(hi.typ) ||
		x.typ == TypeTimespan && lo.typ == TypeTimespan && hi.typ == TypeTimespan:
		out.eval = func(r int) value {
			a, l, h := xe(r), le(r), he(r)
			if a.null || l.null || h.null {
				return nullValue
			}
			return boolValue((a.i >= l.i && a.i <= h.i) != neg)
		}
	case isNumeric(x.typ) && isNumeric(lo.typ) && isNumeric(hi.typ):
		xt, lt, ht := x.typ, lo.typ, hi.typ
		out.eval = func(r int) value {
			a, l, h := xe(r), le(r), he(r)
			if a.null || l.null || h.null {
				return nullValue
			}
			f := toFloat(xt, a)
			return boolValue((f >= toFloat(lt, l) && f <= toFloat(ht, h)) != neg)
		}
	default:
		c.fail(e.at, "'between' cannot compare %s with %s .. %s", x.typ, lo.typ, hi.typ)
	}
	return foldExpr(out, x, lo, hi)
}

func (c *compiler) unary(e *unaryExpr) *cexpr {
	x := c.compile(e.x)
	if !isNumeric(x.typ) && x.typ != TypeTimespan {
		c.fail(e.at, "unary '%s' expects a number or timespan, got %s", e.op, x.typ)
	}
	if e.op == "+" {
		return x
	}
	xe, t := x.eval, x.typ
	out := &cexpr{typ: t, col: -1, eval: func(r int) value {
		v := xe(r)
		if t == TypeReal {
			v.f = -v.f
		} else {
			v.i = -v.i
		}
		return v
	}}
	return foldExpr(out, x)
}
