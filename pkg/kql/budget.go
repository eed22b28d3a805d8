package kql

import (
	"errors"
	"fmt"
)

// DefaultMaxMemory is the memory budget of one query when Options.MaxMemory
// is not set: 256 MiB. One plugin process serves every Grafana user, so one
// query must not be able to take it down. The largest queries the plugin,
// its dashboards and pivots send over the demo workspace (100,000 rows,
// about 45 MB loaded) hold a few tens of MB (an extend or a join over the
// whole table: see BENCHMARKS.md, "Memory budget"), so 256 MiB leaves them
// a wide margin while a runaway query (the demo's 4.8-million-row self-join
// took 4.4 GiB) stops at a sixteenth of that. Because the Go heap holds
// garbage until the next collection, a query's heap can reach about twice
// its budget.
const DefaultMaxMemory = 256 << 20

// CodeRunawayQuery and HResultRunawayQuery identify the error of a query
// that exceeded its memory budget, as Kusto (the engine behind Log
// Analytics) reports its own per-operator memory limit: the manifest
// constant E_RUNAWAY_QUERY, HRESULT 0x80DA0001 ("Query execution aborted
// because it exceeded its allowed resources"), which the Log Analytics API
// writes as the decimal string "-2133196799" in an innererror code.
// Sources: Kusto's "Query limits" page, section "Limit on memory consumed
// by query operators" ("... has exceeded the memory budget during
// evaluation. Results might be incorrect or incomplete
// (E_RUNAWAY_QUERY)."), its "Runaway queries" page ("a kind of partial
// query failure"), its "Errors in native code" page (the HRESULT table),
// all in MicrosoftDocs/dataexplorer-docs; and a Log Analytics answer quoted
// in Azure/Azure-Sentinel issue 13143: a 200 whose error is PartialError
// with an EngineError detail whose innererror is {"code": "-2133196799",
// "message": "'sort' operator has exceeded the memory budget (5368709120)
// during evaluation. Results may be incorrect or incomplete
// (E_RUNAWAY_QUERY; see https://aka.ms/kustoquerylimits).", "severity": 2,
// "severityName": "Error"}. The engine words its message the same way,
// except that it stops the query instead of returning partial results.
const (
	CodeRunawayQuery          = "E_RUNAWAY_QUERY"
	HResultRunawayQuery int32 = -2133196799 // 0x80DA0001
)

// ErrMemoryBudget is the cause of the *Error a query gets when it exceeds
// its memory budget: errors.Is(err, ErrMemoryBudget) tells it apart from
// other E_RUNAWAY_QUERY errors.
var ErrMemoryBudget = errors.New("kql: query memory budget exceeded")

// budget accounts, approximately but from above, the memory one query
// holds: materialised columns, selection vectors, hash tables, group
// state, sort buffers. Operators charge before they allocate where the
// size is known, and as they grow otherwise (per group, per joined row,
// per string appended), so a query stops before it holds much more than
// its limit. Working state an operator drops when it returns (a join's
// index, a sort's keys) is released; intermediate results are not, which
// overestimates a long pipeline but never underestimates it. The loaded
// tables themselves are not charged.
type budget struct {
	limit, used, peak int64
}

func newBudget(limit int64) budget {
	if limit <= 0 {
		limit = DefaultMaxMemory
	}
	return budget{limit: limit}
}

// charge records n more bytes held by the operator op (its KQL name:
// join, sort, summarize, ...; result for the copy of a small result) and
// stops the query if the budget is exceeded.
func (x *execution) charge(op string, n int64) {
	b := &x.budget
	b.used += n
	if b.used > b.limit {
		if op == "" {
			op = "query"
		}
		panic(semError{&Error{
			Code: CodeRunawayQuery,
			Message: fmt.Sprintf("'%s' operator has exceeded the memory budget (%d) during evaluation (%s; "+
				"see https://aka.ms/kustoquerylimits). The query was stopped: filter rows (where) or columns (project) "+
				"earlier, or summarize before joining or sorting.", op, b.limit, CodeRunawayQuery),
			cause: ErrMemoryBudget,
		}})
	}
	b.peak = max(b.peak, b.used)
}

// checkValueSize stops the query before a function (strcat,
// replace_string) builds one value of n bytes that would not fit in what
// is left of the budget: one row's value is made before evalColumn can
// charge it, and nested calls could otherwise multiply its size. Values
// that fit are not charged here, as most are garbage once compared; the
// column that keeps them charges them. op is the compiler's operator name.
func (x *execution) checkValueSize(op string, n int64) {
	if n > x.budget.limit-x.budget.used {
		x.charge(op, n)
	}
}

// release returns n bytes an operator no longer holds.
func (x *execution) release(n int64) { x.budget.used -= n }

// Estimates of what the engine's structures hold, rounded up.
const (
	// mapEntryBytes covers one entry's slot, control byte and the spare
	// room of a Go map that grows by doubling (both tables are alive while
	// it grows), for keys and values up to 24 bytes.
	mapEntryBytes = 64
	// valueBytes is the size of one value struct (sort keys, percentiles).
	valueBytes = 40
	// selBytes is one entry of a selection vector or row list.
	selBytes = 4
)

// cellBytes is what one cell of a column of type t takes: the slice
// element plus its null flag. String data is charged separately where it
// is new (computed strings); column data shared with a loaded table is not.
func cellBytes(t Type) int64 {
	if storageOf(t) == stStr {
		return 16 + 1
	}
	return 8 + 1
}

// rowBytes is what one materialised row of the schema takes.
func rowBytes(schema []ColumnSchema) int64 {
	var n int64
	for _, c := range schema {
		n += cellBytes(c.Type)
	}
	return n
}
