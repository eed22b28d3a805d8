package kql

import (
	"sort"
	"strconv"
	"strings"
)

// posError is one syntax error at a byte offset; tok is the source text of
// the offending token ("<EOF>" at the end of the query).
type posError struct {
	pos int
	msg string
	tok string
}

// errorList collects syntax errors like go/scanner.ErrorList: add as they
// are found, sort by position, and report the first.
type errorList []posError

func (l *errorList) add(pos int, msg, tok string) { *l = append(*l, posError{pos, msg, tok}) }

func (l errorList) sort() { sort.SliceStable(l, func(i, j int) bool { return l[i].pos < l[j].pos }) }

// err converts the first error into the service's SYN0002 shape.
func (l errorList) err(src string) *Error {
	if len(l) == 0 {
		return nil
	}
	l.sort()
	e := l[0]
	line, col := lineCol(src, e.pos)
	return &Error{
		Code:    "SYN0002",
		Message: "Query could not be parsed at '" + e.tok + "' on line [" + strconv.Itoa(line) + "," + strconv.Itoa(col) + "]",
		Token:   e.tok,
		Line:    line,
		Pos:     col,
	}
}

// lineCol converts a byte offset to a 1-based line and 1-based column
// counted in characters.
func lineCol(src string, off int) (line, col int) {
	if off > len(src) {
		off = len(src)
	}
	before := src[:off]
	line = strings.Count(before, "\n") + 1
	start := strings.LastIndexByte(before, '\n') + 1
	return line, len([]rune(before[start:])) + 1
}
