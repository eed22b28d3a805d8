package egress

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// EnvAllowedHosts is the plugin process's environment variable in which the Grafana server admin
// approves hosts: comma-separated host names or IP literals, each optionally with :port (an IPv6
// literal with a port in brackets), e.g. "la.corp.example:443, 10.1.2.3, [fd00::5]:8443".
const EnvAllowedHosts = "KQLHUNT_ALLOWED_ENDPOINT_HOSTS"

// AllowList is the set of hosts the Grafana server admin approved, plus any the program trusts
// itself (the built-in Azure clouds' hosts). The zero value approves nothing.
type AllowList struct {
	entries []entry
}

// entry is one approved host: a lower-case name without its final dot, or an address; port 0 means
// any port.
type entry struct {
	name string
	addr netip.Addr
	port uint16
}

// ParseAllowList reads the admin's list (the value of EnvAllowedHosts). Empty entries are skipped;
// anything that is not a host name or IP literal with an optional port is an error that quotes the
// entry and says what to write instead, so a typo never silently approves or refuses a host.
func ParseAllowList(s string) (AllowList, error) {
	var a AllowList
	for i, raw := range strings.Split(s, ",") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		e, err := parseEntry(raw)
		if err != nil {
			return AllowList{}, fmt.Errorf("entry %d of %s (%q) %s: write a host name or IP address, optionally with :port, such as la.example.com:443, 10.1.2.3 or [fd00::5]:8443", i+1, EnvAllowedHosts, truncate(raw, 80), err)
		}
		a.entries = append(a.entries, e)
	}
	return a, nil
}

// With returns a copy of a that also approves hosts (each a host name or IP literal with an optional
// port, as in the admin's list). It panics on a malformed host: callers pass constants.
func (a AllowList) With(hosts ...string) AllowList {
	out := AllowList{entries: append([]entry(nil), a.entries...)}
	for _, h := range hosts {
		e, err := parseEntry(h)
		if err != nil {
			panic(fmt.Sprintf("egress: built-in host %q %v", h, err))
		}
		out.entries = append(out.entries, e)
	}
	return out
}

func parseEntry(raw string) (entry, error) {
	if strings.Contains(raw, "://") || strings.ContainsAny(raw, "/?#@ \t") {
		return entry{}, fmt.Errorf("is not a bare host (no scheme, path, user or spaces)")
	}
	host, portText := raw, ""
	if h, p, err := net.SplitHostPort(raw); err == nil {
		host, portText = h, p
	} else if strings.HasPrefix(raw, "[") && strings.HasSuffix(raw, "]") {
		host = raw[1 : len(raw)-1]
	}
	var e entry
	if portText != "" {
		n, err := strconv.ParseUint(portText, 10, 16)
		if err != nil || n == 0 {
			return entry{}, fmt.Errorf("has port %q, not a number from 1 to 65535", portText)
		}
		e.port = uint16(n)
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if ip.Zone() != "" {
			return entry{}, fmt.Errorf("has an IPv6 zone, which cannot be approved")
		}
		e.addr = ip.Unmap()
		return e, nil
	}
	name := normalName(host)
	if !isHostName(name) {
		return entry{}, fmt.Errorf("is neither an IP address nor a host name")
	}
	e.name = name
	return e, nil
}

// normalName is how names are compared: lower case, without the final dot of a fully qualified name.
func normalName(h string) string { return strings.TrimSuffix(strings.ToLower(h), ".") }

// isHostName accepts DNS names of letters, digits, hyphens and underscores in dot-separated labels.
func isHostName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// Empty reports whether the list approves nothing.
func (a AllowList) Empty() bool { return len(a.entries) == 0 }

// AllowsHost reports whether host (a name or an IP literal, as in a URL) at port is approved: by
// name for a name, by address for a literal.
func (a AllowList) AllowsHost(host string, port uint16) bool {
	if ip, err := netip.ParseAddr(host); err == nil {
		return a.allowsAddr(ip, port)
	}
	return a.allowsName(normalName(host), port)
}

func (a AllowList) allowsName(name string, port uint16) bool {
	for _, e := range a.entries {
		if e.name != "" && e.name == name && (e.port == 0 || e.port == port) {
			return true
		}
	}
	return false
}

func (a AllowList) allowsAddr(ip netip.Addr, port uint16) bool {
	ip = ip.Unmap()
	for _, e := range a.entries {
		if e.addr.IsValid() && e.addr == ip && (e.port == 0 || e.port == port) {
			return true
		}
	}
	return false
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
