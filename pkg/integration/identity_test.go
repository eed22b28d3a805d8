package integration

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kqlhunt/anomaly-datasource/pkg/egress"
	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/pluginhost"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/standin"
)

const (
	identityHeader = "server-identity-header-5d1e"        // App Service's secret, in the plugin's environment
	msiToken       = "server-managed-identity-token-93a7" // what the fake identity endpoint issues
	federatedToken = "server-service-account-token-4b0c"  // the workload identity's token file
)

// fakeManagedIdentity is App Service's identity endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER), over
// plain http on 127.0.0.1 as on App Service. It records the resource of every token it issues.
type fakeManagedIdentity struct {
	srv       *httptest.Server
	mu        sync.Mutex
	resources []string
}

func newFakeManagedIdentity(t *testing.T) *fakeManagedIdentity {
	t.Helper()
	f := &fakeManagedIdentity{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-IDENTITY-HEADER") != identityHeader || r.URL.Query().Get("api-version") != "2019-08-01" {
			http.Error(w, `{"error":"invalid_request"}`, http.StatusBadRequest)
			return
		}
		res := r.URL.Query().Get("resource")
		f.mu.Lock()
		f.resources = append(f.resources, res)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{
			"access_token": msiToken, "token_type": "Bearer", "resource": res,
			"expires_on": strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10),
		})
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeManagedIdentity) issued() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.resources...)
}

// identityWorld is a plugin process on a server with a managed identity (App Service shape) and a
// workload identity (a token file), both enabled by Grafana's [azure] settings (GFAZPL_*), whose
// admin approved exactly one Log Analytics and Entra ID origin; and a hostile host, on an address
// nobody approved, that must receive nothing.
type identityWorld struct {
	host    *pluginhost.Host
	la      *standin.LogAnalytics
	entra   *standin.EntraHandler
	msi     *fakeManagedIdentity
	url     string // the approved origin
	hostile *tcpTrap
	uid     int
}

func newIdentityWorld(t *testing.T, extraHandler func(next http.Handler) http.Handler) *identityWorld {
	t.Helper()
	w := &identityWorld{
		entra: standin.NewEntraHandler(standin.EntraConfig{
			Clients: map[string]string{clientID: canary}, Assertions: map[string]string{clientID: federatedToken},
		}),
		msi:     newFakeManagedIdentity(t),
		hostile: newTrap(t, "127.0.0.1:0"),
	}
	w.la = standin.NewLogAnalytics(standin.Respond(oneRow()), emulator.WithTokenValidator(func(tok string) bool {
		return tok == msiToken || w.entra.IssuedToken(tok)
	}))
	var h http.Handler = standin.NewMux(w.la, w.entra)
	if extraHandler != nil {
		h = extraHandler(h)
	}
	o := lendOrigin(t, h)
	w.url = o.srv.URL
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(federatedToken), 0o600); err != nil {
		t.Fatal(err)
	}
	w.host = startExtraPlugin(t,
		"GFAZPL_MANAGED_IDENTITY_ENABLED=true",
		"GFAZPL_WORKLOAD_IDENTITY_ENABLED=true",
		"GFAZPL_WORKLOAD_IDENTITY_TENANT_ID="+tenantID,
		"GFAZPL_WORKLOAD_IDENTITY_CLIENT_ID="+clientID,
		"GFAZPL_WORKLOAD_IDENTITY_TOKEN_FILE="+tokenFile,
		"IDENTITY_ENDPOINT="+w.msi.srv.URL+"/msi/token",
		"IDENTITY_HEADER="+identityHeader,
		egress.EnvAllowedHosts+"="+o.hostPort(),
	)
	return w
}

func (w *identityWorld) hostileURL() string { return "https://127.0.0.1:" + w.hostile.port() }

func (w *identityWorld) datasource(auth string, endpoints map[string]any) pluginhost.Datasource {
	w.uid++
	return pluginhost.Datasource{
		UID: "identity-" + strconv.Itoa(w.uid),
		JSONData: map[string]any{
			"azureCredentials": map[string]any{"authType": auth, "azureCloud": "AzureCustomizedCloud"},
			"endpoints":        endpoints,
			"workspaceId":      ws1,
		},
	}
}

