package standin

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// EntraConfig configures the Entra ID stand-in.
type EntraConfig struct {
	// Clients maps each known client (application) id to its secret.
	Clients map[string]string
	// Assertions maps client ids to the one client assertion (a workload identity's federated
	// token) accepted for them; a client may have a secret, an assertion or both.
	Assertions map[string]string
	// Tenants lists the tenants that exist; empty means every tenant does.
	Tenants []string
	// TokenLifetime is the access tokens' lifetime (default 3599 s, as Entra sends).
	TokenLifetime time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// EntraRequest is what the stand-in saw of one request, for assertions. Secrets and assertions
// are never recorded.
type EntraRequest struct {
	Method    string
	Path      string
	Tenant    string
	GrantType string
	ClientID  string
	Scope     string
	Status    int
	// Error is the OAuth error code answered ("" on success).
	Error string
}

// EntraHandler is an Entra ID (Azure AD) stand-in serving what azidentity's
// ClientSecretCredential (MSAL) needs, over TLS (see the package doc):
//
//	GET  /{tenant}/v2.0/.well-known/openid-configuration
//	POST /{tenant}/oauth2/v2.0/token   (grant_type=client_credentials)
//
// Its URLs are built from the request's scheme and host, so the issuer matches whatever
// authority host the client was given. It is safe for concurrent use.
type EntraHandler struct {
	cfg EntraConfig
	key []byte

	mu       sync.Mutex
	issued   map[string]time.Time // token → expiry
	requests []EntraRequest
}

// NewEntraHandler builds the stand-in.
func NewEntraHandler(cfg EntraConfig) *EntraHandler {
	if cfg.TokenLifetime <= 0 {
		cfg.TokenLifetime = 3599 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return &EntraHandler{cfg: cfg, key: key, issued: map[string]time.Time{}}
}

// IssuedToken reports whether tok is an access token this stand-in issued and that has not
// expired.
func (e *EntraHandler) IssuedToken(tok string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	exp, ok := e.issued[tok]
	return ok && e.cfg.Now().Before(exp)
}

// TokenValidator is IssuedToken as a value for WithTokenValidator.
func (e *EntraHandler) TokenValidator() func(string) bool { return e.IssuedToken }

// TokenRequests counts the requests made to the token endpoint, failed ones included.
func (e *EntraHandler) TokenRequests() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, r := range e.requests {
		if strings.HasSuffix(r.Path, "/oauth2/v2.0/token") {
			n++
		}
	}
	return n
}

// Requests returns a copy of every request received, oldest first.
func (e *EntraHandler) Requests() []EntraRequest {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]EntraRequest(nil), e.requests...)
}

func (e *EntraHandler) record(r EntraRequest) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.requests = append(e.requests, r)
}

// ServeHTTP implements http.Handler.
func (e *EntraHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := EntraRequest{Method: r.Method, Path: r.URL.Path}
	defer func() { e.record(rec) }()
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) < 2 {
		rec.Status, rec.Error = e.oauthError(w, http.StatusNotFound, "invalid_request", 900561, "The endpoint only accepts POST, OPTIONS requests. Received a GET request.")
		return
	}
	rec.Tenant = parts[0]
	rest := strings.Join(parts[1:], "/")
	switch {
	case rest == "v2.0/.well-known/openid-configuration" || rest == ".well-known/openid-configuration":
		if r.Method != http.MethodGet {
			rec.Status, rec.Error = e.oauthError(w, http.StatusMethodNotAllowed, "invalid_request", 900561, "The endpoint only accepts GET requests.")
			return
		}
		if !e.tenantExists(rec.Tenant) {
			rec.Status, rec.Error = e.oauthError(w, http.StatusBadRequest, "invalid_tenant", 90002, tenantNotFound(rec.Tenant))
			return
		}
		rec.Status = http.StatusOK
		writeJSON(w, http.StatusOK, e.openIDConfiguration(baseURL(r), rec.Tenant))
	case rest == "oauth2/v2.0/token":
		rec.Status, rec.Error = e.token(w, r, &rec)
	default:
		rec.Status, rec.Error = e.oauthError(w, http.StatusNotFound, "invalid_request", 90010, "The request is not supported: unknown path.")
	}
}

func tenantNotFound(t string) string {
	return fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", t)
}

func (e *EntraHandler) tenantExists(t string) bool {
	if len(e.cfg.Tenants) == 0 {
		return t != ""
	}
	for _, x := range e.cfg.Tenants {
		if strings.EqualFold(x, t) {
			return true
		}
	}
	return false
}

// baseURL is the scheme and host the client used, so the documents point back at this server.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.URL.Scheme, "https") {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	return scheme + "://" + host
}

func (e *EntraHandler) openIDConfiguration(base, tenant string) map[string]any {
	t := base + "/" + tenant
	return map[string]any{
		"token_endpoint":                        t + "/oauth2/v2.0/token",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"jwks_uri":                              t + "/discovery/v2.0/keys",
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"issuer":                                t + "/v2.0",
		"request_uri_parameter_supported":       false,
		"authorization_endpoint":                t + "/oauth2/v2.0/authorize",
		"device_authorization_endpoint":         t + "/oauth2/v2.0/devicecode",
		"end_session_endpoint":                  t + "/oauth2/v2.0/logout",
		"http_logout_supported":                 true,
		"frontchannel_logout_supported":         true,
		"tenant_region_scope":                   "EU",
		"cloud_instance_name":                   "microsoftonline.com",
		"cloud_graph_host_name":                 "graph.windows.net",
		"msgraph_host":                          "graph.microsoft.com",
	}
}

