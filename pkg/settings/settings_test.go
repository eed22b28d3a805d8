package settings

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

const ws = "11111111-2222-3333-4444-555555555555"

func loadErr(jsonData string, secret string) (*Settings, error) {
	return Load(backend.DataSourceInstanceSettings{
		JSONData:                []byte(jsonData),
		DecryptedSecureJSONData: map[string]string{"azureClientSecret": secret},
	})
}

func load(t *testing.T, jsonData string, secret string) *Settings {
	t.Helper()
	s, err := loadErr(jsonData, secret)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

func TestValidate(t *testing.T) {
	creds := `"azureCredentials":{"authType":"clientsecret","tenantId":"t","clientId":"c"}`
	tests := []struct {
		name, json, secret string
		wantErr            string // substring; empty = valid
	}{
		{"client secret ok", `{` + creds + `,"workspaceId":"` + ws + `"}`, "s", ""},
		{"auth type defaults to client secret", `{"azureCredentials":{"tenantId":"t","clientId":"c"},"workspaceId":"` + ws + `"}`, "s", ""},
		{"missing tenant", `{"azureCredentials":{"clientId":"c"},"workspaceId":"` + ws + `"}`, "s", "azureCredentials.tenantId"},
		{"missing client id", `{"azureCredentials":{"tenantId":"t"},"workspaceId":"` + ws + `"}`, "s", "azureCredentials.clientId"},
		{"missing secret", `{` + creds + `,"workspaceId":"` + ws + `"}`, "", "secureJsonData.azureClientSecret"},
		{"missing workspace", `{` + creds + `}`, "s", "jsonData.workspaceId"},
		{"workspace not a guid", `{` + creds + `,"workspaceId":"my-workspace"}`, "s", `"my-workspace" is not a workspace ID`},
		{"additional workspace not a guid", `{` + creds + `,"workspaceId":"` + ws + `","additionalWorkspaces":["../../x"]}`, "s", "not a workspace ID"},
		{"unknown cloud", `{"azureCredentials":{"authType":"clientsecret","azureCloud":"Mars","tenantId":"t","clientId":"c"},"workspaceId":"` + ws + `"}`, "s", `unknown Azure cloud "Mars"`},
		{"unknown auth", `{"azureCredentials":{"authType":"password"},"workspaceId":"` + ws + `"}`, "s", `unknown authentication type "password"`},
		{"custom cloud needs endpoint", `{"azureCredentials":{"authType":"clientsecret","azureCloud":"AzureCustomizedCloud","tenantId":"t","clientId":"c"},"workspaceId":"` + ws + `"}`, "s", "jsonData.endpoints.logAnalytics must be set"},
		{"custom cloud http endpoint", `{"azureCredentials":{"authType":"clientsecret","azureCloud":"AzureCustomizedCloud","tenantId":"t","clientId":"c"},"workspaceId":"` + ws + `","endpoints":{"logAnalytics":"http://h/v1","authority":"https://a/"}}`, "s", "must use https"},
		{"custom cloud http authority", `{"azureCredentials":{"authType":"clientsecret","azureCloud":"AzureCustomizedCloud","tenantId":"t","clientId":"c"},"workspaceId":"` + ws + `","endpoints":{"logAnalytics":"https://h/v1","authority":"http://a/"}}`, "s", "endpoints.authority must use https"},
		{"custom cloud ok", `{"azureCredentials":{"authType":"clientsecret","azureCloud":"AzureCustomizedCloud","tenantId":"t","clientId":"c"},"workspaceId":"` + ws + `","endpoints":{"logAnalytics":"https://h:1/v1","authority":"https://a:2/"}}`, "s", ""},
		{"timeout too large", `{` + creds + `,"workspaceId":"` + ws + `","queryTimeoutSeconds":601}`, "s", "queryTimeoutSeconds is 601"},
		{"timeout zero", `{` + creds + `,"workspaceId":"` + ws + `","queryTimeoutSeconds":0}`, "s", "from 1 to 600"},
		{"timeout fractional", `{` + creds + `,"workspaceId":"` + ws + `","queryTimeoutSeconds":1.5}`, "s", "whole number"},
		{"msi needs no secret", `{"azureCredentials":{"authType":"msi"},"workspaceId":"` + ws + `"}`, "", ""},
		{"demo needs nothing", `{"demoWorkspace":true}`, "", ""},
		{"demo still checks workspace", `{"demoWorkspace":true,"workspaceId":"nope"}`, "", "not a workspace ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadErr(tt.json, tt.secret)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("want error containing %q, got %v", tt.wantErr, err)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
		})
	}
}

func TestDefaultsAndTimeout(t *testing.T) {
	s := load(t, `{"workspaceId":" `+ws+` ","azureCredentials":{"tenantId":"t","clientId":"c"},"additionalWorkspaces":["", " `+ws+`"],"queryTimeoutSeconds":30}`, "s")
	if s.AzureCredentials.AzureCloud != CloudPublic || s.AzureCredentials.AuthType != AuthClientSecret {
		t.Errorf("defaults: %+v", s.AzureCredentials)
	}
	if s.WorkspaceID != ws || len(s.AdditionalWorkspaces) != 1 || s.AdditionalWorkspaces[0] != ws {
		t.Errorf("workspaces not trimmed: %q %q", s.WorkspaceID, s.AdditionalWorkspaces)
	}
	if s.QueryTimeout != 30*time.Second {
		t.Errorf("timeout %v", s.QueryTimeout)
	}
	d := load(t, `{"demoWorkspace":true}`, "")
	if d.WorkspaceID != DemoWorkspaceID || d.QueryTimeout != 180*time.Second {
		t.Errorf("demo defaults: %q %v", d.WorkspaceID, d.QueryTimeout)
	}
}

func TestSecretNeverPrinted(t *testing.T) {
	const canary = "canary-secret-9f8e7d"
	s := load(t, `{"workspaceId":"`+ws+`","azureCredentials":{"tenantId":"t","clientId":"c"}}`, canary)
	if s.Secrets.AzureClientSecret != canary {
		t.Fatal("secret not loaded")
	}
	for _, out := range []string{fmt.Sprintf("%v", s), fmt.Sprintf("%+v", s), fmt.Sprintf("%#v", s), fmt.Sprint(s.Secrets)} {
		if strings.Contains(out, canary) {
			t.Fatalf("secret printed: %s", out)
		}
	}
}

func TestLoadBadJSONDoesNotEchoDocument(t *testing.T) {
	_, err := Load(backend.DataSourceInstanceSettings{JSONData: []byte(`{"workspaceId": 12, "x":"pasted-secret"}`)})
	if err == nil || !strings.Contains(err.Error(), `field "workspaceId" must be a string`) {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), "pasted-secret") {
		t.Fatal("document echoed")
	}
	_, err = Load(backend.DataSourceInstanceSettings{JSONData: []byte(`{"workspaceId": "pasted-secret`)})
	if err == nil || strings.Contains(err.Error(), "pasted-secret") {
		t.Fatalf("got %v", err)
	}
}
