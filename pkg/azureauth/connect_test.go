package azureauth

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/kqlhunt/anomaly-datasource/pkg/egress"
	"github.com/kqlhunt/anomaly-datasource/pkg/settings"
)

var bothIdentities = GrafanaAzure{
	ManagedIdentityEnabled:  true,
	WorkloadIdentityEnabled: true, WorkloadIdentityTenantID: "t", WorkloadIdentityClientID: "c", WorkloadIdentityToken: "/nonexistent/token",
}

func customCloud(auth, endpoints string) string {
	return `{"azureCredentials":{"authType":"` + auth + `","azureCloud":"AzureCustomizedCloud","tenantId":"t","clientId":"c"},` + ws + `,"endpoints":{` + endpoints + `}}`
}

// Connect makes no connection: every case here is decided from the settings and the allow list.
func TestConnectKeepsServerIdentitiesOnApprovedEndpoints(t *testing.T) {
	const hostile = `"logAnalytics":"https://collector.example.net/v1","authority":"https://collector.example.net/","audience":"https://management.azure.com"`
	tests := []struct {
		name, jsonData, allowed string
		want                    string // substring of the error; "" for success
	}{
		{"msi, hostile endpoint", customCloud("msi", `"logAnalytics":"https://collector.example.net/v1"`), "",
			"jsonData.endpoints.logAnalytics: collector.example.net is not approved for the server's identity"},
		{"msi, approved endpoint", customCloud("msi", `"logAnalytics":"https://la.corp.example:8443/v1"`), "la.corp.example:8443", ""},
		{"msi, approved name on another port", customCloud("msi", `"logAnalytics":"https://la.corp.example:9443/v1"`), "la.corp.example:8443", "not approved"},
		{"msi, approved loopback literal", customCloud("msi", `"logAnalytics":"https://127.0.0.1:8443/v1"`), "127.0.0.1:8443", ""},
		{"msi, built-in host in a customised cloud", customCloud("msi", `"logAnalytics":"https://api.loganalytics.io/v1"`), "", ""},
		{"msi, hostile audience", customCloud("msi", `"logAnalytics":"https://la.corp.example/v1","audience":"https://management.azure.com"`), "la.corp.example",
			`jsonData.endpoints.audience is "https://management.azure.com"`},
		{"msi, authority host as audience", customCloud("msi", `"logAnalytics":"https://la.corp.example/v1","audience":"https://login.microsoftonline.com"`), "la.corp.example", "jsonData.endpoints.audience"},
		{"msi, another cloud's Log Analytics audience", customCloud("msi", `"logAnalytics":"https://la.corp.example/v1","audience":"https://api.loganalytics.us/"`), "la.corp.example", ""},
		{"msi, audience on an approved host", customCloud("msi", `"logAnalytics":"https://la.corp.example/v1","audience":"https://la.corp.example"`), "la.corp.example", ""},
		{"msi, unused hostile authority", customCloud("msi", `"logAnalytics":"https://la.corp.example/v1","authority":"https://collector.example.net/"`), "la.corp.example",
			"jsonData.endpoints.authority: collector.example.net is not approved"},
		{"msi, all hostile", customCloud("msi", hostile), "", "jsonData.endpoints.logAnalytics"},
		{"workload identity, hostile authority", customCloud("workloadidentity", `"logAnalytics":"https://la.corp.example/v1","authority":"https://collector.example.net/"`), "la.corp.example",
			"jsonData.endpoints.authority: collector.example.net is not approved for the server's identity"},
		{"workload identity, approved", customCloud("workloadidentity", `"logAnalytics":"https://la.corp.example/v1","authority":"https://login.corp.example/"`), "la.corp.example,login.corp.example", ""},
		{"workload identity, public cloud", `{"azureCredentials":{"authType":"workloadidentity"},` + ws + `}`, "", ""},
		{"msi, US Government cloud", `{"azureCredentials":{"authType":"msi","azureCloud":"AzureUSGovernment"},` + ws + `}`, "", ""},

		// A client secret is the editor's own: any public host, any audience; internal literals refused.
		{"client secret, public name and foreign audience", customCloud("clientsecret", hostile), "", ""},
		{"client secret, metadata literal", customCloud("clientsecret", `"logAnalytics":"https://169.254.169.254/v1","authority":"https://login.microsoftonline.com/"`), "",
			"jsonData.endpoints.logAnalytics: refused to connect to 169.254.169.254 at 169.254.169.254:443, a cloud metadata address"},
		{"client secret, private authority", customCloud("clientsecret", `"logAnalytics":"https://la.example.com/v1","authority":"https://10.1.2.3/"`), "",
			"jsonData.endpoints.authority: refused to connect to 10.1.2.3 at 10.1.2.3:443, a private address"},
		{"client secret, approved private authority", customCloud("clientsecret", `"logAnalytics":"https://la.example.com/v1","authority":"https://10.1.2.3/"`), "10.1.2.3", ""},
		{"client secret, loopback", customCloud("clientsecret", `"logAnalytics":"https://127.0.0.1:8443/v1","authority":"https://127.0.0.1:8443/"`), "", "a loopback address"},
		{"client secret, IPv6 loopback", customCloud("clientsecret", `"logAnalytics":"https://[::1]:8443/v1","authority":"https://la.example.com/"`), "", "a loopback address"},
		{"client secret, unspecified", customCloud("clientsecret", `"logAnalytics":"https://0.0.0.0/v1","authority":"https://la.example.com/"`), "", "an unspecified address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewPolicy(tt.allowed, egress.Options{})
			if err != nil {
				t.Fatal(err)
			}
			conn, err := Connect(mustLoad(t, tt.jsonData, "x"), bothIdentities, p)
			if tt.want == "" {
				if err != nil || conn.Credential == nil || conn.Transport == nil {
					t.Fatalf("want a connection, got %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("want %q, got %v", tt.want, err)
			}
			if !errors.Is(err, settings.ErrInvalid) {
				t.Errorf("%v does not wrap settings.ErrInvalid", err)
			}
			for _, w := range []string{"KQLHUNT_ALLOWED_ENDPOINT_HOSTS", "forward_host_env_vars = kqlhunt-anomaly-datasource"} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message lacks %q: %v", w, err)
				}
			}
		})
	}
}

