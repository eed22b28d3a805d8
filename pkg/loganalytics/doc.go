// Package loganalytics runs KQL on an Azure Monitor Log Analytics workspace
// and returns each result table as a Grafana data frame.
//
// It hides azquery behind one small interface, Querier, so the plugin (and
// its tests) depend on this package's types only. Two things azquery does
// not do are done here:
//
//   - Exact numbers. azquery decodes rows with encoding/json into any, so a
//     long above 2^53 arrives as a rounded float64. The client still calls
//     azquery's QueryWorkspace (retries, telemetry, bearer tokens, tracing),
//     but captures the raw HTTP response (azcore buffers the body, so
//     runtime.Payload re-reads it) and decodes it again: each table's rows
//     are scanned in place and every cell is parsed from its JSON text
//     straight into its column's type, so a long goes into int64 exactly.
//   - Errors in the service's own words. Failures come back as *ServiceError
//     (status, code, the innermost message such as "Query could not be parsed
//     at 'joi' on line [2,244]"), *SignInError, or *TimeoutError, each already
//     tagged with a Grafana error source and wrapping a sentinel (ErrBadRequest,
//     ErrForbidden, ...) for errors.Is. The request, its URL and headers are
//     never part of an error message.
//
// Column types become field types as follows: datetime → time.Time;
// long → int64; int → int32 (KQL's int is 32-bit); real and decimal →
// float64 (a decimal with more digits than float64 holds is rounded to the
// nearest float64, keeping the field numeric); bool → bool; string, guid,
// timespan and dynamic → string (dynamic as its JSON text); any other type →
// string. A column with at least one null becomes the pointer (nullable)
// variant of its type; a column without nulls never does.
package loganalytics
