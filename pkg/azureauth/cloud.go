// Package azureauth turns a datasource's settings and Grafana's Azure configuration into the Log
// Analytics endpoint and an azidentity credential. It is the only place that decides which identity
// the plugin may use, so that a datasource editor can never borrow the Grafana server's identity
// unless the Grafana admin enabled it.
package azureauth

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/kqlhunt/anomaly-datasource/pkg/settings"
)

// Target is where queries go and who issues the tokens for them.
type Target struct {
	// Endpoint is the Log Analytics query API base, including /v1.
	Endpoint string
	// Audience is the token audience; the scope requested is Audience + "/.default".
	Audience string
	// AuthorityHost is the Entra ID authority, e.g. https://login.microsoftonline.com/.
	AuthorityHost string
}

// The national clouds' well-known endpoints.
var clouds = map[string]Target{
	settings.CloudPublic: {
		Endpoint: "https://api.loganalytics.io/v1", Audience: "https://api.loganalytics.io",
		AuthorityHost: "https://login.microsoftonline.com/",
	},
	settings.CloudChina: {
		Endpoint: "https://api.loganalytics.azure.cn/v1", Audience: "https://api.loganalytics.azure.cn",
		AuthorityHost: "https://login.chinacloudapi.cn/",
	},
	settings.CloudUSGov: {
		Endpoint: "https://api.loganalytics.us/v1", Audience: "https://api.loganalytics.us",
		AuthorityHost: "https://login.microsoftonline.us/",
	},
}

// ResolveTarget returns the endpoints for the configured cloud. Settings must have been validated.
func ResolveTarget(s *settings.Settings) (Target, error) {
	cloud := s.AzureCredentials.AzureCloud
	if t, ok := clouds[cloud]; ok {
		return t, nil
	}
	if cloud != settings.CloudCustomized {
		return Target{}, fmt.Errorf("%w: unknown Azure cloud %q", settings.ErrInvalid, cloud)
	}
	t := Target{
		Endpoint:      strings.TrimRight(s.Endpoints.LogAnalytics, "/"),
		Audience:      strings.TrimRight(s.Endpoints.Audience, "/"),
		AuthorityHost: s.Endpoints.Authority,
	}
	if t.Audience == "" {
		t.Audience = clouds[settings.CloudPublic].Audience
	}
	if t.AuthorityHost != "" && !strings.HasSuffix(t.AuthorityHost, "/") {
		t.AuthorityHost += "/"
	}
	return t, nil
}

// builtinHosts are the built-in clouds' Log Analytics and Entra ID hosts, as allow-list entries.
// They are trusted like hosts the admin approved: a server identity may use them, and their
// addresses are whatever the server's DNS answers (a private link's private address included).
func builtinHosts() []string {
	var hosts []string
	for _, t := range clouds {
		for _, raw := range []string{t.Endpoint, t.AuthorityHost} {
			u, err := url.Parse(raw)
			if err != nil {
				panic("azureauth: bad built-in endpoint " + raw)
			}
			hosts = append(hosts, u.Hostname()+":443")
		}
	}
	return hosts
}

// isAuthorityHost reports whether host is a built-in cloud's Entra ID host.
func isAuthorityHost(host string) bool {
	for _, t := range clouds {
		if u, err := url.Parse(t.AuthorityHost); err == nil && strings.EqualFold(u.Hostname(), host) {
			return true
		}
	}
	return false
}

// isLogAnalyticsAudience reports whether aud is a built-in cloud's Log Analytics audience: tokens for
// it are good for Log Analytics only.
func isLogAnalyticsAudience(aud string) bool {
	for _, t := range clouds {
		if strings.EqualFold(strings.TrimRight(aud, "/"), t.Audience) {
			return true
		}
	}
	return false
}
