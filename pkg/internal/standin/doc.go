// Package standin holds the tests' Azure: an Entra ID token endpoint for azidentity (client secret
// and client assertion), test certificate authorities and TLS servers (azidentity and azquery only
// send credentials over https), scripted Log Analytics answers, a request log, and one origin
// serving both stand-ins. Only tests, pkg/integration and pkg/cmd import it; the plugin's
// executable never links it (a test in pkg/plugin checks `go list -deps`).
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
// # Log Analytics
//
// NewLogAnalytics is the emulator's handler with a RequestLog. Script is an Executor that plays
// canned replies:
//
//	script := standin.Throttle(time.Second).Then(standin.Respond(tbl))
//	la := standin.NewLogAnalytics(script)
//
// # TLS
//
// NewTestCA (or the process-wide DefaultCA behind StartTLS) issues one server certificate for
// 127.0.0.1, ::1 and localhost; CA.WritePEM writes the CA for SSL_CERT_FILE in a child process, and
// server.Client() trusts it in-process. NewMux serves both stand-ins from one origin (/v1/... to
// Log Analytics, the rest to Entra).
package standin
