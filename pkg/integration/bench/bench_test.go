package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/pluginhost"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/standin"
	"github.com/kqlhunt/anomaly-datasource/pkg/sampledata"
)

const (
	rows      = 500_000
	tenantID  = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	clientID  = "0a1b2c3d-aaaa-bbbb-cccc-0123456789ab"
	secret    = "bench-secret"
	workspace = "11111111-1111-1111-1111-111111111111"
	field     = "InitiatingProcessFileName"
)

// projection is the notebook query's projection without its filters, so all generated rows
// come back.
const projection = `DeviceNetworkEvents
| project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`

// answer is the emulator's 200 body for rows generated rows of the projection.
func answer(b *testing.B) []byte {
	b.Helper()
	now := time.Date(2024, 5, 8, 0, 0, 0, 0, time.UTC)
	exec := emulator.NewEngineExecutor(sampledata.Generate(sampledata.Config{Rows: rows, Seed: 42, Now: now}))
	exec.Now = func() time.Time { return now }
	q, _ := json.Marshal(map[string]string{"query": projection})
	rec := httptest.NewRecorder()
	emulator.NewLogAnalyticsHandler(exec).ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/workspaces/"+workspace+"/query", bytes.NewReader(q)))
	if rec.Code != http.StatusOK {
		b.Fatalf("emulator: %d %s", rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes()
}

// bytesService answers every query with the same body, as fast as TLS allows: the benchmark
// measures the plugin, not a KQL engine. It requires a bearer token, as the service does.
type bytesService struct{ body []byte }

func (s bytesService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		http.Error(w, `{"error":{"code":"AuthorizationRequiredError","message":"no token"}}`, http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(s.body)))
	_, _ = w.Write(s.body)
}

// caseResult is one query type's figures.
type caseResult struct {
	name    string
	perOp   time.Duration
	cpu     time.Duration // the plugin process's CPU time per query (user + system)
	peakRSS float64       // MiB, the plugin process's VmHWM
}

// processCPU reads a process's CPU time so far (user + system, fields 14 and 15 of
// /proc/<pid>/stat, in clock ticks of 1/100 s on Linux).
func processCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: %q", pid, b)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %q", pid, b)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: %q", pid, b)
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

// peakRSS reads VmHWM of a process, in MiB.
func peakRSS(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
}

