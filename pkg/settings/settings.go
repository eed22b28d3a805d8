// Package settings loads and checks a datasource's configuration. The JSON layout follows Grafana's own
// Azure datasources (Azure Monitor, Azure Data Explorer) so that users can reuse their provisioning files.
package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Auth types, as Grafana's Azure datasources name them in jsonData.azureCredentials.authType.
const (
	AuthClientSecret     = "clientsecret"
	AuthManagedIdentity  = "msi"
	AuthWorkloadIdentity = "workloadidentity"
)

// Clouds, as Grafana names them in jsonData.azureCredentials.azureCloud.
const (
	CloudPublic     = "AzureCloud"
	CloudChina      = "AzureChinaCloud"
	CloudUSGov      = "AzureUSGovernment"
	CloudCustomized = "AzureCustomizedCloud"
)

// Query timeout bounds: Log Analytics waits 180 s by default and at most 600 s (the Prefer: wait header).
const (
	DefaultQueryTimeoutSeconds = 180
	MaxQueryTimeoutSeconds     = 600
)

// DemoWorkspaceID is the workspace the built-in demo answers for when no workspaceId is configured.
const DemoWorkspaceID = "00000000-0000-0000-0000-00000000d3e0"

// ErrInvalid marks a configuration an admin must fix; the message says what.
var ErrInvalid = errors.New("invalid datasource settings")

// Credentials is jsonData.azureCredentials.
type Credentials struct {
	AuthType   string `json:"authType"`
	AzureCloud string `json:"azureCloud"`
	TenantID   string `json:"tenantId"`
	ClientID   string `json:"clientId"`
}

// Endpoints is jsonData.endpoints, used with AzureCustomizedCloud (private link, sovereign or test clouds).
type Endpoints struct {
	// LogAnalytics is the query API base including /v1, e.g. https://host:port/v1.
	LogAnalytics string `json:"logAnalytics"`
	// Authority is the Entra ID authority host, e.g. https://login.microsoftonline.com/.
	Authority string `json:"authority"`
	// Audience is the token audience of the Log Analytics API; default https://api.loganalytics.io.
	Audience string `json:"audience,omitempty"`
}

// Secrets holds secureJsonData. It is never serialised, so it cannot reach a log line or a response.
type Secrets struct {
	AzureClientSecret string
}

// String hides the secret from any formatted output.
func (Secrets) String() string { return "[redacted]" }

// GoString hides the secret from %#v.
func (Secrets) GoString() string { return "settings.Secrets{[redacted]}" }

// Settings is one datasource's configuration: raw JSON fields with their parsed forms beside them.
type Settings struct {
	AzureCredentials     Credentials `json:"azureCredentials"`
	WorkspaceID          string      `json:"workspaceId"`
	AdditionalWorkspaces []string    `json:"additionalWorkspaces"`
	Endpoints            Endpoints   `json:"endpoints"`
	QueryTimeoutSeconds  json.Number `json:"queryTimeoutSeconds"`
	// DemoWorkspace makes the datasource query the built-in emulator in memory: no Azure, no credentials.
	DemoWorkspace bool `json:"demoWorkspace"`

	// QueryTimeout is QueryTimeoutSeconds parsed: the time a query's requests to the service have,
	// all of them together (each is sent with what is left, as Prefer: wait=N and its deadline).
	QueryTimeout time.Duration `json:"-"`
	Secrets      Secrets       `json:"-"`
}

// Load parses a datasource's settings, applies the defaults and validates them: it returns a ready
// value (QueryTimeout set) or the first thing an admin must fix, in words that name the setting
// (wrapping ErrInvalid). The plugin keeps that error and reports it from CheckHealth and every query.
func Load(s backend.DataSourceInstanceSettings) (*Settings, error) {
	var st Settings
	if len(s.JSONData) > 0 {
		if err := json.Unmarshal(s.JSONData, &st); err != nil {
			return nil, fmt.Errorf("%w: jsonData is not valid JSON for this datasource: %s", ErrInvalid, jsonProblem(err))
		}
	}
	st.Secrets.AzureClientSecret = s.DecryptedSecureJSONData["azureClientSecret"]
	st.normalise()
	if err := st.validate(); err != nil {
		return nil, err
	}
	return &st, nil
}

// jsonProblem describes a decoding error without echoing the document (which might hold a pasted secret).
func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return fmt.Sprintf("field %q must be a %s, not a %s", typeErr.Field, typeErr.Type, typeErr.Value)
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return fmt.Sprintf("syntax error at byte %d", syntaxErr.Offset)
	}
	return "cannot decode"
}

