package kql

import (
	"context"
	"fmt"
	"time"
)

// Type is a Log Analytics wire type name.
type Type string

// The Log Analytics column types.
const (
	TypeBool     Type = "bool"
	TypeDateTime Type = "datetime"
	TypeDynamic  Type = "dynamic"
	TypeGUID     Type = "guid"
	TypeInt      Type = "int"
	TypeLong     Type = "long"
	TypeReal     Type = "real"
	TypeString   Type = "string"
	TypeTimespan Type = "timespan"
	TypeDecimal  Type = "decimal"
)

// ColumnSchema names and types one column.
type ColumnSchema struct {
	Name string
	Type Type
}

// Table is an in-memory typed, columnar table (columns typed by Type; nulls
// allowed in any column). Tables are read-only once loaded into a Database,
// which is what makes concurrent Execute calls safe.
type Table struct {
	name   string
	schema []ColumnSchema
	cols   []*column
	n      int
	// sel, when set, lists the rows of cols that make up the table: large
	// query results keep the loaded columns and a selection vector instead
	// of copying every cell. phys is then the columns' length.
	sel  []int32
	phys int
}

// NewTable returns an empty table with the given schema. Unknown types are
// stored as strings, the most forgiving representation.
func NewTable(name string, schema []ColumnSchema) *Table {
	t := &Table{name: name, schema: append([]ColumnSchema(nil), schema...)}
	t.cols = make([]*column, len(schema))
	for i, c := range schema {
		t.cols[i] = newColumn(c.Type, 0)
	}
	return t
}

// AppendRow appends one row; values in schema order, each nil or the Go type
// for its column: bool; int64 (int, long; plain int also accepted); float64
// (real); string (string, guid, dynamic = JSON text, decimal = text);
// time.Time (datetime, stored UTC); time.Duration (timespan). A wrong type or
// count is an error and leaves the table unchanged. As Kusto has no null
// string, nil in a string column is stored as "" (guid, dynamic and decimal
// keep their nulls).
func (t *Table) AppendRow(values ...any) error {
	if len(values) != len(t.cols) {
		return fmt.Errorf("kql: table %s: row has %d values, schema has %d columns", t.name, len(values), len(t.cols))
	}
	for i, v := range values {
		if !t.cols[i].accepts(v) {
			return fmt.Errorf("kql: table %s: column %s (%s): cannot store %T", t.name, t.schema[i].Name, t.schema[i].Type, v)
		}
	}
	t.own()
	for i, v := range values {
		t.cols[i].appendAny(v)
	}
	t.n++
	return nil
}

// own makes the table's columns its own before a write: a result that
// shares a loaded table's columns gets copies of its rows.
func (t *Table) own() {
	if t.sel == nil {
		return
	}
	for i, c := range t.cols {
		t.cols[i] = c.gather(t.sel)
	}
	t.sel, t.phys = nil, 0
}

// Grow reserves room for n more rows, so that loading a known number of
// rows does not copy the columns as they grow.
func (t *Table) Grow(n int) {
	t.own()
	for _, c := range t.cols {
		c.grow(n)
	}
}

// Name returns the table's name.
func (t *Table) Name() string { return t.name }

// Schema returns a copy of the table's columns.
func (t *Table) Schema() []ColumnSchema { return append([]ColumnSchema(nil), t.schema...) }

// Len returns the number of rows.
func (t *Table) Len() int { return t.n }

// Value returns the cell: nil or the Go type listed at AppendRow (int64 for
// int and long; never nil for string columns).
func (t *Table) Value(row, col int) any {
	if t.sel != nil {
		row = int(t.sel[row])
	}
	return t.cols[col].valueAt(row)
}

// Database is a set of tables by name, the workspace a query runs against.
type Database struct {
	tables map[string]*Table
}

// NewDatabase returns a database holding the tables; a later table with the
// same name replaces an earlier one, and nil tables are skipped.
func NewDatabase(tables ...*Table) *Database {
	db := &Database{tables: make(map[string]*Table, len(tables))}
	for _, t := range tables {
		if t != nil {
			db.tables[t.name] = t
		}
	}
	return db
}

// Table returns the named table (names are case-sensitive, as in Kusto).
func (db *Database) Table(name string) (*Table, bool) {
	t, ok := db.tables[name]
	return t, ok
}

// TimeRange is a half-open interval [Start, End).
type TimeRange struct{ Start, End time.Time }

// Options tune one Execute call.
type Options struct {
	// Now is what now() and ago() use; zero means time.Now().
	Now time.Time
	// Timespan is the request's timespan: tables with a TimeGenerated column
	// are restricted to Start <= TimeGenerated < End, as the service
	// intersects the timespan with the query.
	Timespan *TimeRange
	// MaxRows caps each result table (0 = no limit). The emulator truncates
	// itself, so it can leave this zero.
	MaxRows int
	// MaxMemory is the query's memory budget in bytes; zero or less means
	// DefaultMaxMemory. A query that needs more stops with an *Error of
	// Code CodeRunawayQuery whose cause is ErrMemoryBudget (see budget.go
	// for what is counted).
	MaxMemory int64
}

// Execute parses and runs a query. Tables[0] is named "PrimaryResult"; further
// tabular statements give "Table_1", "Table_2", ...
//
// Errors are *Error. As a last-resort safety net for servers, an unexpected
// panic inside the engine (a bug) is converted into an *Error with Code
// "InternalServiceError" rather than killing the process; the fuzz tests exist
// so that this never happens.
func (db *Database) Execute(ctx context.Context, query string, opts Options) (tables []*Table, err error) {
	tables, _, err = db.execute(ctx, query, opts)
	return tables, err
}