// token serves the client-credentials grant, failing in Entra's words.
func (e *EntraHandler) token(w http.ResponseWriter, r *http.Request, rec *EntraRequest) (int, string) {
	if r.Method != http.MethodPost {
		return e.oauthError(w, http.StatusMethodNotAllowed, "invalid_request", 900561, "The endpoint only accepts POST, OPTIONS requests. Received a "+r.Method+" request.")
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return e.oauthError(w, http.StatusBadRequest, "invalid_request", 900144, "The request body must be a form: "+err.Error())
	}
	f := r.PostForm
	rec.GrantType, rec.ClientID, rec.Scope = f.Get("grant_type"), f.Get("client_id"), f.Get("scope")
	if !e.tenantExists(rec.Tenant) {
		return e.oauthError(w, http.StatusBadRequest, "invalid_request", 90002, tenantNotFound(rec.Tenant))
	}
	if rec.GrantType == "" {
		return e.oauthError(w, http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.")
	}
	if rec.GrantType != "client_credentials" {
		return e.oauthError(w, http.StatusBadRequest, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '"+rec.GrantType+"'.")
	}
	if rec.ClientID == "" {
		return e.oauthError(w, http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.")
	}
	if rec.Scope == "" {
		return e.oauthError(w, http.StatusBadRequest, "invalid_request", 90014, "The required field 'scope' is missing from the credential. Ensure that you have all the necessary parameters for the login request.")
	}
	resource, ok := defaultScopeResource(rec.Scope)
	if !ok {
		return e.oauthError(w, http.StatusBadRequest, "invalid_scope", 1002012, "The provided value for scope "+rec.Scope+" is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")
	}
	secret, hasSecret := e.cfg.Clients[rec.ClientID]
	assertion, hasAssertion := e.cfg.Assertions[rec.ClientID]
	if !hasSecret && !hasAssertion {
		return e.oauthError(w, http.StatusBadRequest, "unauthorized_client", 700016, fmt.Sprintf(
			"Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", rec.ClientID, rec.Tenant))
	}
	gotSecret, gotAssertion := f.Get("client_secret"), f.Get("client_assertion")
	if u, p, ok := r.BasicAuth(); ok && u == rec.ClientID {
		gotSecret = p
	}
	switch {
	case gotSecret != "":
		if !hasSecret || !hmac.Equal([]byte(gotSecret), []byte(secret)) {
			return e.oauthError(w, http.StatusUnauthorized, "invalid_client", 7000215, fmt.Sprintf(
				"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", rec.ClientID))
		}
	case gotAssertion != "":
		if !hasAssertion || !hmac.Equal([]byte(gotAssertion), []byte(assertion)) {
			return e.oauthError(w, http.StatusUnauthorized, "invalid_client", 700211, "No matching federated identity record found for presented assertion.")
		}
	default:
		return e.oauthError(w, http.StatusUnauthorized, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.")
	}
	tok, _ := e.mint(rec.Tenant, rec.ClientID, resource)
	secs := int(e.cfg.TokenLifetime / time.Second)
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type":     "Bearer",
		"expires_in":     secs,
		"ext_expires_in": secs,
		"access_token":   tok,
	})
	return http.StatusOK, ""
}

// defaultScopeResource checks that scope names one resource's /.default (client credentials
// allow nothing else) and returns the resource.
func defaultScopeResource(scope string) (string, bool) {
	var resource string
	for _, s := range strings.Fields(scope) {
		switch s {
		case "openid", "profile", "offline_access":
			continue
		}
		r, ok := strings.CutSuffix(s, "/.default")
		if !ok || resource != "" {
			return "", false
		}
		resource = r
	}
	return resource, resource != ""
}

// mint makes a JWT-shaped access token (HS256 with a per-handler key) and remembers it, so the
// Log Analytics handler can tell tokens minted here from anything else.
func (e *EntraHandler) mint(tenant, client, resource string) (string, time.Time) {
	now := e.cfg.Now()
	exp := now.Add(e.cfg.TokenLifetime)
	var nonce [12]byte
	_, _ = rand.Read(nonce[:])
	header := b64json(map[string]string{"typ": "JWT", "alg": "HS256"})
	payload := b64json(map[string]any{
		"aud": resource, "iss": "https://sts.windows.net/" + tenant + "/",
		"iat": now.Unix(), "nbf": now.Unix(), "exp": exp.Unix(),
		"appid": client, "tid": tenant, "sub": client, "oid": client,
		"uti": base64.RawURLEncoding.EncodeToString(nonce[:]), "ver": "1.0",
	})
	mac := hmac.New(sha256.New, e.key)
	mac.Write([]byte(header + "." + payload))
	tok := header + "." + payload + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	e.mu.Lock()
	e.issued[tok] = exp
	e.mu.Unlock()
	return tok, exp
}

func b64json(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

// oauthError answers as Entra does: the OAuth error, and an AADSTS description followed by trace
// and correlation ids and a timestamp.
func (e *EntraHandler) oauthError(w http.ResponseWriter, status int, code string, aadsts int, desc string) (int, string) {
	now := e.cfg.Now().UTC()
	trace, corr := randomID(), randomID()
	ts := now.Format("2006-01-02 15:04:05Z")
	writeJSON(w, status, map[string]any{
		"error": code,
		"error_description": fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
			aadsts, desc, trace, corr, ts),
		"error_codes":    []int{aadsts},
		"timestamp":      ts,
		"trace_id":       trace,
		"correlation_id": corr,
		"error_uri":      fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", aadsts),
	})
	return status, code
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"server_error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// randomID is a fresh trace or correlation id in the GUID-like form Entra uses.
func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
