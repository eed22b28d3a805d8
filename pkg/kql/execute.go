package kql

import (
	"context"
	"fmt"
	"runtime/debug"
	"strconv"
	"time"
)

// execution is the state of one Execute call. It is never shared between
// calls, which with read-only tables makes Execute safe for concurrency.
type execution struct {
	ctx     context.Context
	db      *Database
	opts    Options
	src     string
	now     int64 // ticks
	scalars map[string]*cexpr
	tables  map[string]*pipeline
	depth   int
}

// errCancelled wraps the context's error for the recover in execute.
type errCancelled struct{ err error }

func (db *Database) execute(ctx context.Context, query string, opts Options) (tables []*Table, err error) {
	stmts, errs := parse(query)
	if len(errs) > 0 {
		return nil, errs.err(query)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	x := &execution{
		ctx: ctx, db: db, opts: opts, src: query, now: timeToTicks(now),
		scalars: map[string]*cexpr{}, tables: map[string]*pipeline{},
	}
	defer func() {
		if r := recover(); r != nil {
			tables = nil
			switch r := r.(type) {
			case semError:
				err = r.err
			case errCancelled:
				err = &Error{Code: "QueryCancelled", Message: "The query was cancelled: " + r.err.Error(), cause: r.err}
			default:
				// A bug in the engine: fail this query, not the server.
				err = &Error{Code: "InternalServiceError",
					Message: fmt.Sprintf("internal error: %v", r),
					cause:   fmt.Errorf("panic: %v\n%s", r, debug.Stack())}
			}
		}
	}()
	for _, st := range stmts {
		switch st := st.(type) {
		case *letStmt:
			x.let(st)
		case *queryStmt:
			name := "PrimaryResult"
			if len(tables) > 0 {
				name = "Table_" + strconv.Itoa(len(tables))
			}
			tables = append(tables, x.run(st.p).toTable(name, opts.MaxRows))
		}
	}
	if len(tables) == 0 {
		return nil, &Error{Code: "SEM0001", Message: "The query has no tabular expression to return"}
	}
	return tables, nil
}

// checkCancel is called from long loops every few thousand rows.
func (x *execution) checkCancel() {
	if err := x.ctx.Err(); err != nil {
		panic(errCancelled{err})
	}
}

func (x *execution) let(st *letStmt) {
	delete(x.scalars, st.name)
	delete(x.tables, st.name)
	if st.query != nil {
		x.tables[st.name] = st.query
		return
	}
	if id, ok := st.value.(*identExpr); ok {
		if _, isScalar := x.scalars[id.name]; !isScalar {
			if p, ok := x.tables[id.name]; ok {
				x.tables[st.name] = p
				return
			}
			if _, ok := x.db.Table(id.name); ok {
				x.tables[st.name] = &pipeline{src: &tableSource{at: id.at, name: id.name}}
				return
			}
		}
	}
	c := &compiler{x: x, op: "let", at: st.at}
	v := c.compile(st.value)
	if !v.isConst {
		c.fail(st.at, "'%s' is not a constant scalar", st.name)
	}
	x.scalars[st.name] = constExpr(v.typ, v.cval)
}

// run evaluates a pipeline: its source, then each operator in turn.
func (x *execution) run(p *pipeline) *frame {
	x.depth++
	defer func() { x.depth-- }()
	if x.depth > maxDepth {
		x.fail("SEM0001", -1, "", "query nesting too deep")
	}
	f := x.source(p.src)
	for i, op := range p.ops {
		x.checkCancel()
		if s, ok := op.(*sortOp); ok && i+1 < len(p.ops) {
			if t, ok := p.ops[i+1].(*takeOp); ok {
				// order by ... | take N: only the first N rows are needed.
				f = x.sort(f, s.keys, s.at, "sort", x.rowCount(t.n, "take"))
				continue
			}
		}
		f = x.operator(f, op)
	}
	return f
}

func (x *execution) source(s source) *frame {
	switch s := s.(type) {
	case *tableSource:
		return x.table(s)
	case *subquerySource:
		return x.run(s.p)
	case *unionSource:
		return x.union(nil, s.args)
	case *printSource:
		one := &frame{n: 1}
		return x.extend(one, &extendOp{at: s.at, cols: s.cols}, "print")
	}
	x.fail("SEM0001", s.pos(), "", "unsupported source")
	return nil
}

// table resolves a table name (a tabular let first) and applies the
// request timespan to tables with a TimeGenerated datetime column.
func (x *execution) table(s *tableSource) *frame {
	if p, ok := x.tables[s.name]; ok {
		// Evaluate the bound query without its own binding in scope, so
		// that "let T = T | where ..." refers to the outer T.
		saved := x.tables[s.name]
		delete(x.tables, s.name)
		defer func() { x.tables[s.name] = saved }()
		return x.run(p)
	}
	t, ok := x.db.Table(s.name)
	if !ok {
		x.fail("SEM0100", s.at, s.name, "Failed to resolve table or column expression named '%s'", s.name)
	}
	f := frameOf(t)
	if ts := x.opts.Timespan; ts != nil {
		if i := f.colIndex("TimeGenerated"); i >= 0 && f.schema[i].Type == TypeDateTime {
			col := f.cols[i]
			lo, hi := timeToTicks(ts.Start), timeToTicks(ts.End)
			sel := make([]int32, 0, f.n/4)
			for r := 0; r < f.n; r++ {
				if r&0x3fff == 0 {
					x.checkCancel()
				}
				if !col.isNull(r) && col.i[r] >= lo && col.i[r] < hi {
					sel = append(sel, int32(r))
				}
			}
			f.sel = sel
		}
	}
	return f
}
