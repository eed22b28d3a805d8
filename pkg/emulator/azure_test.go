package emulator_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"

	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/standin"
)

const (
	tenantID    = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	clientID    = "0f2b4c6e-1a3d-4e5f-9a8b-7c6d5e4f3a2b"
	secret      = "canary-secret-9f8e7d"
	workspaceID = "c0ffee00-1234-4abc-8def-0123456789ab"
)

// rig is both stand-ins behind one TLS origin, with a real credential and logs client.
type rig struct {
	srv    *httptest.Server
	entra  *standin.EntraHandler
	la     *standin.LogAnalytics
	client *azquery.LogsClient
}

func newRig(t *testing.T, exec emulator.Executor, retry policy.RetryOptions) *rig {
	t.Helper()
	entra := standin.NewEntraHandler(standin.EntraConfig{
		Clients: map[string]string{clientID: secret},
		Tenants: []string{tenantID},
	})
	la := standin.NewLogAnalytics(exec, emulator.WithTokenValidator(entra.IssuedToken))
	srv := standin.StartTLS(standin.NewMux(la, entra))
	t.Cleanup(srv.Close)
	cred, err := azidentity.NewClientSecretCredential(tenantID, clientID, secret, credOptions(srv))
	if err != nil {
		t.Fatal(err)
	}
	return &rig{srv: srv, entra: entra, la: la, client: logsClient(t, srv, cred, retry)}
}

func credOptions(srv *httptest.Server) *azidentity.ClientSecretCredentialOptions {
	return &azidentity.ClientSecretCredentialOptions{
		ClientOptions: azcore.ClientOptions{
			Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: srv.URL + "/"},
			Transport: srv.Client(),
		},
		DisableInstanceDiscovery: true,
	}
}

