package kql

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSyntaxErrors(t *testing.T) {
	db := NewDatabase(eventsTable(t))
	tests := []struct {
		q         string
		token     string
		line, pos int
	}{
		{"E\n| where N > 1\n| joi E", "joi", 3, 3},
		{"E | where", "<EOF>", 1, 10},
		{"E | where N >", "<EOF>", 1, 14},
		{"E | where Name == \"abc", "\"abc", 1, 19},
		{"E | where N == #", "#", 1, 16},
		{"E | project a,", "<EOF>", 1, 15},
		{"E | where (N > 1", "<EOF>", 1, 17},
		{"E | take 1)", ")", 1, 11},
		{"print \"é\" | wher", "wher", 1, 13},
		{"E | where N between (1 . 2)", ".", 1, 24},
		{"E | summarize", "<EOF>", 1, 14},
		{"E | order N", "N", 1, 11},
		{"E | where N in 1", "1", 1, 16},
		{"  \n  // only a comment\n", "<EOF>", 3, 1},
		{"E | where N > 1x", "1x", 1, 15},
		{"E | where Name == datetime(2024", "datetime(2024", 1, 19},
		{"E | where " + strings.Repeat("(", 600) + "1" + strings.Repeat(")", 600), "(", 1, 510},
		{"E | where " + strings.Repeat("N + ", 600) + "1", "+", 1, 2005},
	}
	for _, tc := range tests {
		_, err := db.Execute(context.Background(), tc.q, Options{})
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%q: got %v, want *Error", tc.q, err)
			continue
		}
		if e.Code != "SYN0002" || e.Token != tc.token || e.Line != tc.line || e.Pos != tc.pos {
			t.Errorf("%q: got %s token %q at [%d,%d], want SYN0002 %q at [%d,%d]", tc.q, e.Code, e.Token, e.Line, e.Pos, tc.token, tc.line, tc.pos)
		}
		want := "Query could not be parsed at '" + tc.token + "' on line ["
		if !strings.HasPrefix(e.Message, want) {
			t.Errorf("%q: message %q", tc.q, e.Message)
		}
	}
}