func BenchmarkNotebookAnswer(b *testing.B) {
	exe := os.Getenv("KQLHUNT_PLUGIN_EXECUTABLE")
	if exe == "" {
		exe = filepath.Join("..", "..", "..", "dist", fmt.Sprintf("gpx_kqlhunt_%s_%s", runtime.GOOS, runtime.GOARCH))
	}
	body := answer(b)
	dir := b.TempDir()
	answerFile := filepath.Join(dir, "answer.json")
	if err := os.WriteFile(answerFile, body, 0o600); err != nil {
		b.Fatal(err)
	}
	ca, err := standin.NewTestCA()
	if err != nil {
		b.Fatal(err)
	}
	caFile := filepath.Join(dir, "ca.pem")
	if err := ca.WritePEM(caFile); err != nil {
		b.Fatal(err)
	}
	entra := standin.NewEntraHandler(standin.EntraConfig{Clients: map[string]string{clientID: secret}, Tenants: []string{tenantID}})
	srv := ca.StartTLS(standin.NewMux(bytesService{body}, entra))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "https://")
	ds := pluginhost.Datasource{
		UID: "bench",
		JSONData: map[string]any{
			"azureCredentials":    map[string]any{"authType": "clientsecret", "azureCloud": "AzureCustomizedCloud", "tenantId": tenantID, "clientId": clientID},
			"endpoints":           map[string]any{"logAnalytics": srv.URL + "/v1", "authority": srv.URL + "/"},
			"workspaceId":         workspace,
			"queryTimeoutSeconds": 600,
		},
		Secure: map[string]string{"azureClientSecret": secret},
	}

	var pluginAnomalies int64
	// chunked cases ask as Grafana's chunked query streaming does (QueryChunkedData), the others as
	// every Grafana does (QueryData).
	cases := []struct {
		name    string
		model   map[string]any
		chunked bool
		check   func(*testing.B, backend.DataResponse)
	}{
		{"kql", map[string]any{"queryType": "kql", "kql": projection, "timeRangeMode": "query"}, false, wantRows(rows)},
		{"anomaly-count", map[string]any{"queryType": "anomaly", "kql": projection, "timeRangeMode": "query", "output": "count", "rowOrder": "asReturned"}, false, func(b *testing.B, r backend.DataResponse) {
			wantRows(1)(b, r)
			pluginAnomalies, _ = r.Frames[0].Fields[0].At(0).(int64)
		}},
		{"anomaly-rows", map[string]any{"queryType": "anomaly", "kql": projection, "timeRangeMode": "query", "output": "rows", "rowOrder": "asReturned"}, false, wantRows(rows)},
		{"anomaly-rows-chunked", map[string]any{"queryType": "anomaly", "kql": projection, "timeRangeMode": "query", "output": "rows", "rowOrder": "asReturned"}, true, wantRows(rows)},
	}
	var results []caseResult
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			// A plugin process per case, so its peak RSS is the case's own.
			h, err := pluginhost.Start(pluginhost.Config{
				Executable: exe,
				Env: []string{"SSL_CERT_FILE=" + caFile, "GF_VERSION=12.4.0", "GF_PLUGIN_APP_URL=http://localhost:3000/",
					"KQLHUNT_ALLOWED_ENDPOINT_HOSTS=" + host},
				MaxRecvMsgSize: 1 << 30,
			})
			if err != nil {
				b.Fatal(err)
			}
			defer h.Stop()
			req := ds.QueryRequest(pluginhost.Query{Model: c.model})
			query := func() {
				ask := h.QueryData
				if c.chunked {
					ask = func(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
						res, _, err := h.QueryChunkedData(ctx, req)
						return res, err
					}
				}
				res, err := ask(context.Background(), req)
				if err != nil {
					b.Fatal(err)
				}
				c.check(b, res.Responses["A"])
			}
			query() // sign-in and first-query costs are not the steady state
			cpu0, err := processCPU(h.Pid())
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			start := time.Now()
			n := 0
			for b.Loop() {
				query()
				n++
			}
			perOp := time.Since(start) / time.Duration(n)
			cpu1, err := processCPU(h.Pid())
			if err != nil {
				b.Fatal(err)
			}
			rss, err := peakRSS(h.Pid())
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(rss, "peak-RSS-MiB")
			results = append(results, caseResult{c.name, perOp, (cpu1 - cpu0) / time.Duration(n), rss})
		})
	}

	out, err := exec.Command("/usr/bin/python3", "notebook.py", answerFile, field).Output()
	if err != nil {
		b.Fatalf("the notebook's pipeline (/usr/bin/python3 with pandas and scikit-learn): %v", err)
	}
	var nb struct {
		Seconds   float64 `json:"seconds"`
		Rows      int     `json:"rows"`
		Anomalies int     `json:"anomalies"`
		PeakRSS   float64 `json:"peak_rss_mib"`
	}
	if err := json.Unmarshal(out, &nb); err != nil || nb.Rows != rows {
		b.Fatalf("notebook output %q: %v", out, err)
	}
	nbTime := time.Duration(nb.Seconds * float64(time.Second))

	var sb strings.Builder
	fmt.Fprintf(&sb, "\n%d rows x 7 columns, answer %.1f MiB, on %d CPUs (%s), %s\n", rows, float64(len(body))/(1<<20), runtime.NumCPU(), cpuModel(), runtime.Version())
	fmt.Fprintf(&sb, "%-34s %12s %14s %14s %18s\n", "", "per query", "plugin CPU", "peak RSS", "notebook / this")
	for _, r := range results {
		fmt.Fprintf(&sb, "%-34s %10.3f s %12.3f s %10.0f MiB %17.1fx\n", "plugin "+r.name, r.perOp.Seconds(), r.cpu.Seconds(), r.peakRSS, nbTime.Seconds()/r.perOp.Seconds())
	}
	fmt.Fprintf(&sb, "%-34s %10.3f s %14s %10.0f MiB %18s\n", "notebook (pandas + scikit-learn)", nbTime.Seconds(), "", nb.PeakRSS, "1.0x")
	fmt.Fprintf(&sb, "anomalies: notebook %d, plugin %d, of %d rows\n", nb.Anomalies, pluginAnomalies, nb.Rows)
	fmt.Print(sb.String())
	if pluginAnomalies != int64(nb.Anomalies) {
		b.Errorf("the plugin flags %d rows, the notebook %d", pluginAnomalies, nb.Anomalies)
	}
}

// wantRows checks a response: no error, and a primary frame of n rows.
func wantRows(n int) func(*testing.B, backend.DataResponse) {
	return func(b *testing.B, r backend.DataResponse) {
		b.Helper()
		if r.Error != nil {
			b.Fatalf("query failed: %v", r.Error)
		}
		if len(r.Frames) == 0 || r.Frames[0].Rows() != n {
			b.Fatalf("%d frames, want a primary frame of %d rows", len(r.Frames), n)
		}
	}
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
		}
	}
	return "unknown CPU"
}
