package kql

import (
	"math"
	"regexp"
	"strings"
)

// Functions beyond the notebook's needs that hunting queries commonly use.

func init() {
	scalarFuncs["extract"] = scalarFunc{3, 3, fnExtract}
	scalarFuncs["replace_string"] = scalarFunc{3, 3, fnReplaceString}
	scalarFuncs["hourofday"] = scalarFunc{1, 1, fnHourOfDay}
	scalarFuncs["dayofweek"] = scalarFunc{1, 1, fnDayOfWeek}
	scalarFuncs["startofday"] = scalarFunc{1, 2, fnStartOfDay}
	scalarFuncs["round"] = scalarFunc{1, 2, fnRound}
}

// fnExtract is extract(regex, group, text): the group's text of the first
// match, "" without one. The pattern and group must be constants.
func fnExtract(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	c.argType(call, 0, a[0], a[0].isConst && isStringy(a[0].typ))
	c.argType(call, 1, a[1], a[1].isConst && isIntLike(a[1].typ) && !a[1].cval.null)
	re, err := regexp.Compile(a[0].cval.s)
	if err != nil {
		c.fail(call.args[0].pos(), "invalid regular expression '%s': %v", a[0].cval.s, err)
	}
	group := a[1].cval.i
	if group < 0 || group > int64(re.NumSubexp()) {
		c.fail(call.args[1].pos(), "function 'extract': the pattern has no group %d", group)
	}
	te := converter(a[2], TypeString)
	return &cexpr{typ: TypeString, col: -1, eval: func(r int) value {
		m := re.FindStringSubmatchIndex(te(r).s)
		if m == nil || m[2*group] < 0 {
			return value{}
		}
		return value{s: te(r).s[m[2*group]:m[2*group+1]]}
	}}
}

func fnReplaceString(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	te, le, re := converter(a[0], TypeString), converter(a[1], TypeString), converter(a[2], TypeString)
	x, op := c.x, c.op
	return &cexpr{typ: TypeString, col: -1, eval: func(r int) value {
		text, lookup := te(r).s, le(r).s
		if lookup == "" {
			return value{s: text}
		}
		repl := re(r).s
		if len(repl) > len(lookup) {
			// Each match grows the text: check the result's size first.
			x.checkValueSize(op, int64(len(text))+int64(strings.Count(text, lookup))*int64(len(repl)-len(lookup)))
		}
		return value{s: strings.ReplaceAll(text, lookup, repl)}
	}}
}

const ticksPerDay = 86400 * ticksPerSecond

// fnHourOfDay gives the hour (0-23, UTC) of a datetime as an int.
func fnHourOfDay(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	c.argType(call, 0, a[0], a[0].typ == TypeDateTime)
	ae := a[0].eval
	return &cexpr{typ: TypeInt, col: -1, eval: func(r int) value {
		v := ae(r)
		if v.null {
			return v
		}
		return value{i: (v.i - floorDiv(v.i, ticksPerDay)*ticksPerDay) / (3600 * ticksPerSecond)}
	}}
}

// fnDayOfWeek gives the days since the preceding Sunday as a timespan.
func fnDayOfWeek(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	c.argType(call, 0, a[0], a[0].typ == TypeDateTime)
	ae := a[0].eval
	return &cexpr{typ: TypeTimespan, col: -1, eval: func(r int) value {
		v := ae(r)
		if v.null {
			return v
		}
		days := floorDiv(v.i, ticksPerDay) + 4 // 1970-01-01 was a Thursday
		return value{i: (days - floorDiv(days, 7)*7) * ticksPerDay}
	}}
}

// fnStartOfDay is startofday(date [, offset in days]).
func fnStartOfDay(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	c.argType(call, 0, a[0], a[0].typ == TypeDateTime)
	ae := a[0].eval
	var oe func(int) value
	if len(a) == 2 {
		c.argType(call, 1, a[1], isIntLike(a[1].typ))
		oe = a[1].eval
	}
	return &cexpr{typ: TypeDateTime, col: -1, eval: func(r int) value {
		v := ae(r)
		if v.null {
			return v
		}
		day := floorDiv(v.i, ticksPerDay)
		if oe != nil {
			o := oe(r)
			if o.null {
				return nullValue
			}
			day += o.i
		}
		return value{i: day * ticksPerDay}
	}}
}

// fnRound rounds half away from zero to a number of decimal places
// (negative places round to tens, hundreds, ...); ints stay ints.
func fnRound(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	t := a[0].typ
	c.argType(call, 0, a[0], isNumeric(t))
	xe := a[0].eval
	pe := func(int) value { return value{} }
	if len(a) == 2 {
		c.argType(call, 1, a[1], isIntLike(a[1].typ))
		pe = a[1].eval
	}
	return &cexpr{typ: t, col: -1, eval: func(r int) value {
		v, p := xe(r), pe(r)
		if v.null || p.null {
			return nullValue
		}
		scale := math.Pow(10, float64(max(min(p.i, 300), -300)))
		f := math.Round(toFloat(t, v)*scale) / scale
		if isIntLike(t) {
			if p.i >= 0 {
				return v
			}
			return realToInt(f)
		}
		return value{f: f}
	}}
}
