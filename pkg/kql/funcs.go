package kql

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// scalarFunc compiles a call whose arguments are already compiled.
type scalarFunc struct {
	minArgs, maxArgs int // maxArgs < 0: unbounded
	compile          func(c *compiler, call *callExpr, args []*cexpr) *cexpr
}

// scalarFuncs is filled by init functions in several files (in file name
// order), so each adds to it and none replaces it.
var scalarFuncs = map[string]scalarFunc{}

func init() {
	for name, f := range map[string]scalarFunc{
		"ago":             {1, 1, fnAgo},
		"now":             {0, 1, fnNow},
		"bin":             {2, 2, fnBin},
		"floor":           {2, 2, fnBin},
		"tostring":        {1, 1, fnToString},
		"toint":           {1, 1, func(c *compiler, call *callExpr, a []*cexpr) *cexpr { return toInteger(c, call, a, TypeInt) }},
		"tolong":          {1, 1, func(c *compiler, call *callExpr, a []*cexpr) *cexpr { return toInteger(c, call, a, TypeLong) }},
		"todouble":        {1, 1, fnToReal},
		"toreal":          {1, 1, fnToReal},
		"todatetime":      {1, 1, fnToDatetime},
		"totimespan":      {1, 1, fnToTimespan},
		"tobool":          {1, 1, fnToBool},
		"toboolean":       {1, 1, fnToBool},
		"tolower":         {1, 1, stringFn(strings.ToLower)},
		"toupper":         {1, 1, stringFn(strings.ToUpper)},
		"strlen":          {1, 1, fnStrlen},
		"strcat":          {1, 64, fnStrcat},
		"substring":       {2, 3, fnSubstring},
		"iff":             {3, 3, fnIff},
		"iif":             {3, 3, fnIff},
		"case":            {3, -1, fnCase},
		"coalesce":        {2, 64, fnCoalesce},
		"ipv4_is_private": {1, 1, fnIPv4IsPrivate},
		"isempty":         {1, 1, func(c *compiler, call *callExpr, a []*cexpr) *cexpr { return emptiness(a[0], true) }},
		"isnotempty":      {1, 1, func(c *compiler, call *callExpr, a []*cexpr) *cexpr { return emptiness(a[0], false) }},
		"isnull":          {1, 1, func(c *compiler, call *callExpr, a []*cexpr) *cexpr { return nullness(a[0], true) }},
		"isnotnull":       {1, 1, func(c *compiler, call *callExpr, a []*cexpr) *cexpr { return nullness(a[0], false) }},
		"not":             {1, 1, fnNot},
		"abs":             {1, 1, fnAbs},
	} {
		scalarFuncs[name] = f
	}
}

func (c *compiler) call(e *callExpr) *cexpr {
	if aggFuncs[e.name] != nil {
		c.fail(e.at, "aggregation function '%s' is only allowed as a summarize aggregation", e.name)
	}
	f, ok := scalarFuncs[e.name]
	if !ok {
		c.x.fail("SEM0100", e.at, e.name, "'%s' operator: Unknown function: '%s'.", c.op, e.name)
	}
	if len(e.args) < f.minArgs || f.maxArgs >= 0 && len(e.args) > f.maxArgs {
		c.fail(e.at, "function '%s' got %d arguments", e.name, len(e.args))
	}
	args := make([]*cexpr, len(e.args))
	for i, a := range e.args {
		args[i] = c.compile(a)
	}
	out := f.compile(c, e, args)
	if e.name == "now" || e.name == "ago" {
		return out // already folded against the query's clock
	}
	return foldExpr(out, args...)
}

func (c *compiler) argType(call *callExpr, i int, a *cexpr, ok bool) {
	if !ok {
		c.fail(call.args[i].pos(), "function '%s': argument %d has unexpected type %s", call.name, i+1, a.typ)
	}
}

func fnAgo(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	c.argType(call, 0, a[0], a[0].typ == TypeTimespan)
	now := c.x.now
	ae := a[0].eval
	return foldExpr(&cexpr{typ: TypeDateTime, col: -1, eval: func(r int) value {
		v := ae(r)
		if v.null {
			return v
		}
		return value{i: now - v.i}
	}}, a[0])
}

