package kql

import (
	"strconv"
	"strings"
)

func (x *execution) operator(f *frame, op operator) *frame {
	switch op := op.(type) {
	case *whereOp:
		return x.where(f, op)
	case *projectOp:
		return x.project(f, op)
	case *extendOp:
		return x.extend(f, op, "extend")
	case *projectAwayOp:
		return x.projectAway(f, op)
	case *projectRenameOp:
		return x.projectRename(f, op)
	case *projectReorderOp:
		return x.projectReorder(f, op)
	case *summarizeOp:
		return x.summarize(f, op)
	case *sortOp:
		return x.sort(f, op.keys, op.at, "sort", -1)
	case *takeOp:
		return x.take(f, op.n, "take")
	case *topOp:
		return x.take(x.sort(f, op.keys, op.at, "top", x.rowCount(op.n, "top")), op.n, "top")
	case *distinctOp:
		return x.distinct(f, op)
	case *countOp:
		c := &column{typ: TypeLong, i: []int64{int64(f.rows())}}
		return &frame{schema: []ColumnSchema{{"Count", TypeLong}}, cols: []*column{c}, n: 1}
	case *renderOp:
		return f
	case *getschemaOp:
		return getschema(f) // run handles the last one without computing rows
	case *unionOp:
		return x.union(f, op.args)
	case *joinOp:
		return x.join(f, op)
	}
	x.fail("SEM0001", -1, "", "unsupported operator %s", op.opName())
	return nil
}

func (x *execution) where(f *frame, op *whereOp) *frame {
	c := &compiler{x: x, f: f, op: "where", at: op.at}
	p := c.compile(op.pred)
	if p.typ != TypeBool {
		c.fail(op.pred.pos(), "the predicate must be a bool, got %s", p.typ)
	}
	out := &frame{schema: f.schema, cols: f.cols, n: f.n}
	if p.isConst {
		if !p.cval.null && p.cval.i != 0 {
			out.sel = f.sel
		} else {
			out.sel = []int32{}
		}
		return out
	}
	ev := p.eval
	var sel []int32
	if f.sel == nil {
		sel = make([]int32, 0, f.n/8+16)
		charged := int64(cap(sel))
		x.charge("where", selBytes*charged)
		for r := 0; r < f.n; r++ {
			x.poll()
			if v := ev(r); v.i != 0 && !v.null {
				if len(sel) == cap(sel) {
					// The next append doubles the vector: charge it first.
					x.charge("where", selBytes*int64(2*cap(sel))-selBytes*charged)
					charged = int64(2 * cap(sel))
				}
				sel = append(sel, int32(r))
			}
		}
	} else {
		// Frames flow through a pipeline without being shared (tabular lets
		// and union legs are re-run, loaded tables have no sel), so the
		// input's selection vector can be filtered in place.
		sel = f.sel[:0]
		for _, r := range f.sel {
			x.poll()
			if v := ev(int(r)); v.i != 0 && !v.null {
				sel = append(sel, r)
			}
		}
	}
	out.sel = sel
	return out
}

// evalColumn computes ce for every row of f into a new dense column,
// charged to the operator op: the cells before they are allocated, and
// the text of computed strings as it is made, rounded up as the allocator
// does (strings that only share a loaded column's text are charged too,
// which errs on the safe side).
func (x *execution) evalColumn(f *frame, ce *cexpr, op string) *column {
	n := f.rows()
	x.charge(op, int64(n)*cellBytes(ce.typ))
	col := newColumn(ce.typ, n)
	str := storageOf(ce.typ) == stStr
	var text int64
	for k := 0; k < n; k++ {
		x.poll()
		v := ce.eval(f.row(k))
		if str && v.s != "" {
			// The allocator rounds each string up to its size class.
			if text += int64(len(v.s)) + 8; text >= 1<<16 {
				x.charge(op, text)
				text = 0
			}
		}
		col.appendValue(v)
	}
	x.charge(op, text)
	return col
}

// inferName is Kusto's name for an unnamed expression: a column keeps
// its name, anything else becomes ColumnN (or the prefix given).
func inferName(ce *cexpr, e expr, fallback string) string {
	if ce.col >= 0 {
		return ce.name
	}
	if id, ok := e.(*identExpr); ok {
		return id.name // a let-bound scalar
	}
	if call, ok := e.(*callExpr); ok && (call.name == "bin" || call.name == "floor") && len(call.args) > 0 {
		if id, ok := call.args[0].(*identExpr); ok {
			return id.name
		}
	}
	return fallback
}

