package sampledata

import (
	"fmt"
	"hash/fnv"
	"sync"
)

// endpoint is one remote service: its host name and addresses.
type endpoint struct {
	url   string
	ipv4  []string
	ipv6  string // "" when the provider has none here
	port  int
	proto string
}

// provider address blocks, so each host's addresses look like its owner's.
var providers = map[string]struct {
	v4 []string
	v6 string
}{
	"microsoft":  {[]string{"13.107", "20.190", "40.126", "52.96", "52.113", "52.168", "20.42"}, "2603:1036:"},
	"google":     {[]string{"142.250", "172.217", "216.58"}, "2607:f8b0:4004:"},
	"cloudflare": {[]string{"104.16", "172.67", "104.21"}, "2606:4700:"},
	"amazon":     {[]string{"3.5", "52.84", "54.230", "18.160"}, ""},
	"akamai":     {[]string{"23.32", "23.45", "2.16"}, "2a02:26f0:"},
	"github":     {[]string{"140.82"}, ""},
	"fastly":     {[]string{"151.101"}, "2a04:4e42:"},
	"zoom":       {[]string{"170.114", "206.247"}, ""},
}

// groups maps a process's destination group to "provider host:port/proto" entries.
var groups = map[string][]string{
	"web": {
		"google www.google.com:443", "google www.youtube.com:443", "google fonts.gstatic.com:443", "microsoft www.bing.com:443",
		"github github.com:443", "fastly www.reddit.com:443", "amazon www.amazon.com:443", "akamai www.linkedin.com:443",
		"cloudflare stackoverflow.com:443", "microsoft login.microsoftonline.com:443", "fastly www.nytimes.com:443",
		"cloudflare www.cloudflare.com:443", "amazon d1.awsstatic.com:443", "google accounts.google.com:443", "akamai www.apple.com:443",
		"microsoft www.microsoft.com:443", "fastly pypi.org:443", "cloudflare discord.com:443", "google mail.google.com:443",
		"akamai www.adobe.com:443", "amazon s3.amazonaws.com:443", "cloudflare medium.com:443", "fastly www.theguardian.com:80",
		"microsoft portal.azure.com:443", "google docs.google.com:443", "akamai www.bbc.co.uk:443", "cloudflare www.wikipedia.org:443",
	},
	"m365": {
		"microsoft outlook.office365.com:443", "microsoft substrate.office.com:443", "microsoft login.microsoftonline.com:443",
		"microsoft officeclient.microsoft.com:443", "microsoft nexus.officeapps.live.com:443", "microsoft ecs.office.com:443",
		"microsoft graph.microsoft.com:443", "microsoft contoso.sharepoint.com:443",
	},
	"teams": {
		"microsoft teams.microsoft.com:443", "microsoft teams.events.data.microsoft.com:443", "microsoft 52.113.194.132:3478/Udp",
		"microsoft presence.teams.microsoft.com:443", "microsoft api.flightproxy.teams.microsoft.com:443",
	},
	"onedrive": {"microsoft contoso-my.sharepoint.com:443", "microsoft g.live.com:443", "microsoft oneclient.sfx.ms:443", "microsoft skyapi.live.net:443"},
	"windows": {
		"microsoft ctldl.windowsupdate.com:80", "microsoft fe3cr.delivery.mp.microsoft.com:443", "microsoft v10.events.data.microsoft.com:443",
		"akamai download.windowsupdate.com:80", "microsoft settings-win.data.microsoft.com:443", "microsoft time.windows.com:123/Udp",
		"microsoft slscr.update.microsoft.com:443",
	},
	"defender": {
		"microsoft wdcp.microsoft.com:443", "microsoft winatp-gw-weu.microsoft.com:443", "microsoft us-v20.events.data.microsoft.com:443",
		"microsoft definitionupdates.microsoft.com:443", "microsoft smartscreen-prod.microsoft.com:443",
	},
	"bing":         {"microsoft www.bing.com:443", "microsoft th.bing.com:443", "microsoft arc.msn.com:443"},
	"edgeupdate":   {"microsoft msedge.api.cdp.microsoft.com:443", "akamai msedge.b.tlu.dl.delivery.mp.microsoft.com:80"},
	"googleupdate": {"google update.googleapis.com:443", "google dl.google.com:443", "google edgedl.me.gvt1.com:80"},
	"vscode":       {"microsoft marketplace.visualstudio.com:443", "microsoft update.code.visualstudio.com:443", "github api.github.com:443", "microsoft vscode.blob.core.windows.net:443"},
	"github":       {"github github.com:443", "github api.github.com:443", "github codeload.github.com:443"},
	"npm":          {"cloudflare registry.npmjs.org:443", "cloudflare registry.yarnpkg.com:443"},
	"pypi":         {"fastly pypi.org:443", "fastly files.pythonhosted.org:443"},
	"nuget":        {"microsoft api.nuget.org:443", "microsoft dotnetcli.azureedge.net:443"},
	"officecdn":    {"microsoft officecdn.microsoft.com:443", "akamai officecdn.microsoft.com.edgesuite.net:80"},
	"zoom":         {"zoom zoom.us:443", "zoom us05web.zoom.us:443", "zoom 170.114.10.85:8801/Udp"},
	"slack":        {"amazon slack.com:443", "amazon edgeapi.slack.com:443", "amazon wss-primary.slack.com:443"},
	"adobe":        {"akamai acrobat.adobe.com:443", "amazon cc-api-data.adobe.io:443"},
	"saas": {
		"amazon api.saas-telemetry.net:443", "cloudflare updates.vendor-cdn.com:443", "akamai download.vendor-cdn.net:443",
		"fastly api.segment.io:443", "google firebaseinstallations.googleapis.com:443", "amazon sentry.io:443", "microsoft dc.services.visualstudio.com:443",
	},
}