// The editor's hostile endpoint, authority and audience with the server's managed or workload
// identity: Save & test and every query fail naming the setting and the admin's variable, and
// neither the hostile host nor the identity endpoint is asked for anything. The same identities with
// the admin's approved origin work.
func TestServerIdentitiesStayWithApprovedEndpoints(t *testing.T) {
	w := newIdentityWorld(t, nil)
	hostile := w.hostileURL()
	const admin = "KQLHUNT_ALLOWED_ENDPOINT_HOSTS"
	const forward = "[plugins] forward_host_env_vars = kqlhunt-anomaly-datasource"
	refused := []struct {
		name      string
		auth      string
		endpoints map[string]any
		want      string
	}{
		{"msi, hostile endpoint and audience", "msi", map[string]any{"logAnalytics": hostile + "/v1", "audience": "https://management.azure.com"},
			"jsonData.endpoints.logAnalytics: 127.0.0.1:" + w.hostile.port() + " is not approved for the server's identity"},
		{"msi, approved endpoint, hostile audience", "msi", map[string]any{"logAnalytics": w.url + "/v1", "audience": "https://management.azure.com"},
			`jsonData.endpoints.audience is "https://management.azure.com"`},
		{"msi, approved endpoint, hostile authority", "msi", map[string]any{"logAnalytics": w.url + "/v1", "authority": hostile + "/"},
			"jsonData.endpoints.authority: 127.0.0.1:" + w.hostile.port() + " is not approved for the server's identity"},
		{"workload identity, hostile authority", "workloadidentity", map[string]any{"logAnalytics": w.url + "/v1", "authority": hostile + "/"},
			"jsonData.endpoints.authority: 127.0.0.1:" + w.hostile.port() + " is not approved for the server's identity"},
		{"workload identity, hostile endpoint", "workloadidentity", map[string]any{"logAnalytics": hostile + "/v1", "authority": w.url + "/"},
			"jsonData.endpoints.logAnalytics: 127.0.0.1:" + w.hostile.port() + " is not approved"},
		{"workload identity, hostile audience", "workloadidentity", map[string]any{"logAnalytics": w.url + "/v1", "authority": w.url + "/", "audience": "https://vault.azure.net"},
			`jsonData.endpoints.audience is "https://vault.azure.net"`},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			refusedEverywhere(t, w.host, w.datasource(tt.auth, tt.endpoints), tt.want, admin, forward)
		})
	}
	w.hostile.assertUntouched(t)
	if got := w.msi.issued(); len(got) != 0 {
		t.Errorf("the managed identity issued tokens for refused datasources: %q", got)
	}
	if n := w.entra.TokenRequests(); n != 0 {
		t.Errorf("Entra ID received %d token requests from refused datasources", n)
	}
	if n := len(w.la.Requests()); n != 0 {
		t.Errorf("Log Analytics received %d queries from refused datasources", n)
	}

	approved := []struct {
		name      string
		auth      string
		endpoints map[string]any
	}{
		{"msi", "msi", map[string]any{"logAnalytics": w.url + "/v1"}},
		{"msi, audience on the approved host", "msi", map[string]any{"logAnalytics": w.url + "/v1", "audience": w.url}},
		{"workload identity", "workloadidentity", map[string]any{"logAnalytics": w.url + "/v1", "authority": w.url + "/"}},
	}
	for _, tt := range approved {
		t.Run(tt.name, func(t *testing.T) {
			ds := w.datasource(tt.auth, tt.endpoints)
			if res := healthOn(t, w.host, ds); res.Status != backend.HealthStatusOk {
				t.Fatalf("health: %s", res.Message)
			}
			if dr := queryOn(t, w.host, ds); dr.Error != nil {
				t.Fatalf("query: %v", dr.Error)
			}
		})
	}
	// The managed identity endpoint is the server's, on unapproved loopback, and was reached; the
	// token was asked for Log Analytics' audience, then the approved custom one.
	if got := w.msi.issued(); len(got) != 2 || got[0] != "https://api.loganalytics.io" || got[1] != w.url {
		t.Errorf("managed identity tokens issued for %q", got)
	}
	var assertions int
	for _, r := range w.entra.Requests() {
		if r.GrantType == "client_credentials" && r.ClientID == clientID && r.Status == http.StatusOK {
			assertions++
		}
	}
	if assertions != 1 {
		t.Errorf("want one federated token exchange, got %d: %+v", assertions, w.entra.Requests())
	}
	for _, r := range w.la.Requests() {
		if !r.HasAuthorization {
			t.Errorf("a query without a token: %+v", r)
		}
	}
	w.hostile.assertUntouched(t)
}

// An approved authority whose discovery document sends the token request elsewhere: the federated
// service-account token must not follow it, public or not, unless the admin approved that host too.
func TestWorkloadIdentityTokenRequestStaysOnApprovedHosts(t *testing.T) {
	var hostileURL string
	w := newIdentityWorld(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/v2.0/.well-known/openid-configuration") {
				base := "https://" + r.Host + "/" + tenantID
				rw.Header().Set("Content-Type", "application/json")
				_ = json.NewEncoder(rw).Encode(map[string]any{
					"token_endpoint": hostileURL + "/" + tenantID + "/oauth2/v2.0/token", "authorization_endpoint": base + "/oauth2/v2.0/authorize",
					"issuer": base + "/v2.0", "tenant_region_scope": "WW",
				})
				return
			}
			next.ServeHTTP(rw, r)
		})
	})
	hostileURL = w.hostileURL()
	ds := w.datasource("workloadidentity", map[string]any{"logAnalytics": w.url + "/v1", "authority": w.url + "/"})
	refusedEverywhere(t, w.host, ds, "jsonData.endpoints.authority: 127.0.0.1:"+w.hostile.port()+" is not approved for the server's identity")
	w.hostile.assertUntouched(t)
	if n := len(w.la.Requests()); n != 0 {
		t.Errorf("Log Analytics received %d queries", n)
	}
}

// A malformed allow list is the admin's to fix: every Azure datasource says so, naming the variable
// and the entry; the demo workspace, which makes no connection, still works.
func TestMalformedAllowListIsReported(t *testing.T) {
	h := startExtraPlugin(t, egress.EnvAllowedHosts+"=la.example.com, https://10.0.0.5/v1")
	r := newRig(t, standin.Respond(oneRow()), nil)
	refusedEverywhere(t, h, r.ds, `entry 2 of KQLHUNT_ALLOWED_ENDPOINT_HOSTS ("https://10.0.0.5/v1") is not a bare host`)
	demo := provisionedDatasources(t, nil)["kqlhunt-demo"]
	if res := healthOn(t, h, demo); res.Status != backend.HealthStatusOk {
		t.Fatalf("demo: %s", res.Message)
	}
	if n := len(r.la.Requests()); n != 0 {
		t.Errorf("Log Analytics received %d queries", n)
	}
}
