package loganalytics

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/sampledata"
)

// notebookProjection is the notebook query's projection without its filters, so every generated
// row comes back: the shape of the answer the plugin scores.
const notebookProjection = `DeviceNetworkEvents
| project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`

var (
	answerOnce sync.Once
	answer500k []byte
)

// notebookAnswer500k is the emulator's 200 body for 500,000 generated rows of the notebook's
// projection (7 columns), made once per test binary.
func notebookAnswer500k(tb testing.TB) []byte {
	tb.Helper()
	answerOnce.Do(func() {
		now := time.Date(2024, 5, 8, 0, 0, 0, 0, time.UTC)
		exec := emulator.NewEngineExecutor(sampledata.Generate(sampledata.Config{Rows: 500_000, Seed: 42, Now: now}))
		exec.Now = func() time.Time { return now }
		h := emulator.NewLogAnalyticsHandler(exec)
		q, _ := json.Marshal(map[string]string{"query": notebookProjection})
		body := string(q)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/workspaces/"+testWorkspace+"/query", strings.NewReader(body)))
		if rec.Code != http.StatusOK {
			tb.Fatalf("emulator answered %d: %s", rec.Code, rec.Body.String())
		}
		answer500k = rec.Body.Bytes()
	})
	if answer500k == nil {
		tb.Fatal("no answer")
	}
	return answer500k
}

// bytesTransport answers every request with the same 200 body from memory, so the benchmark
// measures the client and its decoding, not a socket.
type bytesTransport struct{ body []byte }

func (t bytesTransport) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		Body:    io.NopCloser(bytes.NewReader(t.body)),
		Request: req, ContentLength: int64(len(t.body)),
	}, nil
}

// BenchmarkQuery500k is one query answered with 500,000 rows of the notebook's 7 columns, from
// the request to the frames: the figure behind "allocations per query" in
// docs/benchmarks/decode.md.
func BenchmarkQuery500k(b *testing.B) {
	body := notebookAnswer500k(b)
	c, err := NewClient(nil, ClientOptions{Endpoint: "https://example.invalid/v1", Transport: bytesTransport{body}})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		res, err := c.Query(context.Background(), Query{Workspace: testWorkspace, KQL: notebookProjection})
		if err != nil {
			b.Fatal(err)
		}
		if n := res.Frames[0].Rows(); n != 500_000 {
			b.Fatalf("%d rows", n)
		}
		res.Release()
	}
	b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/op")
}
