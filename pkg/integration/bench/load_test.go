package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/internal/pluginhost"
	"github.com/kqlhunt/anomaly-datasource/pkg/membudget"
)

// BenchmarkConcurrentDemo sends 50 anomaly queries at once, each over the demo workspace's whole
// table (100,000 rows of every DeviceNetworkEvents column), plus issue 7's 10,000-tree query
// (maxSamples 1.0 on three fields), to one plugin process with a small result budget
// (KQLHUNT_MAX_RESULT_MEMORY, 256MiB unless BENCH_RESULT_MEMORY says otherwise). Each query either
// succeeds or gets a budget's clear error (the result budget's "result too large", the forest's
// sampled-rows budget); the process must stay alive. It prints the outcomes, the wall time and the
// plugin's peak RSS against the budget.
func BenchmarkConcurrentDemo(b *testing.B) {
	exe := os.Getenv("KQLHUNT_PLUGIN_EXECUTABLE")
	if exe == "" {
		exe = filepath.Join("..", "..", "..", "dist", fmt.Sprintf("gpx_kqlhunt_%s_%s", runtime.GOOS, runtime.GOARCH))
	}
	budget := os.Getenv("BENCH_RESULT_MEMORY")
	if budget == "" {
		budget = "256MiB"
	}
	for b.Loop() {
		loadOnce(b, exe, budget)
	}
}

// loadOnce is one run of BenchmarkConcurrentDemo: a fresh plugin process, the queries, the figures.
// (A function of its own: Go 1.26.8's compiler crashed on this body inside the b.Loop loop.)
func loadOnce(b *testing.B, exe, budget string) {
	const queries = 50
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
	forest := map[string]any{"queryType": "anomaly", "kql": "DeviceNetworkEvents", "timeRangeMode": "query",
		// json.Number keeps "1.0" a fraction in the JSON (a float64 1.0 would be written 1: one row).
		"fields": []string{"RemoteIP", "LocalIP", "RemotePort"}, "nEstimators": 10000, "maxSamples": json.Number("1.0"), "output": "count"}
	for q := 0; q <= queries; q++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, kind := model, "notebook"
			if q == queries {
				m, kind = forest, "10,000 trees"
			}
			res, err := h.QueryData(context.Background(), ds.QueryRequest(pluginhost.Query{RefID: fmt.Sprint("Q", q), Model: m}))
			outcome := "ok"
			switch {
			case err != nil:
				outcome = "transport error: " + err.Error()
			case res.Responses[fmt.Sprint("Q", q)].Error != nil:
				outcome = res.Responses[fmt.Sprint("Q", q)].Error.Error()
				switch {
				case strings.HasPrefix(outcome, "result too large: "):
					outcome = "result too large"
				case strings.Contains(outcome, "nEstimators x max_samples_") || strings.Contains(outcome, "sampled rows"):
					outcome = "forest budget (" + outcome + ")"
				}
			}
			mu.Lock()
			outcomes[kind+": "+outcome]++
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
	fmt.Printf("\n%d concurrent anomaly queries over the demo's whole table and the 10,000-tree query, KQLHUNT_MAX_RESULT_MEMORY=%s, %d CPUs (%s)\n", queries, budget, runtime.NumCPU(), cpuModel())
	for k, n := range outcomes {
		fmt.Printf("  %3d  %s\n", n, k)
	}
	limit, _ := membudget.ParseSize(budget)
	fmt.Printf("  all answered in %.1f s; plugin peak RSS %.0f MiB (%.0f MiB after one small query: the demo table and the runtime), budget %s + %.0f MiB\n",
		took.Seconds(), rss, baseRSS, budget, rss-float64(limit)/(1<<20))
	// Every query succeeds or gets a budget's clear error; the big forest one never runs.
	for k := range outcomes {
		switch {
		case k == "notebook: ok", k == "notebook: result too large", k == "10,000 trees: result too large",
			strings.HasPrefix(k, "10,000 trees: forest budget ("):
		default:
			b.Errorf("unexpected outcome %q", k)
		}
	}
	b.ReportMetric(rss, "peak-RSS-MiB")
	b.ReportMetric(float64(outcomes["notebook: ok"]), "succeeded")
}
