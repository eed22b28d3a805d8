package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/standin"
)

const ws = "c0ffee00-1234-4abc-8def-0123456789ab"

func do(t *testing.T, h http.Handler, method, path, body string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	return rr
}

type errorBody struct {
	Error struct {
		Code    string               `json:"code"`
		Message string               `json:"message"`
		Inner   *emulator.InnerError `json:"innererror"`
	} `json:"error"`
}

func TestHandlerRejectsBadRequests(t *testing.T) {
	h := standin.NewLogAnalytics(standin.Respond(), emulator.WithTokenValidator(func(tok string) bool { return tok == "good" }))
	auth := map[string]string{"Authorization": "Bearer good"}
	tests := []struct {
		name, method, path, body string
		hdr                      map[string]string
		status                   int
		code, inner              string
	}{
		{"unknown path", "POST", "/v1/metrics", `{"query":"T"}`, auth, 404, "PathNotFoundError", ""},
		{"workspace not a GUID", "POST", "/v1/workspaces/my-workspace/query", `{"query":"T"}`, auth, 404, "PathNotFoundError", ""},
		{"wrong method", "DELETE", "/v1/workspaces/" + ws + "/query", ``, auth, 405, "MethodNotAllowed", ""},
		{"no token", "POST", "/v1/workspaces/" + ws + "/query", `{"query":"T"}`, nil, 401, "AuthorizationRequiredError", ""},
		{"basic auth", "POST", "/v1/workspaces/" + ws + "/query", `{"query":"T"}`, map[string]string{"Authorization": "Basic Zm9vOmJhcg=="}, 401, "AuthorizationRequiredError", ""},
		{"foreign token", "POST", "/v1/workspaces/" + ws + "/query", `{"query":"T"}`, map[string]string{"Authorization": "Bearer evil"}, 401, "InvalidTokenError", "TokenValidationFailed"},
		{"not JSON", "POST", "/v1/workspaces/" + ws + "/query", `query=T`, auth, 400, "BadArgumentError", "InvalidBody"},
		{"no query", "POST", "/v1/workspaces/" + ws + "/query", `{"timespan":"P1D"}`, auth, 400, "BadArgumentError", "QueryValidationError"},
		{"blank query", "POST", "/v1/workspaces/" + ws + "/query", `{"query":"  "}`, auth, 400, "BadArgumentError", "QueryValidationError"},
		{"bad timespan", "POST", "/v1/workspaces/" + ws + "/query", `{"query":"T","timespan":"yesterday"}`, auth, 400, "BadArgumentError", "InvalidTimespan"},
		{"bad wait", "POST", "/v1/workspaces/" + ws + "/query", `{"query":"T"}`, map[string]string{"Authorization": "Bearer good", "Prefer": "wait=soon"}, 400, "BadArgumentError", "InvalidPreferHeader"},
		{"GET without query", "GET", "/v1/workspaces/" + ws + "/query?timespan=P1D", ``, auth, 400, "BadArgumentError", "QueryValidationError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rr := do(t, h, tt.method, tt.path, tt.body, tt.hdr)
			if rr.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rr.Code, tt.status, rr.Body)
			}
			var eb errorBody
			if err := json.Unmarshal(rr.Body.Bytes(), &eb); err != nil {
				t.Fatalf("error body is not JSON: %v: %s", err, rr.Body)
			}
			if eb.Error.Code != tt.code || eb.Error.Message == "" {
				t.Errorf("code %q message %q, want %q", eb.Error.Code, eb.Error.Message, tt.code)
			}
			if tt.inner != "" && (eb.Error.Inner == nil || eb.Error.Inner.Code != tt.inner) {
				t.Errorf("innererror %+v, want code %s", eb.Error.Inner, tt.inner)
			}
			if ct := rr.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

func TestHandlerPassesTheRequestOn(t *testing.T) {
	script := standin.Respond()
	now := time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)
	h := standin.NewLogAnalytics(script, emulator.WithClock(func() time.Time { return now }))
	other := "11111111-2222-3333-4444-555555555555"
	rr := do(t, h, "POST", "/v1/workspaces/"+ws+"/query",
		`{"query":"T | take 1","timespan":"PT12H","workspaces":["`+other+`"]}`,
		map[string]string{"Prefer": "include-statistics=true,wait=30", "Authorization": "Bearer tok"})
	if rr.Code != 200 {
		t.Fatalf("status %d: %s", rr.Code, rr.Body)
	}
	if got := rr.Header().Get("Preference-Applied"); got != "wait=30" {
		t.Errorf("Preference-Applied %q", got)
	}
	reqs := script.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.Workspace != ws || r.Query != "T | take 1" || r.Timespan != "PT12H" || r.Wait != 30*time.Second ||
		r.Token != "tok" || r.Prefer["include-statistics"] != "true" || len(r.Workspaces) != 1 || r.Workspaces[0] != other {
		t.Errorf("request %+v", r)
	}
	if !r.Start.Equal(now.Add(-12*time.Hour)) || !r.End.Equal(now) {
		t.Errorf("span %v..%v", r.Start, r.End)
	}
	if got := r.AllWorkspaces(); len(got) != 2 || got[0] != ws || got[1] != other {
		t.Errorf("AllWorkspaces %v", got)
	}
	if r.Header.Get("Authorization") != "Bearer REDACTED" {
		t.Errorf("executor saw Authorization %q", r.Header.Get("Authorization"))
	}
	logged := h.Requests()
	if len(logged) != 1 || !bytes.Contains(logged[0].Body, []byte("take 1")) || logged[0].Prefer != "include-statistics=true,wait=30" {
		t.Errorf("log %+v", logged)
	}
	h.ResetRequests()
	if len(h.Requests()) != 0 {
		t.Error("ResetRequests kept requests")
	}
}

