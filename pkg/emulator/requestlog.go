package emulator

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// RecordedRequest is what the handler saw of one request, for tests to assert on.
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

// RequestLog is a concurrency-safe list of recorded requests.
type RequestLog struct {
	mu   sync.Mutex
	reqs []RecordedRequest
}

func (l *RequestLog) add(r RecordedRequest) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reqs = append(l.reqs, r)
}

// All returns a copy of the recorded requests, oldest first.
func (l *RequestLog) All() []RecordedRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]RecordedRequest(nil), l.reqs...)
}

// Len is the number of recorded requests.
func (l *RequestLog) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.reqs)
}

// Reset forgets every recorded request.
func (l *RequestLog) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reqs = nil
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
