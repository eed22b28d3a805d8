package demo_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"

	"github.com/kqlhunt/anomaly-datasource/pkg/demo"
	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/standin"
)

// demoClient is how the plugin's demo workspace reaches the emulator: azquery's own code path, a
// made-up https endpoint, no credential, and the handler served in memory.
func demoClient(t testing.TB, h http.Handler) *azquery.LogsClient {
	t.Helper()
	c, err := azquery.NewLogsClient(nil, &azquery.LogsClientOptions{ClientOptions: azcore.ClientOptions{
		Cloud: cloud.Configuration{Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			azquery.ServiceNameLogs: {Endpoint: "https://demo.loganalytics.invalid/v1", Audience: "https://api.loganalytics.io"},
		}},
		Transport: &demo.Transport{Handler: h},
		Retry:     policy.RetryOptions{MaxRetries: -1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTransportServesAzqueryInMemory(t *testing.T) {
	tbl := emulator.NewTable("PrimaryResult", emulator.Col("DeviceName", "string")).AddRow("ws-01")
	la := standin.NewLogAnalytics(standin.Respond(tbl))
	res, err := demoClient(t, la).QueryWorkspace(context.Background(), "c0ffee00-1234-4abc-8def-0123456789ab", azquery.Body{Query: ptr("T")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Tables[0].Rows[0][0]; got != "ws-01" {
		t.Errorf("got %v", got)
	}
	if r := la.Requests()[0]; r.HasAuthorization || r.Workspace != "c0ffee00-1234-4abc-8def-0123456789ab" {
		t.Errorf("recorded %+v", r)
	}
	// Service errors come back as azcore errors, as over a socket.
	la = standin.NewLogAnalytics(standin.BadQuery(1, 3, "|"))
	_, err = demoClient(t, la).QueryWorkspace(context.Background(), "c0ffee00-1234-4abc-8def-0123456789ab", azquery.Body{Query: ptr("T ||")}, nil)
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.StatusCode != 400 || re.ErrorCode != "BadArgumentError" {
		t.Errorf("error %v", err)
	}
}

func TestTransportHonoursContext(t *testing.T) {
	tr := &demo.Transport{Handler: standin.NewLogAnalytics(standin.Respond().After(time.Minute))}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", "https://x/v1/workspaces/"+"c0ffee00-1234-4abc-8def-0123456789ab"+"/query", strings.NewReader(`{"query":"T"}`))
	start := time.Now()
	_, err := tr.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
	// Already cancelled: no call at all.
	if _, err := tr.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err %v", err)
	}
}

func TestTransportStreamsAndStopsMidBody(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Test", "1")
		w.WriteHeader(201)
		_, _ = w.Write([]byte("first")) // blocks until the client reads: nothing is buffered
		<-r.Context().Done()            // a long answer the client abandons
	})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", "https://x/", nil)
	res, err := (&demo.Transport{Handler: h}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 201 || res.Header.Get("X-Test") != "1" {
		t.Fatalf("%d %v", res.StatusCode, res.Header)
	}
	buf := make([]byte, 5)
	if _, err := io.ReadFull(res.Body, buf); err != nil || string(buf) != "first" {
		t.Fatalf("%q %v", buf, err)
	}
	cancel()
	if _, err := io.ReadAll(res.Body); !errors.Is(err, context.Canceled) {
		t.Errorf("body read after cancel: %v", err)
	}
}

func TestTransportFailures(t *testing.T) {
	req, _ := http.NewRequest("GET", "https://x/", nil)
	if _, err := (&demo.Transport{}).Do(req); err == nil {
		t.Error("no handler: want an error")
	}
	panicky := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })
	if _, err := (&demo.Transport{Handler: panicky}).Do(req); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("panicking handler: %v", err)
	}
	silent := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	res, err := (&demo.Transport{Handler: silent}).Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("%v %v", res, err)
	}
	if b, _ := io.ReadAll(res.Body); len(b) != 0 {
		t.Errorf("body %q", b)
	}
	// The handler sees https, so the Entra stand-in builds https URLs.
	var sawTLS bool
	tls := http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { sawTLS = r.TLS != nil })
	if _, err := (&demo.Transport{Handler: tls}).Do(req); err != nil || !sawTLS {
		t.Errorf("TLS %v, err %v", sawTLS, err)
	}
}

// TestWorkspaceRefreshesWithItsClock checks the demo's data ends at the clock's time and is
// regenerated once it is Refresh old, not before.
func TestWorkspaceRefreshesWithItsClock(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) // on the hour: exactly demo.Rows rows (sampledata.Config.Rows)
	clock := now
	w := demo.New(demo.WithClock(func() time.Time { return clock }))
	c := demoClient(t, w)
	latest := func() time.Time {
		t.Helper()
		q := "DeviceNetworkEvents | summarize Last = max(TimeGenerated), Rows = count()"
		res, err := c.QueryWorkspace(context.Background(), "00000000-0000-0000-0000-000000000000", azquery.Body{Query: &q}, nil)
		if err != nil {
			t.Fatal(err)
		}
		row := res.Tables[0].Rows[0]
		if n := row[1].(float64); n != demo.Rows {
			t.Fatalf("the demo has %v rows, want %d", n, demo.Rows)
		}
		ts, err := time.Parse(time.RFC3339Nano, row[0].(string))
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	first := latest()
	if first.After(now) || now.Sub(first) > time.Hour {
		t.Fatalf("latest event %v, want within the hour before %v", first, now)
	}
	clock = now.Add(demo.Refresh - time.Minute)
	if got := latest(); !got.Equal(first) {
		t.Fatalf("regenerated before Refresh: latest %v, was %v", got, first)
	}
	clock = now.Add(demo.Refresh + 2*time.Hour)
	if got := latest(); !got.After(first.Add(2 * time.Hour)) {
		t.Fatalf("not regenerated after Refresh: latest %v, was %v", got, first)
	}
}

func ptr[T any](v T) *T { return &v }
