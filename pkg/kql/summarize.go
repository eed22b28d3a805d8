package kql

import (
	"strconv"
)

func (x *execution) summarize(f *frame, op *summarizeOp) *frame {
	return x.summarizeAs(f, op, "summarize")
}

// summarizeAs groups rows by the by-expressions (encoded into one map key
// per row, without allocating for groups already seen) and feeds each
// group's rows to the aggregators. Output: group keys first, then the
// aggregations, groups in order of first appearance.
func (x *execution) summarizeAs(f *frame, op *summarizeOp, opName string) *frame {
	c := &compiler{x: x, f: f, op: opName, at: op.at, byNames: map[string]bool{}}
	// Names given explicitly (A = ..., or a plain column as a key) are
	// declared: Kusto refuses a second declaration of the same name, while
	// inferred names (count_, a bin key) get a numeric suffix instead.
	declared := map[string]bool{}
	declare := func(name string, pos int) {
		if declared[name] {
			c.fail(pos, "A column with the name '%s' is already declared.", name)
		}
		declared[name] = true
	}
	out := &frame{}
	keys := make([]*cexpr, len(op.by))
	for i, ne := range op.by {
		ce := c.compile(ne.e)
		name := ne.name
		if name == "" {
			name = inferName(ce, ne.e, "Column"+strconv.Itoa(i+1))
		}
		if ne.name != "" || ce.col >= 0 {
			declare(name, ne.e.pos())
		}
		keys[i] = ce
		c.byNames[name] = true
		out.schema = append(out.schema, ColumnSchema{name, ce.typ})
		out.cols = append(out.cols, newColumn(ce.typ, 0))
	}
	// Each aggregation is either a direct call (its columns come straight
	// from its aggregator) or an expression over calls such as
	// countif(x) * 100.0 / count(): each call then aggregates into a hidden
	// column, and the expression is computed over the grouped rows.
	var aggs []aggregator
	var aggSchema []ColumnSchema
	type post struct {
		at   int // index in aggSchema
		e    expr
		name string
	}
	var posts []post
	var hidden []aggregator
	var hiddenSchema []ColumnSchema
	for i, ne := range op.aggs {
		if call, ok := ne.e.(*callExpr); ok && aggFuncs[call.name] != nil {
			schema, agg := aggFuncs[call.name](c, call)
			if ne.name != "" {
				declare(ne.name, ne.e.pos())
				schema[0].Name = ne.name
			}
			aggs = append(aggs, agg)
			aggSchema = append(aggSchema, schema...)
			continue
		}
		found := false
		e := rewriteAggs(ne.e, func(call *callExpr) expr {
			found = true
			schema, agg := aggFuncs[call.name](c, call)
			if len(schema) != 1 {
				c.fail(call.at, "'%s' cannot be used inside an expression", call.name)
			}
			name := hiddenPrefix + strconv.Itoa(len(hidden))
			hidden = append(hidden, agg)
			hiddenSchema = append(hiddenSchema, ColumnSchema{name, schema[0].Type})
			return &identExpr{at: call.at, name: name}
		})
		if !found {
			if call, ok := ne.e.(*callExpr); ok && scalarFuncs[call.name].compile == nil {
				x.fail("SEM0100", call.at, call.name, "'%s' operator: Unknown function: '%s'.", opName, call.name)
			}
			c.fail(ne.e.pos(), "expected an aggregation function such as count() or sum()")
		}
		name := ne.name
		if name == "" {
			name = "Column" + strconv.Itoa(i+1)
		} else {
			declare(name, ne.e.pos())
		}
		posts = append(posts, post{len(aggSchema), e, name})
		aggs = append(aggs, nil)
		aggSchema = append(aggSchema, ColumnSchema{name, ""})
	}
	aggs = append(aggs, hidden...)
	aggSchema = append(aggSchema, hiddenSchema...)

	grp := newGrouper(keys)
	// What one more group holds: its entry in the grouper's map and its
	// key cells (string keys twice: in the map and in the output column),
	// the aggregators' state (twice: their slices grow by doubling) and
	// its output cells.
	groupCost := mapEntryBytes + rowBytes(out.schema) + rowBytes(aggSchema)
	for _, a := range aggs {
		if a != nil {
			groupCost += 2 * a.groupBytes()
		}
	}
	ngroups := 0
	n := f.rows()
	for k := 0; k < n; k++ {
		x.poll()
		r := f.row(k)
		g := 0
		if grp != nil {
			gi, isNew := grp.group(r, int32(ngroups))
			if isNew {
				cost := groupCost
				for i, ke := range keys {
					v := ke.eval(r)
					cost += 2 * int64(len(v.s))
					out.cols[i].appendValue(v)
				}
				x.charge(opName, cost)
				ngroups++
			}
			g = int(gi)
		}
		for _, a := range aggs {
			if a != nil {
				a.add(g, r)
			}
		}
	}
	if len(keys) == 0 {
		ngroups = 1 // summarize without by: one row even over no input
	}
	for _, a := range aggs {
		if a == nil {
			out.cols = append(out.cols, nil) // computed below
		} else {
			out.cols = append(out.cols, a.columns(ngroups)...)
		}
	}
	nkeys := len(out.schema)
	out.schema = append(out.schema, aggSchema...)
	out.n = ngroups
	for _, p := range posts {
		pc := &compiler{x: x, f: out, op: opName, at: op.at}
		ce := pc.compile(p.e)
		out.cols[nkeys+p.at] = x.evalColumn(out, ce, opName)
		out.schema[nkeys+p.at].Type = ce.typ
	}
	visible := len(out.schema) - len(hidden)
	out.schema, out.cols = uniqueNames(out.schema[:visible]), out.cols[:visible]
	return out
}

