package egress

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// countingListener accepts connections on a loopback address and counts them.
type countingListener struct {
	ln       net.Listener
	accepted atomic.Int64
}

func listen(t *testing.T, addr string) *countingListener {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen %s: %v", addr, err)
	}
	c := &countingListener{ln: ln}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			c.accepted.Add(1)
			_ = conn.Close()
		}
	}()
	t.Cleanup(func() { _ = ln.Close() })
	return c
}

func (c *countingListener) port() uint16 { return uint16(c.ln.Addr().(*net.TCPAddr).Port) }

// settle gives a connection that should not exist time to show up in the count.
func (c *countingListener) settle() int64 {
	time.Sleep(50 * time.Millisecond)
	return c.accepted.Load()
}

// fixedLookup resolves every name in m, and fails the test on any other name: a test must never
// resolve, let alone dial, a name it did not plan for.
func fixedLookup(t *testing.T, m map[string][]string) func(context.Context, string) ([]netip.Addr, error) {
	return func(_ context.Context, host string) ([]netip.Addr, error) {
		addrs, ok := m[host]
		if !ok {
			t.Errorf("unexpected lookup of %q", host)
			return nil, &net.DNSError{Err: "not in the test's table", Name: host, IsNotFound: true}
		}
		var out []netip.Addr
		for _, a := range addrs {
			out = append(out, netip.MustParseAddr(a))
		}
		return out, nil
	}
}

