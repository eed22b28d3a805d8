package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/internal/pluginhost"
)

// BenchmarkConcurrentDemo sends 50 anomaly queries at once, each over the demo workspace's whole
// table (100,000 rows of every DeviceNetworkEvents column), to one plugin process with a small
// result budget (KQLHUNT_MAX_RESULT_MEMORY, 256MiB unless BENCH_RESULT_MEMORY says otherwise).
// Each query either succeeds or gets the budget's "result too large" error; the process must
// stay alive. It prints the outcomes, the wall time and the plugin's peak RSS.
func BenchmarkConcurrentDemo(b *testing.B) {
	exe := os.Getenv("KQLHUNT_PLUGIN_EXECUTABLE")
	if exe == "" {
		exe = filepath.Join("..", "..", "..", "dist", fmt.Sprintf("gpx_kqlhunt_%s_%s", runtime.GOOS, runtime.GOARCH))
	}
	budget := os.Getenv("BENCH_RESULT_MEMORY")
	if budget == "" {
		budget = "256MiB"
	}
	const queries = 50
	for b.Loop() {
		h, err := pluginhost.Start(pluginhost.Config{
			Executable:     exe,
			Env:            []string{"GF_VERSION=12.4.0", "KQLHUNT_MAX_RESULT_MEMORY=" + budget},
			MaxRecvMsgSize: 1 << 30,
		})
		if err != nil {
			b.Fatal(err)
		}
		ds := pluginhost.Datasource{UID: "demo", JSONData: map[string]any{"demoWorkspace": true}}
		model := map[string]any{"queryType": "anomaly", "kql": "DeviceNetworkEvents", "timeRangeMode": "query", "output": "count"}
		// One small query first: the demo table is built and the process is warm.
		warm, err := h.QueryData(context.Background(), ds.QueryRequest(pluginhost.Query{Model: map[string]any{"queryType": "kql", "kql": "DeviceNetworkEvents | take 1", "timeRangeMode": "query"}}))
		if err != nil || warm.Responses["A"].Error != nil {
			b.Fatalf("warm-up query: %v", err)
		}
		baseRSS, err := peakRSS(h.Pid())
		if err != nil {
			b.Fatal(err)
		}
		var mu sync.Mutex
		outcomes := map[string]int{}
		var wg sync.WaitGroup
		start := time.Now()
		for q := range queries {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := h.QueryData(context.Background(), ds.QueryRequest(pluginhost.Query{RefID: fmt.Sprint("Q", q), Model: model}))
				outcome := "ok"
				switch {
				case err != nil:
					outcome = "transport error: " + err.Error()
				case res.Responses[fmt.Sprint("Q", q)].Error != nil:
					outcome = res.Responses[fmt.Sprint("Q", q)].Error.Error()
					if strings.HasPrefix(outcome, "result too large: ") {
						outcome = "result too large"
					}
				}
				mu.Lock()
				outcomes[outcome]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		took := time.Since(start)
		rss, rssErr := peakRSS(h.Pid())
		exited := h.Exited()
		h.Stop()
		if exited || rssErr != nil {
			b.Fatalf("the plugin process exited (%v, %v)", exited, rssErr)
		}
		fmt.Printf("\n%d concurrent anomaly queries over the demo's whole table, KQLHUNT_MAX_RESULT_MEMORY=%s, %d CPUs (%s)\n", queries, budget, runtime.NumCPU(), cpuModel())
		for k, n := range outcomes {
			fmt.Printf("  %3d  %s\n", n, k)
		}
		fmt.Printf("  all answered in %.1f s; plugin peak RSS %.0f MiB (%.0f MiB after one small query: the demo table and the runtime)\n", took.Seconds(), rss, baseRSS)
		for k := range outcomes {
			if k != "ok" && k != "result too large" {
				b.Errorf("unexpected outcome %q", k)
			}
		}
		b.ReportMetric(rss, "peak-RSS-MiB")
		b.ReportMetric(float64(outcomes["ok"]), "succeeded")
	}
}
