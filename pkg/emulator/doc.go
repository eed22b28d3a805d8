// Package emulator is the Log Analytics query API over a KQL engine: the service's wire format,
// errors and limits, answering queries with an Executor. The plugin's built-in demo workspace
// (pkg/demo) is this API over generated data; the emulator command serves it over TLS; the tests'
// Azure stand-ins (pkg/internal/standin: Entra ID, test CAs, scripted answers, request logs) wrap it.
// Nothing test-only lives here, because the plugin's executable links this package.
//
// # Log Analytics
//
// NewLogAnalyticsHandler serves POST /v1/workspaces/{id}/query (and GET with ?query=) as
// api.loganalytics.io does, handing each validated request to an Executor:
//
//   - the workspace id must be a GUID (else 404 PathNotFoundError);
//   - the body must be JSON with "query" (else 400 BadArgumentError); "timespan" is ISO 8601
//     ("start/end", "start/PT1H", "P1D/end" or a lone duration back from now) and "workspaces"
//     lists additional workspaces;
//   - with WithTokenValidator, a missing bearer token gives 401 AuthorizationRequiredError and a
//     rejected one 401 InvalidTokenError; without it, anything goes (the in-memory demo sends no
//     Authorization at all);
//   - Prefer: wait=N (at most 600) is the query's deadline (default 180 s); an executor still
//     running at the deadline gives the service's 504 GatewayTimeout;
//   - answers past the row limit (500,000 by default, WithRowLimit) keep the first rows and carry
//     the service's partial error for E_QUERY_RESULT_SET_TOO_LARGE;
//   - with WithMaxConcurrent, a query arriving while n run gets the service's 429 ThrottledError
//     with Retry-After; PeakConcurrency tells how many ran at once;
//   - WithObserver sees every request once answered (workspace, body, Prefer, headers with the
//     Authorization credential redacted); the handler itself keeps nothing.
//
// Not emulated: the 64 MB answer size limit, statistics beyond execution time and row counts, and
// the batch ($batch) and resource-centric query endpoints.
//
// An Executor returns a *Result (tables, optionally a partial error: status 200 with an "error"
// object) or an error; a *ServiceError becomes its status, the service's {"error":{...}} JSON
// with the nested innererror chain, and Retry-After. Cells are written by column type, streamed
// row by row (see Table): datetime as ISO 8601 with Z and at most 7 fractional digits, timespan as
// [d.]hh:mm:ss[.fffffff], long exactly as a JSON integer, real NaN/±Inf as "NaN"/"Infinity"/
// "-Infinity", dynamic as its JSON text in a string, decimal as a string.
//
// EngineExecutor runs the KQL with pkg/kql over tables (one set per workspace, or a default set),
// applying the request's timespan and workspaces; engine errors become the service's 400s.
package emulator
