package loganalytics

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

const (
	canarySecret = "CANARY-s3cr3t-7f1e0d" // must never appear in any error
	testTenant   = "tenant-1"
	testClientID = "client-1"
)

// entraStandIn is a Microsoft Entra ID stand-in over TLS: tenant discovery
// and a token endpoint that accepts only the secret "right-secret".
func entraStandIn(t *testing.T, tokenCalls *atomic.Int32) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("GET /"+testTenant+"/v2.0/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		base := srv.URL + "/" + testTenant
		_ = json.NewEncoder(w).Encode(map[string]string{
			"token_endpoint":         base + "/oauth2/v2.0/token",
			"authorization_endpoint": base + "/oauth2/v2.0/authorize",
			"issuer":                 base + "/v2.0",
		})
	})
	mux.HandleFunc("POST /"+testTenant+"/oauth2/v2.0/token", func(w http.ResponseWriter, r *http.Request) {
		tokenCalls.Add(1)
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		if r.PostForm.Get("client_secret") != "right-secret" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'client-1'.\r\nTrace ID: 0c5e\r\nCorrelation ID: 9f1a\r\nTimestamp: 2024-05-01 00:00:00Z","error_codes":[7000215],"timestamp":"2024-05-01 00:00:00Z","trace_id":"0c5e","correlation_id":"9f1a"}`)
			return
		}
		_, _ = io.WriteString(w, `{"token_type":"Bearer","access_token":"entra-token","expires_in":3599,"ext_expires_in":3599}`)
	})
	srv = httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func secretCredential(t *testing.T, entra *httptest.Server, secret string) azcore.TokenCredential {
	t.Helper()
	cred, err := azidentity.NewClientSecretCredential(testTenant, testClientID, secret, &azidentity.ClientSecretCredentialOptions{
		ClientOptions: azcore.ClientOptions{
			Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: entra.URL + "/"},
			Transport: entra.Client(),
		},
		DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatalf("NewClientSecretCredential: %v", err)
	}
	return cred
}

func TestSignIn(t *testing.T) {
	tests := []struct {
		name     string
		secret   string
		wantErr  []string // empty: the query must succeed
		wantCode string
	}{
		{"right secret signs in and sends the token", "right-secret", nil, ""},
		{"wrong secret gives Entra's reason, never the secret", canarySecret,
			[]string{"sign-in failed: AADSTS7000215: Invalid client secret provided."}, "AADSTS7000215"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tokenCalls atomic.Int32
			entra := entraStandIn(t, &tokenCalls)
			s := newStandIn(t, reply{status: 200, file: "empty.json"})
			c := s.client(t, secretCredential(t, entra, tt.secret))
			_, err := c.Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T"})
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Query: %v", err)
				}
				if got := s.requests()[0].Header.Get("Authorization"); got != "Bearer entra-token" {
					t.Errorf("Authorization = %q", got)
				}
				// The token is cached: a second query makes no token call.
				if _, err := c.Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T"}); err != nil {
					t.Fatal(err)
				}
				if n := tokenCalls.Load(); n != 1 {
					t.Errorf("%d token calls, want 1", n)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			var sie *SignInError
			if !errors.As(err, &sie) || !errors.Is(err, ErrSignIn) || !backend.IsDownstreamError(err) || sie.Code != tt.wantCode {
				t.Errorf("err = %#v, want a downstream *SignInError with code %s", err, tt.wantCode)
			}
			var afe *azidentity.AuthenticationFailedError
			if !errors.As(err, &afe) {
				t.Errorf("the credential's own error is not reachable with errors.As")
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			for _, text := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err)} {
				for _, bad := range []string{canarySecret, "Trace ID", "client_secret", "POST"} {
					if strings.Contains(text, bad) {
						t.Errorf("error text contains %q: %s", bad, text)
					}
				}
			}
			if n := len(s.requests()); n != 0 {
				t.Errorf("%d queries sent without a token", n)
			}
		})
	}
}

func TestSignInErrorWithoutResponse(t *testing.T) {
	s := newStandIn(t, reply{status: 200, file: "empty.json"})
	cred := &fakeCredential{err: errors.New("ManagedIdentityCredential: no default identity is assigned to this resource.\nmore detail")}
	_, err := s.client(t, cred).Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T"})
	want := "sign-in failed: ManagedIdentityCredential: no default identity is assigned to this resource. more detail"
	if !errors.Is(err, ErrSignIn) || err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	if n := len(s.requests()); n != 0 {
		t.Errorf("%d queries sent", n)
	}
}

// TestSignInUnreachableAuthority: when Entra cannot be reached, the error names the host and
// the network's reason (azidentity spreads them over several lines), not just "server response
// error:".
func TestSignInUnreachableAuthority(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	opts := &azidentity.ClientSecretCredentialOptions{DisableInstanceDiscovery: true}
	opts.Cloud.ActiveDirectoryAuthorityHost = "https://" + closed + "/"
	opts.Retry.MaxRetries = -1 // one attempt: the reason, not the retry policy, is under test
	cred, err := azidentity.NewClientSecretCredential(testTenant, testClientID, canarySecret, opts)
	if err != nil {
		t.Fatal(err)
	}
	s := newStandIn(t, reply{status: 200, file: "empty.json"})
	_, err = s.client(t, cred).Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T"})
	if !errors.Is(err, ErrSignIn) {
		t.Fatalf("err = %v, want a sign-in error", err)
	}
	msg := err.Error()
	for _, want := range []string{"sign-in failed: ClientSecretCredential:", closed, "connection refused"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	for _, bad := range []string{"\n", canarySecret, "To troubleshoot"} {
		if strings.Contains(msg, bad) {
			t.Errorf("error %q contains %q", msg, bad)
		}
	}
}