func mustAllow(t *testing.T, s string) AllowList {
	t.Helper()
	a, err := ParseAllowList(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func hostPort(host string, port uint16) string {
	return net.JoinHostPort(host, strconv.Itoa(int(port)))
}

// The rebinding test: only 127.0.0.1:port is approved, and a name resolves to 127.0.0.2, where a
// listener waits. The dial is refused before any connection.
func TestDialRefusesANameResolvingToAnUnapprovedLoopbackAddress(t *testing.T) {
	other := listen(t, "127.0.0.2:0")
	port := other.port()
	p := New(mustAllow(t, hostPort("127.0.0.1", port)), Options{
		Lookup: fixedLookup(t, map[string][]string{"la.example.test": {"127.0.0.2"}, "mixed.example.test": {"127.0.0.1", "127.0.0.2"}, "mapped.example.test": {"::ffff:127.0.0.2"}}),
		Hint:   "ask the admin",
	})
	for _, name := range []string{"la.example.test", "mixed.example.test", "mapped.example.test"} {
		conn, err := p.DialContext(t.Context(), "tcp", hostPort(name, port))
		if err == nil {
			_ = conn.Close()
			t.Fatalf("%s: dial succeeded", name)
		}
		var r *RefusedError
		if !errors.As(err, &r) || r.Class != Loopback || r.Addr.Addr() != netip.MustParseAddr("127.0.0.2") || r.Host != name {
			t.Fatalf("%s: want a refusal of 127.0.0.2, got %v", name, err)
		}
	}
	if n := other.settle(); n != 0 {
		t.Fatalf("the refused address received %d connections", n)
	}
}

func TestDialReachesApprovedAddressesAndNames(t *testing.T) {
	one := listen(t, "127.0.0.1:0")
	two := listen(t, "127.0.0.2:0")
	p := New(mustAllow(t, hostPort("127.0.0.1", one.port())+", la.example.test:"+strconv.Itoa(int(two.port()))), Options{
		Lookup: fixedLookup(t, map[string][]string{"la.example.test": {"127.0.0.2"}}),
	})
	for _, addr := range []string{hostPort("127.0.0.1", one.port()), hostPort("la.example.test", two.port())} {
		conn, err := p.DialContext(t.Context(), "tcp", addr)
		if err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		_ = conn.Close()
	}
	// The approved name, on a port that was not approved.
	if _, err := p.DialContext(t.Context(), "tcp", hostPort("la.example.test", two.port()+1)); !errors.Is(err, ErrRefused) {
		t.Fatalf("unapproved port: %v", err)
	}
	if one.settle() != 1 || two.settle() != 1 {
		t.Fatalf("connections: %d %d", one.accepted.Load(), two.accepted.Load())
	}
}

// The Control hook is checked on its own: it is what sees the socket's real address.
func TestControlHookChecksTheSocketAddress(t *testing.T) {
	p := New(mustAllow(t, "127.0.0.1:443, la.example.test"), Options{})
	tests := []struct {
		host, address string
		refused       bool
	}{
		{"other.example.test", "127.0.0.2:443", true},
		{"other.example.test", "127.0.0.1:443", false},
		{"other.example.test", "127.0.0.1:444", true},
		{"other.example.test", "[::1]:443", true},
		{"la.example.test", "10.0.0.7:443", false},       // an approved name: the server's DNS decides
		{"la.example.test", "169.254.169.254:80", true},  // but never a metadata address
		{"la.example.test", "[fd00:ec2::254]:80", true},  // nor its IPv6 form
		{"other.example.test", "20.41.6.128:443", false}, // public
		{"other.example.test", "[::ffff:127.0.0.2]:443", true},
	}
	for _, tt := range tests {
		err := p.control(tt.host)("tcp", tt.address, nil)
		if got := err != nil; got != tt.refused {
			t.Errorf("%s at %s: refused=%v (%v), want %v", tt.host, tt.address, got, err, tt.refused)
		}
		if err != nil && !errors.Is(err, ErrRefused) {
			t.Errorf("%s at %s: %v does not wrap ErrRefused", tt.host, tt.address, err)
		}
	}
}

// CheckURL refuses internal literals, and unapproved hosts for ApprovedHostsOnly, before any
// connection; these addresses are only parsed.
func TestCheckURL(t *testing.T) {
	p := New(mustAllow(t, "127.0.0.1:8443, 169.254.169.254, la.example.test"), Options{Hint: "ask the admin"})
	kind := errors.New("fix your settings")
	tests := []struct {
		url          string
		approvedOnly bool
		class        Class // Public: allowed
		notApproved  bool
	}{
		{"https://127.0.0.1:8443/v1", false, Public, false},
		{"https://127.0.0.1/v1", false, Loopback, false}, // port 443 is not the approved one
		{"https://169.254.169.254/", false, Public, false},
		{"https://[fd00:ec2::254]/", false, Metadata, false},
		{"https://10.0.0.1:443/", false, Private, false},
		{"https://[::1]:8443/", false, Loopback, false},
		{"https://0.0.0.0/", false, Unspecified, false},
		{"https://100.64.1.1/", false, SharedNAT, false},
		{"https://other.example.test/v1", false, Public, false}, // a name: checked when dialled
		{"https://20.41.6.128/v1", false, Public, false},
		{"https://la.example.test/v1", true, Public, false},
		{"https://LA.example.test:443/v1", true, Public, false},
		{"https://127.0.0.1:8443/v1", true, Public, false},
		{"https://other.example.test/v1", true, Public, true},
		{"https://20.41.6.128/v1", true, Public, true}, // public, but not approved
		{"https://127.0.0.1:8444/v1", true, Public, true},
	}
	for _, tt := range tests {
		err := p.CheckURL(mustURL(t, tt.url), Use{Setting: "jsonData.endpoints.logAnalytics", ApprovedHostsOnly: tt.approvedOnly, Kind: kind})
		var r *RefusedError
		switch {
		case tt.class == Public && !tt.notApproved:
			if err != nil {
				t.Errorf("%s refused: %v", tt.url, err)
			}
			continue
		case !errors.As(err, &r) || r.NotApproved != tt.notApproved || (!tt.notApproved && r.Class != tt.class):
			t.Errorf("%s (approved hosts only: %v): got %v, want a refusal as %s (not approved: %v)", tt.url, tt.approvedOnly, err, tt.class, tt.notApproved)
			continue
		}
		if !errors.Is(err, kind) || !strings.HasPrefix(err.Error(), "jsonData.endpoints.logAnalytics: ") || !strings.HasSuffix(err.Error(), "; ask the admin") {
			t.Errorf("%s: %q should name the setting, end with the hint and wrap the kind", tt.url, err)
		}
	}
}

func TestRefusalMessagesSayWhatAndWhoApproves(t *testing.T) {
	sentinel := errors.New("invalid datasource settings")
	u := Use{Setting: "jsonData.endpoints.logAnalytics", Kind: sentinel}
	tests := []struct {
		err  *RefusedError
		want []string
	}{
		{&RefusedError{Host: "la.example.test", Addr: netip.MustParseAddrPort("127.0.0.2:8443"), Class: Loopback},
			[]string{"jsonData.endpoints.logAnalytics: refused to connect to la.example.test at 127.0.0.2:8443, a loopback address", "ask the admin"}},
		{&RefusedError{Host: "10.0.0.1", Addr: netip.MustParseAddrPort("10.0.0.1:443"), Class: Private, Proxied: true},
			[]string{"through the proxy", "a private address"}},
		{&RefusedError{Host: "x", Addr: netip.MustParseAddrPort("169.254.169.254:80"), Class: Metadata},
			[]string{"a cloud metadata address", "only the address itself"}},
		{&RefusedError{Host: "evil.example:443", NotApproved: true},
			[]string{"evil.example:443 is not approved for the server's identity"}},
		{&RefusedError{Host: "127.0.0.1:9", Redirect: "http://127.0.0.1:9/v1", RedirectStatus: 307},
			[]string{"answered HTTP 307, a redirect to http://127.0.0.1:9/v1", "follows no redirects"}},
		{&RefusedError{Host: "h", Addr: netip.MustParseAddrPort("100.64.0.1:443"), Class: SharedNAT},
			[]string{"a shared (carrier-grade NAT) address"}},
		{&RefusedError{Host: "h", Addr: netip.MustParseAddrPort("[::]:443"), Class: Unspecified},
			[]string{"an unspecified address"}},
	}
	for _, tt := range tests {
		err := tt.err.in(u, "ask the admin")
		msg := err.Error()
		for _, w := range tt.want {
			if !strings.Contains(msg, w) {
				t.Errorf("message %q lacks %q", msg, w)
			}
		}
		if strings.ContainsAny(msg, "\r\n") {
			t.Errorf("message is not one line: %q", msg)
		}
		if !errors.Is(err, ErrRefused) || !errors.Is(err, sentinel) {
			t.Errorf("%v does not wrap both sentinels", err)
		}
	}
}

func TestRefusalsAreNotRetried(t *testing.T) {
	// azcore's retry policy stops on an error with this method (errorinfo.NonRetriable).
	var err error = &RefusedError{}
	if _, ok := err.(interface{ NonRetriable() }); !ok {
		t.Fatal("RefusedError is retriable")
	}
}