func fnNow(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	if len(a) == 0 {
		return constExpr(TypeDateTime, value{i: c.x.now})
	}
	c.argType(call, 0, a[0], a[0].typ == TypeTimespan)
	ae, now := a[0].eval, c.x.now
	return foldExpr(&cexpr{typ: TypeDateTime, col: -1, eval: func(r int) value {
		v := ae(r)
		if v.null {
			return v
		}
		return value{i: now + v.i}
	}}, a[0])
}

// epoch0001 is 0001-01-01 in ticks since the Unix epoch: Kusto bins
// datetimes from there, which matters for spans that do not divide a day.
const epoch0001 = -62135596800 * ticksPerSecond

func fnBin(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	x, size := a[0], a[1]
	xe, se := x.eval, size.eval
	out := &cexpr{typ: x.typ, col: -1}
	switch {
	case (x.typ == TypeDateTime || x.typ == TypeTimespan) && size.typ == TypeTimespan:
		origin := int64(0)
		if x.typ == TypeDateTime {
			origin = epoch0001
		}
		out.eval = func(r int) value {
			v, s := xe(r), se(r)
			if v.null || s.null || s.i <= 0 {
				return nullValue
			}
			return value{i: floorDiv(v.i-origin, s.i)*s.i + origin}
		}
	case isIntLike(x.typ) && isIntLike(size.typ):
		out.eval = func(r int) value {
			v, s := xe(r), se(r)
			if v.null || s.null || s.i <= 0 {
				return nullValue
			}
			return value{i: floorDiv(v.i, s.i) * s.i}
		}
	case isNumeric(x.typ) && isNumeric(size.typ):
		xt, st := x.typ, size.typ
		out.eval = func(r int) value {
			v, s := xe(r), se(r)
			if v.null || s.null {
				return nullValue
			}
			sz := toFloat(st, s)
			if !(sz > 0) {
				return nullValue
			}
			f := math.Floor(toFloat(xt, v)/sz) * sz
			if isIntLike(xt) {
				return realToInt(f)
			}
			return value{f: f}
		}
	default:
		c.fail(call.at, "function '%s' cannot bin %s by %s", call.name, x.typ, size.typ)
	}
	return out
}

func fnToString(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	ae, t := a[0].eval, a[0].typ
	return &cexpr{typ: TypeString, col: -1, eval: func(r int) value { return value{s: formatValue(t, ae(r))} }}
}

func toInteger(c *compiler, call *callExpr, a []*cexpr, to Type) *cexpr {
	ae, t := a[0].eval, a[0].typ
	limit := func(v value) value {
		if to == TypeInt && !v.null && (v.i > math.MaxInt32 || v.i < math.MinInt32) {
			return nullValue
		}
		return v
	}
	return &cexpr{typ: to, col: -1, eval: func(r int) value {
		v := ae(r)
		if v.null {
			return v
		}
		switch {
		case isIntLike(t), t == TypeBool:
			return limit(v)
		case t == TypeReal:
			return limit(realToInt(v.f))
		case isStringy(t):
			s := strings.TrimSpace(v.s)
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return limit(value{i: n})
			}
			if f, ok := parseReal(s); ok {
				return limit(realToInt(f))
			}
		case t == TypeTimespan, t == TypeDateTime:
			return limit(v)
		}
		return nullValue
	}}
}

func fnToReal(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	ae, t := a[0].eval, a[0].typ
	return &cexpr{typ: TypeReal, col: -1, eval: func(r int) value {
		v := ae(r)
		switch {
		case v.null:
			return v
		case t == TypeReal:
			return v
		case storageOf(t) == stInt:
			return value{f: float64(v.i)}
		}
		if f, ok := parseReal(strings.TrimSpace(v.s)); ok {
			return value{f: f}
		}
		return nullValue
	}}
}

func fnToDatetime(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	ae, t := a[0].eval, a[0].typ
	c.argType(call, 0, a[0], t == TypeDateTime || isStringy(t))
	return &cexpr{typ: TypeDateTime, col: -1, eval: func(r int) value {
		v := ae(r)
		if v.null || t == TypeDateTime {
			return v
		}
		if d, ok := parseDatetime(v.s); ok && v.s != "" {
			return d
		}
		return nullValue
	}}
}

func fnToTimespan(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	ae, t := a[0].eval, a[0].typ
	c.argType(call, 0, a[0], t == TypeTimespan || isStringy(t) || isIntLike(t))
	return &cexpr{typ: TypeTimespan, col: -1, eval: func(r int) value {
		v := ae(r)
		if v.null || t == TypeTimespan || isIntLike(t) {
			return v
		}
		if d, ok := parseTimespan(v.s); ok {
			return d
		}
		return nullValue
	}}
}

