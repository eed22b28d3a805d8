package egress

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// recorder is an HTTPS server on 127.0.0.1 that counts requests and the bearer tokens it saw.
type recorder struct {
	srv    *httptest.Server
	hits   atomic.Int64
	tokens atomic.Int64
}

func newRecorder(t *testing.T, h http.HandlerFunc) *recorder {
	t.Helper()
	r := &recorder{}
	r.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.hits.Add(1)
		if req.Header.Get("Authorization") != "" {
			r.tokens.Add(1)
		}
		h(w, req)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *recorder) hostPort() string { return strings.TrimPrefix(r.srv.URL, "https://") }

// trusting is a TLS configuration that trusts the given test servers' certificates.
func trusting(servers ...*httptest.Server) *tls.Config {
	pool := x509.NewCertPool()
	for _, s := range servers {
		pool.AddCert(s.Certificate())
	}
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

func get(t *testing.T, tr *Transport, ctx context.Context, rawURL string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, strings.NewReader(`{"query":"T"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer secret-token")
	resp, err := tr.Do(req)
	if err == nil {
		t.Cleanup(func() { _ = resp.Body.Close() })
	}
	return resp, err
}

func TestRedirectsAreRefusedAndNotFollowed(t *testing.T) {
	target := newRecorder(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	plainTarget := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		t.Error("the plain-http target was contacted")
	}))
	t.Cleanup(plainTarget.Close)
	var location atomic.Value
	origin := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", location.Load().(string))
		w.WriteHeader(http.StatusTemporaryRedirect)
	})
	p := New(mustAllow(t, origin.hostPort()+","+target.hostPort()+","+strings.TrimPrefix(plainTarget.URL, "http://")),
		Options{TLS: trusting(origin.srv, target.srv)})
	tr := p.Transport(Use{Setting: "jsonData.endpoints.logAnalytics"})
	tests := []struct{ name, location, want string }{
		{"to http on the same host", strings.Replace(origin.srv.URL, "https://", "http://", 1) + "/v1/x?token=abc", "a redirect to http://" + origin.hostPort() + "/v1/x"},
		{"to http elsewhere", plainTarget.URL + "/steal", "a redirect to " + plainTarget.URL + "/steal"},
		{"to another host", target.srv.URL + "/v1", "a redirect to " + target.srv.URL + "/v1"},
		{"relative", "/elsewhere", "a redirect to " + origin.srv.URL + "/elsewhere"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			location.Store(tt.location)
			_, err := get(t, tr, t.Context(), origin.srv.URL+"/v1/workspaces/w/query")
			var r *RefusedError
			if !errors.As(err, &r) || r.Redirect == "" {
				t.Fatalf("want a refused redirect, got %v", err)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.want) || !strings.Contains(msg, "jsonData.endpoints.logAnalytics") || strings.Contains(msg, "token=abc") {
				t.Errorf("message %q: want %q and the setting, without the query", msg, tt.want)
			}
		})
	}
	if target.hits.Load() != 0 || target.tokens.Load() != 0 {
		t.Fatalf("the redirect target received %d requests", target.hits.Load())
	}
}

func TestServerClientReachesUnapprovedLoopbackButFollowsNoRedirect(t *testing.T) {
	identity := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
			return
		}
		_, _ = w.Write([]byte(`{"access_token":"t"}`))
	})
	p := New(AllowList{}, Options{TLS: trusting(identity.srv)})
	do := func(tr interface {
		Do(*http.Request) (*http.Response, error)
	}, path string) error {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, identity.srv.URL+path, nil)
		req.Header.Set("X-IDENTITY-HEADER", "server-secret")
		resp, err := tr.Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		return err
	}
	if err := do(p.ServerClient(), "/msi/token"); err != nil {
		t.Fatalf("server client: %v", err)
	}
	err := do(p.ServerClient(), "/redirect")
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "answered HTTP 302, a redirect to "+identity.srv.URL+"/elsewhere") {
		t.Fatalf("redirect: %v", err)
	}
	// The same endpoint through an editor-facing transport is refused.
	if err := do(p.Transport(Use{}), "/msi/token"); !errors.Is(err, ErrRefused) {
		t.Fatalf("editor-facing transport reached unapproved loopback: %v", err)
	}
	if identity.hits.Load() != 2 {
		t.Fatalf("identity endpoint hits: %d, want 2 (the redirect's target is not one)", identity.hits.Load())
	}
}

func TestApprovedHostsOnlyRefusesBeforeResolvingOrDialling(t *testing.T) {
	la := newRecorder(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	lookups := atomic.Int64{}
	p := New(mustAllow(t, la.hostPort()), Options{
		TLS: trusting(la.srv),
		Lookup: func(context.Context, string) ([]netip.Addr, error) {
			lookups.Add(1)
			return nil, errors.New("no lookups in this test")
		},
	})
	tr := p.Transport(Use{Setting: "jsonData.endpoints.authority", ApprovedHostsOnly: true})
	// A public name: the address policy would allow it, the server identity's rule does not.
	_, err := get(t, tr, t.Context(), "https://token-collector.example.com/tenant/oauth2/v2.0/token")
	var r *RefusedError
	if !errors.As(err, &r) || !r.NotApproved || !strings.Contains(err.Error(), "token-collector.example.com") {
		t.Fatalf("want a not-approved refusal, got %v", err)
	}
	if lookups.Load() != 0 {
		t.Fatal("the name was resolved")
	}
	if resp, err := get(t, tr, t.Context(), la.srv.URL+"/v1"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("approved host: %v", err)
	}
}

func TestWatchReturnsTheRefusalAMessageFlatteningLibraryLost(t *testing.T) {
	la := newRecorder(t, func(http.ResponseWriter, *http.Request) {})
	p := New(AllowList{}, Options{TLS: trusting(la.srv), Hint: "ask the admin"})
	tr := p.Transport(Use{Setting: "jsonData.endpoints.authority"})
	ctx, refused := Watch(t.Context())
	if refused() != nil {
		t.Fatal("a refusal before any request")
	}
	_, err := get(t, tr, ctx, la.srv.URL+"/tenant/v2.0/.well-known/openid-configuration")
	got := refused()
	if got == nil || got.Error() != err.Error() || !strings.Contains(got.Error(), "jsonData.endpoints.authority: refused to connect to 127.0.0.1 at 127.0.0.1:") {
		t.Fatalf("watched %v, returned %v", got, err)
	}
	if la.hits.Load() != 0 {
		t.Fatal("the refused server was contacted")
	}
}

// fakeProxy is an HTTP proxy on loopback that records CONNECT targets and refuses them all.
type fakeProxy struct {
	ln      net.Listener
	targets chan string
}

func newFakeProxy(t *testing.T) *fakeProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fp := &fakeProxy{ln: ln, targets: make(chan string, 10)}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			req, err := http.ReadRequest(bufio.NewReader(conn))
			if err == nil {
				fp.targets <- req.Method + " " + req.Host
			}
			_, _ = conn.Write([]byte("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"))
			_ = conn.Close()
		}
	}()
	t.Cleanup(func() { _ = ln.Close() })
	return fp
}

func TestThroughTheAdminsProxy(t *testing.T) {
	fp := newFakeProxy(t)
	proxyURL := mustURL(t, "http://"+fp.ln.Addr().String())
	p := New(AllowList{}, Options{
		Proxy:  func(*http.Request) (*url.URL, error) { return proxyURL, nil },
		Lookup: fixedLookup(t, nil), // the proxy resolves names: no lookup here
	})
	tr := p.Transport(Use{Setting: "jsonData.endpoints.logAnalytics"})
	// An internal literal is refused before the proxy is asked.
	_, err := get(t, tr, t.Context(), "https://127.0.0.2:8443/v1")
	var r *RefusedError
	if !errors.As(err, &r) || !r.Proxied || r.Class != Loopback {
		t.Fatalf("want a proxied refusal, got %v", err)
	}
	select {
	case got := <-fp.targets:
		t.Fatalf("the proxy was asked for %s", got)
	default:
	}
	// A name goes to the proxy (on an unapproved loopback address: the admin's proxy is trusted).
	_, err = get(t, tr, t.Context(), "https://la.example.test/v1")
	if err == nil || errors.Is(err, ErrRefused) {
		t.Fatalf("want the proxy's own refusal, got %v", err)
	}
	if got := <-fp.targets; got != "CONNECT la.example.test:443" {
		t.Fatalf("proxy saw %q", got)
	}
}
