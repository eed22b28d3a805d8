package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"
)

const (
	workspace = "6d9a1f7e-5b1c-4c55-9a7e-3e0f1a2b3c4d"
	examples  = "examples"
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

// emulatorUnderTest is one running emulator.
type emulatorUnderTest struct {
	addr   string
	out    *syncBuffer
	caPath string
	client *http.Client
	stop   func() error
}

// start runs the command with args (plus -addr 127.0.0.1:0 unless args set -addr) and returns
// once it listens, with a client trusting the CA file its banner names. It stops at the test's end.
func start(t *testing.T, args ...string) *emulatorUnderTest {
	t.Helper()
	if !strings.Contains(strings.Join(args, " "), "-addr") {
		args = append([]string{"-addr", "127.0.0.1:0"}, args...)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &emulatorUnderTest{out: &syncBuffer{}}
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, e.out, func(a string) { addrc <- a }) }()
	select {
	case e.addr = <-addrc:
	case err := <-done:
		cancel()
		t.Fatalf("run: %v\n%s", err, e.out)
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("the emulator did not start")
	}
	var once sync.Once
	var stopErr error
	e.stop = func() error {
		once.Do(func() { cancel(); stopErr = <-done })
		return stopErr
	}
	t.Cleanup(func() {
		if err := e.stop(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	m := regexp.MustCompile(`CA certificate in (.+) \(set SSL_CERT_FILE`).FindStringSubmatch(e.out.String())
	if m == nil {
		t.Fatalf("the banner names no CA file:\n%s", e.out)
	}
	e.caPath = m[1]
	pem, err := os.ReadFile(e.caPath)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("%s holds no certificate", e.caPath)
	}
	e.client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	return e
}

// post sends a query without a token and returns the status and the body.
func (e *emulatorUnderTest) post(t *testing.T, header map[string]string, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", "https://"+e.addr+"/v1/workspaces/"+workspace+"/query", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestCommandServesTheDemoWithSignIn(t *testing.T) {
	e := start(t)
	base := "https://" + e.addr
	printed := e.out.String()
	for _, want := range []string{`"logAnalytics":"` + base + `/v1"`, `"authority":"` + base + `/"`, "DeviceNetworkEvents (100000 rows", "SSL_CERT_FILE", "-no-auth", "KQLHUNT_ALLOWED_ENDPOINT_HOSTS=" + e.addr} {
		if !strings.Contains(printed, want) {
			t.Errorf("output lacks %s:\n%s", want, printed)
		}
	}
	cred, err := azidentity.NewClientSecretCredential("72f988bf-0000-4000-8000-0000000e3a1d", "a9c3f1d2-0000-4000-8000-00000000c1d0", "emulator-secret",
		&azidentity.ClientSecretCredentialOptions{
			ClientOptions:            azcore.ClientOptions{Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: base + "/"}, Transport: e.client},
			DisableInstanceDiscovery: true,
		})
	if err != nil {
		t.Fatal(err)
	}
	logs, err := azquery.NewLogsClient(cred, &azquery.LogsClientOptions{ClientOptions: azcore.ClientOptions{
		Cloud: cloud.Configuration{Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			azquery.ServiceNameLogs: {Endpoint: base + "/v1", Audience: "https://api.loganalytics.io"},
		}},
		Transport: e.client,
	}})
	if err != nil {
		t.Fatal(err)
	}
	q := "DeviceNetworkEvents | where TimeGenerated >= ago(1d) | summarize count() by ActionType"
	res, err := logs.QueryWorkspace(context.Background(), workspace, azquery.Body{Query: &q}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tables[0].Rows) == 0 {
		t.Error("no rows")
	}
}

// TestRefusedQueriesSayHowToSignIn: a 401 keeps the service's code and shape and says how to get a
// token, or to use -no-auth.
func TestRefusedQueriesSayHowToSignIn(t *testing.T) {
	e := start(t)
	for _, tt := range []struct {
		name, code string
		header     map[string]string
	}{
		{"no token", "AuthorizationRequiredError", nil},
		{"a token not from the stand-in", "InvalidTokenError", map[string]string{"Authorization": "Bearer forged"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, body := e.post(t, tt.header, `{"query":"DeviceNetworkEvents | take 1"}`)
			var doc struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal([]byte(body), &doc); err != nil {
				t.Fatalf("%d %s: %v", status, body, err)
			}
			if status != 401 || doc.Error.Code != tt.code {
				t.Errorf("got %d %s, want 401 %s", status, doc.Error.Code, tt.code)
			}
			for _, want := range []string{"-no-auth", "/oauth2/v2.0/token", "scope=https://api.loganalytics.io/.default", "Authorization: Bearer"} {
				if !strings.Contains(doc.Error.Message, want) {
					t.Errorf("message lacks %q: %s", want, doc.Error.Message)
				}
			}
		})
	}
	// Answers other than 401 pass through untouched.
	if status, body := e.post(t, nil, `not json`); status != 401 || strings.Contains(body, "BadArgument") {
		t.Errorf("without a token the body is not read: %d %s", status, body)
	}
}

