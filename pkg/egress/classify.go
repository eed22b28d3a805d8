package egress

import (
	"net/netip"
)

// Class is what an IP address is, for the purpose of deciding whether a datasource editor may make
// the plugin connect to it. Only Public is allowed without the admin's approval.
type Class uint8

// The classes, from the IANA special-purpose address registries (RFC 6890 and its updates) plus the
// cloud metadata addresses.
const (
	Public        Class = iota
	Unspecified         // 0.0.0.0/8, ::
	Loopback            // 127.0.0.0/8, ::1
	Private             // RFC 1918, fc00::/7 (unique local), fec0::/10 (site-local), 64:ff9b:1::/48
	LinkLocal           // 169.254.0.0/16, fe80::/10
	Metadata            // cloud instance metadata and host agent addresses, e.g. 169.254.169.254
	SharedNAT           // 100.64.0.0/10, carrier-grade NAT (RFC 6598)
	Multicast           // 224.0.0.0/4, ff00::/8
	Documentation       // TEST-NET-1/2/3, 2001:db8::/32, 3fff::/20
	Benchmarking        // 198.18.0.0/15
	Reserved            // everything else that is not globally routed unicast
)

var classNames = [...]string{
	Public:        "public",
	Unspecified:   "unspecified",
	Loopback:      "loopback",
	Private:       "private",
	LinkLocal:     "link-local",
	Metadata:      "cloud metadata",
	SharedNAT:     "shared (carrier-grade NAT)",
	Multicast:     "multicast",
	Documentation: "documentation",
	Benchmarking:  "benchmarking",
	Reserved:      "reserved",
}

// String names the class as messages show it ("a loopback address").
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "unknown"
}

// metadataAddrs are the addresses of cloud instance metadata services and host agents: a token or a
// secret is one request away from any process that can reach them. Azure's WireServer
// (168.63.129.16) is a public address, reachable only from inside Azure.
var metadataAddrs = map[netip.Addr]bool{
	netip.MustParseAddr("169.254.169.254"): true, // Azure IMDS, AWS, GCP, OCI, ...
	netip.MustParseAddr("169.254.170.2"):   true, // AWS ECS task metadata
	netip.MustParseAddr("168.63.129.16"):   true, // Azure WireServer
	netip.MustParseAddr("100.100.100.200"): true, // Alibaba Cloud
	netip.MustParseAddr("fd00:ec2::254"):   true, // AWS IMDS over IPv6
}

type prefixClass struct {
	prefix netip.Prefix
	class  Class
}

func p(s string, c Class) prefixClass { return prefixClass{netip.MustParsePrefix(s), c} }

// v4Special lists the IPv4 ranges that are not public unicast; the first match wins.
var v4Special = []prefixClass{
	p("0.0.0.0/8", Unspecified), // "this network": Linux connects 0.0.0.0 to the local host
	p("10.0.0.0/8", Private),
	p("100.64.0.0/10", SharedNAT),
	p("127.0.0.0/8", Loopback),
	p("169.254.0.0/16", LinkLocal),
	p("172.16.0.0/12", Private),
	p("192.0.0.0/24", Reserved), // IETF protocol assignments
	p("192.0.2.0/24", Documentation),
	p("192.88.99.0/24", Reserved), // deprecated 6to4 relay anycast
	p("192.168.0.0/16", Private),
	p("198.18.0.0/15", Benchmarking),
	p("198.51.100.0/24", Documentation),
	p("203.0.113.0/24", Documentation),
	p("224.0.0.0/4", Multicast),
	p("240.0.0.0/4", Reserved), // future use, and 255.255.255.255 broadcast
}

// v6Special lists the IPv6 ranges that are not public unicast, inside or outside 2000::/3; the first
// match wins. Formats that embed an IPv4 address (mapped, NAT64, 6to4) are classified by that
// address instead (see Classify).
var v6Special = []prefixClass{
	p("::/128", Unspecified),
	p("::1/128", Loopback),
	p("64:ff9b:1::/48", Private), // NAT64 for local use (RFC 8215)
	p("100::/64", Reserved),      // discard only
	p("2001:db8::/32", Documentation),
	p("2001::/23", Reserved), // IETF protocol assignments, Teredo included
	p("3fff::/20", Documentation),
	p("5f00::/16", Reserved), // SRv6 segment identifiers
	p("fc00::/7", Private),   // unique local
	p("fe80::/10", LinkLocal),
	p("fec0::/10", Private), // deprecated site-local
	p("ff00::/8", Multicast),
}

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
	global6   = netip.MustParsePrefix("2000::/3")
)

// Classify says what kind of address ip is. An IPv6 address that embeds an IPv4 one (IPv4-mapped,
// the well-known NAT64 prefix, 6to4) is the class of the IPv4 address it reaches; any IPv6 address
// outside 2000::/3 that no rule names is Reserved (not allocated for global unicast). The zone of a
// scoped address is ignored. The invalid zero Addr is Reserved.
func Classify(ip netip.Addr) Class {
	if !ip.IsValid() {
		return Reserved
	}
	ip = ip.WithZone("").Unmap()
	if metadataAddrs[ip] {
		return Metadata
	}
	if ip.Is4() {
		return firstMatch(v4Special, ip)
	}
	if v4, ok := embeddedV4(ip); ok {
		return Classify(v4)
	}
	if c := firstMatch(v6Special, ip); c != Public {
		return c
	}
	if !global6.Contains(ip) {
		return Reserved
	}
	return Public
}

func firstMatch(table []prefixClass, ip netip.Addr) Class {
	for _, pc := range table {
		if pc.prefix.Contains(ip) {
			return pc.class
		}
	}
	return Public
}

// embeddedV4 returns the IPv4 address a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address reaches.
func embeddedV4(ip netip.Addr) (netip.Addr, bool) {
	b := ip.As16()
	switch {
	case nat64.Contains(ip):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(ip):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}
