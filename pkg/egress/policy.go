package egress

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// Options tune a Policy; the zero value is what the plugin uses.
type Options struct {
	// Lookup resolves a host name to its addresses; nil uses net.DefaultResolver. Tests map names to
	// loopback addresses here.
	Lookup func(ctx context.Context, host string) ([]netip.Addr, error)
	// Proxy picks the HTTP proxy for a request, as http.Transport.Proxy does; nil reads the process
	// environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), which Grafana forwards to plugins.
	Proxy func(*http.Request) (*url.URL, error)
	// TLS is the client TLS configuration; nil trusts the system roots (and SSL_CERT_FILE).
	TLS *tls.Config
	// Hint ends every refusal's message: how the admin approves a host (the variable, and how
	// Grafana forwards it).
	Hint string
}

// Policy is the process's outbound policy and its one pool of connections. It is safe for
// concurrent use; build one per process and share it, as http.DefaultTransport is shared.
type Policy struct {
	allow   AllowList
	opts    Options
	checked *http.Transport // editor-facing: every dial is checked
	server  *http.Transport // server-configured endpoints: nothing is checked
	proxies sync.Map        // "host:port" of each proxy the Proxy function chose: the admin's
}

// New builds a policy that allows public addresses, and non-public ones on the hosts allow approves.
func New(allow AllowList, opts Options) *Policy {
	if opts.Lookup == nil {
		opts.Lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	if opts.Proxy == nil {
		fromEnv := httpproxy.FromEnvironment().ProxyFunc()
		opts.Proxy = func(r *http.Request) (*url.URL, error) { return fromEnv(r.URL) }
	}
	p := &Policy{allow: allow, opts: opts}
	p.checked = newHTTPTransport(opts.TLS, p.proxyFor, p.DialContext)
	p.server = newHTTPTransport(opts.TLS, opts.Proxy, dialer().DialContext)
	return p
}

// Allowed is the approved list the policy was built with.
func (p *Policy) Allowed() AllowList { return p.allow }

// newHTTPTransport has the settings of azcore's default transport (which this replaces), so that
// connection reuse, timeouts, TLS and HTTP/2 (with its ping health check, against connections that
// hang) behave as before.
func newHTTPTransport(tlsConf *tls.Config, proxy func(*http.Request) (*url.URL, error), dial func(context.Context, string, string) (net.Conn, error)) *http.Transport {
	if tlsConf == nil {
		tlsConf = &tls.Config{MinVersion: tls.VersionTLS12, Renegotiation: tls.RenegotiateFreelyAsClient}
	}
	return &http.Transport{
		HTTP2:                 &http.HTTP2Config{SendPingTimeout: 10 * time.Second, PingTimeout: 5 * time.Second},
		Proxy:                 proxy,
		DialContext:           dial,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   10,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		TLSClientConfig:       tlsConf.Clone(),
	}
}

func dialer() *net.Dialer { return &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second} }

// Check is the rule, in one place: may the plugin connect to addr for host (the name or literal the
// request used)? Public addresses may be reached; others only when the address itself is approved,
// or (except for metadata addresses) when the host name is.
func (p *Policy) Check(host string, addr netip.AddrPort) *RefusedError {
	class := Classify(addr.Addr())
	switch {
	case class == Public:
		return nil
	case p.allow.allowsAddr(addr.Addr(), addr.Port()):
		return nil
	case class != Metadata && !isLiteral(host) && p.allow.allowsName(normalName(host), addr.Port()):
		return nil
	}
	return &RefusedError{Host: host, Addr: addr, Class: class}
}

func isLiteral(host string) bool {
	_, err := netip.ParseAddr(host)
	return err == nil
}

