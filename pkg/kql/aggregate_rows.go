package kql

import (
	"math"
	"strconv"
)

// makeAgg builds make_set (distinct) or make_list per group as JSON arrays.
// Nulls and empty strings (Kusto's null string) are skipped.
type makeAgg struct {
	x     *execution
	e     *cexpr
	set   bool
	limit int
	seen  map[dkey]struct{}
	bufs  [][]byte
	count []int
}

func (a *makeAgg) add(g, r int) {
	a.bufs, a.count = grow(a.bufs, g), grow(a.count, g)
	v := a.e.eval(r)
	if v.null || isStringy(a.e.typ) && v.s == "" || a.count[g] >= a.limit {
		return
	}
	if a.set {
		k := keyOf(a.e.typ, g, v)
		if _, ok := a.seen[k]; ok {
			return
		}
		a.x.charge("summarize", dkeyBytes(k))
		a.seen[k] = struct{}{}
	}
	if a.count[g] > 0 {
		a.bufs[g] = append(a.bufs[g], ',')
	}
	before := len(a.bufs[g])
	a.bufs[g] = appendJSON(a.bufs[g], a.e.typ, v)
	// The buffer grows by doubling and columns copies it into a string.
	a.x.charge("summarize", 3*int64(len(a.bufs[g])-before+1))
	a.count[g]++
}

func (a *makeAgg) groupBytes() int64 { return 24 + 8 + 2 }

func (a *makeAgg) columns(ng int) []*column {
	a.bufs, a.count = grow(a.bufs, ng-1), grow(a.count, ng-1)
	col := newColumn(TypeDynamic, ng)
	for g := 0; g < ng; g++ {
		col.appendValue(value{s: "[" + string(a.bufs[g]) + "]"})
	}
	return []*column{col}
}

func aggMake(c *compiler, call *callExpr, set bool) ([]ColumnSchema, aggregator) {
	a := c.aggArgs(call, 1, 2)
	limit := 1048576
	if len(a) == 2 {
		if !a[1].isConst || !isIntLike(a[1].typ) || a[1].cval.null {
			c.fail(call.at, "'%s': the size limit must be a constant integer", call.name)
		}
		if n := a[1].cval.i; n >= 0 && n < int64(limit) {
			limit = int(n)
		}
	}
	prefix := "list"
	if set {
		prefix = "set"
	}
	return []ColumnSchema{{aggName(prefix, a[0]), TypeDynamic}},
		&makeAgg{x: c.x, e: a[0], set: set, limit: limit, seen: map[dkey]struct{}{}}
}

// argAgg implements arg_max/arg_min: per group the row with the largest
// (smallest) value of the first argument, then the requested columns of
// that row (* for all columns not already in the output).
type argAgg struct {
	e     *cexpr
	sign  int
	outs  []*cexpr
	best  []value
	row   []int
	found []bool
}

func (a *argAgg) add(g, r int) {
	a.best, a.row, a.found = grow(a.best, g), grow(a.row, g), grow(a.found, g)
	v := a.e.eval(r)
	if v.null || a.e.typ == TypeReal && math.IsNaN(v.f) {
		return
	}
	if !a.found[g] || compareValues(a.e.typ, v, a.best[g])*a.sign > 0 {
		a.best[g], a.row[g], a.found[g] = v, r, true
	}
}

func (a *argAgg) groupBytes() int64 { return valueBytes + 8 + 1 }

func (a *argAgg) columns(ng int) []*column {
	a.best, a.row, a.found = grow(a.best, ng-1), grow(a.row, ng-1), grow(a.found, ng-1)
	cols := make([]*column, len(a.outs))
	for i, o := range a.outs {
		col := newColumn(o.typ, ng)
		for g := 0; g < ng; g++ {
			if a.found[g] {
				col.appendValue(o.eval(a.row[g]))
			} else {
				col.appendValue(nullValue)
			}
		}
		cols[i] = col
	}
	return cols
}

func aggArg(c *compiler, call *callExpr, sign int) ([]ColumnSchema, aggregator) {
	if len(call.args) < 1 {
		c.fail(call.at, "aggregation '%s' expects at least one argument", call.name)
	}
	e := c.compile(call.args[0])
	if e.typ == TypeDynamic || e.typ == TypeBool {
		c.argType(call, 0, e, false)
	}
	agg := &argAgg{e: e, sign: sign, outs: []*cexpr{e}}
	first := e.name
	if e.col < 0 {
		first = aggName(map[int]string{1: "max", -1: "min"}[sign], e)
	}
	schema := []ColumnSchema{{first, e.typ}}
	used := map[string]bool{first: true}
	for k, v := range c.byNames {
		used[k] = v
	}
	for i, arg := range call.args[1:] {
		if _, ok := arg.(*starExpr); ok {
			for ci, cs := range c.f.schema {
				if used[cs.Name] {
					continue
				}
				used[cs.Name] = true
				ce := columnExpr(cs.Type, c.f.cols[ci])
				agg.outs = append(agg.outs, ce)
				schema = append(schema, cs)
			}
			continue
		}
		o := c.compile(arg)
		name := o.name
		if o.col < 0 || used[name] {
			name = first + "_arg" + strconv.Itoa(i+1)
		}
		used[name] = true
		agg.outs = append(agg.outs, o)
		schema = append(schema, ColumnSchema{name, o.typ})
	}
	return schema, agg
}
