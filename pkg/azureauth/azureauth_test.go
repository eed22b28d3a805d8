package azureauth

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kqlhunt/anomaly-datasource/pkg/settings"
)

func mustLoad(t *testing.T, jsonData, secret string) *settings.Settings {
	t.Helper()
	s, err := settings.Load(backend.DataSourceInstanceSettings{JSONData: []byte(jsonData), DecryptedSecureJSONData: map[string]string{"azureClientSecret": secret}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const ws = `"workspaceId":"11111111-2222-3333-4444-555555555555"`

func TestResolveTarget(t *testing.T) {
	tests := []struct {
		cloud, endpoints string
		want             Target
	}{
		{"AzureCloud", "", Target{"https://api.loganalytics.io/v1", "https://api.loganalytics.io", "https://login.microsoftonline.com/"}},
		{"AzureChinaCloud", "", Target{"https://api.loganalytics.azure.cn/v1", "https://api.loganalytics.azure.cn", "https://login.chinacloudapi.cn/"}},
		{"AzureUSGovernment", "", Target{"https://api.loganalytics.us/v1", "https://api.loganalytics.us", "https://login.microsoftonline.us/"}},
		{"AzureCustomizedCloud", `,"endpoints":{"logAnalytics":"https://127.0.0.1:9/v1/","authority":"https://127.0.0.1:8"}`,
			Target{"https://127.0.0.1:9/v1", "https://api.loganalytics.io", "https://127.0.0.1:8/"}},
		{"AzureCustomizedCloud", `,"endpoints":{"logAnalytics":"https://h/v1","authority":"https://a/","audience":"https://aud.example"}`,
			Target{"https://h/v1", "https://aud.example", "https://a/"}},
	}
	for _, tt := range tests {
		t.Run(tt.cloud, func(t *testing.T) {
			s := mustLoad(t, `{"azureCredentials":{"azureCloud":"`+tt.cloud+`","tenantId":"t","clientId":"c"},`+ws+tt.endpoints+`}`, "x")
			got, err := ResolveTarget(s)
			if err != nil || got != tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestIdentityNeedsGrafanaConsent(t *testing.T) {
	tests := []struct {
		auth    string
		grafana GrafanaAzure
		wantErr string
	}{
		{"msi", GrafanaAzure{}, "managed_identity_enabled = true"},
		{"workloadidentity", GrafanaAzure{}, "workload_identity_enabled = true"},
		{"msi", GrafanaAzure{ManagedIdentityEnabled: true}, ""},
		{"workloadidentity", GrafanaAzure{WorkloadIdentityEnabled: true, WorkloadIdentityTenantID: "t", WorkloadIdentityClientID: "c", WorkloadIdentityToken: "/nonexistent/token"}, ""},
		{"clientsecret", GrafanaAzure{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.auth, func(t *testing.T) {
			s := mustLoad(t, `{"azureCredentials":{"authType":"`+tt.auth+`","tenantId":"t","clientId":"c"},`+ws+`}`, "x")
			target, _ := ResolveTarget(s)
			cred, err := NewCredential(s, tt.grafana, target, nil)
			if tt.wantErr == "" {
				if err != nil || cred == nil {
					t.Fatalf("want credential, got %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, ErrIdentityDisabled) {
				t.Fatalf("want %q, got %v", tt.wantErr, err)
			}
			if !strings.Contains(err.Error(), "forward_settings_to_plugins") {
				t.Errorf("message should name forward_settings_to_plugins: %v", err)
			}
		})
	}
}

func TestFromContextReadsGrafanaConfigThenEnvironment(t *testing.T) {
	t.Setenv("GFAZPL_WORKLOAD_IDENTITY_ENABLED", "true")
	t.Setenv("GFAZPL_MANAGED_IDENTITY_ENABLED", "false")
	cfg := backend.NewGrafanaCfg(map[string]string{"GFAZPL_MANAGED_IDENTITY_ENABLED": "true", "GFAZPL_MANAGED_IDENTITY_CLIENT_ID": "mi-client"})
	ctx := backend.WithGrafanaConfig(context.Background(), cfg)
	got := FromContext(ctx)
	if !got.ManagedIdentityEnabled || got.ManagedIdentityClientID != "mi-client" || !got.WorkloadIdentityEnabled {
		t.Fatalf("got %+v", got)
	}
	t.Setenv("GFAZPL_WORKLOAD_IDENTITY_ENABLED", "")
	if FromContext(context.Background()).WorkloadIdentityEnabled {
		t.Fatal("disabled by default")
	}
}
