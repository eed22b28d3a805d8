package emulator

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
)

// EngineExecutor answers queries with the pkg/kql engine: each workspace is a set of tables.
// Tables given to NewEngineExecutor form the default workspace, which answers for every workspace
// id not added with AddWorkspace; with no default tables, unknown workspaces get the service's 404.
//
// The request's timespan restricts every table's TimeGenerated (the engine's Options.Timespan),
// as the service intersects it with the query's own filters. A cross-workspace query (the body's
// "workspaces") runs over the union of the named workspaces' tables, each table name once per
// distinct workspace (a workspace that resolves to the same tables as another adds nothing);
// unions are built once and cached. Engine errors become the service's 400s (SyntaxError or
// SemanticError chains carrying the engine's code, message, line, position and token).
type EngineExecutor struct {
	// Now is the clock for now() and ago() (default time.Now).
	Now func() time.Time
	// MaxMemory is each query's memory budget in bytes (kql.Options.MaxMemory; 0: the engine's
	// default). A query past it gets the service's E_RUNAWAY_QUERY partial error.
	MaxMemory int64
	// Slots, when not nil, bounds the queries that run at once: a query waits for a slot (or for
	// its context) before it runs, so that the engine's memory is at most len(Slots) budgets.
	Slots chan struct{}

	mu     sync.Mutex
	def    *workspaceTables
	byID   map[string]*workspaceTables
	unions map[string]*kql.Database
}

type workspaceTables struct {
	tables []*kql.Table
	db     *kql.Database
}

// NewEngineExecutor serves tables as the default workspace (see EngineExecutor).
func NewEngineExecutor(tables ...*kql.Table) *EngineExecutor {
	e := &EngineExecutor{byID: map[string]*workspaceTables{}, unions: map[string]*kql.Database{}}
	if len(tables) > 0 {
		e.def = &workspaceTables{tables: tables, db: kql.NewDatabase(tables...)}
	}
	return e
}

// AddWorkspace gives workspace id (compared case-insensitively) its own tables and returns e.
func (e *EngineExecutor) AddWorkspace(id string, tables ...*kql.Table) *EngineExecutor {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.byID[strings.ToLower(id)] = &workspaceTables{tables: tables, db: kql.NewDatabase(tables...)}
	clear(e.unions)
	return e
}

func (e *EngineExecutor) lookup(id string) (*workspaceTables, bool) {
	if w, ok := e.byID[strings.ToLower(id)]; ok {
		return w, true
	}
	return e.def, e.def != nil
}

// database resolves the request's workspaces to one database.
func (e *EngineExecutor) database(req Request) (*kql.Database, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var set []*workspaceTables
	var keys []string
	for _, id := range req.AllWorkspaces() {
		w, ok := e.lookup(id)
		if !ok {
			se := WorkspaceNotFoundError()
			se.Message = fmt.Sprintf("%s: '%s'", msgWorkspace404, id)
			return nil, se
		}
		if !slices.Contains(set, w) {
			set = append(set, w)
			keys = append(keys, fmt.Sprintf("%p", w))
		}
	}
	if len(set) == 1 {
		return set[0].db, nil
	}
	slices.Sort(keys)
	key := strings.Join(keys, ",")
	if db, ok := e.unions[key]; ok {
		return db, nil
	}
	db := unionDatabase(set)
	e.unions[key] = db
	return db, nil
}

// unionDatabase concatenates same-named tables of several workspaces. Columns are matched by
// name; a column missing from one workspace is null there, and a value whose type differs from
// the first workspace's column type is null too (the engine's columns are typed).
func unionDatabase(set []*workspaceTables) *kql.Database {
	var names []string
	byName := map[string][]*kql.Table{}
	for _, w := range set {
		for _, t := range w.tables {
			if _, ok := byName[t.Name()]; !ok {
				names = append(names, t.Name())
			}
			byName[t.Name()] = append(byName[t.Name()], t)
		}
	}
	var out []*kql.Table
	for _, name := range names {
		parts := byName[name]
		var schema []kql.ColumnSchema
		index := map[string]int{}
		for _, t := range parts {
			for _, c := range t.Schema() {
				if _, ok := index[c.Name]; !ok {
					index[c.Name] = len(schema)
					schema = append(schema, c)
				}
			}
		}
		u := kql.NewTable(name, schema)
		row := make([]any, len(schema))
		for _, t := range parts {
			cols := t.Schema()
			for r := 0; r < t.Len(); r++ {
				clear(row)
				for ci, c := range cols {
					j := index[c.Name]
					if schema[j].Type == c.Type {
						row[j] = t.Value(r, ci)
					}
				}
				_ = u.AppendRow(row...) // values come from typed columns of the same type
			}
		}
		out = append(out, u)
	}
	return kql.NewDatabase(out...)
}

