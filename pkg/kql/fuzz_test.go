package kql

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The fuzzers' seed corpus lives in testdata/fuzz/Fuzz*/ (the notebook's
// queries, the operator and function tests' queries, and the inputs the
// fuzzers found); a plain `go test` replays it. Run them longer with
//
//	go test -run '^$' -fuzz FuzzParse -fuzztime 3m ./pkg/kql
//	go test -run '^$' -fuzz FuzzExecute -fuzztime 3m ./pkg/kql

func addNotebookSeeds(f *testing.F) {
	for _, q := range notebookQueries {
		f.Add(q)
		f.Add(multiline(q))
	}
}

// FuzzParse checks that no input panics the scanner or parser, that every
// failure is a SYN0002 error with a position inside the query, and that
// positions and tokens are consistent.
func FuzzParse(f *testing.F) {
	addNotebookSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		stmts, errs := parse(src)
		if len(errs) == 0 {
			if len(stmts) == 0 {
				t.Fatal("no error and no statements")
			}
			return
		}
		e := errs.err(src)
		if e.Code != "SYN0002" || e.Line < 1 || e.Pos < 1 {
			t.Fatalf("bad error %+v", e)
		}
		if lines := strings.Count(src, "\n") + 1; e.Line > lines {
			t.Fatalf("line %d beyond the %d lines of the query", e.Line, lines)
		}
		if e.Token != "<EOF>" && utf8.ValidString(src) && !strings.Contains(src, e.Token) {
			t.Fatalf("token %q is not in the query", e.Token)
		}
	})
}

var fuzzDB *Database

// FuzzExecute runs arbitrary queries against a small DeviceNetworkEvents
// and the operator tests' table. Any *Error is fine; a panic, a non-*Error
// or an InternalServiceError (a recovered engine bug) fails. Each query
// also runs under a tiny memory budget, which may stop it with
// E_RUNAWAY_QUERY but must never change its answer or its other errors;
// and a query that succeeds is run again with "| getschema" appended,
// which must describe its last result's columns exactly.
func FuzzExecute(f *testing.F) {
	addNotebookSeeds(f)
	if fuzzDB == nil {
		fuzzDB = NewDatabase(newDeviceNetworkEvents(f, 300, 3, notebookNow, 8*24*time.Hour), eventsTable(f), nullsTable(f))
	}
	f.Fuzz(func(t *testing.T, q string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		res, err := fuzzDB.Execute(ctx, q, Options{Now: notebookNow})
		small, smallErr := fuzzDB.Execute(ctx, q, Options{Now: notebookNow, MaxMemory: 16 << 10})
		checkBudgetRun(t, res, err, small, smallErr)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if e.Code == "InternalServiceError" {
				t.Fatalf("engine bug: %v", e.cause)
			}
			return
		}
		if len(res) == 0 || res[0].Name() != "PrimaryResult" {
			t.Fatal("no PrimaryResult")
		}
		for _, tb := range res {
			for c, cs := range tb.Schema() {
				for r := 0; r < tb.Len(); r++ {
					if v := tb.Value(r, c); v != nil && !fitsType(cs.Type, v) {
						t.Fatalf("column %s (%s) holds %T", cs.Name, cs.Type, v)
					}
				}
			}
		}
		checkGetschema(t, ctx, q, res)
	})
}

// checkBudgetRun compares a query's run under the default budget with its
// run under a tiny one.
func checkBudgetRun(t *testing.T, res []*Table, err error, small []*Table, smallErr error) {
	t.Helper()
	if errors.Is(smallErr, ErrMemoryBudget) {
		var e *Error
		if !errors.As(smallErr, &e) || e.Code != CodeRunawayQuery {
			t.Fatalf("a budget error that is not E_RUNAWAY_QUERY: %v", smallErr)
		}
		return
	}
	if (err == nil) != (smallErr == nil) || err != nil && err.Error() != smallErr.Error() {
		t.Fatalf("the budget changed the outcome: %v, then %v", err, smallErr)
	}
	if err == nil && !sameTables(res, small) {
		t.Fatal("the budget changed the answer")
	}
}

// checkGetschema runs q | getschema and compares it with res's last table.
func checkGetschema(t *testing.T, ctx context.Context, q string, res []*Table) {
	t.Helper()
	sres, err := fuzzDB.Execute(ctx, q+"\n| getschema", Options{Now: notebookNow, MaxMemory: 1})
	if err != nil {
		return // such as after a trailing ';', or a query ending in a let
	}
	if len(sres) != len(res) {
		t.Fatalf("getschema changed the number of results: %d, then %d", len(res), len(sres))
	}
	last, desc := res[len(res)-1], sres[len(sres)-1]
	if desc.Len() != len(last.Schema()) {
		t.Fatalf("getschema gives %d rows for %d columns", desc.Len(), len(last.Schema()))
	}
	for i, cs := range last.Schema() {
		if desc.Value(i, 0) != cs.Name || desc.Value(i, 1) != int64(i) || desc.Value(i, 3) != string(cs.Type) {
			t.Fatalf("getschema row %d is %v %v %v, the column is %s (%s)", i, desc.Value(i, 0), desc.Value(i, 1), desc.Value(i, 3), cs.Name, cs.Type)
		}
	}
}

func sameTables(a, b []*Table) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name() != b[i].Name() || !reflect.DeepEqual(a[i].Schema(), b[i].Schema()) || a[i].Len() != b[i].Len() {
			return false
		}
		for r := 0; r < a[i].Len(); r++ {
			for c := range a[i].Schema() {
				va, vb := a[i].Value(r, c), b[i].Value(r, c)
				fa, aok := va.(float64)
				fb, bok := vb.(float64)
				if va != vb && !(aok && bok && math.IsNaN(fa) && math.IsNaN(fb)) {
					return false
				}
			}
		}
	}
	return true
}

func fitsType(t Type, v any) bool {
	switch v.(type) {
	case bool:
		return t == TypeBool
	case int64:
		return t == TypeInt || t == TypeLong
	case float64:
		return t == TypeReal
	case time.Time:
		return t == TypeDateTime
	case time.Duration:
		return t == TypeTimespan
	case string:
		return isStringy(t)
	}
	return false
}
