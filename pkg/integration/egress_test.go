package integration

import (
	"bufio"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kqlhunt/anomaly-datasource/pkg/internal/pluginhost"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/standin"
)

// tcpTrap listens on a loopback address that no allow list approves and counts every connection and
// the first line of anything sent: a refused endpoint must receive nothing at all.
type tcpTrap struct {
	ln    net.Listener
	conns atomic.Int64
	mu    sync.Mutex
	lines []string
}

func newTrap(t *testing.T, addr string) *tcpTrap {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen %s: %v", addr, err)
	}
	tr := &tcpTrap{ln: ln}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			tr.conns.Add(1)
			go func() {
				defer conn.Close()
				_ = conn.SetReadDeadline(time.Now().Add(2 * time.Second))
				if line, err := bufio.NewReader(conn).ReadString('\n'); err == nil {
					tr.mu.Lock()
					if len(line) > 60 {
						line = line[:60] // a TLS ClientHello is binary: its start says enough
					}
					tr.lines = append(tr.lines, strings.TrimSpace(line))
					tr.mu.Unlock()
				}
			}()
		}
	}()
	t.Cleanup(func() { _ = ln.Close() })
	return tr
}

func (tr *tcpTrap) port() string { return strconv.Itoa(tr.ln.Addr().(*net.TCPAddr).Port) }

// assertUntouched fails the test if anything connected to the trap.
func (tr *tcpTrap) assertUntouched(t *testing.T) {
	t.Helper()
	time.Sleep(100 * time.Millisecond) // a connection in flight would be counted by now
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if n := tr.conns.Load(); n != 0 {
		t.Errorf("the refused endpoint %s received %d connections (first lines %q)", tr.ln.Addr(), n, tr.lines)
	}
}

func healthOn(t *testing.T, h *pluginhost.Host, ds pluginhost.Datasource) *backend.CheckHealthResult {
	t.Helper()
	res, err := h.CheckHealth(ctx(t), ds.PluginContext())
	if err != nil {
		t.Fatalf("CheckHealth transport error: %v", err)
	}
	if strings.Contains(res.Message, canary) {
		t.Fatalf("the secret is in the health message: %s", res.Message)
	}
	return res
}

func queryOn(t *testing.T, h *pluginhost.Host, ds pluginhost.Datasource) backend.DataResponse {
	t.Helper()
	res, err := h.QueryData(ctx(t), ds.QueryRequest(pluginhost.Query{Model: map[string]any{"kql": "DeviceNetworkEvents"}, From: dashFrom, To: dashTo}))
	if err != nil {
		t.Fatalf("QueryData transport error: %v", err)
	}
	dr := res.Responses["A"]
	assertNoCanary(t, dr)
	return dr
}

// refusedEverywhere checks that Save & test and a query both fail with a 400-class "fix your settings"
// answer whose words include every one of want.
func refusedEverywhere(t *testing.T, h *pluginhost.Host, ds pluginhost.Datasource, want ...string) {
	t.Helper()
	res := healthOn(t, h, ds)
	if res.Status != backend.HealthStatusError {
		t.Errorf("health is %v: %s", res.Status, res.Message)
	}
	dr := queryOn(t, h, ds)
	if dr.Error == nil {
		t.Fatal("the query succeeded")
	}
	for _, w := range want {
		if !strings.Contains(res.Message, w) {
			t.Errorf("health message lacks %q: %s", w, res.Message)
		}
		if !strings.Contains(dr.Error.Error(), w) {
			t.Errorf("query error lacks %q: %v", w, dr.Error)
		}
	}
	if dr.Status != backend.StatusBadRequest || dr.ErrorSource != backend.ErrorSourceDownstream {
		t.Errorf("query status %d, source %q: want 400, downstream", dr.Status, dr.ErrorSource)
	}
}

