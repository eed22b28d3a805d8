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
	budget  budget
	polls   uint32
	// schemaOnly is above zero while the input of a getschema is computed:
	// tables then read as empty, so only the schema is worked out.
	schemaOnly int
}

// stats are figures of one execution, for the tests and benchmarks.
type stats struct {
	peakBytes int64 // the budget's high-water mark
}

// errCancelled wraps the context's error for the recover in execute.
type errCancelled struct{ err error }

func (db *Database) execute(ctx context.Context, query string, opts Options) (tables []*Table, st stats, err error) {
	stmts, errs := parse(query)
	if len(errs) > 0 {
		return nil, st, errs.err(query)
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
		budget: newBudget(opts.MaxMemory),
	}
	defer func() {
		st.peakBytes = x.budget.peak
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
			tables = append(tables, x.toTable(x.run(st.p), name, opts.MaxRows))
		}
	}
	if len(tables) == 0 {
		return nil, st, &Error{Code: "SEM0001", Message: "The query has no tabular expression to return"}
	}
	return tables, st, nil
}

// pollEvery is how many units of work (rows, comparisons, joined rows)
// pass between two looks at the context: at a few hundred nanoseconds per
// unit at worst, a cancelled query stops well within 100 ms.
const pollEvery = 1024

// poll is called once per unit of work in every loop that grows with the
// data; every pollEvery calls it checks the context.
func (x *execution) poll() {
	x.polls++
	if x.polls%pollEvery == 0 {
		x.checkCancel()
	}
}

// checkCancel stops the query if its context has ended. It is kept out of
// line so that poll, called per row, inlines.
//
//go:noinline
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
	ops := p.ops
	var f *frame
	if k := lastGetschema(ops); k >= 0 {
		// Everything before the last getschema only needs its schema.
		x.schemaOnly++
		f = x.runOps(x.source(p.src), ops[:k])
		x.schemaOnly--
		f, ops = getschema(f), ops[k+1:]
	} else {
		f = x.source(p.src)
	}
	return x.runOps(f, ops)
}

// runOps applies the operators in turn.
func (x *execution) runOps(f *frame, ops []operator) *frame {
	for i, op := range ops {
		x.checkCancel()
		if s, ok := op.(*sortOp); ok && i+1 < len(ops) {
			if t, ok := ops[i+1].(*takeOp); ok {
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
	if x.schemaOnly > 0 {
		f.sel = []int32{}
		return f
	}
	if ts := x.opts.Timespan; ts != nil {
		if i := f.colIndex("TimeGenerated"); i >= 0 && f.schema[i].Type == TypeDateTime {
			col := f.cols[i]
			lo, hi := timeToTicks(ts.Start), timeToTicks(ts.End)
			sel := make([]int32, 0, f.n/4)
			for r := 0; r < f.n; r++ {
				x.poll()
				if !col.isNull(r) && col.i[r] >= lo && col.i[r] < hi {
					sel = append(sel, int32(r))
				}
			}
			x.charge("where", selBytes*int64(cap(sel)))
			f.sel = sel
		}
	}
	return f
}
