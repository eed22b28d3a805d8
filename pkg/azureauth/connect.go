package azureauth

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/kqlhunt/anomaly-datasource/pkg/egress"
	"github.com/kqlhunt/anomaly-datasource/pkg/settings"
)

// Connection is what a datasource needs to reach Log Analytics: where, with which credential, and
// the transport its queries must use.
type Connection struct {
	Target     Target
	Credential azcore.TokenCredential
	// Transport carries the queries: every dial checked by the policy, no redirect followed, and for a
	// server identity only approved hosts.
	Transport policy.Transporter
}

// Connect checks that the datasource may use its identity with its endpoints, and builds the
// credential and the query transport on p. Every refusal wraps settings.ErrInvalid (or
// ErrIdentityDisabled) and names the setting to fix, before any network traffic when the settings
// alone show it (an unapproved host for a server identity, an internal IP literal, a foreign
// audience), and at connection time otherwise (a name that resolves to an internal address, a
// redirect).
func Connect(s *settings.Settings, g GrafanaAzure, p *egress.Policy) (*Connection, error) {
	t, err := ResolveTarget(s)
	if err != nil {
		return nil, err
	}
	la, authority := uses(s)
	var credTransport policy.Transporter = p.Transport(authority)
	if s.AzureCredentials.AuthType == settings.AuthManagedIdentity {
		// The managed identity endpoint is the server's (IMDS, or App Service's IDENTITY_ENDPOINT on
		// loopback), never the editor's: its address is not checked, and it is not reachable through
		// any setting a datasource editor can change.
		credTransport = p.ServerClient()
	}
	cred, err := NewCredential(s, g, t, credTransport)
	if err != nil {
		return nil, err
	}
	if err := checkEndpoints(s, t, p, la, authority); err != nil {
		return nil, err
	}
	return &Connection{Target: t, Credential: refusalAware{cred}, Transport: p.Transport(la)}, nil
}

// isServerIdentity reports whether the datasource uses the Grafana server's own identity.
func isServerIdentity(s *settings.Settings) bool {
	a := s.AzureCredentials.AuthType
	return a == settings.AuthManagedIdentity || a == settings.AuthWorkloadIdentity
}

// uses names, for the messages, where the Log Analytics endpoint and the authority come from, and
// restricts a server identity to approved hosts.
func uses(s *settings.Settings) (la, authority egress.Use) {
	cloud := s.AzureCredentials.AzureCloud
	la = egress.Use{Setting: "the Log Analytics endpoint of " + cloud, Kind: settings.ErrInvalid, ApprovedHostsOnly: isServerIdentity(s)}
	authority = egress.Use{Setting: "the Entra ID authority of " + cloud, Kind: settings.ErrInvalid, ApprovedHostsOnly: isServerIdentity(s)}
	if cloud == settings.CloudCustomized {
		la.Setting, authority.Setting = "jsonData.endpoints.logAnalytics", "jsonData.endpoints.authority"
	}
	return la, authority
}

// checkEndpoints applies, before any connection, what the transports would refuse anyway, and the
// audience rule of server identities.
func checkEndpoints(s *settings.Settings, t Target, p *egress.Policy, la, authority egress.Use) error {
	for _, e := range []struct {
		raw string
		use egress.Use
	}{{t.Endpoint, la}, {t.AuthorityHost, authority}} {
		if e.raw == "" {
			continue // msi needs no authority
		}
		u, err := url.Parse(e.raw)
		if err != nil {
			return fmt.Errorf("%w: %s is not a URL", settings.ErrInvalid, e.use.Setting)
		}
		if err := p.CheckURL(u, e.use); err != nil {
			return err
		}
	}
	if isServerIdentity(s) && !audienceAllowed(t.Audience, p.Allowed()) {
		return fmt.Errorf("%w: jsonData.endpoints.audience is %q: with the server's identity (authType %s) the token audience must be Log Analytics' own (https://api.loganalytics.io, https://api.loganalytics.azure.cn or https://api.loganalytics.us) or on a host the Grafana server admin approved, so that no datasource obtains the server's tokens for other Azure APIs; %s",
			settings.ErrInvalid, truncate(t.Audience, 100), s.AzureCredentials.AuthType, approvalHint)
	}
	return nil
}

// audienceAllowed: a built-in Log Analytics audience, or an https audience on an approved host that
// is not an Entra ID authority.
func audienceAllowed(aud string, allow egress.AllowList) bool {
	if isLogAnalyticsAudience(aud) {
		return true
	}
	u, err := url.Parse(aud)
	if err != nil || u.Scheme != "https" || u.User != nil || u.Hostname() == "" || isAuthorityHost(u.Hostname()) {
		return false
	}
	port := uint64(443)
	if u.Port() != "" {
		if port, err = strconv.ParseUint(u.Port(), 10, 16); err != nil {
			return false
		}
	}
	return allow.AllowsHost(u.Hostname(), uint16(port))
}

// refusalAware gives back the egress refusal behind a failed token request: MSAL flattens transport
// errors into text ("server response error:\n ..."), which would lose the setting's name and the
// "fix your settings" kind.
type refusalAware struct {
	cred azcore.TokenCredential
}

func (r refusalAware) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	ctx, refused := egress.Watch(ctx)
	tok, err := r.cred.GetToken(ctx, opts)
	if err != nil {
		if rerr := refused(); rerr != nil {
			return tok, rerr
		}
	}
	return tok, err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
