// Package loganalytics runs KQL on an Azure Monitor Log Analytics workspace
// and returns each result table as a Grafana data frame.
//
// It hides azquery behind one small interface, Querier, so the plugin (and
// its tests) depend on this package's types only.
//
// # The decoding path
//
// Each answer is read once, as it arrives. azquery stays the client: its
// QueryWorkspace runs azcore's pipeline (bearer token, retries, telemetry,
// tracing, and the service's errors for non-200 answers, which azcore
// downloads and this package reads as before). But azquery would decode the
// rows with encoding/json into []any, every number through float64 (a long
// above 2^53 rounded) and every cell an allocation, and azcore would first
// buffer the whole body. So the client adds a per-call policy (streamPolicy,
// above the retry policy: it sees only the final attempt) that asks for gzip,
// tells azcore not to buffer a successful body (runtime.SkipBodyDownload),
// and decodes that body itself while it streams in, gunzipping on the way;
// azquery is then handed an empty document, {"tables":[]}, so its own
// decoding has nothing to do. The decoder is a JSON scanner over a 64 KiB
// window of the body (scan.go) that validates as it goes, and a walk of the
// answer (decode.go) that puts every cell straight into its column by the
// column's declared type: numbers, times and bools into growing []T slices
// with no allocation per cell (JSON integers and the service's datetimes
// take allocation-free fast paths; anything else follows the general rules
// in cells.go), strings interned per column (one string per distinct value,
// each row an int32 index: process names, devices and addresses repeat, so
// memory follows the distinct values). Each column becomes its field once,
// at the end of its table; string fields carry their dictionary (package
// fielddict) so the anomaly pipeline encodes from it without regrouping.
// A malformed, truncated or foreign 200 body is ErrDecode with the byte
// offset where reading stopped; a cell that does not fit its type is a
// *CellError naming table, column, row and value.
//
// The scanner is written here rather than taken from a library because the
// wire format is small and fixed and the speed target is not: jsontext
// (github.com/go-json-experiment/json, the upstream of encoding/json/v2,
// which Go 1.26 still keeps behind GOEXPERIMENT=jsonv2) tokenizes the
// notebook's 500,000-row answer at about 190 MB/s on this project's machine,
// 0.3 s before any cell is converted, against a budget of 0.5 s for the
// whole query; encoding/json's Decoder is slower still. Its rules are
// checked against encoding/json itself: FuzzDecodeMatchesReference compares
// every answer with a straightforward encoding/json decoder.
//
// # Memory
//
// One plugin process serves every user, so every answer is booked, as it is
// decoded, against the process's result budget (ClientOptions.Budget,
// package membudget) by the per-cell sizes documented in meter.go, and
// stays booked until Result.Release. A query that would exceed it waits for
// room or fails with a *TooLargeError (ErrResultTooLarge): "result too
// large: N cells ...; narrow the KQL or use counts".
//
// # Errors
//
// Failures come back as *ServiceError (status, code, the innermost message
// such as "Query could not be parsed at 'joi' on line [2,244]"),
// *SignInError, *TimeoutError, *TooLargeError or *CellError, each already
// tagged with a Grafana error source and wrapping a sentinel (ErrBadRequest,
// ErrForbidden, ...) for errors.Is. Only the service's own error shape is
// echoed: any other error body is described ("HTTP 502 from host (text/html,
// 312 bytes)"), never quoted. A connection that is refused is reported as
// such even when the deadline ends the retries. The request, its URL and
// headers are never part of an error message.
//
// Column types become field types as follows: datetime → time.Time;
// long → int64; int → int32 (KQL's int is 32-bit); real and decimal →
// float64 (a decimal with more digits than float64 holds is rounded to the
// nearest float64, keeping the field numeric); bool → bool; string, guid,
// timespan and dynamic → string (dynamic as its JSON text); any other type →
// string. A column with at least one null becomes the pointer (nullable)
// variant of its type; a column without nulls never does.
package loganalytics
