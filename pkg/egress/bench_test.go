package egress

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// The policy's cost on the normal path, against what it replaces (azcore's default transport: a plain
// http.Transport and net.Dialer). Rerun: go test -run '^$' -bench . -benchmem ./pkg/egress/
// (figures in docs/benchmarks/egress.md).

// BenchmarkCheck is the rule itself, run once per resolved address and once more per connect.
func BenchmarkCheck(b *testing.B) {
	p := New(mustAllowB(b, "127.0.0.1:8443, la.example.test"), Options{})
	addrs := []netip.AddrPort{
		netip.MustParseAddrPort("20.41.6.128:443"), netip.MustParseAddrPort("127.0.0.1:8443"),
		netip.MustParseAddrPort("10.0.0.7:443"), netip.MustParseAddrPort("[2603:1030::1]:443"),
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = p.Check("la.example.test", addrs[i%len(addrs)])
	}
}

// BenchmarkDial is one new connection to a loopback listener: plain dialer, then the policy's.
func BenchmarkDial(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()
	addr := ln.Addr().String()
	p := New(mustAllowB(b, addr), Options{})
	for _, tt := range []struct {
		name string
		dial func(context.Context, string, string) (net.Conn, error)
	}{{"plain", dialer().DialContext}, {"egress", p.DialContext}} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c, err := tt.dial(b.Context(), "tcp", addr)
				if err != nil {
					b.Fatal(err)
				}
				_ = c.Close()
			}
		})
	}
}

// BenchmarkRequest is one HTTPS request on a kept-alive connection, the normal case of a query.
func BenchmarkRequest(b *testing.B) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"tables":[]}`)) }))
	defer srv.Close()
	p := New(mustAllowB(b, strings.TrimPrefix(srv.URL, "https://")), Options{TLS: trusting(srv)})
	plain := newHTTPTransport(trusting(srv), nil, dialer().DialContext)
	for _, tt := range []struct {
		name string
		do   func(*http.Request) (*http.Response, error)
	}{{"plain", plain.RoundTrip}, {"egress", p.Transport(Use{Setting: "bench"}).Do}} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req, _ := http.NewRequestWithContext(b.Context(), http.MethodPost, srv.URL+"/v1/workspaces/w/query", strings.NewReader(`{"query":"T"}`))
				resp, err := tt.do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body) // drained, so the connection is reused
				_ = resp.Body.Close()
			}
		})
	}
}

func mustAllowB(b *testing.B, s string) AllowList {
	b.Helper()
	a, err := ParseAllowList(s)
	if err != nil {
		b.Fatal(err)
	}
	return a
}