func TestHandlerGET(t *testing.T) {
	script := standin.Respond(emulator.NewTable("PrimaryResult", emulator.Col("x", "long")).AddRow(int64(1)))
	h := standin.NewLogAnalytics(script)
	rr := do(t, h, "GET", "/v1/workspaces/"+ws+"/query?query=T%20%7C%20count&timespan=P1D", "", nil)
	if rr.Code != 200 || !strings.Contains(rr.Body.String(), `"rows":[[1]]`) {
		t.Fatalf("%d %s", rr.Code, rr.Body)
	}
	if q := script.Requests()[0].Query; q != "T | count" {
		t.Errorf("query %q", q)
	}
}

func TestHandlerTruncatesLikeTheService(t *testing.T) {
	tbl := emulator.NewTable("PrimaryResult", emulator.Col("n", "long"))
	for i := 0; i < 5; i++ {
		tbl.AddRow(int64(i))
	}
	tests := []struct {
		limit    int
		rows     string
		partial  bool
		scripted *standin.Script
	}{
		{3, `[[0],[1],[2]]`, true, standin.Respond(tbl)},
		{5, `[[0],[1],[2],[3],[4]]`, false, standin.Respond(tbl)},
		{-1, `[[0],[1],[2],[3],[4]]`, false, standin.Respond(tbl)},
		// An executor's own partial error wins over the truncation notice.
		{3, `[[0],[1],[2]]`, true, standin.Respond(tbl).Partial("X", "own")},
	}
	for _, tt := range tests {
		h := standin.NewLogAnalytics(tt.scripted, emulator.WithRowLimit(tt.limit))
		rr := do(t, h, "POST", "/v1/workspaces/"+ws+"/query", `{"query":"T"}`, nil)
		var body struct {
			Tables []struct {
				Rows json.RawMessage `json:"rows"`
			} `json:"tables"`
			Error *emulator.ErrorInfo `json:"error"`
		}
		if err := json.Unmarshal(rr.Body.Bytes(), &body); err != nil {
			t.Fatalf("limit %d: %v: %s", tt.limit, err, rr.Body)
		}
		if string(body.Tables[0].Rows) != tt.rows {
			t.Errorf("limit %d: rows %s, want %s", tt.limit, body.Tables[0].Rows, tt.rows)
		}
		if (body.Error != nil) != tt.partial {
			t.Errorf("limit %d: error %+v", tt.limit, body.Error)
		}
	}
	h := standin.NewLogAnalytics(standin.Respond(tbl), emulator.WithRowLimit(3))
	rr := do(t, h, "POST", "/v1/workspaces/"+ws+"/query", `{"query":"T"}`, nil)
	if !strings.Contains(rr.Body.String(), "E_QUERY_RESULT_SET_TOO_LARGE") || !strings.Contains(rr.Body.String(), `"code":"PartialError"`) {
		t.Errorf("truncation notice missing: %s", rr.Body)
	}
}

