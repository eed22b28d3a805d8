package kql

import (
	"encoding/binary"
	"math"
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
	out := &frame{}
	keys := make([]*cexpr, len(op.by))
	for i, ne := range op.by {
		ce := c.compile(ne.e)
		name := ne.name
		if name == "" {
			name = inferName(ce, ne.e, "Column"+strconv.Itoa(i+1))
		}
		keys[i] = ce
		c.byNames[name] = true
		out.schema = append(out.schema, ColumnSchema{name, ce.typ})
		out.cols = append(out.cols, newColumn(ce.typ, 0))
	}
	var aggs []aggregator
	var aggSchema []ColumnSchema
	for _, ne := range op.aggs {
		call, ok := ne.e.(*callExpr)
		if !ok || aggFuncs[call.name] == nil {
			if ok && scalarFuncs[call.name].compile == nil {
				x.fail("SEM0100", call.at, call.name, "'%s' operator: Unknown function: '%s'.", opName, call.name)
			}
			c.fail(ne.e.pos(), "expected an aggregation function such as count() or sum()")
		}
		schema, agg := aggFuncs[call.name](c, call)
		if ne.name != "" {
			schema[0].Name = ne.name
		}
		aggs = append(aggs, agg)
		aggSchema = append(aggSchema, schema...)
	}

	grp := newGrouper(keys)
	ngroups := 0
	n := f.rows()
	for k := 0; k < n; k++ {
		if k&0x3fff == 0 {
			x.checkCancel()
		}
		r := f.row(k)
		g := 0
		if grp != nil {
			gi, isNew := grp.group(r, int32(ngroups))
			if isNew {
				ngroups++
				for i, ke := range keys {
					out.cols[i].appendValue(ke.eval(r))
				}
			}
			g = int(gi)
		}
		for _, a := range aggs {
			a.add(g, r)
		}
	}
	if len(keys) == 0 {
		ngroups = 1 // summarize without by: one row even over no input
	}
	for _, a := range aggs {
		out.cols = append(out.cols, a.columns(ngroups)...)
	}
	out.schema = uniqueNames(append(out.schema, aggSchema...))
	out.n = ngroups
	return out
}

// grouper maps a row to its group number, assigning next to a new group.
type grouper interface {
	group(r int, next int32) (g int32, isNew bool)
}

// newGrouper picks a map keyed directly by the value for the common single
// int-like or string key (timecharts, top-N by name), and an encoded
// composite key otherwise. Nil means no keys: one group.
func newGrouper(keys []*cexpr) grouper {
	switch {
	case len(keys) == 0:
		return nil
	case len(keys) == 1 && storageOf(keys[0].typ) == stInt:
		return &intGrouper{e: keys[0].eval, m: map[int64]int32{}, null: -1}
	case len(keys) == 1 && keys[0].typ == TypeString:
		return &stringGrouper{e: keys[0].eval, m: map[string]int32{}}
	}
	return &encodedGrouper{keys: keys, m: map[string]int32{}}
}

type intGrouper struct {
	e    func(int) value
	m    map[int64]int32
	null int32
}

func (g *intGrouper) group(r int, next int32) (int32, bool) {
	v := g.e(r)
	if v.null {
		if g.null < 0 {
			g.null = next
			return next, true
		}
		return g.null, false
	}
	if gi, ok := g.m[v.i]; ok {
		return gi, false
	}
	g.m[v.i] = next
	return next, true
}

type stringGrouper struct {
	e func(int) value
	m map[string]int32
}

func (g *stringGrouper) group(r int, next int32) (int32, bool) {
	s := g.e(r).s
	if gi, ok := g.m[s]; ok {
		return gi, false
	}
	g.m[s] = next
	return next, true
}

type encodedGrouper struct {
	keys []*cexpr
	m    map[string]int32
	buf  []byte
}

func (g *encodedGrouper) group(r int, next int32) (int32, bool) {
	g.buf = g.buf[:0]
	for _, ke := range g.keys {
		g.buf = encodeKey(g.buf, ke.typ, ke.eval(r))
	}
	if gi, ok := g.m[string(g.buf)]; ok {
		return gi, false
	}
	g.m[string(g.buf)] = next
	return next, true
}

// encodeKey appends a self-delimiting encoding of v to buf.
func encodeKey(buf []byte, t Type, v value) []byte {
	if v.null {
		return append(buf, 0)
	}
	buf = append(buf, 1)
	switch storageOf(t) {
	case stInt:
		return binary.LittleEndian.AppendUint64(buf, uint64(v.i))
	case stReal:
		return binary.LittleEndian.AppendUint64(buf, math.Float64bits(v.f+0))
	}
	buf = binary.AppendUvarint(buf, uint64(len(v.s)))
	return append(buf, v.s...)
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