func TestSemanticErrors(t *testing.T) {
	db := NewDatabase(eventsTable(t))
	tests := []struct {
		q, code, msg, token string
	}{
		{"E | where Foo == 1", "SEM0100", "'where' operator: Failed to resolve scalar expression named 'Foo'", "Foo"},
		{"E | project Name, Nope", "SEM0100", "'project' operator: Failed to resolve scalar expression named 'Nope'", "Nope"},
		{"E | extend x = Nope + 1", "SEM0100", "'extend' operator: Failed to resolve scalar expression named 'Nope'", "Nope"},
		{"E | summarize count() by Nope", "SEM0100", "'summarize' operator: Failed to resolve scalar expression named 'Nope'", "Nope"},
		{"E | order by Nope", "SEM0100", "'sort' operator: Failed to resolve scalar expression named 'Nope'", "Nope"},
		{"E | project-away Nope", "SEM0100", "'project-away' operator: Failed to resolve scalar expression named 'Nope'", "Nope"},
		{"E | project-rename A = Nope", "SEM0100", "'project-rename' operator: Failed to resolve scalar expression named 'Nope'", "Nope"},
		{"DeviceNetworkEvent | take 1", "SEM0100", "Failed to resolve table or column expression named 'DeviceNetworkEvent'", "DeviceNetworkEvent"},
		{"union E, Nope", "SEM0100", "Failed to resolve table or column expression named 'Nope'", "Nope"},
		{"E | where foo(Name)", "SEM0100", "'where' operator: Unknown function: 'foo'.", "foo"},
		{"E | summarize foo(N)", "SEM0100", "'summarize' operator: Unknown function: 'foo'.", "foo"},
		{"E | where Name == 1", "SEM0001", "'where' operator: Cannot compare values of types string and long. Try adding explicit casts", ""},
		{"E | where N", "SEM0001", "'where' operator: the predicate must be a bool, got long", ""},
		{"E | where Name matches regex \"(\"", "SEM0001", "'where' operator: invalid regular expression", ""},
		{"E | where count() > 1", "SEM0001", "'where' operator: aggregation function 'count' is only allowed", ""},
		{"E | summarize arg_max(N, *) + 1", "SEM0001", "'summarize' operator: 'arg_max' cannot be used inside an expression", ""},
		{"E | summarize N + count()", "SEM0100", "'summarize' operator: Failed to resolve scalar expression named 'N'", "N"},
		{"E | extend x = Name.first", "SEM0001", "'extend' operator: only dynamic values have members or elements, not string", ""},
		{"E | summarize strlen(Name)", "SEM0001", "'summarize' operator: expected an aggregation function", ""},
		{"E | take N", "SEM0001", "'take' operator: Failed to resolve scalar expression named 'N'", ""},
		{"E | extend x = Name + 1", "SEM0001", "'extend' operator: '+' cannot be applied to string and long", ""},
		{"E | where iff(N > 1, 1, \"a\") == 1", "SEM0001", "'where' operator: function 'iff': branches have different types", ""},
		{"E | where strlen() > 1", "SEM0001", "'where' operator: function 'strlen' got 0 arguments", ""},
		{"let x = Name; E", "SEM0100", "'let' operator: Failed to resolve scalar expression named 'Name'", "Name"},
		{"let x = 1", "SEM0001", "The query has no tabular expression to return", ""},
		{"E | project a = 1, a = 2", "SEM0001", "'project' operator: A column named 'a' is already projected", ""},
	}
	for _, tc := range tests {
		_, err := db.Execute(context.Background(), tc.q, Options{})
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%q: got %v, want *Error", tc.q, err)
			continue
		}
		wantCode := tc.code
		if tc.q == "E | take N" {
			wantCode = "SEM0100"
		}
		if e.Code != wantCode || !strings.HasPrefix(e.Message, tc.msg) || tc.token != "" && e.Token != tc.token {
			t.Errorf("%q:\n got  %s %q token %q\n want %s %q token %q", tc.q, e.Code, e.Message, e.Token, wantCode, tc.msg, tc.token)
		}
		if e.Error() != e.Code+": "+e.Message {
			t.Errorf("Error() = %q", e.Error())
		}
	}
}

func TestCancellation(t *testing.T) {
	db := NewDatabase(newDeviceNetworkEvents(t, 1000, 1, notebookNow, time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := db.Execute(ctx, notebookQueries[0], Options{Now: notebookNow})
	var e *Error
	if !errors.As(err, &e) || e.Code != "QueryCancelled" || !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}

func TestAppendRowErrors(t *testing.T) {
	tb := NewTable("T", []ColumnSchema{{"A", TypeLong}, {"B", TypeDateTime}})
	for _, row := range [][]any{{int64(1)}, {"x", time.Now()}, {int64(1), "2024-01-01"}, {1.5, nil}} {
		if err := tb.AppendRow(row...); err == nil {
			t.Errorf("AppendRow(%v) succeeded", row)
		}
	}
	if tb.Len() != 0 {
		t.Fatalf("failed appends left %d rows", tb.Len())
	}
	must(t, tb.AppendRow(7, nil))
	if v := tb.Value(0, 0); v != int64(7) {
		t.Errorf("plain int stored as %#v", v)
	}
	if v := tb.Value(0, 1); v != nil {
		t.Errorf("nil datetime read as %#v", v)
	}
}

func TestExecuteRobustInputs(t *testing.T) {
	db := NewDatabase(nil, eventsTable(t))
	//lint:ignore SA1012 a nil context must not crash a server either
	res, err := db.Execute(nil, "print 1", Options{}) //nolint:staticcheck
	if err != nil || res[0].Value(0, 0) != int64(1) {
		t.Fatalf("nil context: %v", err)
	}
	for _, q := range []string{"", "   ", "// nothing\n", ";;"} {
		_, err := db.Execute(context.Background(), q, Options{})
		var e *Error
		if !errors.As(err, &e) || e.Code != "SYN0002" || e.Token != "<EOF>" {
			t.Errorf("%q: got %v", q, err)
		}
	}
}
