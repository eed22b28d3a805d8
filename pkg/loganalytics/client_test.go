package loganalytics

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func contains(s, sub string) bool  { return strings.Contains(s, sub) }
func isErr(err, target error) bool { return errors.Is(err, target) }

// leaks lists text that must never appear in an error shown to users: the
// request line, its headers and the raw response dump of azcore's errors.
var leaks = []string{"POST ", "Authorization", "Bearer", "RESPONSE", "-----", "/v1/workspaces", "secret-token"}

func TestServiceErrors(t *testing.T) {
	tests := []struct {
		name     string
		replies  []reply
		sentinel error
		status   int
		code     string
		want     []string
		notWant  []string // the foreign body's text, never echoed
		calls    int      // requests the stand-in must have seen
	}{
		{
			name:     "bad KQL gives the innermost message with line and position",
			replies:  []reply{{status: 400, file: "bad_kql.json"}},
			sentinel: ErrBadRequest, status: 400, code: "BadArgumentError",
			want:  []string{"HTTP 400", "BadArgumentError", "The request had some invalid properties", "Query could not be parsed at 'joi' on line [2,244]"},
			calls: 1,
		},
		{
			name:     "no permission",
			replies:  []reply{{status: 403, file: "forbidden.json"}},
			sentinel: ErrForbidden, status: 403, code: "InsufficientAccessError",
			want:  []string{"HTTP 403", "The provided credentials have insufficient access to perform the requested operation"},
			calls: 1,
		},
		{
			name:     "workspace not found",
			replies:  []reply{{status: 404, file: "not_found.json"}},
			sentinel: ErrNotFound, status: 404, code: "PathNotFoundError",
			want:  []string{"HTTP 404", "Workspace '00000000-0000-0000-0000-000000000001' could not be found"},
			calls: 1,
		},
		{
			name:     "throttled after every retry",
			replies:  []reply{{status: 429, file: "throttled.json", headers: map[string]string{"retry-after-ms": "5"}}},
			sentinel: ErrThrottled, status: 429, code: "ThrottledError",
			want:  []string{"HTTP 429", "more than 5 concurrent queries"},
			calls: 3, // the first try and fastRetry's 2 retries
		},
		{
			name:     "gateway timeout",
			replies:  []reply{{status: 504, file: "gateway_timeout.json"}},
			sentinel: ErrTimeout, status: 504, code: "GatewayTimeout",
			want:  []string{"HTTP 504", "The query took too long to run and was cancelled."},
			calls: 3,
		},
		{
			name:     "non-JSON error body is not echoed",
			replies:  []reply{{status: 502, headers: map[string]string{"Content-Type": "text/html"}}},
			sentinel: ErrUnavailable, status: 502,
			want:  []string{"HTTP 502 from 127.0.0.1:", "(text/html, 0 bytes)"},
			calls: 3,
		},
		{
			name:     "an internal service's text is described, not quoted",
			replies:  []reply{{status: 500, text: "db01.internal: password=hunter2 refused", headers: map[string]string{"Content-Type": "text/plain; charset=utf-8", "x-ms-error-code": "InternalNote"}}},
			sentinel: ErrUnavailable, status: 500,
			want:    []string{"Log Analytics error: HTTP 500 from 127.0.0.1:", "(text/plain, 39 bytes)"},
			notWant: []string{"db01", "hunter2", "InternalNote"},
			calls:   3,
		},
		{
			name:     "foreign JSON is not Log Analytics' error shape",
			replies:  []reply{{status: 403, text: `{"message":"tenant acme-secret is locked","error":"denied"}`}},
			sentinel: ErrForbidden, status: 403,
			want:    []string{"HTTP 403 from 127.0.0.1:", "(application/json, 59 bytes)"},
			notWant: []string{"acme-secret", "denied"},
			calls:   1,
		},
		{
			name:     "a gzip error answer is read",
			replies:  []reply{{status: 400, file: "bad_kql.json", gzip: true}},
			sentinel: ErrBadRequest, status: 400, code: "BadArgumentError",
			want:  []string{"Query could not be parsed at 'joi' on line [2,244]"},
			calls: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStandIn(t, tt.replies...)
			cred := &fakeCredential{token: "secret-token"}
			res, err := s.client(t, cred).Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T\n| joi"})
			if err == nil {
				t.Fatalf("no error; result %+v", res)
			}
			if !errors.Is(err, tt.sentinel) || !errors.Is(err, ErrService) {
				t.Errorf("%v does not wrap %v and ErrService", err, tt.sentinel)
			}
			if !backend.IsDownstreamError(err) {
				t.Errorf("%v is not a downstream error", err)
			}
			var se *ServiceError
			if !errors.As(err, &se) || se.StatusCode != tt.status || se.Code != tt.code || se.RequestID != "req-1234" {
				t.Errorf("ServiceError = %+v", se)
			}
			for _, w := range tt.want {
				if !contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			for _, l := range append(leaks, tt.notWant...) {
				if contains(err.Error(), l) {
					t.Errorf("error %q contains %q", err, l)
				}
			}
			if got := len(s.requests()); got != tt.calls {
				t.Errorf("%d requests, want %d", got, tt.calls)
			}
		})
	}
}

