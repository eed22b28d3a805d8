package kql

import "slices"

// frame is an intermediate result: columns sharing one physical row space
// and a selection vector of the rows still alive. Filters and sorts only
// rewrite sel, so a where over a loaded table copies no column data; plain
// projections just pick columns.
type frame struct {
	schema []ColumnSchema
	cols   []*column
	sel    []int32 // nil means all n rows in order
	n      int     // physical rows
}

func (f *frame) rows() int {
	if f.sel == nil {
		return f.n
	}
	return len(f.sel)
}

// row maps a logical row to its physical index.
func (f *frame) row(k int) int {
	if f.sel == nil {
		return k
	}
	return int(f.sel[k])
}

// indices returns an explicit selection vector (a fresh one if sel is nil).
func (f *frame) indices() []int32 { return f.firstIndices(f.rows()) }

// firstIndices returns the physical indices of the first k rows.
func (f *frame) firstIndices(k int) []int32 {
	if f.sel != nil {
		return f.sel[:k:k]
	}
	s := make([]int32, k)
	for i := range s {
		s[i] = int32(i)
	}
	return s
}

// dense returns a frame with the same rows gathered, so that sel is nil and
// new columns can be added in the same row space; the copy is charged to
// the operator op.
func (x *execution) dense(f *frame, op string) *frame {
	if f.sel == nil {
		return f
	}
	x.charge(op, int64(len(f.sel))*rowBytes(f.schema))
	out := &frame{schema: f.schema, cols: make([]*column, len(f.cols)), n: len(f.sel)}
	for i, c := range f.cols {
		out.cols[i] = c.gather(f.sel)
	}
	return out
}

func (f *frame) colIndex(name string) int {
	for i, c := range f.schema {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// frameOf starts a pipeline on a table. A table's own selection vector is
// copied, as operators may filter a frame's vector in place.
func frameOf(t *Table) *frame {
	if t.sel != nil {
		return &frame{schema: t.schema, cols: t.cols, sel: slices.Clone(t.sel), n: t.phys}
	}
	return &frame{schema: t.schema, cols: t.cols, n: t.n}
}

// toTable turns the frame into a result table. Small results (or small
// fractions of their columns) are copied out; large ones keep the columns
// and the selection vector, which saves copying hundreds of megabytes for
// a query that returns most of a big table. Shared columns are clipped
// (capacity = length) and a shared result copies its rows before any
// AppendRow, so nothing done to a result can reach the loaded tables.
func (x *execution) toTable(f *frame, name string, maxRows int) *Table {
	if maxRows > 0 && f.rows() > maxRows {
		f = &frame{schema: f.schema, cols: f.cols, sel: f.firstIndices(maxRows), n: f.n}
	}
	t := &Table{name: name, schema: append([]ColumnSchema(nil), f.schema...), cols: make([]*column, len(f.cols)), n: f.rows()}
	if f.sel != nil && len(f.sel) > 4096 && 4*len(f.sel) > f.n {
		t.sel, t.phys = f.sel, f.n
		for i, c := range f.cols {
			t.cols[i] = c.clip(f.n)
		}
		return t
	}
	g := x.dense(f, "result")
	for i, c := range g.cols {
		t.cols[i] = c.clip(g.n)
	}
	return t
}
