package macros

import (
	"errors"
	"fmt"
)

// ErrMacro is the sentinel every expansion error wraps, so callers can
// recognise a problem in the user's query text with errors.Is and report it
// as the user's to fix rather than as a plugin failure.
var ErrMacro = errors.New("macro error")

// ErrUnknownMacro is wrapped by errors about a $__name this package does not
// define (it also matches ErrMacro).
var ErrUnknownMacro = fmt.Errorf("%w: unknown macro", ErrMacro)

// Error describes one problem found while expanding macros: which macro,
// where in the query (1-based line and column, counted in bytes), and what
// is wrong, in words a dashboard author can act on.
type Error struct {
	Macro  string // e.g. "$__contains"; empty when the problem is not tied to one macro
	Line   int
	Column int
	Msg    string
	kind   error // ErrMacro or ErrUnknownMacro
}

func (e *Error) Error() string {
	if e.Macro == "" {
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s at line %d, column %d: %s", e.Macro, e.Line, e.Column, e.Msg)
}

// Unwrap lets errors.Is match ErrMacro (and ErrUnknownMacro when it applies).
func (e *Error) Unwrap() error {
	if e.kind == nil {
		return ErrMacro
	}
	return e.kind
}

// position converts a byte offset into a 1-based line and column.
func position(src string, off int) (line, col int) {
	line, col = 1, 1
	for i := 0; i < off && i < len(src); i++ {
		if src[i] == '\n' {
			line++
			col = 1
			continue
		}
		col++
	}
	return line, col
}

func newError(src string, off int, macro, format string, args ...any) *Error {
	line, col := position(src, off)
	return &Error{Macro: macro, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}