func TestBadKQLPosition(t *testing.T) {
	s := newStandIn(t, reply{status: 400, file: "bad_kql.json"})
	_, err := s.client(t, nil).Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T | joi"})
	var se *ServiceError
	if !errors.As(err, &se) {
		t.Fatalf("%v is not a *ServiceError", err)
	}
	if se.InnerCode != "SYN0002" || se.Line != 2 || se.Pos != 244 {
		t.Errorf("inner = %s line %d pos %d, want SYN0002 line 2 pos 244", se.InnerCode, se.Line, se.Pos)
	}
	want := "Log Analytics error (HTTP 400 BadArgumentError): The request had some invalid properties: Query could not be parsed at 'joi' on line [2,244]"
	if err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	if got := se.Details; len(got) != 1 || got[0] != "Query could not be parsed at 'joi' on line [2,244]" {
		t.Errorf("Details = %q", got)
	}
}

func TestThrottledThenSuccess(t *testing.T) {
	s := newStandIn(t,
		reply{status: 429, file: "throttled.json", headers: map[string]string{"Retry-After": "0"}},
		reply{status: 200, file: "partial_error.json"},
	)
	res, err := s.client(t, nil).Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T"})
	if err != nil {
		t.Fatalf("Query: %v", err)
	}
	if res.Frames[0].Rows() != 2 {
		t.Errorf("rows = %d", res.Frames[0].Rows())
	}
	if n := len(s.requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestTimeout(t *testing.T) {
	s := newStandIn(t, reply{status: 200, file: "empty.json", delay: 5 * time.Second})
	start := time.Now()
	_, err := s.client(t, nil).Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T", Wait: 200 * time.Millisecond})
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the call took %v, the deadline was 200ms", took)
	}
	var te *TimeoutError
	if !errors.As(err, &te) || !errors.Is(err, ErrTimeout) || !backend.IsDownstreamError(err) {
		t.Fatalf("err = %v, want a downstream *TimeoutError", err)
	}
	if want := "query timed out after 0.2s (queryTimeoutSeconds)"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	if got := s.requests()[0].Header.Get("Prefer"); got != "wait=1" {
		t.Errorf("Prefer = %q, want wait=1 (rounded up)", got)
	}
}

// TestDueShortensTheWait: a query that is part of a larger answer gets what is left until it is
// due, as its deadline and its Prefer: wait; the timeout still names the setting.
func TestDueShortensTheWait(t *testing.T) {
	s := newStandIn(t, reply{status: 200, file: "empty.json", delay: 5 * time.Second})
	start := time.Now()
	_, err := s.client(t, nil).Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T", Wait: time.Minute, Due: start.Add(200 * time.Millisecond)})
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the call took %v, it was due in 200ms", took)
	}
	var te *TimeoutError
	if !errors.As(err, &te) || err.Error() != "query timed out after 60s (queryTimeoutSeconds)" {
		t.Fatalf("err = %v, want a *TimeoutError naming the 60s setting", err)
	}
	if got := s.requests()[0].Header.Get("Prefer"); got != "wait=1" {
		t.Errorf("Prefer = %q, want wait=1 (what was left, rounded up)", got)
	}
}