func (x *execution) project(f *frame, op *projectOp) *frame {
	c := &compiler{x: x, f: f, op: "project", at: op.at}
	out := &frame{}
	computed := false
	ces := make([]*cexpr, len(op.cols))
	for i, ne := range op.cols {
		ce := c.compile(ne.e)
		name := ne.name
		if name == "" {
			name = inferName(ce, ne.e, "Column"+strconv.Itoa(i+1))
		}
		if out.has(name) {
			c.fail(ne.e.pos(), "A column named '%s' is already projected", name)
		}
		out.schema = append(out.schema, ColumnSchema{name, ce.typ})
		ces[i] = ce
		computed = computed || ce.col < 0
	}
	if !computed {
		for _, ce := range ces {
			out.cols = append(out.cols, f.cols[ce.col])
		}
		out.sel, out.n = f.sel, f.n
		return out
	}
	idx := f.indices()
	if f.sel == nil {
		x.charge("project", selBytes*int64(len(idx)))
	}
	for _, ce := range ces {
		if ce.col >= 0 {
			x.charge("project", int64(len(idx))*cellBytes(ce.typ))
			out.cols = append(out.cols, f.cols[ce.col].gather(idx))
		} else {
			out.cols = append(out.cols, x.evalColumn(f, ce, "project"))
		}
	}
	out.n = f.rows()
	return out
}

func (f *frame) has(name string) bool { return f.colIndex(name) >= 0 }

// extend adds or replaces columns; each may use the ones before it.
func (x *execution) extend(f *frame, op *extendOp, opName string) *frame {
	f = x.dense(f, opName)
	out := &frame{schema: append([]ColumnSchema(nil), f.schema...), cols: append([]*column(nil), f.cols...), n: f.n}
	for i, ne := range op.cols {
		c := &compiler{x: x, f: out, op: opName, at: op.at}
		ce := c.compile(ne.e)
		name := ne.name
		if name == "" {
			fallback := "Column" + strconv.Itoa(i+1)
			if opName == "print" {
				fallback = "print_" + strconv.Itoa(i)
			}
			name = inferName(ce, ne.e, fallback)
		}
		col := x.evalColumn(out, ce, opName)
		if j := out.colIndex(name); j >= 0 {
			out.schema[j], out.cols[j] = ColumnSchema{name, ce.typ}, col
		} else {
			out.schema = append(out.schema, ColumnSchema{name, ce.typ})
			out.cols = append(out.cols, col)
		}
	}
	return out
}

// matchName matches a column name against a pattern with * wildcards.
func matchName(pattern, name string) bool {
	if !strings.Contains(pattern, "*") {
		return pattern == name
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	name = name[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(name, p)
		if i < 0 {
			return false
		}
		name = name[i+len(p):]
	}
	return strings.HasSuffix(name, parts[len(parts)-1])
}

// resolveNames returns, per pattern, the matching column indices; a plain
// name that matches nothing is an unknown column.
func (x *execution) resolveNames(f *frame, names []identExpr, op string) [][]int {
	out := make([][]int, len(names))
	for k, id := range names {
		for i, cs := range f.schema {
			if matchName(id.name, cs.Name) {
				out[k] = append(out[k], i)
			}
		}
		if len(out[k]) == 0 && !strings.Contains(id.name, "*") {
			x.fail("SEM0100", id.at, id.name, "'%s' operator: Failed to resolve scalar expression named '%s'", op, id.name)
		}
	}
	return out
}

func (x *execution) projectAway(f *frame, op *projectAwayOp) *frame {
	name := "project-away"
	if op.keep {
		name = "project-keep"
	}
	listed := map[int]bool{}
	for _, idx := range x.resolveNames(f, op.names, name) {
		for _, i := range idx {
			listed[i] = true
		}
	}
	out := &frame{sel: f.sel, n: f.n}
	for i := range f.schema {
		if listed[i] == op.keep {
			out.schema = append(out.schema, f.schema[i])
			out.cols = append(out.cols, f.cols[i])
		}
	}
	return out
}

func (x *execution) projectReorder(f *frame, op *projectReorderOp) *frame {
	out := &frame{sel: f.sel, n: f.n}
	done := map[int]bool{}
	add := func(i int) {
		if !done[i] {
			done[i] = true
			out.schema = append(out.schema, f.schema[i])
			out.cols = append(out.cols, f.cols[i])
		}
	}
	for _, idx := range x.resolveNames(f, op.names, "project-reorder") {
		for _, i := range idx {
			add(i)
		}
	}
	for i := range f.schema {
		add(i)
	}
	return out
}

func (x *execution) projectRename(f *frame, op *projectRenameOp) *frame {
	out := &frame{schema: append([]ColumnSchema(nil), f.schema...), cols: f.cols, sel: f.sel, n: f.n}
	for k, old := range op.oldNames {
		i := out.colIndex(old.name)
		if i < 0 {
			x.fail("SEM0100", old.at, old.name, "'project-rename' operator: Failed to resolve scalar expression named '%s'", old.name)
		}
		if j := out.colIndex(op.newNames[k]); j >= 0 && j != i {
			x.fail("SEM0001", old.at, old.name, "'project-rename' operator: a column named '%s' already exists", op.newNames[k])
		}
		out.schema[i].Name = op.newNames[k]
	}
	return out
}
