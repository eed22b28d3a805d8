package loganalytics

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// reply is one canned answer of the stand-in service.
type reply struct {
	status  int
	file    string // testdata file for the body
	text    string // the body itself, when file is empty
	gzip    bool   // send the body gzip-compressed (when the request accepts it)
	headers map[string]string
	delay   time.Duration // wait (or until the request is cancelled) before answering
}

// seenRequest is what the stand-in recorded of one request.
type seenRequest struct {
	Method, Path string
	Header       http.Header
	Body         map[string]any
}

// standIn is a Log Analytics stand-in over TLS that answers requests with
// the given replies in order (the last one repeats) and records them.
type standIn struct {
	t       *testing.T
	srv     *httptest.Server
	mu      sync.Mutex
	replies []reply
	seen    []seenRequest
}

func newStandIn(t *testing.T, replies ...reply) *standIn {
	t.Helper()
	s := &standIn{t: t, replies: replies}
	s.srv = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *standIn) serve(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	_ = json.Unmarshal(raw, &body)
	s.mu.Lock()
	n := len(s.seen)
	s.seen = append(s.seen, seenRequest{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
	rep := s.replies[min(n, len(s.replies)-1)]
	s.mu.Unlock()

	if rep.delay > 0 {
		select {
		case <-time.After(rep.delay):
		case <-r.Context().Done():
			return
		}
	}
	data := []byte{}
	if rep.file != "" {
		var err error
		if data, err = os.ReadFile(filepath.Join("testdata", rep.file)); err != nil {
			s.t.Errorf("read fixture: %v", err)
		}
	}
	if rep.text != "" {
		data = []byte(rep.text)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("x-ms-request-id", "req-1234")
	for k, v := range rep.headers {
		w.Header().Set(k, v)
	}
	if rep.gzip {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			s.t.Errorf("the client did not ask for gzip: Accept-Encoding %q", r.Header.Get("Accept-Encoding"))
		}
		var zb bytes.Buffer
		zw := gzip.NewWriter(&zb)
		_, _ = zw.Write(data)
		_ = zw.Close()
		data = zb.Bytes()
		w.Header().Set("Content-Encoding", "gzip")
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write(data)
}

func (s *standIn) requests() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenRequest(nil), s.seen...)
}

// fastRetry keeps retry tests quick.
var fastRetry = policy.RetryOptions{MaxRetries: 2, RetryDelay: time.Millisecond, MaxRetryDelay: 10 * time.Millisecond}

// client builds a Client for the stand-in.
func (s *standIn) client(t *testing.T, cred azcore.TokenCredential) *Client {
	t.Helper()
	c, err := NewClient(cred, ClientOptions{
		Endpoint:  s.srv.URL + "/v1",
		Audience:  DefaultAudience,
		Transport: s.srv.Client(),
		Retry:     fastRetry,
	})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// fakeCredential hands out a fixed token, or a fixed error.
type fakeCredential struct {
	token string
	err   error
	mu    sync.Mutex
	calls []policy.TokenRequestOptions
}

func (f *fakeCredential) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	f.mu.Lock()
	f.calls = append(f.calls, o)
	f.mu.Unlock()
	if f.err != nil {
		return azcore.AccessToken{}, f.err
	}
	return azcore.AccessToken{Token: f.token, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

const testWorkspace = "11111111-2222-3333-4444-555555555555"