func logsClient(t *testing.T, srv *httptest.Server, cred azcore.TokenCredential, retry policy.RetryOptions) *azquery.LogsClient {
	t.Helper()
	var tr policy.Transporter = srv.Client()
	c, err := azquery.NewLogsClient(cred, &azquery.LogsClientOptions{ClientOptions: azcore.ClientOptions{
		Cloud: cloud.Configuration{Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			azquery.ServiceNameLogs: {Endpoint: srv.URL + "/v1", Audience: "https://api.loganalytics.io"},
		}},
		Transport: tr,
		Retry:     retry,
	}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ptr[T any](v T) *T { return &v }

func query(ctx context.Context, c *azquery.LogsClient, q string, wait *int) (azquery.LogsClientQueryWorkspaceResponse, error) {
	var opts *azquery.LogsClientQueryWorkspaceOptions
	if wait != nil {
		opts = &azquery.LogsClientQueryWorkspaceOptions{Options: &azquery.LogsQueryOptions{Wait: wait}}
	}
	return c.QueryWorkspace(ctx, workspaceID, azquery.Body{Query: ptr(q)}, opts)
}

// everyType is a table with one column of each wire type and a row of nulls.
func everyType() *emulator.Table {
	ts := time.Date(2024, 5, 1, 12, 34, 56, 123456789, time.UTC)
	return emulator.NewTable("PrimaryResult",
		emulator.Col("b", "bool"), emulator.Col("t", "datetime"), emulator.Col("d", "dynamic"),
		emulator.Col("g", "guid"), emulator.Col("i", "int"), emulator.Col("l", "long"),
		emulator.Col("r", "real"), emulator.Col("s", "string"), emulator.Col("ts", "timespan"),
		emulator.Col("dec", "decimal"),
	).
		AddRow(true, ts, `{"a":[1,2]}`, "6f1c3c1e-8f0c-4a59-9d4e-1f2a3b4c5d6e", int64(42), int64(1)<<53+1,
			1.5, "quote \" back \\ tab \t é <tag>", 26*time.Hour+3*time.Minute+4*time.Second+5*time.Millisecond, "12.3400").
		AddRow(nil, nil, nil, nil, nil, nil, math.NaN(), nil, nil, nil).
		AddRow(false, ts, "[]", "", int64(-1), int64(math.MinInt64), math.Inf(1), "", -time.Second, "0").
		AddRow(false, ts, "null", "", int64(0), int64(0), math.Inf(-1), "", time.Duration(0), "0")
}

func TestAzureSDKRoundTripEveryType(t *testing.T) {
	script := standin.Respond(everyType())
	r := newRig(t, script, policy.RetryOptions{})
	res, err := query(context.Background(), r.client, "T | take 4", nil)
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	if res.Error != nil {
		t.Fatalf("unexpected partial error %v", res.Error)
	}
	if len(res.Tables) != 1 || *res.Tables[0].Name != "PrimaryResult" || len(res.Tables[0].Columns) != 10 {
		t.Fatalf("tables = %+v", res.Tables)
	}
	tbl := res.Tables[0]
	wantTypes := []azquery.LogsColumnType{"bool", "datetime", "dynamic", "guid", "int", "long", "real", "string", "timespan", "decimal"}
	for i, c := range tbl.Columns {
		if *c.Type != wantTypes[i] {
			t.Errorf("column %d type %s, want %s", i, *c.Type, wantTypes[i])
		}
	}
	want := [][]any{
		{true, "2024-05-01T12:34:56.1234567Z", `{"a":[1,2]}`, "6f1c3c1e-8f0c-4a59-9d4e-1f2a3b4c5d6e", 42.0, float64(int64(1)<<53 + 1),
			1.5, "quote \" back \\ tab \t é <tag>", "1.02:03:04.0050000", "12.3400"},
		{nil, nil, nil, nil, nil, nil, "NaN", nil, nil, nil},
		{false, "2024-05-01T12:34:56.1234567Z", "[]", "", -1.0, float64(math.MinInt64), "Infinity", "", "-00:00:01", "0"},
		{false, "2024-05-01T12:34:56.1234567Z", "null", "", 0.0, 0.0, "-Infinity", "", "00:00:00", "0"},
	}
	if len(tbl.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(tbl.Rows), len(want))
	}
	for i, row := range tbl.Rows {
		for j, cell := range row {
			if fmt.Sprint(cell) != fmt.Sprint(want[i][j]) {
				t.Errorf("row %d col %s = %#v, want %#v", i, *tbl.Columns[j].Name, cell, want[i][j])
			}
		}
	}
	reqs := r.la.Requests()
	if len(reqs) != 1 || !reqs[0].HasAuthorization || reqs[0].Workspace != workspaceID || reqs[0].Status != 200 {
		t.Fatalf("recorded %+v", reqs)
	}
	if got := reqs[0].Header.Get("Authorization"); got != "Bearer REDACTED" {
		t.Errorf("recorded Authorization %q, want it redacted", got)
	}
	// A second query reuses the cached token.
	if _, err := query(context.Background(), r.client, "T", nil); err != nil {
		t.Fatal(err)
	}
	if n := r.entra.TokenRequests(); n != 1 {
		t.Errorf("%d token requests, want 1 (cached)", n)
	}
	for _, er := range r.entra.Requests() {
		if strings.Contains(fmt.Sprintf("%+v", er), secret) {
			t.Errorf("the Entra request log holds the secret: %+v", er)
		}
	}
}

func TestAzureSDKFailures(t *testing.T) {
	tbl := emulator.NewTable("PrimaryResult", emulator.Col("n", "long")).AddRow(int64(7))
	tests := []struct {
		name       string
		script     *standin.Script
		wait       *int
		retry      policy.RetryOptions
		wantStatus int
		wantCode   string
		wantInBody []string
	}{
		{name: "bad KQL", script: standin.BadQuery(2, 244, "joi"), wantStatus: 400, wantCode: "BadArgumentError",
			wantInBody: []string{`"SyntaxError"`, `"SYN0002"`, `"line":2`, `"pos":244`, `"token":"joi"`, `Query could not be parsed at 'joi' on line [2,244]`}},
		{name: "forbidden", script: standin.Fail(403, "InsufficientAccessError", "The provided credentials have insufficient access to perform the requested operation"),
			wantStatus: 403, wantCode: "InsufficientAccessError"},
		{name: "not found", script: standin.FailWith(emulator.WorkspaceNotFoundError()), wantStatus: 404, wantCode: "WorkspaceNotFoundError"},
		{name: "wait exceeded", script: standin.Respond(tbl).After(10 * time.Second), wait: ptr(1),
			retry: policy.RetryOptions{MaxRetries: -1}, wantStatus: 504, wantCode: "GatewayTimeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.script, tt.retry)
			start := time.Now()
			_, err := query(context.Background(), r.client, "T | joi", tt.wait)
			var re *azcore.ResponseError
			if !errors.As(err, &re) {
				t.Fatalf("error %v (%T), want *azcore.ResponseError", err, err)
			}
			if re.StatusCode != tt.wantStatus || re.ErrorCode != tt.wantCode {
				t.Fatalf("got %d %s, want %d %s", re.StatusCode, re.ErrorCode, tt.wantStatus, tt.wantCode)
			}
			// azcore pretty-prints the body: compare without white space.
			flat := strings.Join(strings.Fields(err.Error()), "")
			for _, s := range tt.wantInBody {
				if !strings.Contains(flat, strings.Join(strings.Fields(s), "")) {
					t.Errorf("error lacks %s:\n%v", s, err)
				}
			}
			if tt.wait != nil {
				if el := time.Since(start); el < time.Second || el > 5*time.Second {
					t.Errorf("took %v, want about the 1 s wait", el)
				}
				if p := r.la.Requests()[0].Prefer; p != "wait=1" {
					t.Errorf("recorded Prefer %q", p)
				}
			}
		})
	}
}