func fnToBool(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	ae, t := a[0].eval, a[0].typ
	return &cexpr{typ: TypeBool, col: -1, eval: func(r int) value {
		v := ae(r)
		switch {
		case v.null:
			return v
		case t == TypeBool:
			return v
		case storageOf(t) == stInt:
			return boolValue(v.i != 0)
		case t == TypeReal:
			return boolValue(v.f != 0)
		}
		switch strings.ToLower(strings.TrimSpace(v.s)) {
		case "true", "1":
			return boolValue(true)
		case "false", "0":
			return boolValue(false)
		}
		return nullValue
	}}
}

func stringFn(f func(string) string) func(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	return func(c *compiler, call *callExpr, a []*cexpr) *cexpr {
		ae := converter(a[0], TypeString)
		return &cexpr{typ: TypeString, col: -1, eval: func(r int) value { return value{s: f(ae(r).s)} }}
	}
}

func fnStrlen(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	ae := converter(a[0], TypeString)
	return &cexpr{typ: TypeLong, col: -1, eval: func(r int) value {
		return value{i: int64(utf8.RuneCountInString(ae(r).s))}
	}}
}

func fnStrcat(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	parts := make([]func(int) value, len(a))
	for i, x := range a {
		parts[i] = converter(x, TypeString)
	}
	x, op := c.x, c.op
	texts := make([]string, len(parts)) // reused: a query runs on one goroutine
	return &cexpr{typ: TypeString, col: -1, eval: func(r int) value {
		n := 0
		for i, p := range parts {
			texts[i] = p(r).s
			n += len(texts[i])
		}
		x.checkValueSize(op, int64(n))
		var b strings.Builder
		b.Grow(n)
		for _, t := range texts {
			b.WriteString(t)
		}
		return value{s: b.String()}
	}}
}

// fnSubstring counts characters, not bytes; out-of-range parts are clipped.
func fnSubstring(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	se := converter(a[0], TypeString)
	c.argType(call, 1, a[1], isIntLike(a[1].typ))
	st := a[1].eval
	var ln func(int) value
	if len(a) == 3 {
		c.argType(call, 2, a[2], isIntLike(a[2].typ))
		ln = a[2].eval
	}
	return &cexpr{typ: TypeString, col: -1, eval: func(r int) value {
		runes := []rune(se(r).s)
		start := st(r)
		if start.null {
			return value{}
		}
		from := min(max(start.i, 0), int64(len(runes)))
		to := int64(len(runes))
		if ln != nil {
			l := ln(r)
			if l.null || l.i < 0 {
				return value{}
			}
			if l.i < to-from {
				to = from + l.i
			}
		}
		return value{s: string(runes[from:to])}
	}}
}

func fnAbs(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	t := a[0].typ
	c.argType(call, 0, a[0], isNumeric(t) || t == TypeTimespan)
	ae := a[0].eval
	return &cexpr{typ: t, col: -1, eval: func(r int) value {
		v := ae(r)
		if t == TypeReal {
			v.f = math.Abs(v.f)
		} else if v.i < 0 {
			v.i = -v.i
		}
		return v
	}}
}

func fnNot(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	c.argType(call, 0, a[0], a[0].typ == TypeBool)
	ae := a[0].eval
	return &cexpr{typ: TypeBool, col: -1, eval: func(r int) value {
		v := ae(r)
		if v.null {
			return v
		}
		return boolValue(v.i == 0)
	}}
}

// emptiness implements isempty/isnotempty: true for null and for "".
func emptiness(a *cexpr, want bool) *cexpr {
	ae, str := a.eval, isStringy(a.typ)
	return &cexpr{typ: TypeBool, col: -1, eval: func(r int) value {
		v := ae(r)
		return boolValue((v.null || str && v.s == "") == want)
	}}
}

// nullness implements isnull/isnotnull: strings are never null in Kusto.
func nullness(a *cexpr, want bool) *cexpr {
	ae, str := a.eval, a.typ == TypeString
	return &cexpr{typ: TypeBool, col: -1, eval: func(r int) value {
		v := ae(r)
		return boolValue((v.null && !str) == want)
	}}
}
