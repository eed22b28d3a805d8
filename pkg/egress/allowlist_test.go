package egress

import (
	"strings"
	"testing"
)

func TestParseAllowList(t *testing.T) {
	a, err := ParseAllowList(" la.Corp.Example.:443, 10.1.2.3 ,,[fd00::5]:8443, ::1, [::2], 127.0.0.1:8443, ingest-01_a.corp")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		host string
		port uint16
		want bool
	}{
		{"la.corp.example", 443, true},
		{"LA.CORP.EXAMPLE.", 443, true},
		{"la.corp.example", 8443, false}, // the port was given: only that one
		{"corp.example", 443, false},     // no suffix matching
		{"x.la.corp.example", 443, false},
		{"10.1.2.3", 1, true}, // no port: every port
		{"10.1.2.3", 443, true},
		{"::ffff:10.1.2.3", 443, true}, // the same address
		{"10.1.2.4", 443, false},
		{"fd00::5", 8443, true},
		{"fd00::5", 443, false},
		{"::1", 9, true},
		{"::2", 9, true},
		{"127.0.0.1", 8443, true},
		{"127.0.0.1", 8444, false},
		{"127.0.0.2", 8443, false},
		{"localhost", 8443, false}, // a name is not the address it resolves to
		{"ingest-01_a.corp", 1, true},
	}
	for _, tt := range tests {
		if got := a.AllowsHost(tt.host, tt.port); got != tt.want {
			t.Errorf("AllowsHost(%q, %d) = %v, want %v", tt.host, tt.port, got, tt.want)
		}
	}
}

func TestParseAllowListEmpty(t *testing.T) {
	for _, s := range []string{"", " ", ",, ,"} {
		a, err := ParseAllowList(s)
		if err != nil || !a.Empty() {
			t.Errorf("%q: %v %v", s, a, err)
		}
		if a.AllowsHost("127.0.0.1", 443) {
			t.Errorf("%q approves loopback", s)
		}
	}
}

func TestParseAllowListRejectsWhatItCannotMean(t *testing.T) {
	tests := []struct{ list, want string }{
		{"https://la.example.com", `entry 1 of KQLHUNT_ALLOWED_ENDPOINT_HOSTS ("https://la.example.com") is not a bare host`},
		{"ok.example, la.example.com/v1", `entry 2 of KQLHUNT_ALLOWED_ENDPOINT_HOSTS ("la.example.com/v1") is not a bare host`},
		{"user@host", "is not a bare host"},
		{"10.0.0.0/8", "is not a bare host"},
		{"*.corp.example", "neither an IP address nor a host name"},
		{"host:0", `port "0"`},
		{"host:65536", `port "65536"`},
		{"host:http", `port "http"`},
		{"[fe80::1%eth0]:443", "IPv6 zone"},
		{"-bad.example", "neither an IP address nor a host name"},
		{"a..b", "neither an IP address nor a host name"},
		{"la example", "is not a bare host"},
	}
	for _, tt := range tests {
		_, err := ParseAllowList(tt.list)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %q", tt.list, err, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), "optionally with :port") {
			t.Errorf("%q: the message does not say what to write: %v", tt.list, err)
		}
	}
}

func TestWithAddsHostsWithoutChangingTheOriginal(t *testing.T) {
	a, _ := ParseAllowList("10.0.0.1")
	b := a.With("api.loganalytics.io:443")
	if !b.AllowsHost("api.loganalytics.io", 443) || !b.AllowsHost("10.0.0.1", 5) {
		t.Fatal("With lost or did not add a host")
	}
	if a.AllowsHost("api.loganalytics.io", 443) {
		t.Fatal("With changed the original list")
	}
}
