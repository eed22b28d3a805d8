package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"
)

// syncBuffer lets the test read what run prints while it serves.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs the command on a free port and returns its address and a client trusting its CA file.
func start(t *testing.T, args ...string) (string, *http.Client, *syncBuffer) {
	t.Helper()
	caPath := filepath.Join(t.TempDir(), "ca.pem")
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0", "-ca-out", caPath}, args...), out, func(a string) { addrc <- a })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("run: %v\n%s", err, out)
	case <-time.After(60 * time.Second):
		t.Fatal("the emulator did not start")
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	pem, err := os.ReadFile(caPath)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	return addr, &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}, out
}

func TestCommandServesGeneratedDataWithSignIn(t *testing.T) {
	addr, client, out := start(t)
	base := "https://" + addr
	printed := out.String()
	for _, want := range []string{`"logAnalytics":"` + base + `/v1"`, `"authority":"` + base + `/"`, "DeviceNetworkEvents (100000 rows", "SSL_CERT_FILE", "KQLHUNT_ALLOWED_ENDPOINT_HOSTS=" + addr} {
		if !strings.Contains(printed, want) {
			t.Errorf("output lacks %s:\n%s", want, printed)
		}
	}
	cred, err := azidentity.NewClientSecretCredential("72f988bf-0000-4000-8000-0000000e3a1d", "a9c3f1d2-0000-4000-8000-00000000c1d0", "emulator-secret",
		&azidentity.ClientSecretCredentialOptions{
			ClientOptions:            azcore.ClientOptions{Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: base + "/"}, Transport: client},
			DisableInstanceDiscovery: true,
		})
	if err != nil {
		t.Fatal(err)
	}
	logs, err := azquery.NewLogsClient(cred, &azquery.LogsClientOptions{ClientOptions: azcore.ClientOptions{
		Cloud: cloud.Configuration{Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			azquery.ServiceNameLogs: {Endpoint: base + "/v1", Audience: "https://api.loganalytics.io"},
		}},
		Transport: client,
	}})
	if err != nil {
		t.Fatal(err)
	}
	q := "DeviceNetworkEvents | where TimeGenerated >= ago(1d) | summarize count() by ActionType"
	res, err := logs.QueryWorkspace(context.Background(), "6d9a1f7e-5b1c-4c55-9a7e-3e0f1a2b3c4d", azquery.Body{Query: &q}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tables[0].Rows) == 0 {
		t.Error("no rows")
	}
	// Without a token the query is refused.
	resp, err := client.Post(base+"/v1/workspaces/6d9a1f7e-5b1c-4c55-9a7e-3e0f1a2b3c4d/query", "application/json", strings.NewReader(`{"query":"DeviceNetworkEvents | take 1"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("no token: %d", resp.StatusCode)
	}
}

func TestCommandServesFiles(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "Hosts.csv")
	if err := os.WriteFile(csvPath, []byte("Name,Seen:datetime\nweb01,2024-05-01T00:00:00Z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	addr, client, _ := start(t, "-data", csvPath, "-no-auth")
	resp, err := client.Post("https://"+addr+"/v1/workspaces/6d9a1f7e-5b1c-4c55-9a7e-3e0f1a2b3c4d/query", "application/json", strings.NewReader(`{"query":"Hosts | project Name"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(b.String(), `"rows":[["web01"]]`) {
		t.Errorf("%d %s", resp.StatusCode, b.String())
	}
}

func TestFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-cert", "x.pem"},
		{"-tenant", "nope"},
		{"-addr", "127.0.0.1:0", "extra"},
		{"-data", "/nonexistent/file.csv"},
		{"-nosuchflag"},
	} {
		var out bytes.Buffer
		if err := run(context.Background(), args, &out, nil); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}
