package kql

import (
	"reflect"
	"testing"
)

type scanned struct {
	tok token
	lit string
}

func scanAll(src string) ([]scanned, []string) {
	var s scanner
	var errs []string
	s.init(src, func(pos int, tok, msg string) { errs = append(errs, tok) })
	var out []scanned
	for {
		_, tok, lit := s.scan()
		if tok == tEOF {
			return out, errs
		}
		out = append(out, scanned{tok, lit})
	}
}

func TestScanner(t *testing.T) {
	tests := []struct {
		src  string
		want []scanned
		errs []string
	}{
		{"T | where x == 1", []scanned{{tIdent, "T"}, {tPipe, "|"}, {tIdent, "where"}, {tIdent, "x"}, {tEq, "=="}, {tInt, "1"}}, nil},
		{"a!=b !~ c =~ d <> e <= >= < > =", []scanned{{tIdent, "a"}, {tNeq, "!="}, {tIdent, "b"}, {tNeqTilde, "!~"}, {tIdent, "c"},
			{tEqTilde, "=~"}, {tIdent, "d"}, {tNeq, "<>"}, {tIdent, "e"}, {tLeq, "<="}, {tGeq, ">="}, {tLt, "<"}, {tGt, ">"}, {tAssign, "="}}, nil},
		{"x !has y !in~ (z) in~ !contains_cs !between !foo", []scanned{{tIdent, "x"}, {tIdent, "!has"}, {tIdent, "y"}, {tIdent, "!in~"},
			{tLParen, "("}, {tIdent, "z"}, {tRParen, ")"}, {tIdent, "in~"}, {tIdent, "!contains_cs"}, {tIdent, "!between"}, {tBang, "!"}, {tIdent, "foo"}}, nil},
		{"project-away project-rename mv-expand project - x top-x", []scanned{{tIdent, "project-away"}, {tIdent, "project-rename"},
			{tIdent, "mv-expand"}, {tIdent, "project"}, {tMinus, "-"}, {tIdent, "x"}, {tIdent, "top"}, {tMinus, "-"}, {tIdent, "x"}}, nil},
		{"1 1.5 1e3 2.5e-2 0x1F 1d 1.5h 30m 10s 100ms 2days 1..5", []scanned{{tInt, "1"}, {tReal, "1.5"}, {tReal, "1e3"}, {tReal, "2.5e-2"},
			{tInt, "0x1F"}, {tTimespan, "1d"}, {tTimespan, "1.5h"}, {tTimespan, "30m"}, {tTimespan, "10s"}, {tTimespan, "100ms"},
			{tTimespan, "2days"}, {tInt, "1"}, {tDotDot, ".."}, {tInt, "5"}}, nil},
		{`"a\"b" 'c\'d' "\t\n\\\u0041\d" @"C:\x""y" @'q' h"hidden" ` + "```multi\nline```", []scanned{{tString, `a"b`}, {tString, `c'd`},
			{tString, "\t\n\\A\\d"}, {tString, `C:\x"y`}, {tString, "q"}, {tString, "hidden"}, {tString, "multi\nline"}}, nil},
		{`['Time Generated'] ["x"] [@'y'] [1]`, []scanned{{tIdent, "Time Generated"}, {tIdent, "x"}, {tIdent, "y"},
			{tLBrack, "["}, {tInt, "1"}, {tRBrack, "]"}}, nil},
		{"datetime(2024-05-01 10:00) time( 1d ) int(null) dynamic([\"a)\", 1]) datetime", []scanned{{tTyped, "datetime(2024-05-01 10:00)"},
			{tTyped, "time( 1d )"}, {tTyped, "int(null)"}, {tTyped, `dynamic(["a)", 1])`}, {tIdent, "datetime"}}, nil},
		{"a // comment | where\n\u00a0b", []scanned{{tIdent, "a"}, {tIdent, "b"}}, nil},
		{"x # 5q \"open", []scanned{{tIdent, "x"}, {tIllegal, "#"}, {tIllegal, "5q"}, {tString, "open"}}, []string{"#", "5q", `"open`}},
		{"datetime(2024", []scanned{{tIllegal, "datetime(2024"}}, []string{"datetime(2024"}},
	}
	for _, tc := range tests {
		got, errs := scanAll(tc.src)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got  %v\n want %v", tc.src, got, tc.want)
		}
		if !reflect.DeepEqual(errs, tc.errs) {
			t.Errorf("%q: errors %q, want %q", tc.src, errs, tc.errs)
		}
	}
}

func TestLineCol(t *testing.T) {
	src := "ab\ncdé\nf"
	for _, tc := range []struct{ off, line, col int }{{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {7, 2, 4}, {8, 3, 1}, {9, 3, 2}, {100, 3, 2}} {
		if l, c := lineCol(src, tc.off); l != tc.line || c != tc.col {
			t.Errorf("lineCol(%d) = %d,%d want %d,%d", tc.off, l, c, tc.line, tc.col)
		}
	}
}