// TestDueAlreadyIsATimeout: a query due already is not sent.
func TestDueAlreadyIsATimeout(t *testing.T) {
	s := newStandIn(t, reply{status: 200, file: "empty.json"})
	_, err := s.client(t, nil).Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T", Wait: 30 * time.Second, Due: time.Now().Add(-time.Millisecond)})
	if !errors.Is(err, ErrTimeout) || !backend.IsDownstreamError(err) || len(s.requests()) != 0 {
		t.Errorf("err = %v after %d requests, want a downstream timeout and none", err, len(s.requests()))
	}
}

func TestCallerCancels(t *testing.T) {
	s := newStandIn(t, reply{status: 200, file: "empty.json", delay: 5 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := s.client(t, nil).Query(ctx, Query{Workspace: testWorkspace, KQL: "T", Wait: time.Minute})
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrTimeout) || !backend.IsDownstreamError(err) {
		t.Errorf("err = %v, want the caller's deadline, not queryTimeoutSeconds", err)
	}
}

func TestRequestShape(t *testing.T) {
	tests := []struct {
		name       string
		cred       *fakeCredential
		q          Query
		wantAuth   string
		wantPrefer string
		wantBody   map[string]any
	}{
		{
			name:     "nil credential sends no Authorization and no Prefer",
			q:        Query{Workspace: testWorkspace, KQL: "T | take 1"},
			wantBody: map[string]any{"query": "T | take 1"},
		},
		{
			name:       "bearer token, wait and timespan",
			cred:       &fakeCredential{token: "tok-123"},
			q:          Query{Workspace: testWorkspace, KQL: "T", Wait: 180 * time.Second, Timespan: &TimeRange{From: time.Date(2024, 5, 1, 2, 0, 0, 0, time.FixedZone("CEST", 2*3600)), To: time.Date(2024, 5, 2, 0, 0, 0, 250_000_000, time.UTC)}},
			wantAuth:   "Bearer tok-123",
			wantPrefer: "wait=180",
			wantBody:   map[string]any{"query": "T", "timespan": "2024-05-01T00:00:00Z/2024-05-02T00:00:00.25Z"},
		},
		{
			name:       "additional workspaces, statistics and a capped wait",
			q:          Query{Workspace: testWorkspace, KQL: "union T", AdditionalWorkspaces: []string{"ws-b", "ws-c"}, Statistics: true, Wait: 20 * time.Minute},
			wantPrefer: "include-statistics=true,wait=600",
			wantBody:   map[string]any{"query": "union T", "workspaces": []any{"ws-b", "ws-c"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStandIn(t, reply{status: 200, file: "statistics.json"})
			var c *Client
			if tt.cred == nil {
				c = s.client(t, nil)
			} else {
				c = s.client(t, tt.cred)
			}
			res, err := c.Query(context.Background(), tt.q)
			if err != nil {
				t.Fatalf("Query: %v", err)
			}
			if len(res.Statistics) == 0 {
				t.Errorf("statistics not returned")
			}
			r := s.requests()[0]
			if r.Method != http.MethodPost || r.Path != "/v1/workspaces/"+testWorkspace+"/query" {
				t.Errorf("request %s %s", r.Method, r.Path)
			}
			if _, present := r.Header["Authorization"]; present != (tt.wantAuth != "") || r.Header.Get("Authorization") != tt.wantAuth {
				t.Errorf("Authorization = %q (present %v), want %q", r.Header.Get("Authorization"), present, tt.wantAuth)
			}
			if _, present := r.Header["Prefer"]; present != (tt.wantPrefer != "") || r.Header.Get("Prefer") != tt.wantPrefer {
				t.Errorf("Prefer = %q, want %q", r.Header.Get("Prefer"), tt.wantPrefer)
			}
			if len(r.Body) != len(tt.wantBody) {
				t.Errorf("body %v, want %v", r.Body, tt.wantBody)
			}
			for k, v := range tt.wantBody {
				if !sameJSON(r.Body[k], v) {
					t.Errorf("body[%s] = %v, want %v", k, r.Body[k], v)
				}
			}
			if tt.cred != nil {
				if len(tt.cred.calls) != 1 || len(tt.cred.calls[0].Scopes) != 1 || tt.cred.calls[0].Scopes[0] != DefaultAudience+"/.default" {
					t.Errorf("token requests %+v", tt.cred.calls)
				}
			}
		})
	}
}

func sameJSON(a, b any) bool {
	as, aok := a.([]any)
	bs, bok := b.([]any)
	if aok && bok {
		if len(as) != len(bs) {
			return false
		}
		for i := range as {
			if as[i] != bs[i] {
				return false
			}
		}
		return true
	}
	return a == b
}

func TestInvalidInput(t *testing.T) {
	tests := []struct {
		name string
		q    Query
		want string
	}{
		{"no workspace", Query{KQL: "T"}, "no workspace"},
		{"no KQL", Query{Workspace: testWorkspace, KQL: "  "}, "KQL is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStandIn(t, reply{status: 200, file: "empty.json"})
			_, err := s.client(t, nil).Query(context.Background(), tt.q)
			if !errors.Is(err, ErrInvalidQuery) || !backend.IsPluginError(err) || !contains(err.Error(), tt.want) {
				t.Errorf("err = %v", err)
			}
			if n := len(s.requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

func TestNewClientOptions(t *testing.T) {
	tests := []struct {
		name     string
		cred     bool
		endpoint string
		wantErr  string
	}{
		{"defaults to the public cloud", true, "", ""},
		{"custom https endpoint", true, "https://host:8443/v1", ""},
		{"http without credential (demo)", false, "http://localhost:8080/v1", ""},
		{"http with credential", true, "http://localhost:8080/v1", "must use https"},
		{"not a URL", false, "api.loganalytics.io/v1", "not an absolute http(s) URL"},
		{"ftp", false, "ftp://host/v1", "not an absolute http(s) URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.cred {
				_, err = NewClient(&fakeCredential{token: "x"}, ClientOptions{Endpoint: tt.endpoint})
			} else {
				_, err = NewClient(nil, ClientOptions{Endpoint: tt.endpoint})
			}
			if (err != nil) != (tt.wantErr != "") || (err != nil && !contains(err.Error(), tt.wantErr)) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	s := newStandIn(t, reply{status: 200, file: "empty.json"})
	c := s.client(t, nil)
	s.srv.Close()
	_, err := c.Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T"})
	if err == nil || !backend.IsDownstreamError(err) || !contains(err.Error(), "cannot reach Log Analytics") {
		t.Errorf("err = %v, want a downstream 'cannot reach' error", err)
	}
}

func TestNotWireFormat(t *testing.T) {
	s := newStandIn(t, reply{status: 200, file: "README.md"})
	_, err := s.client(t, nil).Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T"})
	if !errors.Is(err, ErrDecode) || !backend.IsDownstreamError(err) {
		t.Errorf("err = %v, want a downstream ErrDecode", err)
	}
}

func TestTimeoutErrorText(t *testing.T) {
	tests := []struct {
		after time.Duration
		want  string
	}{
		{180 * time.Second, "query timed out after 180s (queryTimeoutSeconds)"},
		{1500 * time.Millisecond, "query timed out after 1.5s (queryTimeoutSeconds)"},
	}
	for _, tt := range tests {
		if got := (&TimeoutError{After: tt.after}).Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestUserAgentCarriesApplicationID(t *testing.T) {
	s := newStandIn(t, reply{status: 200, file: "empty.json"})
	c, err := NewClient(nil, ClientOptions{Endpoint: s.srv.URL + "/v1/", Transport: s.srv.Client(), ApplicationID: "kqlhunt/1.0.0"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T"}); err != nil {
		t.Fatal(err)
	}
	r := s.requests()[0]
	if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "kqlhunt/1.0.0 azsdk-go-azquery/") {
		t.Errorf("User-Agent = %q", ua)
	}
	if r.Path != "/v1/workspaces/"+testWorkspace+"/query" {
		t.Errorf("path %s (trailing slash on the endpoint must not double)", r.Path)
	}
}

func TestNewClientTypedNilCredential(t *testing.T) {
	var cred *fakeCredential
	if _, err := NewClient(cred, ClientOptions{}); err == nil || !contains(err.Error(), "nil *loganalytics.fakeCredential") {
		t.Errorf("err = %v", err)
	}
}