// hiddenPrefix names the columns that hold aggregations used inside
// expressions; a NUL cannot come from a query's unquoted names.
const hiddenPrefix = "\x00agg"

// rewriteAggs copies e, replacing each aggregation call by what repl
// returns. The tree itself is not changed: a tabular let runs it again.
func rewriteAggs(e expr, repl func(*callExpr) expr) expr {
	switch e := e.(type) {
	case *callExpr:
		if aggFuncs[e.name] != nil {
			return repl(e)
		}
		out := &callExpr{at: e.at, name: e.name, args: make([]expr, len(e.args))}
		for i, a := range e.args {
			out.args[i] = rewriteAggs(a, repl)
		}
		return out
	case *binaryExpr:
		return &binaryExpr{at: e.at, op: e.op, x: rewriteAggs(e.x, repl), y: rewriteAggs(e.y, repl)}
	case *unaryExpr:
		return &unaryExpr{at: e.at, op: e.op, x: rewriteAggs(e.x, repl)}
	case *inExpr:
		out := &inExpr{at: e.at, op: e.op, x: rewriteAggs(e.x, repl), list: make([]expr, len(e.list))}
		for i, l := range e.list {
			out.list[i] = rewriteAggs(l, repl)
		}
		return out
	case *betweenExpr:
		return &betweenExpr{at: e.at, not: e.not, x: rewriteAggs(e.x, repl), lo: rewriteAggs(e.lo, repl), hi: rewriteAggs(e.hi, repl)}
	case *indexExpr:
		return &indexExpr{at: e.at, x: rewriteAggs(e.x, repl), key: rewriteAggs(e.key, repl)}
	}
	return e
}

// uniqueNames renames repeated column names the way Kusto does: the
// second "count_" becomes "count_1", and so on.
func uniqueNames(schema []ColumnSchema) []ColumnSchema {
	seen := map[string]bool{}
	for i := range schema {
		name := schema[i].Name
		for k := 1; seen[name]; k++ {
			name = schema[i].Name + strconv.Itoa(k)
		}
		seen[name] = true
		schema[i].Name = name
	}
	return schema
}