// Query implements Executor.
func (e *EngineExecutor) Query(ctx context.Context, req Request) (*Result, error) {
	db, err := e.database(req)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if e.Now != nil {
		now = e.Now
	}
	opts := kql.Options{Now: now(), MaxMemory: e.MaxMemory}
	if req.HasTimespan() {
		opts.Timespan = &kql.TimeRange{Start: req.Start, End: req.End}
	}
	if e.Slots != nil {
		select {
		case e.Slots <- struct{}{}:
			defer func() { <-e.Slots }()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	start := time.Now()
	tables, err := db.Execute(ctx, req.Query, opts)
	if errors.Is(err, kql.ErrMemoryBudget) && ctx.Err() == nil {
		return runaway(ctx, db, req.Query, opts, err), nil
	}
	if err != nil {
		return nil, engineError(ctx, err)
	}
	res := &Result{Tables: make([]*Table, len(tables))}
	var dataset []string
	for i, t := range tables {
		res.Tables[i] = wireTable(t)
		dataset = append(dataset, fmt.Sprintf(`{"tableId":"%d","tableRowCount":%d}`, i, t.Len()))
	}
	res.Statistics = []byte(fmt.Sprintf(`{"query":{"executionTime":%g,"resourceUsage":{"cache":{"memory":{"hits":0,"misses":0,"total":0}}}},"dataset":[%s]}`,
		time.Since(start).Seconds(), strings.Join(dataset, ",")))
	return res, nil
}

// wireTable hands an engine table to the encoder without copying its cells.
func wireTable(t *kql.Table) *Table {
	schema := t.Schema()
	cols := make([]Column, len(schema))
	for i, c := range schema {
		cols[i] = Column{Name: c.Name, Type: string(c.Type)}
	}
	return &Table{Name: t.Name(), Columns: cols, Source: t}
}

// runaway answers as Log Analytics does when a query exceeds the engine's memory budget: HTTP 200
// with a PartialError whose EngineError carries the engine's E_RUNAWAY_QUERY message and its HRESULT
// (-2133196799) as the inner code, and the primary result's columns without rows (the engine
// stopped before producing any); getschema gives the columns without running the query again.
func runaway(ctx context.Context, db *kql.Database, query string, opts kql.Options, cause error) *Result {
	var ke *kql.Error
	msg := cause.Error()
	if errors.As(cause, &ke) {
		msg = ke.Message
	}
	empty := kql.NewTable("PrimaryResult", nil)
	if schema, err := db.Execute(ctx, query+"\n| getschema", opts); err == nil && len(schema) > 0 {
		var cols []kql.ColumnSchema
		for r := 0; r < schema[0].Len(); r++ {
			name, _ := schema[0].Value(r, 0).(string)
			typ, _ := schema[0].Value(r, 3).(string)
			cols = append(cols, kql.ColumnSchema{Name: name, Type: kql.Type(typ)})
		}
		empty = kql.NewTable("PrimaryResult", cols)
	}
	return &Result{Tables: []*Table{wireTable(empty)}, Error: PartialError(strconv.Itoa(int(kql.HResultRunawayQuery)), msg)}
}

// engineError maps a kql error to the service's error shapes.
func engineError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err() // the handler turns a passed deadline into 504
	}
	var ke *kql.Error
	if !errors.As(err, &ke) {
		return &ServiceError{Status: 500, Code: "InternalServerError", Message: "An internal error occurred: " + err.Error()}
	}
	inner := &InnerError{Code: ke.Code, Message: ke.Message, Line: ke.Line, Pos: ke.Pos, Token: ke.Token}
	switch {
	case strings.HasPrefix(ke.Code, "SYN"):
		return &ServiceError{Status: 400, Code: "BadArgumentError", Message: msgBadArgument,
			Inner: &InnerError{Code: "SyntaxError", Message: msgSyntax, Inner: inner}}
	case strings.HasPrefix(ke.Code, "SEM"):
		return &ServiceError{Status: 400, Code: "BadArgumentError", Message: msgBadArgument,
			Inner: &InnerError{Code: "SemanticError", Message: msgSemantic, Inner: inner}}
	case ke.Code == "InternalServiceError":
		return &ServiceError{Status: 500, Code: "InternalServerError", Message: "An internal error occurred while processing the query.",
			Inner: inner}
	}
	return &ServiceError{Status: 400, Code: "BadArgumentError", Message: msgBadArgument, Inner: inner}
}