func (s *Settings) normalise() {
	c := &s.AzureCredentials
	c.AuthType = strings.TrimSpace(c.AuthType)
	c.AzureCloud = strings.TrimSpace(c.AzureCloud)
	c.TenantID = strings.TrimSpace(c.TenantID)
	c.ClientID = strings.TrimSpace(c.ClientID)
	if c.AuthType == "" {
		c.AuthType = AuthClientSecret
	}
	if c.AzureCloud == "" {
		c.AzureCloud = CloudPublic
	}
	s.WorkspaceID = strings.TrimSpace(s.WorkspaceID)
	if s.DemoWorkspace && s.WorkspaceID == "" {
		s.WorkspaceID = DemoWorkspaceID
	}
	var extra []string
	for _, w := range s.AdditionalWorkspaces {
		if w = strings.TrimSpace(w); w != "" {
			extra = append(extra, w)
		}
	}
	s.AdditionalWorkspaces = extra
	s.Endpoints.LogAnalytics = strings.TrimSpace(s.Endpoints.LogAnalytics)
	s.Endpoints.Authority = strings.TrimSpace(s.Endpoints.Authority)
	s.Endpoints.Audience = strings.TrimSpace(s.Endpoints.Audience)
}

var guidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsGUID reports whether s is a workspace id in GUID form.
func IsGUID(s string) bool { return guidPattern.MatchString(s) }

// validate reports the first thing an admin must fix, in words that name the setting. It also parses
// QueryTimeoutSeconds into QueryTimeout.
func (s *Settings) validate() error {
	timeout, err := parseTimeout(s.QueryTimeoutSeconds)
	if err != nil {
		return err
	}
	s.QueryTimeout = timeout
	if s.WorkspaceID == "" {
		return invalid("no default workspace: set jsonData.workspaceId to the Log Analytics workspace ID (a GUID, shown as 'Workspace ID' on the workspace's overview page)")
	}
	for _, w := range append([]string{s.WorkspaceID}, s.AdditionalWorkspaces...) {
		if err := CheckWorkspaceID(w); err != nil {
			return err
		}
	}
	if s.DemoWorkspace {
		return nil // the demo needs no credentials and no endpoints
	}
	if err := s.validateCloud(); err != nil {
		return err
	}
	return s.validateAuth()
}

// CheckWorkspaceID rejects anything but a GUID, so a workspace id can never smuggle a path into a URL.
func CheckWorkspaceID(w string) error {
	if !IsGUID(w) {
		return invalid("workspace %q is not a workspace ID: use the workspace's GUID (e.g. 11111111-2222-3333-4444-555555555555), not its name or resource ID", truncate(w, 80))
	}
	return nil
}

func (s *Settings) validateCloud() error {
	switch s.AzureCredentials.AzureCloud {
	case CloudPublic, CloudChina, CloudUSGov:
		return nil
	case CloudCustomized:
		if err := checkHTTPS("jsonData.endpoints.logAnalytics", s.Endpoints.LogAnalytics); err != nil {
			return err
		}
		if s.AzureCredentials.AuthType != AuthManagedIdentity {
			if err := checkHTTPS("jsonData.endpoints.authority", s.Endpoints.Authority); err != nil {
				return err
			}
		}
		if s.Endpoints.Audience != "" {
			return checkHTTPS("jsonData.endpoints.audience", s.Endpoints.Audience)
		}
		return nil
	default:
		return invalid("unknown Azure cloud %q in jsonData.azureCredentials.azureCloud: use one of %s, %s, %s, %s", truncate(s.AzureCredentials.AzureCloud, 40), CloudPublic, CloudChina, CloudUSGov, CloudCustomized)
	}
}

func (s *Settings) validateAuth() error {
	c := s.AzureCredentials
	switch c.AuthType {
	case AuthClientSecret:
		switch {
		case c.TenantID == "":
			return invalid("client secret authentication needs the directory (tenant) ID: set jsonData.azureCredentials.tenantId")
		case c.ClientID == "":
			return invalid("client secret authentication needs the application (client) ID: set jsonData.azureCredentials.clientId")
		case s.Secrets.AzureClientSecret == "":
			return invalid("client secret authentication needs the client secret: set secureJsonData.azureClientSecret")
		}
		return nil
	case AuthManagedIdentity, AuthWorkloadIdentity:
		return nil // whether Grafana allows them is checked against Grafana's config (see azureauth)
	default:
		return invalid("unknown authentication type %q in jsonData.azureCredentials.authType: use one of %s, %s, %s", truncate(c.AuthType, 40), AuthClientSecret, AuthManagedIdentity, AuthWorkloadIdentity)
	}
}

func parseTimeout(raw json.Number) (time.Duration, error) {
	if raw == "" {
		return DefaultQueryTimeoutSeconds * time.Second, nil
	}
	n, err := raw.Int64()
	if err != nil || n < 1 || n > MaxQueryTimeoutSeconds {
		return 0, invalid("jsonData.queryTimeoutSeconds is %s: use a whole number of seconds from 1 to %d (default %d)", truncate(raw.String(), 20), MaxQueryTimeoutSeconds, DefaultQueryTimeoutSeconds)
	}
	return time.Duration(n) * time.Second, nil
}

func checkHTTPS(name, raw string) error {
	if raw == "" {
		return invalid("the Azure cloud is %s, so %s must be set (an https URL)", CloudCustomized, name)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return invalid("%s is not a URL: use an https URL such as https://host:port/", name)
	}
	if u.Scheme != "https" {
		return invalid("%s must use https (Azure sends credentials only over TLS), not %q", name, u.Scheme)
	}
	return nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
