package kql

import (
	"cmp"
	"math"
	"strings"
)

// aggregator accumulates one summarize aggregation per group. Groups are
// numbered densely in order of first appearance, so add(g, r) is called
// with g at most one past the largest group seen so far.
type aggregator interface {
	add(g int, r int)
	// columns returns the output columns for ngroups groups (groups never
	// added to, as in a summarize over no rows, get the empty result).
	columns(ngroups int) []*column
	// groupBytes is the fixed state one group holds, for the memory
	// budget; aggregators whose state grows with the rows (dcount,
	// make_set, percentile) charge that growth themselves as it happens.
	groupBytes() int64
}

// aggBuilder compiles an aggregation call: its output schema and state.
type aggBuilder func(c *compiler, call *callExpr) ([]ColumnSchema, aggregator)

// aggFuncs is filled by init functions in several files, like scalarFuncs.
var aggFuncs = map[string]aggBuilder{}

func init() {
	for name, f := range map[string]aggBuilder{
		"count":     aggCount,
		"countif":   aggCountIf,
		"dcount":    aggDcount,
		"min":       func(c *compiler, call *callExpr) ([]ColumnSchema, aggregator) { return aggMinMax(c, call, -1) },
		"max":       func(c *compiler, call *callExpr) ([]ColumnSchema, aggregator) { return aggMinMax(c, call, 1) },
		"sum":       aggSum,
		"avg":       aggAvg,
		"make_set":  func(c *compiler, call *callExpr) ([]ColumnSchema, aggregator) { return aggMake(c, call, true) },
		"make_list": func(c *compiler, call *callExpr) ([]ColumnSchema, aggregator) { return aggMake(c, call, false) },
		"arg_max":   func(c *compiler, call *callExpr) ([]ColumnSchema, aggregator) { return aggArg(c, call, 1) },
		"arg_min":   func(c *compiler, call *callExpr) ([]ColumnSchema, aggregator) { return aggArg(c, call, -1) },
		"take_any":  aggTakeAny,
	} {
		aggFuncs[name] = f
	}
}

func grow[T any](s []T, g int) []T {
	for len(s) <= g {
		var z T
		s = append(s, z)
	}
	return s
}

func compareValues(t Type, a, b value) int {
	switch storageOf(t) {
	case stInt:
		return cmp.Compare(a.i, b.i)
	case stReal:
		return cmp.Compare(a.f, b.f)
	}
	return strings.Compare(a.s, b.s)
}

// aggArgs checks the argument count and compiles the arguments.
func (c *compiler) aggArgs(call *callExpr, minArgs, maxArgs int) []*cexpr {
	if len(call.args) < minArgs || len(call.args) > maxArgs {
		c.fail(call.at, "aggregation '%s' got %d arguments", call.name, len(call.args))
	}
	out := make([]*cexpr, len(call.args))
	for i, a := range call.args {
		out[i] = c.compile(a)
	}
	return out
}

// aggName is Kusto's default name: prefix_Column for a column argument,
// prefix_ otherwise.
func aggName(prefix string, arg *cexpr) string {
	if arg != nil && arg.col >= 0 {
		return prefix + "_" + arg.name
	}
	return prefix + "_"
}

type countAgg struct {
	pred func(int) value // nil for count()
	n    []int64
}

func (a *countAgg) add(g, r int) {
	a.n = grow(a.n, g)
	if a.pred == nil {
		a.n[g]++
	} else if v := a.pred(r); !v.null && v.i != 0 {
		a.n[g]++
	}
}

func (a *countAgg) groupBytes() int64 { return 8 }

func (a *countAgg) columns(ng int) []*column {
	a.n = grow(a.n, ng-1)
	return []*column{{typ: TypeLong, i: a.n[:ng]}}
}

func aggCount(c *compiler, call *callExpr) ([]ColumnSchema, aggregator) {
	c.aggArgs(call, 0, 0)
	return []ColumnSchema{{"count_", TypeLong}}, &countAgg{}
}

func aggCountIf(c *compiler, call *callExpr) ([]ColumnSchema, aggregator) {
	a := c.aggArgs(call, 1, 1)
	c.argType(call, 0, a[0], a[0].typ == TypeBool)
	return []ColumnSchema{{"countif_", TypeLong}}, &countAgg{pred: a[0].eval}
}

// dkey identifies a distinct value within a group for dcount and make_set.
type dkey struct {
	g int32
	i int64
	s string
}

func keyOf(t Type, g int, v value) dkey {
	k := dkey{g: int32(g), i: v.i, s: v.s}
	if t == TypeReal {
		k.i = int64(math.Float64bits(v.f + 0)) // +0 folds -0 into 0
	}
	return k
}

type dcountAgg struct {
	x    *execution
	e    *cexpr
	seen map[dkey]struct{}
	n    []int64
}

// dkeyBytes is what one distinct value holds in a seen set.
func dkeyBytes(k dkey) int64 { return mapEntryBytes + 32 + int64(len(k.s)) }

func (a *dcountAgg) groupBytes() int64 { return 8 }

func (a *dcountAgg) add(g, r int) {
	a.n = grow(a.n, g)
	v := a.e.eval(r)
	if v.null {
		return
	}
	k := keyOf(a.e.typ, g, v)
	if _, ok := a.seen[k]; !ok {
		a.x.charge("summarize", dkeyBytes(k))
		a.seen[k] = struct{}{}
		a.n[g]++
	}
}