func TestAzureSDKPartialError(t *testing.T) {
	tbl := emulator.NewTable("PrimaryResult", emulator.Col("n", "long")).AddRow(int64(7))
	r := newRig(t, standin.Respond(tbl).Partial("E_QUERY_PARTIAL", "Some shards did not answer"), policy.RetryOptions{})
	res, err := query(context.Background(), r.client, "T", nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Error == nil || res.Error.Code != "PartialError" || !strings.Contains(res.Error.Error(), "Some shards did not answer") {
		t.Fatalf("partial error = %v", res.Error)
	}
	if len(res.Tables) != 1 || len(res.Tables[0].Rows) != 1 {
		t.Fatalf("rows did not come back: %+v", res.Tables)
	}
}

func TestAzureSDKRetriesThrottling(t *testing.T) {
	tbl := emulator.NewTable("PrimaryResult", emulator.Col("n", "long")).AddRow(int64(7))
	script := standin.Throttle(time.Second).Then(standin.Respond(tbl))
	r := newRig(t, script, policy.RetryOptions{RetryDelay: time.Millisecond, MaxRetryDelay: 2 * time.Second})
	start := time.Now()
	res, err := query(context.Background(), r.client, "T", nil)
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < time.Second {
		t.Errorf("retried after %v, Retry-After 1 s not honoured", el)
	}
	if script.Calls() != 2 || len(res.Tables[0].Rows) != 1 {
		t.Errorf("calls %d, rows %v", script.Calls(), res.Tables[0].Rows)
	}
	statuses := []int{}
	for _, q := range r.la.Requests() {
		statuses = append(statuses, q.Status)
	}
	if fmt.Sprint(statuses) != "[429 200]" {
		t.Errorf("statuses %v", statuses)
	}
}

func TestAzureSDKSignInFailures(t *testing.T) {
	tests := []struct {
		name, tenant, client, secret, want string
	}{
		{"wrong secret", tenantID, clientID, "wrong", "AADSTS7000215"},
		{"unknown client", tenantID, "11111111-2222-3333-4444-555555555555", secret, "AADSTS700016"},
		{"unknown tenant", "00000000-0000-0000-0000-000000000000", clientID, secret, "AADSTS90002"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			script := standin.Respond()
			r := newRig(t, script, policy.RetryOptions{MaxRetries: -1})
			cred, err := azidentity.NewClientSecretCredential(tt.tenant, tt.client, tt.secret, credOptions(r.srv))
			if err != nil {
				t.Fatal(err)
			}
			c := logsClient(t, r.srv, cred, policy.RetryOptions{MaxRetries: -1})
			_, err = query(context.Background(), c, "T", nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %s", err, tt.want)
			}
			if tt.secret != secret && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("the error shows the secret")
			}
			if script.Calls() != 0 {
				t.Errorf("the query ran without a token")
			}
		})
	}
}

// staticToken is a credential whose token the Entra stand-in never minted.
type staticToken string

