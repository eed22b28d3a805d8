package kql

import (
	"context"
	"errors"
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
// or an InternalServiceError (a recovered engine bug) fails.
func FuzzExecute(f *testing.F) {
	addNotebookSeeds(f)
	if fuzzDB == nil {
		fuzzDB = NewDatabase(newDeviceNetworkEvents(f, 300, 3, notebookNow, 8*24*time.Hour), eventsTable(f), nullsTable(f))
	}
	f.Fuzz(func(t *testing.T, q string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		res, err := fuzzDB.Execute(ctx, q, Options{Now: notebookNow})
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
	})
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
