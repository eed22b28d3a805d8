package emulator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"time"
)

// Executor answers the queries the handler has parsed and validated. Returning a *ServiceError
// (possibly wrapped) makes the handler send that status and error JSON; any other error is a 500.
// Executors should honour ctx: its deadline is the client's Prefer: wait.
type Executor interface {
	Query(ctx context.Context, req Request) (*Result, error)
}

// ExecutorFunc adapts a function to Executor.
type ExecutorFunc func(ctx context.Context, req Request) (*Result, error)

// Query calls f.
func (f ExecutorFunc) Query(ctx context.Context, req Request) (*Result, error) { return f(ctx, req) }

// DefaultRowLimit is the service's cap on rows per answer; past it the answer is truncated and
// carries a partial error.
const DefaultRowLimit = 500000

// DefaultWait is the server-side query timeout when the client sends no Prefer: wait.
const DefaultWait = 180 * time.Second

// maxBody bounds the request body the handler reads; the service's own limit is far below it.
const maxBody = 8 << 20

// Option configures NewLogAnalyticsHandler.
type Option func(*LogAnalyticsHandler)

// WithTokenValidator makes the handler check bearer tokens: no token gives 401
// AuthorizationRequiredError, a token v rejects gives 401 InvalidTokenError. Without a validator
// every request is accepted, with or without Authorization (the in-memory demo sends none).
func WithTokenValidator(v func(token string) bool) Option {
	return func(h *LogAnalyticsHandler) { h.validate = v }
}

// WithRowLimit sets the rows per table past which an answer is truncated (default
// DefaultRowLimit; a negative n turns truncation off).
func WithRowLimit(n int) Option {
	return func(h *LogAnalyticsHandler) {
		if n != 0 {
			h.rowLimit = n
		}
	}
}

// WithDefaultWait sets the query deadline used when a request has no Prefer: wait.
func WithDefaultWait(d time.Duration) Option {
	return func(h *LogAnalyticsHandler) {
		if d > 0 {
			h.defaultWait = d
		}
	}
}

// WithClock sets the clock a relative timespan (a lone duration such as PT12H) counts back from.
func WithClock(now func() time.Time) Option {
	return func(h *LogAnalyticsHandler) {
		if now != nil {
			h.now = now
		}
	}
}

// WithMaxConcurrent answers 429 ThrottledError (with Retry-After retryAfter) to a query that
// arrives while n queries are running, as the service does past its limit of concurrent queries
// per user (5). Zero n means no limit.
func WithMaxConcurrent(n int, retryAfter time.Duration) Option {
	return func(h *LogAnalyticsHandler) { h.maxConcurrent, h.throttleAfter = n, retryAfter }
}

// LogAnalyticsHandler serves the Log Analytics query API (see the package doc). Build it with
// NewLogAnalyticsHandler; it is safe for concurrent use.
type LogAnalyticsHandler struct {
	exec        Executor
	validate    func(string) bool
	rowLimit    int
	defaultWait time.Duration
	now         func() time.Time
	observe     func(RecordedRequest)

	maxConcurrent int
	throttleAfter time.Duration
	inFlight      atomic.Int64
	peak          atomic.Int64
}

// PeakConcurrency is the largest number of queries the handler has run at the same time, for
// tests of a client's concurrency bound.
func (h *LogAnalyticsHandler) PeakConcurrency() int { return int(h.peak.Load()) }

// enter counts a running query; it reports false (and counts nothing) past WithMaxConcurrent.
func (h *LogAnalyticsHandler) enter() bool {
	n := h.inFlight.Add(1)
	if h.maxConcurrent > 0 && n > int64(h.maxConcurrent) {
		h.inFlight.Add(-1)
		return false
	}
	for {
		p := h.peak.Load()
		if n <= p || h.peak.CompareAndSwap(p, n) {
			return true
		}
	}
}

// NewLogAnalyticsHandler serves POST (and GET) /v1/workspaces/{id}/query, answering with exec.
func NewLogAnalyticsHandler(exec Executor, opts ...Option) *LogAnalyticsHandler {
	h := &LogAnalyticsHandler{exec: exec, rowLimit: DefaultRowLimit, defaultWait: DefaultWait, now: time.Now}
	for _, o := range opts {
		o(h)
	}
	return h
}

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsGUID reports whether s is a GUID in its usual 8-4-4-4-12 form, as a workspace id must be.
func IsGUID(s string) bool { return guidRE.MatchString(s) }

// queryBody is the request body of the query API.
type queryBody struct {
	Query      *string  `json:"query"`
	Timespan   string   `json:"timespan"`
	Workspaces []string `json:"workspaces"`
}

// ServeHTTP implements http.Handler.
func (h *LogAnalyticsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := RecordedRequest{
		Time:             time.Now(),
		Method:           r.Method,
		Path:             r.URL.Path,
		Header:           redactedHeader(r.Header),
		HasAuthorization: r.Header.Get("Authorization") != "",
		Prefer:           strings.Join(r.Header.Values("Prefer"), ","),
	}
	corr := newCorrelationID()
	w.Header().Set("x-ms-request-id", corr)
	status := h.serve(w, r, &rec, corr)
	rec.Status = status
	if h.observe != nil {
		h.observe(rec)
	}
}

