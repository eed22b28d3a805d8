package kql

// The syntax tree. Every node records the byte offset where it starts so
// that semantic errors can point at it like syntax errors do.

// expr is a scalar expression.
type expr interface{ pos() int }

type (
	// identExpr names a column or a let-bound value.
	identExpr struct {
		at   int
		name string
	}
	// litExpr is a literal; kind is the token it came from and text its
	// literal text (decoded for strings, "name(raw)" for typed literals).
	litExpr struct {
		at   int
		kind token
		text string
	}
	binaryExpr struct {
		at   int // operator position
		op   string
		x, y expr
	}
	unaryExpr struct {
		at int
		op string
		x  expr
	}
	callExpr struct {
		at   int
		name string
		args []expr
	}
	// inExpr is x in (list), with op one of in, !in, in~, !in~; also used for
	// has_any and has_all, which take the same list form.
	inExpr struct {
		at   int
		op   string
		x    expr
		list []expr
	}
	betweenExpr struct {
		at     int
		not    bool
		x      expr
		lo, hi expr
	}
	// starExpr is * as a function argument, as in arg_max(T, *).
	starExpr struct{ at int }
	// indexExpr is a dynamic accessor: x.name, x["name"] or x[i].
	indexExpr struct {
		at     int
		x, key expr
	}
)

func (e *identExpr) pos() int   { return e.at }
func (e *litExpr) pos() int     { return e.at }
func (e *binaryExpr) pos() int  { return e.at }
func (e *unaryExpr) pos() int   { return e.at }
func (e *callExpr) pos() int    { return e.at }
func (e *inExpr) pos() int      { return e.at }
func (e *betweenExpr) pos() int { return e.at }
func (e *starExpr) pos() int    { return e.at }
func (e *indexExpr) pos() int   { return e.at }

// namedExpr is "Name = expr" or a bare expr (name empty, inferred later).
type namedExpr struct {
	name string
	e    expr
}

// sortKey is one "expr [asc|desc] [nulls first|last]".
type sortKey struct {
	e          expr
	asc        bool
	nullsFirst bool
}

// unionArgs are union's parameters and legs.
type unionArgs struct {
	withSource string // name of the column telling each row's origin
	inner      bool   // kind=inner: only the columns common to all legs
	legs       []*pipeline
}

// pipeline is a tabular source followed by operators.
type pipeline struct {
	src source
	ops []operator
}

// source starts a pipeline.
type source interface{ pos() int }

type (
	tableSource struct {
		at   int
		name string
	}
	unionSource struct {
		at   int
		args unionArgs
	}
	printSource struct {
		at   int
		cols []namedExpr
	}
	// subquerySource is a parenthesized pipeline used as a source.
	subquerySource struct {
		at int
		p  *pipeline
	}
)

func (s *tableSource) pos() int    { return s.at }
func (s *unionSource) pos() int    { return s.at }
func (s *printSource) pos() int    { return s.at }
func (s *subquerySource) pos() int { return s.at }

// operator is one "| op ..." step.
type operator interface{ opName() string }

type (
	whereOp struct {
		at   int
		pred expr
	}
	projectOp struct {
		at   int
		cols []namedExpr
	}
	// projectAwayOp drops the named columns, or with keep (project-keep)
	// keeps only them, in the table's order.
	projectAwayOp struct {
		at    int
		names []identExpr // may contain * wildcards
		keep  bool
	}
	projectRenameOp struct {
		at       int
		newNames []string
		oldNames []identExpr
	}
	projectReorderOp struct {
		at    int
		names []identExpr
	}
	extendOp struct {
		at   int
		cols []namedExpr
	}
	summarizeOp struct {
		at   int
		aggs []namedExpr
		by   []namedExpr
	}
	sortOp struct {
		at   int
		keys []sortKey
	}
	takeOp struct {
		at int
		n  expr
	}
	topOp struct {
		at   int
		n    expr
		keys []sortKey
	}
	distinctOp struct {
		at   int
		cols []expr // nil means *
	}
	countOp  struct{ at int }
	renderOp struct{ at int }
	unionOp  struct {
		at   int
		args unionArgs
	}
)

func (o *whereOp) opName() string          { return "where" }
func (o *projectOp) opName() string        { return "project" }
func (o *projectAwayOp) opName() string    { return "project-away" }
func (o *projectRenameOp) opName() string  { return "project-rename" }
func (o *projectReorderOp) opName() string { return "project-reorder" }
func (o *extendOp) opName() string         { return "extend" }
func (o *summarizeOp) opName() string      { return "summarize" }
func (o *sortOp) opName() string           { return "sort" }
func (o *takeOp) opName() string           { return "take" }
func (o *topOp) opName() string            { return "top" }
func (o *distinctOp) opName() string       { return "distinct" }
func (o *countOp) opName() string          { return "count" }
func (o *renderOp) opName() string         { return "render" }
func (o *unionOp) opName() string          { return "union" }
func (o *joinOp) opName() string           { return "join" }

// joinOp is "join [kind=K] (right) on keys"; each key names the left and
// the right column (the same name for "on Col").
type joinOp struct {
	at     int
	kind   string
	right  *pipeline
	left   []identExpr
	rightK []identExpr
}

// statement is a let binding or a tabular query.
type statement interface{ stmtPos() int }

type (
	letStmt struct {
		at    int
		name  string
		value expr      // a scalar, or an identExpr naming a table
		query *pipeline // set instead of value for tabular lets
	}
	queryStmt struct {
		at int
		p  *pipeline
	}
)

func (s *letStmt) stmtPos() int   { return s.at }
func (s *queryStmt) stmtPos() int { return s.at }
