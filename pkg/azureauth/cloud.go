// Package azureauth turns a datasource's settings and Grafana's Azure configuration into the Log
// Analytics endpoint and an azidentity credential. It is the only place that decides which identity
// the plugin may use, so that a datasource editor can never borrow the Grafana server's identity
// unless the Grafana admin enabled it.
package azureauth

import (
	"fmt"
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