func (a *dcountAgg) columns(ng int) []*column {
	a.n = grow(a.n, ng-1)
	return []*column{{typ: TypeLong, i: a.n[:ng]}}
}

func aggDcount(c *compiler, call *callExpr) ([]ColumnSchema, aggregator) {
	a := c.aggArgs(call, 1, 2)
	return []ColumnSchema{{aggName("dcount", a[0]), TypeLong}}, &dcountAgg{x: c.x, e: a[0], seen: map[dkey]struct{}{}}
}

type minMaxAgg struct {
	e    *cexpr
	sign int
	best []value
	seen []bool
}

func (a *minMaxAgg) add(g, r int) {
	a.best, a.seen = grow(a.best, g), grow(a.seen, g)
	v := a.e.eval(r)
	if v.null || a.e.typ == TypeReal && math.IsNaN(v.f) {
		return
	}
	if !a.seen[g] || compareValues(a.e.typ, v, a.best[g])*a.sign > 0 {
		a.best[g], a.seen[g] = v, true
	}
}

func (a *minMaxAgg) groupBytes() int64 { return valueBytes + 1 }

func (a *minMaxAgg) columns(ng int) []*column {
	a.best, a.seen = grow(a.best, ng-1), grow(a.seen, ng-1)
	col := newColumn(a.e.typ, ng)
	for g := 0; g < ng; g++ {
		v := a.best[g]
		v.null = !a.seen[g]
		col.appendValue(v)
	}
	return []*column{col}
}

func aggMinMax(c *compiler, call *callExpr, sign int) ([]ColumnSchema, aggregator) {
	a := c.aggArgs(call, 1, 1)
	t := a[0].typ
	c.argType(call, 0, a[0], t != TypeDynamic && t != TypeBool)
	return []ColumnSchema{{aggName(call.name, a[0]), t}}, &minMaxAgg{e: a[0], sign: sign}
}

// sumAgg sums ints into a long (or a timespan), reals into a real; avg
// divides by the count of non-null values and is always a real.
type sumAgg struct {
	e    *cexpr
	avg  bool
	i    []int64
	f    []float64
	n    []int64
	outT Type
}

func (a *sumAgg) add(g, r int) {
	a.i, a.f, a.n = grow(a.i, g), grow(a.f, g), grow(a.n, g)
	v := a.e.eval(r)
	if v.null {
		return
	}
	a.n[g]++
	if a.e.typ == TypeReal {
		a.f[g] += v.f
	} else {
		a.i[g] += v.i
		a.f[g] += float64(v.i)
	}
}

func (a *sumAgg) groupBytes() int64 { return 24 }

func (a *sumAgg) columns(ng int) []*column {
	a.i, a.f, a.n = grow(a.i, ng-1), grow(a.f, ng-1), grow(a.n, ng-1)
	col := newColumn(a.outT, ng)
	for g := 0; g < ng; g++ {
		switch {
		case a.n[g] == 0:
			col.appendValue(nullValue)
		case a.avg && a.outT == TypeTimespan:
			col.appendValue(realToInt(math.Round(a.f[g] / float64(a.n[g]))))
		case a.avg:
			col.appendValue(value{f: a.f[g] / float64(a.n[g])})
		case a.outT == TypeReal:
			col.appendValue(value{f: a.f[g]})
		default:
			col.appendValue(value{i: a.i[g]})
		}
	}
	return []*column{col}
}

func aggSum(c *compiler, call *callExpr) ([]ColumnSchema, aggregator) {
	a := c.aggArgs(call, 1, 1)
	t := a[0].typ
	c.argType(call, 0, a[0], isNumeric(t) || t == TypeTimespan)
	out := t
	if isIntLike(t) {
		out = TypeLong
	}
	return []ColumnSchema{{aggName("sum", a[0]), out}}, &sumAgg{e: a[0], outT: out}
}

func aggAvg(c *compiler, call *callExpr) ([]ColumnSchema, aggregator) {
	a := c.aggArgs(call, 1, 1)
	t := a[0].typ
	c.argType(call, 0, a[0], isNumeric(t) || t == TypeTimespan)
	out := TypeReal
	if t == TypeTimespan {
		out = TypeTimespan
	}
	return []ColumnSchema{{aggName("avg", a[0]), out}}, &sumAgg{e: a[0], avg: true, outT: out}
}

type takeAnyAgg struct {
	e    *cexpr
	v    []value
	seen []bool
}

func (a *takeAnyAgg) add(g, r int) {
	a.v, a.seen = grow(a.v, g), grow(a.seen, g)
	if !a.seen[g] {
		a.v[g], a.seen[g] = a.e.eval(r), true
	}
}

func (a *takeAnyAgg) groupBytes() int64 { return valueBytes + 1 }

func (a *takeAnyAgg) columns(ng int) []*column {
	a.v, a.seen = grow(a.v, ng-1), grow(a.seen, ng-1)
	col := newColumn(a.e.typ, ng)
	for g := 0; g < ng; g++ {
		v := a.v[g]
		v.null = v.null || !a.seen[g]
		col.appendValue(v)
	}
	return []*column{col}
}

func aggTakeAny(c *compiler, call *callExpr) ([]ColumnSchema, aggregator) {
	a := c.aggArgs(call, 1, 1)
	return []ColumnSchema{{aggName("any", a[0]), a[0].typ}}, &takeAnyAgg{e: a[0]}
}
