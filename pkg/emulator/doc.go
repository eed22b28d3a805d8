// Package emulator stands in for Azure in tests and in the plugin's demo workspace: a Log
// Analytics query API (the real wire format, errors and limits), an Entra ID token endpoint for
// azidentity's ClientSecretCredential, TLS plumbing both need, and an in-memory transport.
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
//   - every request is recorded (Requests) with its workspace, body, Prefer and headers, the
//     Authorization credential redacted.
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
// Two executors come with the package. Script plays canned replies for a client's tests:
//
//	script := emulator.Throttle(time.Second).Then(emulator.Respond(tbl))
//	la := emulator.NewLogAnalyticsHandler(script)
//
// EngineExecutor runs the KQL with pkg/kql over tables (one set per workspace, or a default set),
// applying the request's timespan and workspaces; engine errors become the service's 400s.
// NewDemoHandler is the plugin's built-in demo workspace: the engine over generated
// DeviceNetworkEvents (pkg/sampledata), made on the first query.
//
// # Entra ID
//
// NewEntraHandler serves GET /{tenant}/v2.0/.well-known/openid-configuration and
// POST /{tenant}/oauth2/v2.0/token (client credentials with a secret or an assertion), failing
// with Entra's AADSTS errors (7000215 wrong secret, 700016 unknown client, 90002 unknown tenant).
// Its URLs come from the request's host, so the issuer matches the authority the client was
// given. IssuedToken (as a token validator) tells its tokens from any other. MSAL's instance
// discovery is not served: it always goes to login.microsoftonline.com for a host it does not
// know, so clients must set azidentity's DisableInstanceDiscovery.
//
// # TLS and transport
//
// azidentity and azquery send credentials only over https. NewTestCA (or the process-wide
// DefaultCA behind StartTLS) issues one server certificate for 127.0.0.1, ::1 and localhost;
// CA.WritePEM writes the CA for SSL_CERT_FILE in a child process, and server.Client() trusts it
// in-process. NewMux serves both stand-ins from one origin (/v1/... to Log Analytics, the rest to
// Entra). Transport serves a handler in memory as an azcore policy.Transporter: no socket, no
// TLS, no credential, which is how the plugin's demo workspace reaches the emulator.
package emulator
