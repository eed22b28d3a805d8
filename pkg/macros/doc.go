// Package macros expands the Grafana-style macros a KQL query may contain
// ($__timeFilter, $__timeFrom, $__timeTo, $__interval, $__interval_ms,
// $__contains, $__escapeMulti) before the query is sent to Log Analytics.
//
// The query is lexed, not searched with regular expressions: text inside
// string literals ("...", '...', @"...", @'...', ```...```) and // comments
// is copied unchanged, so a value such as "$__timeFrom" in a filter is never
// rewritten. Every value a macro writes into the query is re-quoted with
// QuoteString or QuoteIdentifier, so a template-variable value can never end
// the literal it is placed in (no KQL injection through dashboards).
//
// Grafana interpolates dashboard variables ($var) in the frontend before the
// query reaches the backend; this package therefore sees the values, e.g.
// $__contains(DeviceName, 'a','b') or $__contains(DeviceName, {a,b}).
// Quoted values ('a','b', as Grafana's Azure datasources format them) are the
// robust form: a glob value that itself holds a quote character cannot be
// told apart from the start of a literal, so the lexer reports the macro's
// parentheses as unbalanced rather than guess.
package macros
