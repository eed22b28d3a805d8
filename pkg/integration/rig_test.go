package integration

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/egress"
	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/pluginhost"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/standin"
)

// The canary is the client secret of every rig: it must never appear in a log line, an error or a frame.
const (
	canary   = "canary-Secret-7c1f0e9b42"
	tenantID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	clientID = "0a1b2c3d-aaaa-bbbb-cccc-0123456789ab"
	ws1      = "11111111-1111-1111-1111-111111111111"
	ws2      = "22222222-2222-2222-2222-222222222222"
)

var (
	host    *pluginhost.Host
	ca      *standin.CA
	caFile  string
	logs    pluginhost.LogBuffer
	nextUID atomic.Int64
	origins chan *origin
)

// originPool is how many stand-in origins the shared plugin process may reach: more than any one test
// holds at once (rigs are returned to the pool when their test ends).
const originPool = 4

// TestMain starts the stand-in origins and one plugin process for the package. The process trusts the
// stand-ins' CA through SSL_CERT_FILE, as a Grafana admin would trust a private CA, and reaches them
// on 127.0.0.1 only because KQLHUNT_ALLOWED_ENDPOINT_HOSTS approves exactly their host:ports, as an
// admin would approve a private Log Analytics endpoint.
func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	if ca, err = standin.NewTestCA(); err != nil {
		fmt.Fprintln(os.Stderr, "test CA:", err)
		return 1
	}
	dir, err := os.MkdirTemp("", "kqlhunt-it-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	caFile = filepath.Join(dir, "ca.pem")
	if err := ca.WritePEM(caFile); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	origins = make(chan *origin, originPool)
	var approved []string
	for range originPool {
		o := startOrigin()
		defer o.srv.Close()
		origins <- o
		approved = append(approved, o.hostPort())
	}
	host, err = startPlugin(&logs, egress.EnvAllowedHosts+"="+strings.Join(approved, ","))
	if err != nil {
		fmt.Fprintln(os.Stderr, "FAIL: cannot start the compiled plugin:", err)
		return 1
	}
	defer host.Stop()
	code := m.Run()
	if host.Exited() {
		fmt.Fprintln(os.Stderr, "FAIL: the plugin process exited during the tests; its log:\n", logs.String())
		return 1
	}
	if strings.Contains(logs.String(), canary) {
		fmt.Fprintln(os.Stderr, "FAIL: the client secret appears in the plugin's logs")
		return 1
	}
	return code
}

// startPlugin starts the compiled plugin as Grafana does, trusting the test CA, with env added to its
// environment.
func startPlugin(log io.Writer, env ...string) (*pluginhost.Host, error) {
	exe := os.Getenv("KQLHUNT_PLUGIN_EXECUTABLE")
	if exe == "" {
		exe = filepath.Join("..", "..", "dist", fmt.Sprintf("gpx_kqlhunt_%s_%s", runtime.GOOS, runtime.GOARCH))
	}
	return pluginhost.Start(pluginhost.Config{
		Executable: exe,
		Env:        append([]string{"SSL_CERT_FILE=" + caFile, "GF_VERSION=12.4.0", "GF_PLUGIN_APP_URL=http://localhost:3000/"}, env...),
		Log:        log,
	})
}

// startExtraPlugin starts a plugin process of the test's own (for an environment the shared one does
// not have), stopped when the test ends; its logs must not show the secret either.
func startExtraPlugin(t *testing.T, env ...string) *pluginhost.Host {
	t.Helper()
	var log pluginhost.LogBuffer
	h, err := startPlugin(&log, env...)
	if err != nil {
		t.Fatalf("start the plugin: %v", err)
	}
	t.Cleanup(func() {
		h.Stop()
		if strings.Contains(log.String(), canary) {
			t.Error("the client secret appears in the plugin's logs")
		}
	})
	return h
}

// origin is one TLS stand-in origin on 127.0.0.1, started once and lent to one rig at a time: its
// address must be fixed before the plugin starts, to be approved in its environment.
type origin struct {
	srv     *httptest.Server
	handler atomic.Pointer[http.Handler]
}

func startOrigin() *origin {
	o := &origin{}
	o.srv = ca.StartTLS(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := o.handler.Load(); h != nil {
			(*h).ServeHTTP(w, r)
			return
		}
		http.Error(w, "no test holds this stand-in origin", http.StatusServiceUnavailable)
	}))
	return o
}

func (o *origin) hostPort() string { return strings.TrimPrefix(o.srv.URL, "https://") }

// lendOrigin gives the test an approved origin serving h until the test ends.
func lendOrigin(t *testing.T, h http.Handler) *origin {
	t.Helper()
	var o *origin
	select {
	case o = <-origins:
	case <-time.After(30 * time.Second):
		t.Fatal("no stand-in origin free: raise originPool")
	}
	o.handler.Store(&h)
	t.Cleanup(func() {
		o.handler.Store(nil)
		origins <- o
	})
	return o
}

// rig is one Azure stand-in (Log Analytics and Entra ID on one TLS origin) and a datasource pointing at it.
type rig struct {
	la    *standin.LogAnalytics
	entra *standin.EntraHandler
	url   string // the origin, https://127.0.0.1:port
	ds    pluginhost.Datasource
}

func newRig(t *testing.T, exec emulator.Executor, jsonData map[string]any) *rig {
	t.Helper()
	r := &rig{entra: standin.NewEntraHandler(standin.EntraConfig{Clients: map[string]string{clientID: canary}, Tenants: []string{tenantID}})}
	r.la = standin.NewLogAnalytics(exec, emulator.WithTokenValidator(r.entra.TokenValidator()))
	r.url = lendOrigin(t, standin.NewMux(r.la, r.entra)).srv.URL
	jd := map[string]any{
		"azureCredentials": map[string]any{"authType": "clientsecret", "azureCloud": "AzureCustomizedCloud", "tenantId": tenantID, "clientId": clientID},
		"endpoints":        map[string]any{"logAnalytics": r.url + "/v1", "authority": r.url + "/"},
		"workspaceId":      ws1,
	}
	for k, v := range jsonData {
		jd[k] = v
	}
	r.ds = pluginhost.Datasource{
		UID:      fmt.Sprintf("ds-%d", nextUID.Add(1)),
		JSONData: jd,
		Secure:   map[string]string{"azureClientSecret": canary},
	}
	return r
}

// waitRequests returns the recorded requests once there are at least n: the stand-in records a request
// when its handler returns, which can be just after the plugin has given up on it.
func (r *rig) waitRequests(t *testing.T, n int) []emulator.RecordedRequest {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		reqs := r.la.Requests()
		if len(reqs) >= n {
			return reqs
		}
		if time.Now().After(deadline) {
			t.Fatalf("want %d recorded requests, got %d", n, len(reqs))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func ctx(t *testing.T) context.Context {
	t.Helper()
	return t.Context()
}

// TestPluginLogsAreCaptured guards the canary check in TestMain: it is only meaningful if the
// plugin's log output actually reaches the buffer it searches.
func TestPluginLogsAreCaptured(t *testing.T) {
	if !strings.Contains(logs.String(), "plugin") {
		t.Fatalf("no plugin log output captured (%d bytes)", len(logs.String()))
	}
}