func TestHandlerErrors(t *testing.T) {
	tests := []struct {
		name       string
		exec       emulator.Executor
		status     int
		code       string
		retryAfter string
	}{
		{"throttled", standin.Throttle(1500 * time.Millisecond), 429, "ThrottledError", "2"},
		{"plain error", emulator.ExecutorFunc(func(context.Context, emulator.Request) (*emulator.Result, error) { return nil, context.Canceled }), 500, "InternalServerError", ""},
		{"wrapped service error", standin.FailWith(wrapErr{emulator.InsufficientAccessError()}), 403, "InsufficientAccessError", ""},
		{"retry after", standin.Fail(503, "ServiceUnavailable", "busy").RetryAfter(time.Second), 503, "ServiceUnavailable", "1"},
		{"nil result", emulator.ExecutorFunc(func(context.Context, emulator.Request) (*emulator.Result, error) { return nil, nil }), 200, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rr := do(t, standin.NewLogAnalytics(tt.exec), "POST", "/v1/workspaces/"+ws+"/query", `{"query":"T"}`, nil)
			if rr.Code != tt.status || rr.Header().Get("Retry-After") != tt.retryAfter {
				t.Fatalf("status %d Retry-After %q: %s", rr.Code, rr.Header().Get("Retry-After"), rr.Body)
			}
			if tt.code != "" && !strings.Contains(rr.Body.String(), `"code":"`+tt.code+`"`) {
				t.Errorf("body %s lacks %s", rr.Body, tt.code)
			}
			if tt.status == 200 && rr.Body.String() != `{"tables":[]}` {
				t.Errorf("body %s", rr.Body)
			}
		})
	}
}

type wrapErr struct{ err error }

func (w wrapErr) Error() string { return "wrapped: " + w.err.Error() }
func (w wrapErr) Unwrap() error { return w.err }

func TestHandlerWaitDeadline(t *testing.T) {
	slow := standin.Respond().After(3 * time.Second)
	h := standin.NewLogAnalytics(slow)
	start := time.Now()
	rr := do(t, h, "POST", "/v1/workspaces/"+ws+"/query", `{"query":"T"}`, map[string]string{"Prefer": "wait=1"})
	if rr.Code != 504 || !strings.Contains(rr.Body.String(), `"code":"GatewayTimeout"`) {
		t.Fatalf("%d %s", rr.Code, rr.Body)
	}
	if el := time.Since(start); el > 2500*time.Millisecond {
		t.Errorf("took %v: the deadline was not applied", el)
	}
	// The default wait applies without Prefer.
	h = standin.NewLogAnalytics(standin.Respond().After(time.Second), emulator.WithDefaultWait(50*time.Millisecond))
	if rr := do(t, h, "POST", "/v1/workspaces/"+ws+"/query", `{"query":"T"}`, nil); rr.Code != 504 {
		t.Fatalf("default wait: %d", rr.Code)
	}
}

func TestHandlerClientGone(t *testing.T) {
	h := standin.NewLogAnalytics(standin.Respond().After(time.Minute))
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest("POST", "/v1/workspaces/"+ws+"/query", strings.NewReader(`{"query":"T"}`)).WithContext(ctx)
	time.AfterFunc(20*time.Millisecond, cancel)
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	if got := h.Requests()[0].Status; got != 499 {
		t.Errorf("recorded status %d, want 499", got)
	}
}

