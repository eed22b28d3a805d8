package egress

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// ErrRefused is wrapped by every refusal of this package (*RefusedError).
var ErrRefused = errors.New("connection refused by the plugin's endpoint policy")

// RefusedError says why a connection or a response was refused. Its text is one line that names the
// setting (when the transport was given one), the host and address or the redirect target, and
// ends with who can approve what.
type RefusedError struct {
	// Setting is the datasource setting the request came from, e.g. "jsonData.endpoints.logAnalytics".
	Setting string
	// Host is the host as the request named it (a name or an IP literal).
	Host string
	// Addr is the address refused, when an address was; the zero value otherwise.
	Addr netip.AddrPort
	// Class is Addr's class.
	Class Class
	// Redirect is the target of a refused redirect ("" for a refused connection), with its status.
	Redirect       string
	RedirectStatus int
	// NotApproved says the host itself is not approved, whatever its address (ApprovedHostsOnly).
	NotApproved bool
	// Proxied says the request was to go through the admin's HTTP proxy.
	Proxied bool

	hint string
	kind error
}

func (e *RefusedError) Error() string {
	var b strings.Builder
	if e.Setting != "" {
		b.WriteString(e.Setting + ": ")
	}
	switch {
	case e.Redirect != "":
		fmt.Fprintf(&b, "%s answered HTTP %d, a redirect to %s: the plugin follows no redirects, so that credentials never leave the configured endpoint; set the endpoint to the final address",
			e.Host, e.RedirectStatus, e.Redirect)
		return b.String()
	case e.NotApproved:
		fmt.Fprintf(&b, "%s is not approved for the server's identity: managed and workload identities talk only to Azure's own endpoints and to hosts the Grafana server admin approved", e.Host)
	case e.Class == Metadata:
		fmt.Fprintf(&b, "refused to connect to %s at %s, a cloud metadata address: only the address itself, approved by the Grafana server admin, opens it", e.Host, e.Addr)
	default:
		via := ""
		if e.Proxied {
			via = " through the proxy"
		}
		fmt.Fprintf(&b, "refused to connect%s to %s at %s, %s %s address: the plugin reaches loopback, link-local, private and other non-public addresses only on hosts the Grafana server admin approved",
			via, e.Host, e.Addr, article(e.Class), e.Class)
	}
	if e.hint != "" {
		b.WriteString("; " + e.hint)
	}
	return b.String()
}

// Unwrap exposes ErrRefused and the caller's own kind (Use.Kind), if any.
func (e *RefusedError) Unwrap() []error {
	if e.kind == nil {
		return []error{ErrRefused}
	}
	return []error{ErrRefused, e.kind}
}

// NonRetriable tells azcore's retry policy not to try again: the answer would be the same.
func (*RefusedError) NonRetriable() {}

// in returns a copy of e as seen by one transport: its setting, hint and kind. A copy, because a
// dial's error may be handed to more than one waiting request.
func (e *RefusedError) in(u Use, hint string) *RefusedError {
	c := *e
	c.Setting, c.hint, c.kind = u.Setting, hint, u.Kind
	return &c
}

func article(c Class) string {
	if s := c.String(); s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an"
	}
	return "a"
}