func (s staticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(s), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func TestAzureSDKTokenValidation(t *testing.T) {
	tests := []struct {
		name     string
		cred     azcore.TokenCredential
		wantCode string
	}{
		{"no credential", nil, "AuthorizationRequiredError"},
		{"foreign token", staticToken("eyJhbGciOiJub25lIn0.e30."), "InvalidTokenError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, standin.Respond(), policy.RetryOptions{MaxRetries: -1})
			c := logsClient(t, r.srv, tt.cred, policy.RetryOptions{MaxRetries: -1})
			_, err := query(context.Background(), c, "T", nil)
			var re *azcore.ResponseError
			if !errors.As(err, &re) || re.StatusCode != 401 || re.ErrorCode != tt.wantCode {
				t.Fatalf("error %v, want 401 %s", err, tt.wantCode)
			}
		})
	}
}

// hostGuard fails requests to any host but the stand-ins' and remembers the hosts it refused.
type hostGuard struct {
	next    policy.Transporter
	allowed string
	refused []string
}

func (g *hostGuard) Do(req *http.Request) (*http.Response, error) {
	if req.URL.Host != g.allowed {
		g.refused = append(g.refused, req.URL.Host)
		return nil, fmt.Errorf("offline: %s", req.URL.Host)
	}
	return g.next.Do(req)
}

// TestInstanceDiscoveryMustBeDisabled shows why clients must set DisableInstanceDiscovery: MSAL
// otherwise asks login.microsoftonline.com about a host it does not know, which fails offline.
func TestInstanceDiscoveryMustBeDisabled(t *testing.T) {
	r := newRig(t, standin.Respond(), policy.RetryOptions{MaxRetries: -1})
	for _, disable := range []bool{false, true} {
		t.Run(fmt.Sprint("disable=", disable), func(t *testing.T) {
			guard := &hostGuard{next: r.srv.Client(), allowed: strings.TrimPrefix(r.srv.URL, "https://")}
			opts := credOptions(r.srv)
			opts.Transport = guard
			opts.Retry = policy.RetryOptions{MaxRetries: -1}
			opts.DisableInstanceDiscovery = disable
			cred, err := azidentity.NewClientSecretCredential(tenantID, clientID, secret, opts)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, err = cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://api.loganalytics.io/.default"}})
			if disable {
				if err != nil || len(guard.refused) != 0 {
					t.Fatalf("with discovery disabled: err %v, refused %v", err, guard.refused)
				}
				return
			}
			if err == nil || len(guard.refused) == 0 || guard.refused[0] != "login.microsoftonline.com" {
				t.Fatalf("with discovery enabled: err %v, refused %v; want a refused call to login.microsoftonline.com", err, guard.refused)
			}
		})
	}
}

// TestWorkloadIdentityAssertion: a workload identity's federated token (a file) is accepted as
// the client assertion configured for the client, and another token is refused.
func TestWorkloadIdentityAssertion(t *testing.T) {
	const assertion = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6Z3JhZmFuYSJ9.c2ln"
	entra := standin.NewEntraHandler(standin.EntraConfig{Assertions: map[string]string{clientID: assertion}})
	srv := standin.StartTLS(entra)
	defer srv.Close()
	for _, tt := range []struct {
		token string
		ok    bool
	}{{assertion, true}, {"another.token.value", false}} {
		path := t.TempDir() + "/token"
		if err := os.WriteFile(path, []byte(tt.token), 0o600); err != nil {
			t.Fatal(err)
		}
		cred, err := azidentity.NewWorkloadIdentityCredential(&azidentity.WorkloadIdentityCredentialOptions{
			ClientOptions: azcore.ClientOptions{
				Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: srv.URL + "/"},
				Transport: srv.Client(),
			},
			ClientID: clientID, TenantID: tenantID, TokenFilePath: path, DisableInstanceDiscovery: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		tok, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{"https://api.loganalytics.io/.default"}})
		if tt.ok && (err != nil || !entra.IssuedToken(tok.Token)) {
			t.Errorf("federated token refused: %v", err)
		}
		if !tt.ok && (err == nil || !strings.Contains(err.Error(), "AADSTS700211")) {
			t.Errorf("wrong federated token: %v", err)
		}
	}
}
