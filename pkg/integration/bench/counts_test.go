package bench

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/pluginhost"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/standin"
	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
)

// rig is a TLS Log Analytics stand-in answering with exec, and a compiled plugin process approved
// to reach it, with extra environment.
type rig struct {
	srv  *httptest.Server
	host *pluginhost.Host
	ds   pluginhost.Datasource
}

func startRig(b *testing.B, exec emulator.Executor, opts []emulator.Option, env ...string) *rig {
	b.Helper()
	exe := os.Getenv("KQLHUNT_PLUGIN_EXECUTABLE")
	if exe == "" {
		exe = filepath.Join("..", "..", "..", "dist", fmt.Sprintf("gpx_kqlhunt_%s_%s", runtime.GOOS, runtime.GOARCH))
	}
	ca, err := standin.NewTestCA()
	if err != nil {
		b.Fatal(err)
	}
	caFile := filepath.Join(b.TempDir(), "ca.pem")
	if err := ca.WritePEM(caFile); err != nil {
		b.Fatal(err)
	}
	entra := standin.NewEntraHandler(standin.EntraConfig{Clients: map[string]string{clientID: secret}, Tenants: []string{tenantID}})
	la := emulator.NewLogAnalyticsHandler(exec, append(opts, emulator.WithTokenValidator(entra.IssuedToken))...)
	srv := ca.StartTLS(standin.NewMux(la, entra))
	b.Cleanup(srv.Close)
	h, err := pluginhost.Start(pluginhost.Config{
		Executable: exe,
		Env: append([]string{"SSL_CERT_FILE=" + caFile, "GF_VERSION=12.4.0",
			"KQLHUNT_ALLOWED_ENDPOINT_HOSTS=" + strings.TrimPrefix(srv.URL, "https://")}, env...),
		MaxRecvMsgSize: 1 << 30,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(h.Stop)
	return &rig{srv: srv, host: h, ds: pluginhost.Datasource{
		UID: "bench",
		JSONData: map[string]any{
			"azureCredentials":    map[string]any{"authType": "clientsecret", "azureCloud": "AzureCustomizedCloud", "tenantId": tenantID, "clientId": clientID},
			"endpoints":           map[string]any{"logAnalytics": srv.URL + "/v1", "authority": srv.URL + "/"},
			"workspaceId":         workspace,
			"queryTimeoutSeconds": 600,
		},
		Secure: map[string]string{"azureClientSecret": secret},
	}}
}

func (r *rig) query(b *testing.B, model map[string]any) (backend.DataResponse, time.Duration) {
	b.Helper()
	start := time.Now()
	res, err := r.host.QueryData(context.Background(), r.ds.QueryRequest(pluginhost.Query{Model: model}))
	if err != nil {
		b.Fatal(err)
	}
	dr := res.Responses["A"]
	if dr.Error != nil {
		b.Fatalf("%v: %v", model, dr.Error)
	}
	return dr, time.Since(start)
}

// BenchmarkCountsOfTwoBillionRows scores, through the compiled plugin, a month of a large tenant:
// a counts answer describing 2,000,000,000 rows over 500 distinct process names (what
// `summarize count() by InitiatingProcessFileName` returns, whatever the rows), with aggregate
// "always". It prints the time per query and the plugin's peak RSS.
func BenchmarkCountsOfTwoBillionRows(b *testing.B) {
	const total, values = 2_000_000_000, 500
	counts := emulator.NewTable("PrimaryResult", emulator.Col(field, "string"), emulator.Col("kqlhunt_count", "long"))
	left := int64(total)
	for i := range values {
		// A Zipf-like fleet: a few processes carry most connections, a long tail of rare ones.
		n := int64(float64(total) * 0.2 / float64(i+1))
		if i == values-1 || n > left-int64(values-1-i) {
			n = left - int64(values-1-i)
		}
		n = max(n, 1)
		left -= n
		counts.AddRow(fmt.Sprintf("process-%03d.exe", i), n)
	}
	if left != 0 {
		counts.AddRow("process-rest.exe", left)
	}
	var queries []string
	exec := emulator.ExecutorFunc(func(_ context.Context, req emulator.Request) (*emulator.Result, error) {
		queries = append(queries, req.Query)
		if !strings.Contains(req.Query, "summarize ['kqlhunt_count'] = count() by ['"+field+"']") {
			return nil, fmt.Errorf("the benchmark expects the counts query, got %q", req.Query)
		}
		return &emulator.Result{Tables: []*emulator.Table{counts}}, nil
	})
	r := startRig(b, exec, nil)
	model := map[string]any{"queryType": "anomaly", "kql": "DeviceNetworkEvents", "timeRangeMode": "query", "aggregate": "always", "output": "count"}
	var took time.Duration
	var flagged int64
	for b.Loop() {
		res, d := r.query(b, model)
		took = d
		flagged = res.Frames[0].Fields[0].At(0).(int64)
		var scored float64
		for _, s := range res.Frames[0].Meta.Stats {
			if s.DisplayName == "Rows" {
				scored = s.Value
			}
		}
		if scored != total {
			b.Fatalf("scored %v rows, want %d", scored, total)
		}
	}
	rss, _ := peakRSS(r.host.Pid())
	fmt.Printf("\ncounts of %d rows over %d values, aggregate always, %d CPUs (%s), %s\n", int64(total), values, runtime.NumCPU(), cpuModel(), runtime.Version())
	fmt.Printf("  %.2f s per query (the last), %d anomalous rows, plugin peak RSS %.0f MiB\n", took.Seconds(), flagged, rss)
	b.ReportMetric(rss, "peak-RSS-MiB")
}

// BenchmarkRowsAgainstCounts scores 5,000,000 rows twice through the compiled plugin: from the rows
// themselves (aggregate never, the service's row limit lifted on the stand-in) and from the
// service's counts of them (aggregate always), and checks the answers are identical, output by
// output; it prints both times and the plugin's peak RSS.
func BenchmarkRowsAgainstCounts(b *testing.B) {
	const n = 5_000_000
	tbl := kql.NewTable("DeviceNetworkEvents", []kql.ColumnSchema{{Name: field, Type: kql.TypeString}})
	names := make([]string, 400)
	for i := range names {
		names[i] = fmt.Sprintf("proc-%03d.exe", i)
	}
	for i := range n {
		// Zipf-like: name k with weight ~1/(k+1), deterministic.
		k := (i*7919 + i/3) % 1000
		idx := 0
		for w := 500; k >= w && idx < len(names)-1; w = w * 9 / 10 {
			k -= w
			idx++
		}
		_ = tbl.AppendRow(names[idx%len(names)])
	}
	exec := emulator.NewEngineExecutor(tbl)
	r := startRig(b, exec, []emulator.Option{emulator.WithRowLimit(-1)}, "KQLHUNT_MAX_RESULT_MEMORY=3GiB")
	for b.Loop() {
		var outs [2]string
		var took [2]time.Duration
		for i, aggregate := range []string{"never", "always"} {
			var text strings.Builder
			for _, output := range []string{"count", "countByValue"} {
				res, d := r.query(b, map[string]any{"queryType": "anomaly", "kql": "DeviceNetworkEvents", "timeRangeMode": "query",
					"field": field, "aggregate": aggregate, "output": output})
				took[i] += d
				for _, f := range res.Frames[0].Fields {
					fmt.Fprint(&text, f.Name, ":")
					for j := 0; j < f.Len(); j++ {
						v, _ := f.ConcreteAt(j)
						fmt.Fprint(&text, v, ",")
					}
				}
			}
			outs[i] = text.String()
		}
		if outs[0] != outs[1] {
			b.Fatal("rows and counts give different answers")
		}
		rss, _ := peakRSS(r.host.Pid())
		fmt.Printf("\n%d rows, one field, outputs count and countByValue, %d CPUs (%s), %s\n", n, runtime.NumCPU(), cpuModel(), runtime.Version())
		fmt.Printf("  from the rows:   %.2f s for both outputs\n  from the counts: %.2f s for both outputs (identical answers)\n  plugin peak RSS %.0f MiB\n",
			took[0].Seconds(), took[1].Seconds(), rss)
	}
}
