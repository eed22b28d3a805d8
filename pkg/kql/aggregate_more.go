package kql

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

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

func (a *spreadAgg) groupBytes() int64 { return 24 }

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

func (a *ifAgg) groupBytes() int64 { return a.inner.groupBytes() }

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

// percentileAgg computes exact nearest-rank percentiles (Kusto estimates
// the same definition with T-Digest, so large groups can differ
// slightly): the value at rank ceil(p/100 * n) of the sorted non-null
// values, of the argument's own type.
type percentileAgg struct {
	x    *execution
	e    *cexpr
	ps   []float64
	vals [][]value
}

func (a *percentileAgg) groupBytes() int64 { return 24 }

func (a *percentileAgg) add(g, r int) {
	a.vals = grow(a.vals, g)
	if v := a.e.eval(r); !v.null && !(a.e.typ == TypeReal && math.IsNaN(v.f)) {
		a.x.charge("summarize", 2*valueBytes) // the slice grows by doubling
		a.vals[g] = append(a.vals[g], v)
	}
}

func (a *percentileAgg) columns(ng int) []*column {
	a.vals = grow(a.vals, ng-1)
	cols := make([]*column, len(a.ps))
	for i := range cols {
		cols[i] = newColumn(a.e.typ, ng)
	}
	for g := 0; g < ng; g++ {
		vs := a.vals[g]
		slices.SortFunc(vs, func(x, y value) int { return compareValues(a.e.typ, x, y) })
		for i, p := range a.ps {
			if len(vs) == 0 {
				cols[i].appendValue(nullValue)
				continue
			}
			rank := int(math.Ceil(p / 100 * float64(len(vs))))
			cols[i].appendValue(vs[min(max(rank, 1), len(vs))-1])
		}
	}
	return cols
}

// aggPercentile serves percentile(x, p) and percentiles(x, p1, p2, ...),
// one column per p named percentile_X_p (a fraction's dot becomes _).
func aggPercentile(c *compiler, call *callExpr) ([]ColumnSchema, aggregator) {
	if len(call.args) < 2 || call.name == "percentile" && len(call.args) != 2 {
		c.fail(call.at, "aggregation '%s' expects a value and percentiles", call.name)
	}
	e := c.compile(call.args[0])
	c.argType(call, 0, e, isNumeric(e.typ) || e.typ == TypeDateTime || e.typ == TypeTimespan)
	agg := &percentileAgg{x: c.x, e: e}
	var schema []ColumnSchema
	for i, a := range call.args[1:] {
		p := c.compile(a)
		if !p.isConst || !isNumeric(p.typ) || p.cval.null {
			c.fail(a.pos(), "'%s': percentiles must be numeric constants", call.name)
		}
		pv := toFloat(p.typ, p.cval)
		if !(pv >= 0 && pv <= 100) {
			c.fail(a.pos(), "'%s': percentile %v is outside [0, 100]", call.name, pv)
		}
		agg.ps = append(agg.ps, pv)
		var name string
		if e.col < 0 {
			name = "percentile_" + strings.ReplaceAll(formatReal(pv), ".", "_")
			if len(call.args) > 2 {
				name += "_" + strconv.Itoa(i)
			}
		} else {
			name = aggName("percentile", e) + "_" + strings.ReplaceAll(formatReal(pv), ".", "_")
		}
		schema = append(schema, ColumnSchema{name, e.typ})
	}
	return schema, agg
}

func init() {
	aggFuncs["percentile"] = aggPercentile
	aggFuncs["percentiles"] = aggPercentile
}