// destinations is resolve's answer, made once: every generator shares it and none changes it.
var destinations = sync.OnceValue(resolve)

// resolve builds the endpoints of every group once; addresses are a pure function of the host.
func resolve() map[string][]endpoint {
	out := map[string][]endpoint{}
	for g, entries := range groups {
		for _, e := range entries {
			var prov, hostport string
			fmt.Sscanf(e, "%s %s", &prov, &hostport)
			ep := endpoint{proto: "Tcp"}
			host := hostport
			if i := lastIndex(hostport, '/'); i >= 0 {
				ep.proto = hostport[i+1:]
				host = hostport[:i]
			}
			if i := lastIndex(host, ':'); i >= 0 {
				fmt.Sscanf(host[i+1:], "%d", &ep.port)
				host = host[:i]
			}
			p := providers[prov]
			if isIPv4(host) {
				ep.ipv4 = []string{host}
			} else {
				ep.url = host
				h := hash32(host)
				for k := 0; k < 3; k++ {
					pre := p.v4[(int(h)+k)%len(p.v4)]
					x := hash32(fmt.Sprint(host, k))
					ep.ipv4 = append(ep.ipv4, fmt.Sprintf("%s.%d.%d", pre, x%256, 1+x/256%254))
				}
				if p.v6 != "" {
					ep.ipv6 = fmt.Sprintf("%s%x::%x", p.v6, h%0xffff, 1+h/0xffff%0xfff)
				}
			}
			out[g] = append(out[g], ep)
		}
	}
	return out
}

func lastIndex(s string, c byte) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == c {
			return i
		}
	}
	return -1
}

func isIPv4(s string) bool {
	var a, b, c, d int
	n, err := fmt.Sscanf(s, "%d.%d.%d.%d", &a, &b, &c, &d)
	return err == nil && n == 4
}

func hash32(s string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return h.Sum32()
}

// Fixed addresses of the fleet's own network (10.20.0.0/16).
const (
	dcIP   = "10.20.0.10"
	dnsIP  = "10.20.0.53"
	fileIP = "10.20.0.20"
	sqlIP  = "10.20.0.30"
)

// internal are the intranet services every device talks to.
var internal = []endpoint{
	{ipv4: []string{dnsIP}, port: 53, proto: "Udp"},
	{ipv4: []string{dcIP}, port: 389, proto: "Tcp"},
	{ipv4: []string{dcIP}, port: 88, proto: "Tcp"},
	{ipv4: []string{dcIP}, port: 445, proto: "Tcp"},
	{ipv4: []string{fileIP}, port: 445, proto: "Tcp"},
	{ipv4: []string{sqlIP}, port: 1433, proto: "Tcp"},
	{ipv4: []string{"10.20.0.40"}, port: 8080, proto: "Tcp", url: "proxy.contoso.local"},
	{ipv4: []string{"10.20.0.41"}, port: 443, proto: "Tcp", url: "intranet.contoso.local"},
}
