package emulator

import (
	"net/http"
	"strings"
	"time"
)

// RecordedRequest is what the handler saw of one request, handed to the WithObserver callback when
// the request is done. The handler keeps nothing itself: a long-running demo workspace must not
// accumulate every query it ever served, so only tests (pkg/internal/standin's RequestLog) record.
type RecordedRequest struct {
	Time      time.Time
	Method    string
	Path      string
	Workspace string
	// Body is the raw POST body.
	Body       []byte
	Query      string
	Timespan   string
	Workspaces []string
	// Header is a copy of the headers with Authorization's credential replaced by "REDACTED", so
	// a log or a failing test's output never prints a token.
	Header           http.Header
	HasAuthorization bool
	// Token is the bearer token sent ("" for none), for tests that check who asked.
	Token  string
	Prefer string
	// Status is the HTTP status the handler answered (499 when the client went away first).
	Status int
}

// WithObserver calls observe with every request once it has been answered (tests record them).
func WithObserver(observe func(RecordedRequest)) Option {
	return func(h *LogAnalyticsHandler) { h.observe = observe }
}

func redactedHeader(h http.Header) http.Header {
	c := h.Clone()
	if c == nil {
		c = http.Header{}
	}
	if v := c.Get("Authorization"); v != "" {
		scheme, _, _ := strings.Cut(v, " ")
		c.Set("Authorization", scheme+" REDACTED")
	}
	return c
}