// Loopback, metadata, private and unspecified endpoints are refused unless approved. Packets go to
// loopback only: the metadata, private and unspecified literals are refused from the settings, before
// any connection; names are refused at dial time, on the address they resolve to (localhost resolves
// to 127.0.0.1, whose trap port no allow list approves).
func TestInternalEndpointsAreRefusedUnlessApproved(t *testing.T) {
	trap := newTrap(t, "127.0.0.1:0")
	trap2 := newTrap(t, "127.0.0.2:0")
	r := newRig(t, standin.Respond(oneRow()), nil)
	const loopbackWords = "a loopback address: the plugin reaches loopback, link-local, private and other non-public addresses only on hosts the Grafana server admin approved"
	tests := []struct {
		name                 string
		logAnalytics, author string
		want                 []string
	}{
		{"loopback literal", "https://127.0.0.2:" + trap2.port() + "/v1", r.url + "/",
			[]string{"jsonData.endpoints.logAnalytics: refused to connect to 127.0.0.2 at 127.0.0.2:" + trap2.port() + ", " + loopbackWords}},
		{"approved address on another port", "https://127.0.0.1:" + trap.port() + "/v1", r.url + "/",
			[]string{"jsonData.endpoints.logAnalytics: refused to connect to 127.0.0.1 at 127.0.0.1:" + trap.port()}},
		{"name resolving to loopback, at dial time", "https://localhost:" + trap.port() + "/v1", r.url + "/",
			[]string{"jsonData.endpoints.logAnalytics: refused to connect to localhost at 127.0.0.1:" + trap.port() + ", " + loopbackWords}},
		{"authority name resolving to loopback, at dial time", r.url + "/v1", "https://localhost:" + trap.port() + "/",
			[]string{"jsonData.endpoints.authority: refused to connect to localhost at 127.0.0.1:" + trap.port() + ", " + loopbackWords}},
		{"metadata address", "https://169.254.169.254/v1", r.url + "/",
			[]string{"jsonData.endpoints.logAnalytics: refused to connect to 169.254.169.254 at 169.254.169.254:443, a cloud metadata address"}},
		{"metadata address over IPv6", r.url + "/v1", "https://[fd00:ec2::254]/",
			[]string{"jsonData.endpoints.authority: refused to connect to fd00:ec2::254 at [fd00:ec2::254]:443, a cloud metadata address"}},
		{"metadata address through NAT64", "https://[64:ff9b::a9fe:a9fe]:8443/v1", r.url + "/", []string{"a cloud metadata address"}},
		{"private address", "https://10.0.0.1/v1", r.url + "/", []string{"refused to connect to 10.0.0.1 at 10.0.0.1:443, a private address"}},
		{"private address, authority", r.url + "/v1", "https://192.168.1.1:8443/", []string{"jsonData.endpoints.authority", "a private address"}},
		{"shared address space", "https://100.64.0.1/v1", r.url + "/", []string{"a shared (carrier-grade NAT) address"}},
		{"unspecified address", "https://0.0.0.0:" + trap.port() + "/v1", r.url + "/", []string{"an unspecified address"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := r.ds
			ds.UID = r.ds.UID + "-" + strings.ReplaceAll(tt.name, " ", "-")
			ds.JSONData = copyMap(r.ds.JSONData)
			ds.JSONData["endpoints"] = map[string]any{"logAnalytics": tt.logAnalytics, "authority": tt.author}
			refusedEverywhere(t, host, ds, append(tt.want, "KQLHUNT_ALLOWED_ENDPOINT_HOSTS", "forward_host_env_vars = kqlhunt-anomaly-datasource")...)
		})
	}
	trap.assertUntouched(t)
	trap2.assertUntouched(t)
	if n := len(r.la.Requests()); n != 0 {
		t.Errorf("the rig's Log Analytics received %d queries from refused datasources", n)
	}
	// The rig itself, on an approved address, works.
	if res := healthOn(t, host, r.ds); res.Status != backend.HealthStatusOk {
		t.Fatalf("approved endpoint: %s", res.Message)
	}
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// redirector answers every Log Analytics request with a redirect to *location, and serves Entra ID
// (or redirects its discovery too, when entraLocation is set).
type redirector struct {
	entra         *standin.EntraHandler
	location      atomic.Value // string
	entraLocation atomic.Value // string
	served        atomic.Int64
}

func (rd *redirector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/v1/") {
		rd.served.Add(1)
		w.Header().Set("Location", rd.location.Load().(string))
		w.WriteHeader(http.StatusTemporaryRedirect)
		return
	}
	if loc, _ := rd.entraLocation.Load().(string); loc != "" {
		w.Header().Set("Location", loc+r.URL.Path)
		w.WriteHeader(http.StatusFound)
		return
	}
	rd.entra.ServeHTTP(w, r)
}

// A redirect from Log Analytics or Entra ID is an error that names its target; the target receives
// nothing, so no token reaches it.
func TestRedirectsAreRefusedAndCarryNoToken(t *testing.T) {
	target := newRig(t, standin.Respond(oneRow()), nil) // an approved, working origin
	plain := newTrap(t, "127.0.0.1:0")
	rd := &redirector{entra: standin.NewEntraHandler(standin.EntraConfig{Clients: map[string]string{clientID: canary}, Tenants: []string{tenantID}})}
	rd.entraLocation.Store("")
	origin := lendOrigin(t, rd).srv.URL
	ds := target.ds
	ds.JSONData = copyMap(target.ds.JSONData)
	ds.JSONData["endpoints"] = map[string]any{"logAnalytics": origin + "/v1", "authority": origin + "/"}
	queryPath := "/v1/workspaces/" + ws1 + "/query"
	tests := []struct {
		name, location, want string
	}{
		{"to http on the same host", "http://127.0.0.1:" + plain.port() + queryPath + "?sig=x",
			"answered HTTP 307, a redirect to http://127.0.0.1:" + plain.port() + queryPath + ": the plugin follows no redirects"},
		{"to another approved host", target.url + queryPath, "answered HTTP 307, a redirect to " + target.url + queryPath},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd.location.Store(tt.location)
			ds.UID = target.ds.UID + "-redirect-" + strconv.Itoa(i)
			refusedEverywhere(t, host, ds, "jsonData.endpoints.logAnalytics: "+strings.TrimPrefix(origin, "https://"), tt.want)
		})
	}
	if rd.served.Load() == 0 {
		t.Fatal("the redirecting endpoint was never asked: the test proves nothing")
	}
	t.Run("Entra ID discovery to another approved host", func(t *testing.T) {
		rd.entraLocation.Store(target.url)
		ds.UID = target.ds.UID + "-redirect-entra"
		refusedEverywhere(t, host, ds, "jsonData.endpoints.authority: "+strings.TrimPrefix(origin, "https://")+" answered HTTP 302, a redirect to "+target.url+"/"+tenantID+"/v2.0/.well-known/openid-configuration")
	})
	if n := len(target.entra.Requests()); n != 0 {
		t.Errorf("the redirect target's Entra ID received %d requests", n)
	}
	if reqs := target.la.Requests(); len(reqs) != 0 {
		t.Errorf("the redirect target's Log Analytics received %d requests", len(reqs))
	}
	plain.assertUntouched(t)
}
