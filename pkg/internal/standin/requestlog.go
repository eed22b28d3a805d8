package standin

import (
	"net/http"
	"sync"

	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
)

// RequestLog is a concurrency-safe list of the requests a Log Analytics handler answered; pass
// its Add to emulator.WithObserver.
type RequestLog struct {
	mu   sync.Mutex
	reqs []emulator.RecordedRequest
}

// Add records r.
func (l *RequestLog) Add(r emulator.RecordedRequest) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reqs = append(l.reqs, r)
}

// All returns a copy of the recorded requests, oldest first.
func (l *RequestLog) All() []emulator.RecordedRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]emulator.RecordedRequest(nil), l.reqs...)
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

// LogAnalytics is the emulator's Log Analytics handler with a request log, the stand-in tests
// point a client at.
type LogAnalytics struct {
	*emulator.LogAnalyticsHandler
	log *RequestLog
}

// NewLogAnalytics serves exec as the Log Analytics query API and records every request.
func NewLogAnalytics(exec emulator.Executor, opts ...emulator.Option) *LogAnalytics {
	log := &RequestLog{}
	opts = append(opts, emulator.WithObserver(log.Add))
	return &LogAnalytics{LogAnalyticsHandler: emulator.NewLogAnalyticsHandler(exec, opts...), log: log}
}

// Requests returns a copy of every request answered so far, oldest first.
func (l *LogAnalytics) Requests() []emulator.RecordedRequest { return l.log.All() }

// ResetRequests forgets the recorded requests.
func (l *LogAnalytics) ResetRequests() { l.log.Reset() }

var _ http.Handler = (*LogAnalytics)(nil)
