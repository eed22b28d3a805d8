package kql

import "fmt"

// Error is a query error shaped like the service's innermost error: Code
// "SYN0002" for syntax errors (Message like "Query could not be parsed at
// 'joi' on line [2,244]", with Line (1-based), Pos (1-based column) and
// Token), "SEM0100" for unknown columns, tables and functions (the message
// names it), "SEM0001" for other semantic errors such as type mismatches,
// "E_RUNAWAY_QUERY" (CodeRunawayQuery) when the query exceeds its memory
// budget (errors.Is(err, ErrMemoryBudget) holds; see budget.go),
// "QueryCancelled" when the context ends (errors.Is(err, ctx.Err()) holds),
// and "InternalServiceError" for a recovered engine bug. Semantic errors
// carry the Line and Pos of the offending name or operator where there is
// one, and Token for unknown names.
type Error struct {
	Code, Message, Token string
	Line, Pos            int

	cause error // for errors.Is(err, context.Canceled) and the like
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Unwrap returns the underlying cause, such as the context's error.
func (e *Error) Unwrap() error { return e.cause }