// TestBannerCurlSequenceWorks runs the curl lines the banner prints, as a user would paste them.
func TestBannerCurlSequenceWorks(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"sign in, then query the demo", nil, `"name":"Connections"`},
		{"no auth", []string{"-no-auth"}, `"name":"Connections"`},
		{"your own tables", []string{"-data", filepath.Join(examples, "DeviceInfo.csv")}, `wks-fin-014.contoso.local`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bash, err := exec.LookPath("bash")
			if err != nil {
				t.Fatal("this test pastes the banner's commands into bash, which is not installed")
			}
			if _, err := exec.LookPath("curl"); err != nil {
				t.Fatal("this test runs the banner's curl commands, and curl is not installed (apt-get install curl)")
			}
			e := start(t, tt.args...)
			script := curlBlock(t, e.out.String())
			if strings.Contains(script, "TOKEN") == slices.Contains(tt.args, "-no-auth") {
				t.Errorf("token step present with -no-auth, or missing without it:\n%s", script)
			}
			cmd := exec.Command(bash, "-euo", "pipefail", "-c", script)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("%v\n%s\n%s\nscript:\n%s", err, stdout.String(), stderr.String(), script)
			}
			if !strings.Contains(stdout.String(), `"tables":[`) || !strings.Contains(stdout.String(), tt.want) {
				t.Errorf("the query's answer lacks %s:\n%s", tt.want, stdout.String())
			}
		})
	}
}

// curlBlock is the indented lines under the banner's curl heading, de-indented.
func curlBlock(t *testing.T, banner string) string {
	t.Helper()
	_, rest, ok := strings.Cut(banner, curlHeading)
	if !ok {
		t.Fatalf("no %q in the banner:\n%s", curlHeading, banner)
	}
	var lines []string
	for _, l := range strings.Split(rest, "\n")[1:] {
		if !strings.HasPrefix(l, "  ") {
			break
		}
		lines = append(lines, strings.TrimPrefix(l, "  "))
	}
	return strings.Join(lines, "\n")
}

// TestDefaultCAIsATemporaryFile: without -ca-out the CA goes to a new temporary directory (never
// the working directory), which is removed when the emulator stops.
func TestDefaultCAIsATemporaryFile(t *testing.T) {
	wd, _ := os.Getwd()
	e := start(t)
	if !strings.HasPrefix(e.caPath, os.TempDir()) || strings.HasPrefix(e.caPath, wd) {
		t.Errorf("CA at %s, want under %s", e.caPath, os.TempDir())
	}
	if err := e.stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Dir(e.caPath)); !os.IsNotExist(err) {
		t.Errorf("%s still there after the emulator stopped: %v", filepath.Dir(e.caPath), err)
	}
}

// TestFailedStartLeavesTheRunningEmulatorAlone: a second start on the same address and -ca-out
// fails before writing anything; the first keeps serving with the CA it wrote.
func TestFailedStartLeavesTheRunningEmulatorAlone(t *testing.T) {
	caPath := filepath.Join(t.TempDir(), "ca.pem")
	first := start(t, "-ca-out", caPath)
	before, err := os.ReadFile(caPath)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err = run(context.Background(), []string{"-addr", first.addr, "-ca-out", caPath}, &out, nil)
	if err == nil || !strings.Contains(err.Error(), "cannot serve on "+first.addr) || !strings.Contains(err.Error(), "-addr") {
		t.Fatalf("second start: %v", err)
	}
	after, err := os.ReadFile(caPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Fatal("the failed start replaced the running emulator's CA file")
	}
	if status, _ := first.post(t, nil, `{"query":"DeviceNetworkEvents | take 1"}`); status != 401 {
		t.Errorf("the first emulator answers %d, want its 401", status)
	}
}

func TestCommandServesTheExampleFiles(t *testing.T) {
	e := start(t, "-no-auth", "-data", filepath.Join(examples, "DeviceInfo.csv"), "-data", filepath.Join(examples, "DeviceLogonEvents.jsonl"))
	for _, want := range []string{"DeviceInfo (4 rows)", "DeviceLogonEvents (4 rows)"} {
		if !strings.Contains(e.out.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, e.out)
		}
	}
	status, body := e.post(t, nil, `{"query":"DeviceLogonEvents | where ActionType == 'LogonFailed' | join kind=inner (DeviceInfo) on DeviceName | project TimeGenerated, AccountName, OSPlatform, IsAzureADJoined"}`)
	want := `"columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"AccountName","type":"string"},{"name":"OSPlatform","type":"string"},{"name":"IsAzureADJoined","type":"bool"}],"rows":[["2024-05-01T08:41:55Z","svc-backup","WindowsServer2022",false]]`
	if status != 200 || !strings.Contains(body, want) {
		t.Errorf("%d %s\nwant %s", status, body, want)
	}
}

func TestFlagErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-cert", "x.pem"}, "-cert and -key go together"},
		{[]string{"-cert", "x.pem", "-key", "k.pem", "-ca-out", "ca.pem"}, "leave them out with -cert and -key"},
		{[]string{"-tenant", "nope"}, "must be GUIDs"},
		{[]string{"-addr", "127.0.0.1:0", "extra"}, "unexpected arguments"},
		{[]string{"-data", "/nonexistent/file.csv"}, "/nonexistent/file.csv"},
		{[]string{"-nosuchflag"}, "-nosuchflag"},
		{[]string{"-addr", busy.Addr().String()}, "cannot serve on " + busy.Addr().String()},
	} {
		var out bytes.Buffer
		err := run(context.Background(), tt.args, &out, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want an error containing %q", tt.args, err, tt.want)
		}
	}
}
