package loganalytics

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors. Every error Query returns wraps exactly the sentinels
// that describe it, so the plugin can pick its message once, at the edge,
// with errors.Is, and read the details with errors.As (*ServiceError,
// *SignInError, *TimeoutError, *CellError).
var (
	// ErrService wraps every error answered by the service itself (*ServiceError).
	ErrService = errors.New("log analytics service error")
	// ErrBadRequest: HTTP 400, usually KQL that does not parse or bind.
	ErrBadRequest = errors.New("log analytics rejected the query")
	// ErrUnauthorized: HTTP 401, the token was not accepted (wrong audience or tenant).
	ErrUnauthorized = errors.New("log analytics did not accept the credentials")
	// ErrForbidden: HTTP 403, the identity may not read the workspace.
	ErrForbidden = errors.New("no permission to query the workspace")
	// ErrNotFound: HTTP 404, usually an unknown workspace id.
	ErrNotFound = errors.New("workspace not found")
	// ErrThrottled: HTTP 429 still returned after the retries.
	ErrThrottled = errors.New("log analytics throttled the query")
	// ErrTimeout: the query's deadline passed, or the service answered 408/504.
	ErrTimeout = errors.New("log analytics query timed out")
	// ErrUnavailable: HTTP 5xx other than 504.
	ErrUnavailable = errors.New("log analytics is unavailable")
	// ErrPartial marks the partial error of a 200 answer (Result.Partial).
	ErrPartial = errors.New("log analytics returned partial results")
	// ErrSignIn wraps every failure to obtain a token (*SignInError).
	ErrSignIn = errors.New("sign-in failed")
	// ErrDecode: a 200 answer that could not be read, or a cell that could not
	// be converted to its column's type (*CellError).
	ErrDecode = errors.New("cannot read the log analytics response")
	// ErrInvalidQuery: the Query itself is unusable (no workspace, no KQL).
	ErrInvalidQuery = errors.New("invalid query")
)

// ServiceError is an error answered by Log Analytics, kept in the service's
// own words. It never holds the request (URL, headers, body).
type ServiceError struct {
	StatusCode int    // HTTP status; 200 for the partial error of a successful answer
	Code       string // top-level code, e.g. "BadArgumentError", "PartialError"
	Message    string // top-level message
	// Details are the innermost messages of the error's innererror chain and
	// of each entry in details, in order, without repeats; for bad KQL e.g.
	// "Query could not be parsed at 'joi' on line [2,244]".
	Details   []string
	InnerCode string // code of the innermost innererror, e.g. "SYN0002"
	Line, Pos int    // position the innermost error reports, 0 when none
	RequestID string // x-ms-request-id, for support requests
	kind      error
	foreign   bool // the answer was not Log Analytics' error shape: Message describes it
}

// Summary is the service's message followed by its details, as shown to
// users in errors and notices.
func (e *ServiceError) Summary() string {
	msg := strings.TrimSpace(e.Message)
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	for _, d := range e.Details {
		msg = strings.TrimSuffix(msg, ".") + ": " + d
	}
	return msg
}

func (e *ServiceError) Error() string {
	if e.foreign {
		return "Log Analytics error: " + e.Message
	}
	code := e.Code
	if code != "" {
		code = " " + code
	}
	if e.StatusCode == http.StatusOK {
		return fmt.Sprintf("Log Analytics%s: %s", code, e.Summary())
	}
	return fmt.Sprintf("Log Analytics error (HTTP %d%s): %s", e.StatusCode, code, e.Summary())
}

// Unwrap exposes ErrService and the sentinel for the status.
func (e *ServiceError) Unwrap() []error {
	if e.kind == nil {
		return []error{ErrService}
	}
	return []error{ErrService, e.kind}
}

// kindForStatus picks the sentinel for an HTTP status.
func kindForStatus(status int) error {
	switch {
	case status == http.StatusOK:
		return ErrPartial
	case status == http.StatusBadRequest:
		return ErrBadRequest
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusTooManyRequests:
		return ErrThrottled
	case status == http.StatusRequestTimeout || status == http.StatusGatewayTimeout:
		return ErrTimeout
	case status >= 500:
		return ErrUnavailable
	}
	return nil
}

// TimeoutError says the query ran out of time on our side: the deadline
// from Query.Wait (the datasource's queryTimeoutSeconds), or the earlier
// Query.Due, passed before the service answered. After is Wait, the setting
// to raise.
type TimeoutError struct {
	After time.Duration
}

func (e *TimeoutError) Error() string {
	// In seconds, the unit of the queryTimeoutSeconds setting it comes from.
	return fmt.Sprintf("query timed out after %ss (queryTimeoutSeconds)", strconv.FormatFloat(e.After.Seconds(), 'f', -1, 64))
}

// Unwrap exposes ErrTimeout.
func (e *TimeoutError) Unwrap() error { return ErrTimeout }

// SignInError says no token could be obtained from Microsoft Entra ID. Msg
// is Entra's own reason (e.g. "AADSTS7000215: Invalid client secret
// provided.") with trace and correlation ids and any request details
// removed; it never contains the secret.
type SignInError struct {
	Code string // e.g. "AADSTS7000215", empty when Entra gave none
	Msg  string
	err  error
}

func (e *SignInError) Error() string {
	return "sign-in failed: " + e.Msg
}

// Unwrap exposes ErrSignIn and the credential's own error (for errors.As
// with *azidentity.AuthenticationFailedError); do not print the latter, its
// text includes the token endpoint's full answer.
func (e *SignInError) Unwrap() []error { return []error{ErrSignIn, e.err} }

// CellError says one cell could not be converted to its column's type.
type CellError struct {
	Table, Column, Type string
	Row                 int // 1-based
	Value               string
	Err                 error
}

func (e *CellError) Error() string {
	return fmt.Sprintf("table %s, column %s (%s), row %d: cannot read %s: %v", e.Table, e.Column, e.Type, e.Row, e.Value, e.Err)
}

// Unwrap exposes ErrDecode and the parse error.
func (e *CellError) Unwrap() []error { return []error{ErrDecode, e.Err} }