func TestScriptSequencesAndWorkspaces(t *testing.T) {
	a := emulator.NewTable("A")
	b := emulator.NewTable("B")
	other := "11111111-2222-3333-4444-555555555555"
	s := standin.Throttle(time.Second).Then(standin.Respond(a)).Then(standin.Respond(b)).ForWorkspace(strings.ToUpper(other), standin.BadQuery(1, 5, "|"))
	want := []string{"429", "A", "B", "B"}
	for i, w := range want {
		res, err := s.Query(context.Background(), emulator.Request{Workspace: ws})
		got := ""
		if err != nil {
			got = "429"
			if se, ok := err.(*emulator.ServiceError); !ok || se.Status != 429 || se.RetryAfter != time.Second {
				t.Errorf("step %d: error %v", i, err)
			}
		} else {
			got = res.Tables[0].Name
		}
		if got != w {
			t.Errorf("step %d: %s, want %s", i, got, w)
		}
	}
	_, err := s.Query(context.Background(), emulator.Request{Workspace: other})
	if se, ok := err.(*emulator.ServiceError); !ok || se.Status != 400 || se.Inner.Inner.Code != "SYN0002" || se.Inner.Inner.Pos != 5 {
		t.Errorf("workspace script: %v", err)
	}
	if s.Calls() != 5 {
		t.Errorf("calls %d", s.Calls())
	}
	// Func sees the request.
	f := standin.Func(func(_ context.Context, r emulator.Request) (*emulator.Result, error) {
		return &emulator.Result{Tables: []*emulator.Table{emulator.NewTable(r.Query)}}, nil
	})
	if res, _ := f.Query(context.Background(), emulator.Request{Query: "echo"}); res.Tables[0].Name != "echo" {
		t.Errorf("Func got %q", res.Tables[0].Name)
	}
	if res, err := (&standin.Script{}).Query(context.Background(), emulator.Request{}); err != nil || len(res.Tables) != 0 {
		t.Errorf("empty script: %v %v", res, err)
	}
}

func TestServiceErrorMessage(t *testing.T) {
	got := emulator.BadQueryError(2, 244, "joi").Error()
	want := "log analytics emulator: 400 BadArgumentError: The request had some invalid properties (SYN0002: Query could not be parsed at 'joi' on line [2,244])"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if s := emulator.SemanticQueryError("SEM0100", "'where' operator: Failed to resolve column named 'Foo'"); s.Inner.Code != "SemanticError" || s.Inner.Inner.Code != "SEM0100" {
		t.Errorf("%+v", s)
	}
}

func TestHandlerConcurrency(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 10)
	exec := emulator.ExecutorFunc(func(ctx context.Context, _ emulator.Request) (*emulator.Result, error) {
		started <- struct{}{}
		<-release
		return &emulator.Result{}, nil
	})
	h := standin.NewLogAnalytics(exec, emulator.WithMaxConcurrent(2, 3*time.Second))
	codes := make(chan int, 3)
	for i := 0; i < 2; i++ {
		go func() {
			codes <- do(t, h, "POST", "/v1/workspaces/"+ws+"/query", `{"query":"T"}`, nil).Code
		}()
	}
	<-started
	<-started
	rr := do(t, h, "POST", "/v1/workspaces/"+ws+"/query", `{"query":"T"}`, nil)
	if rr.Code != 429 || rr.Header().Get("Retry-After") != "3" || !strings.Contains(rr.Body.String(), "ThrottledError") {
		t.Errorf("third query: %d %v %s", rr.Code, rr.Header(), rr.Body)
	}
	close(release)
	if a, b := <-codes, <-codes; a != 200 || b != 200 {
		t.Errorf("running queries: %d %d", a, b)
	}
	if p := h.PeakConcurrency(); p != 2 {
		t.Errorf("peak %d, want 2", p)
	}
	if rr := do(t, h, "POST", "/v1/workspaces/"+ws+"/query", `{"query":"T"}`, nil); rr.Code != 200 {
		t.Errorf("after the others finished: %d", rr.Code)
	}
}
