package kql

import "math"

// Aggregations beyond the notebook's needs that anomaly hunting commonly
// uses: spread (stdev, variance) and the conditional forms of sum, avg and
// dcount.

func init() {
	aggFuncs["stdev"] = func(c *compiler, call *callExpr) ([]ColumnSchema, aggregator) { return aggSpread(c, call, true) }
	aggFuncs["variance"] = func(c *compiler, call *callExpr) ([]ColumnSchema, aggregator) { return aggSpread(c, call, false) }
	aggFuncs["sumif"] = conditional(aggSum)
	aggFuncs["avgif"] = conditional(aggAvg)
	aggFuncs["dcountif"] = conditional(aggDcount)
}

// spreadAgg is Welford's running variance with Bessel's correction, as
// Kusto's stdev() and variance() use; one value gives 0, none null.
type spreadAgg struct {
	e     *cexpr
	stdev bool
	n     []int64
	mean  []float64
	m2    []float64
}

func (a *spreadAgg) add(g, r int) {
	a.n, a.mean, a.m2 = grow(a.n, g), grow(a.mean, g), grow(a.m2, g)
	v := a.e.eval(r)
	if v.null {
		return
	}
	x := toFloat(a.e.typ, v)
	a.n[g]++
	d := x - a.mean[g]
	a.mean[g] += d / float64(a.n[g])
	a.m2[g] += d * (x - a.mean[g])
}

func (a *spreadAgg) columns(ng int) []*column {
	a.n, a.mean, a.m2 = grow(a.n, ng-1), grow(a.mean, ng-1), grow(a.m2, ng-1)
	col := newColumn(TypeReal, ng)
	for g := 0; g < ng; g++ {
		switch n := a.n[g]; {
		case n == 0:
			col.appendValue(nullValue)
		case n == 1:
			col.appendValue(value{})
		default:
			v := a.m2[g] / float64(n-1)
			if a.stdev {
				v = math.Sqrt(v)
			}
			col.appendValue(value{f: v})
		}
	}
	return []*column{col}
}

func aggSpread(c *compiler, call *callExpr, stdev bool) ([]ColumnSchema, aggregator) {
	a := c.aggArgs(call, 1, 1)
	c.argType(call, 0, a[0], isNumeric(a[0].typ))
	return []ColumnSchema{{aggName(call.name, a[0]), TypeReal}}, &spreadAgg{e: a[0], stdev: stdev}
}

// ifAgg feeds its aggregator only the rows whose predicate is true.
// Skipping add for a group is safe: aggregators grow their state to any
// group they see and pad to ngroups in columns.
type ifAgg struct {
	pred  func(int) value
	inner aggregator
}

func (a *ifAgg) add(g, r int) {
	if v := a.pred(r); !v.null && v.i != 0 {
		a.inner.add(g, r)
	}
}

func (a *ifAgg) columns(ng int) []*column { return a.inner.columns(ng) }

// conditional turns an aggregation of (x) into its if-form of
// (x, predicate), named like Kusto's: sumif_X, avgif_X, dcountif_X.
func conditional(base aggBuilder) aggBuilder {
	return func(c *compiler, call *callExpr) ([]ColumnSchema, aggregator) {
		if len(call.args) != 2 {
			c.fail(call.at, "aggregation '%s' expects a value and a predicate", call.name)
		}
		pred := c.compile(call.args[1])
		c.argType(call, 1, pred, pred.typ == TypeBool)
		inner := &callExpr{at: call.at, name: call.name[:len(call.name)-2], args: call.args[:1]}
		schema, agg := base(c, inner)
		arg := c.compile(call.args[0])
		schema[0].Name = aggName(call.name, arg)
		return schema, &ifAgg{pred: pred.eval, inner: agg}
	}
}