// serve does the work of ServeHTTP and returns the status it sent, for the request log.
func (h *LogAnalyticsHandler) serve(w http.ResponseWriter, r *http.Request, rec *RecordedRequest, corr string) int {
	fail := func(e *ServiceError) int {
		writeServiceError(w, e, corr)
		return e.Status
	}
	ws, ok := workspaceFromPath(r.URL.Path)
	if !ok {
		return fail(&ServiceError{Status: 404, Code: "PathNotFoundError", Message: msgPathNotFound})
	}
	rec.Workspace = ws
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET, POST")
		return fail(&ServiceError{Status: 405, Code: "MethodNotAllowed", Message: "The requested HTTP method is not supported on this path"})
	}
	token, hasBearer := bearerToken(r.Header.Get("Authorization"))
	rec.Token = token
	if h.validate != nil {
		if !hasBearer {
			return fail(&ServiceError{Status: 401, Code: "AuthorizationRequiredError", Message: msgAuthRequired})
		}
		if !h.validate(token) {
			return fail(&ServiceError{Status: 401, Code: "InvalidTokenError", Message: msgInvalidToken,
				Inner: &InnerError{Code: "TokenValidationFailed", Message: "The token was not issued by a trusted authority for this resource"}})
		}
	}
	if !IsGUID(ws) {
		return fail(&ServiceError{Status: 404, Code: "PathNotFoundError", Message: msgPathNotFound})
	}
	body, err := readBody(r, rec)
	if err != nil {
		return fail(badArgument("InvalidBody", err.Error()))
	}
	if body.Query == nil || strings.TrimSpace(*body.Query) == "" {
		return fail(badArgument("QueryValidationError", "The request body is missing the required property 'query'"))
	}
	req := Request{
		Workspace:  ws,
		Workspaces: body.Workspaces,
		Query:      *body.Query,
		Timespan:   body.Timespan,
		Prefer:     parsePrefer(r.Header.Values("Prefer")),
		Header:     rec.Header,
		Token:      token,
	}
	rec.Query, rec.Timespan, rec.Workspaces = req.Query, req.Timespan, req.Workspaces
	if body.Timespan != "" {
		if req.Start, req.End, err = ParseTimespan(body.Timespan, h.now()); err != nil {
			return fail(badArgument("InvalidTimespan", fmt.Sprintf("The timespan '%s' is not valid: %v", body.Timespan, err)))
		}
	}
	if req.Wait, err = parseWait(req.Prefer); err != nil {
		return fail(badArgument("InvalidPreferHeader", err.Error()))
	}
	wait := h.defaultWait
	if req.Wait > 0 {
		wait = req.Wait
		w.Header().Set("Preference-Applied", fmt.Sprintf("wait=%d", int(req.Wait/time.Second)))
	}
	if !h.enter() {
		return fail(ThrottledError(h.throttleAfter))
	}
	defer h.inFlight.Add(-1)
	ctx, cancel := context.WithTimeout(r.Context(), wait)
	defer cancel()
	res, err := h.exec.Query(ctx, req)
	if r.Context().Err() != nil {
		return 499 // the client went away; nobody reads an answer
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fail(GatewayTimeoutError())
	}
	if err != nil {
		var se *ServiceError
		if errors.As(err, &se) {
			return fail(se)
		}
		return fail(&ServiceError{Status: 500, Code: "InternalServerError", Message: "An internal error occurred: " + err.Error()})
	}
	if res == nil {
		res = &Result{}
	}
	out := *res
	if h.rowLimit > 0 && out.Error == nil {
		for _, t := range out.Tables {
			if t.Len() > h.rowLimit {
				out.Error = TruncatedError(h.rowLimit)
				break
			}
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_ = writeResult(w, &out, h.rowLimit, req.Prefer["include-statistics"] == "true", req.Prefer["include-render"] == "true")
	return http.StatusOK
}

func badArgument(innerCode, message string) *ServiceError {
	return &ServiceError{Status: 400, Code: "BadArgumentError", Message: msgBadArgument,
		Inner: &InnerError{Code: innerCode, Message: message}}
}

// workspaceFromPath extracts {id} from /v1/workspaces/{id}/query.
func workspaceFromPath(p string) (string, bool) {
	rest, ok := strings.CutPrefix(p, "/v1/workspaces/")
	if !ok {
		return "", false
	}
	id, tail, ok := strings.Cut(rest, "/")
	if !ok || tail != "query" || id == "" {
		return "", false
	}
	return id, true
}

func bearerToken(h string) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// readBody decodes the POST body, or the GET query string (query, timespan, workspaces
// comma-separated), and keeps the raw body in the request log.
func readBody(r *http.Request, rec *RecordedRequest) (queryBody, error) {
	var b queryBody
	if r.Method == http.MethodGet {
		q := r.URL.Query()
		if q.Has("query") {
			s := q.Get("query")
			b.Query = &s
		}
		b.Timespan = q.Get("timespan")
		if ws := q.Get("workspaces"); ws != "" {
			b.Workspaces = strings.Split(ws, ",")
		}
		return b, nil
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return b, fmt.Errorf("reading the request body: %v", err)
	}
	rec.Body = raw
	if len(raw) > maxBody {
		return b, errors.New("the request body is too large")
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		return b, fmt.Errorf("the request body is not valid JSON: %v", err)
	}
	return b, nil
}

// writeServiceError sends e as the service does: the status, {"error":{...}} and Retry-After.
func writeServiceError(w http.ResponseWriter, e *ServiceError, corr string) {
	if e.RetryAfter > 0 {
		secs := int((e.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", fmt.Sprint(secs))
		w.Header().Set("retry-after-ms", fmt.Sprint(e.RetryAfter.Milliseconds()))
	}
	info := e.info()
	info.CorrelationID = corr
	b, err := json.Marshal(struct {
		Error *ErrorInfo `json:"error"`
	}{info})
	if err != nil {
		b = []byte(`{"error":{"code":"InternalServerError","message":"encoding the error failed"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	status := e.Status
	if status < 400 || status > 599 {
		status = http.StatusInternalServerError
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func newCorrelationID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