func TestConnectAsksForGrafanasConsentFirst(t *testing.T) {
	p, _ := NewPolicy("", egress.Options{})
	_, err := Connect(mustLoad(t, customCloud("msi", `"logAnalytics":"https://collector.example.net/v1"`), ""), GrafanaAzure{}, p)
	if !errors.Is(err, ErrIdentityDisabled) {
		t.Fatalf("want the [azure] consent message first, got %v", err)
	}
}

func TestBadAllowListNamesTheVariable(t *testing.T) {
	_, err := NewPolicy("la.example.com, https://other.example.com", egress.Options{})
	if !errors.Is(err, settings.ErrInvalid) || !strings.Contains(err.Error(), `entry 2 of KQLHUNT_ALLOWED_ENDPOINT_HOSTS ("https://other.example.com")`) {
		t.Fatalf("got %v", err)
	}
}

// A refusal at connection time inside the token request comes back whole, naming the setting, not as
// MSAL's flattened text. The name resolves to an unapproved loopback address: refused before dialling.
func TestTokenRequestRefusalKeepsTheSetting(t *testing.T) {
	p, err := NewPolicy("", egress.Options{Lookup: func(_ context.Context, host string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("127.0.0.2")}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := Connect(mustLoad(t, customCloud("clientsecret", `"logAnalytics":"https://la.example.test/v1","authority":"https://login.example.test/"`), "x"), GrafanaAzure{}, p)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Credential.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{"https://api.loganalytics.io/.default"}})
	if !errors.Is(err, settings.ErrInvalid) || !errors.Is(err, egress.ErrRefused) {
		t.Fatalf("want the refusal, got %v", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "jsonData.endpoints.authority: refused to connect to login.example.test at 127.0.0.2:443, a loopback address") || strings.Contains(msg, "\n") {
		t.Fatalf("message: %q", msg)
	}
}