// CheckURL applies, before any connection, the rules a Transport for use applies to a request to u:
// the host must be approved (Use.ApprovedHostsOnly), and a literal address must pass Check. A host
// name's addresses are checked when it is dialled. It returns the refusal as that transport would
// (naming the setting, wrapping Use.Kind), or nil: the settings-time form of the rules, so that a
// refused endpoint is reported before any network traffic.
func (p *Policy) CheckURL(u *url.URL, use Use) error {
	if use.ApprovedHostsOnly && !p.allow.AllowsHost(u.Hostname(), urlPort(u)) {
		return (&RefusedError{Host: u.Host, NotApproved: true}).in(use, p.opts.Hint)
	}
	if r := p.checkLiteral(u); r != nil {
		return r.in(use, p.opts.Hint)
	}
	return nil
}

// checkLiteral checks a URL whose host is an IP literal; a host name passes.
func (p *Policy) checkLiteral(u *url.URL) *RefusedError {
	ip, err := netip.ParseAddr(u.Hostname())
	if err != nil {
		return nil
	}
	return p.Check(u.Hostname(), netip.AddrPortFrom(ip, urlPort(u)))
}

// urlPort is the URL's port, or its scheme's default.
func urlPort(u *url.URL) uint16 {
	if n, err := strconv.ParseUint(u.Port(), 10, 16); err == nil {
		return uint16(n)
	}
	if u.Scheme == "http" {
		return 80
	}
	return 443
}

// DialContext connects to addr ("host:port") as http.Transport asks, checking every address the
// host resolves to before dialling any (a name with one refused address is refused whole), and
// again in the dialer's Control hook on the address the socket actually connects to.
func (p *Policy) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if _, ok := p.proxies.Load(strings.ToLower(addr)); ok {
		return dialer().DialContext(ctx, network, addr) // the admin's own proxy
	}
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("dial %s: bad port", addr)
	}
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		ips = []netip.Addr{ip}
	} else if ips, err = p.opts.Lookup(ctx, host); err != nil {
		return nil, err
	}
	if len(ips) == 0 {
		return nil, &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
	}
	for i, ip := range ips {
		ips[i] = ip.Unmap() // the resolver may answer ::ffff:a.b.c.d for an IPv4 address
		if r := p.Check(host, netip.AddrPortFrom(ips[i], uint16(port))); r != nil {
			return nil, r
		}
	}
	d := dialer()
	d.Control = p.control(host)
	var firstErr error
	for _, ip := range ips {
		conn, err := d.DialContext(ctx, network, netip.AddrPortFrom(ip, uint16(port)).String())
		if err == nil {
			return conn, nil
		}
		if firstErr == nil {
			firstErr = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, firstErr
}

// control is the dialer's Control hook for a connection to host: it runs after the socket's address
// is fixed and before connect, so it sees exactly the address the packets will go to.
func (p *Policy) control(host string) func(network, address string, c syscall.RawConn) error {
	return func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("dial %s: unexpected socket address %q", host, address)
		}
		if r := p.Check(host, ap); r != nil {
			return r
		}
		return nil
	}
}

// proxyFor is the checked transport's Proxy function: the admin's proxy, if any, for this request.
// The proxy resolves the target's name itself, so only a literal target address can be checked here;
// the proxy's own address is then trusted by DialContext.
func (p *Policy) proxyFor(req *http.Request) (*url.URL, error) {
	u, err := p.opts.Proxy(req)
	if err != nil || u == nil {
		return u, err
	}
	if r := p.checkLiteral(req.URL); r != nil {
		r.Proxied = true
		return nil, r
	}
	p.proxies.Store(strings.ToLower(net.JoinHostPort(u.Hostname(), strconv.Itoa(int(proxyPort(u))))), true)
	return u, nil
}

func proxyPort(u *url.URL) uint16 {
	if n, err := strconv.ParseUint(u.Port(), 10, 16); err == nil {
		return uint16(n)
	}
	switch u.Scheme {
	case "https":
		return 443
	case "socks5", "socks5h":
		return 1080
	}
	return 80
}

// asRefusal finds a refusal in a transport error (a dial wraps it in *net.OpError).
func asRefusal(err error) (*RefusedError, bool) {
	var r *RefusedError
	ok := errors.As(err, &r)
	return r, ok
}
