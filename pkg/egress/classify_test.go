package egress

import (
	"net/netip"
	"testing"
)

// The classifier is tested on address values only: no packet is sent to any of these addresses.
func TestClassify(t *testing.T) {
	tests := []struct {
		ip   string
		want Class
	}{
		// Public IPv4, including neighbours of the special ranges.
		{"20.41.6.128", Public}, // an Azure address
		{"8.8.8.8", Public},
		{"9.255.255.255", Public},
		{"11.0.0.0", Public},
		{"100.63.255.255", Public},
		{"100.128.0.0", Public},
		{"126.255.255.255", Public},
		{"128.0.0.0", Public},
		{"169.253.255.255", Public},
		{"169.255.0.0", Public},
		{"172.15.255.255", Public},
		{"172.32.0.0", Public},
		{"192.0.1.1", Public},
		{"192.167.255.255", Public},
		{"192.169.0.0", Public},
		{"198.17.255.255", Public},
		{"198.20.0.0", Public},
		{"223.255.255.255", Public},

		{"0.0.0.0", Unspecified},
		{"0.1.2.3", Unspecified},
		{"127.0.0.1", Loopback},
		{"127.0.0.2", Loopback},
		{"127.255.255.254", Loopback},
		{"10.0.0.1", Private},
		{"10.255.255.255", Private},
		{"172.16.0.1", Private},
		{"172.31.255.255", Private},
		{"192.168.1.1", Private},
		{"169.254.0.1", LinkLocal},
		{"169.254.169.253", LinkLocal},
		{"169.254.169.254", Metadata},
		{"169.254.170.2", Metadata},
		{"168.63.129.16", Metadata},
		{"100.100.100.200", Metadata},
		{"100.64.0.1", SharedNAT},
		{"100.127.255.255", SharedNAT},
		{"224.0.0.1", Multicast},
		{"239.255.255.250", Multicast},
		{"255.255.255.255", Reserved},
		{"240.0.0.1", Reserved},
		{"192.0.0.8", Reserved},
		{"192.88.99.1", Reserved},
		{"192.0.2.10", Documentation},
		{"198.51.100.7", Documentation},
		{"203.0.113.200", Documentation},
		{"198.18.0.1", Benchmarking},
		{"198.19.255.255", Benchmarking},

		// IPv6.
		{"2603:1030::1", Public}, // an Azure address
		{"2001:4860:4860::8888", Public},
		{"::", Unspecified},
		{"::1", Loopback},
		{"fe80::1", LinkLocal},
		{"fe80::1%eth0", LinkLocal},
		{"febf::1", LinkLocal},
		{"fec0::1", Private},
		{"fc00::1", Private},
		{"fd12:3456::1", Private},
		{"fd00:ec2::254", Metadata},
		{"fd00:ec2::253", Private},
		{"ff02::1", Multicast},
		{"2001:db8::1", Documentation},
		{"3fff::1", Documentation},
		{"2001::1", Reserved},     // Teredo
		{"2001:2::1", Reserved},   // benchmarking, in the IETF block
		{"100::1", Reserved},      // discard
		{"5f00::1", Reserved},     // SRv6
		{"::2", Reserved},         // outside 2000::/3
		{"::7f00:1", Reserved},    // deprecated IPv4-compatible form: not allocated
		{"4000::1", Reserved},     // outside 2000::/3
		{"64:ff9b:1::1", Private}, // local-use NAT64

		// IPv6 forms that reach an IPv4 address are that address's class.
		{"::ffff:127.0.0.1", Loopback},
		{"::ffff:169.254.169.254", Metadata},
		{"::ffff:10.1.2.3", Private},
		{"::ffff:8.8.8.8", Public},
		{"64:ff9b::a9fe:a9fe", Metadata}, // NAT64 of 169.254.169.254
		{"64:ff9b::7f00:1", Loopback},
		{"64:ff9b::808:808", Public},
		{"2002:c0a8:101::1", Private}, // 6to4 of 192.168.1.1
		{"2002:a9fe:a9fe::1", Metadata},
		{"2002:808:808::1", Public},
	}
	for _, tt := range tests {
		t.Run(tt.ip, func(t *testing.T) {
			ip, err := netip.ParseAddr(tt.ip)
			if err != nil {
				t.Fatal(err)
			}
			if got := Classify(ip); got != tt.want {
				t.Errorf("Classify(%s) = %s, want %s", tt.ip, got, tt.want)
			}
		})
	}
}

func TestClassifyInvalidAddrIsNotPublic(t *testing.T) {
	if got := Classify(netip.Addr{}); got != Reserved {
		t.Fatalf("zero Addr: %s", got)
	}
}

func TestEveryClassHasAName(t *testing.T) {
	for c := Public; c <= Reserved; c++ {
		if c.String() == "unknown" || c.String() == "" {
			t.Errorf("class %d has no name", c)
		}
	}
	if Class(200).String() != "unknown" {
		t.Error("an out-of-range class must not borrow a name")
	}
}
