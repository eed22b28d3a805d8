package emulator_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"

	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
	"github.com/kqlhunt/anomaly-datasource/pkg/sampledata"
)

var (
	benchOnce  sync.Once
	benchTable *kql.Table
)

// table500k is the notebook's world: 500,000 generated DeviceNetworkEvents, made once.
func table500k() *kql.Table {
	benchOnce.Do(func() {
		benchTable = sampledata.Generate(sampledata.Config{Rows: 500000, Seed: 42, Now: engineNow})
	})
	return benchTable
}

// countingWriter is a ResponseWriter that keeps nothing, as a socket would not.
type countingWriter struct {
	h      http.Header
	status int
	n      int64
}

func (w *countingWriter) Header() http.Header         { return w.h }
func (w *countingWriter) WriteHeader(code int)        { w.status = code }
func (w *countingWriter) Write(b []byte) (int, error) { w.n += int64(len(b)); return len(b), nil }

// peakHeap samples the live heap every millisecond until stop is called and returns the peak.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); <-finished; return peak.Load() }
}

// BenchmarkNotebookQueryHTTP500k is the notebook's default query over 500,000 rows through the
// handler: request parsing, the engine, and the streamed JSON answer. peak-heap-MB is the
// highest live heap seen while it ran (the 500,000-row table itself included, see table-MB).
func BenchmarkNotebookQueryHTTP500k(b *testing.B) {
	tbl := table500k()
	exec := emulator.NewEngineExecutor(tbl)
	exec.Now = func() time.Time { return engineNow }
	h := emulator.NewLogAnalyticsHandler(exec)
	body := `{"query":` + jsonQuote(notebookQuery) + `}`
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	stop := peakHeap()
	b.ReportAllocs()
	b.ResetTimer()
	var bytesOut int64
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest("POST", "/v1/workspaces/"+workspaceID+"/query", strings.NewReader(body))
		w := &countingWriter{h: http.Header{}}
		h.ServeHTTP(w, req)
		if w.status != 200 {
			b.Fatalf("status %d", w.status)
		}
		bytesOut = w.n
	}
	b.StopTimer()
	peak := stop()
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(base.HeapAlloc)/(1<<20), "table-MB")
	b.ReportMetric(float64(bytesOut)/(1<<20), "answer-MB")
}

// BenchmarkNotebookQueryAzquery500k adds what the plugin's demo workspace pays on top: azquery
// sending the request through the in-memory Transport and decoding the answer.
func BenchmarkNotebookQueryAzquery500k(b *testing.B) {
	tbl := table500k()
	exec := emulator.NewEngineExecutor(tbl)
	exec.Now = func() time.Time { return engineNow }
	c := demoClient(b, emulator.NewLogAnalyticsHandler(exec))
	runtime.GC()
	stop := peakHeap()
	b.ReportAllocs()
	b.ResetTimer()
	rows := 0
	for i := 0; i < b.N; i++ {
		q := notebookQuery
		res, err := c.QueryWorkspace(context.Background(), workspaceID, azquery.Body{Query: &q}, nil)
		if err != nil {
			b.Fatal(err)
		}
		rows = len(res.Tables[0].Rows)
	}
	b.StopTimer()
	b.ReportMetric(float64(stop())/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(rows), "rows")
}

func jsonQuote(s string) string {
	return string(appendQuoted(nil, s))
}

func appendQuoted(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			dst = append(dst, '\\', byte(r))
		case '\n':
			dst = append(dst, '\\', 'n')
		default:
			dst = append(dst, string(r)...)
		}
	}
	return append(dst, '"')
}
