package emulator_test

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

	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/sampledata"
)

// demoClient is how the plugin's demo workspace reaches the emulator: azquery's own code path, a
// made-up https endpoint, no credential, and the handler served in memory.
func demoClient(t testing.TB, h http.Handler) *azquery.LogsClient {
	t.Helper()
	c, err := azquery.NewLogsClient(nil, &azquery.LogsClientOptions{ClientOptions: azcore.ClientOptions{
		Cloud: cloud.Configuration{Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			azquery.ServiceNameLogs: {Endpoint: "https://demo.loganalytics.invalid/v1", Audience: "https://api.loganalytics.io"},
		}},
		Transport: &emulator.Transport{Handler: h},
		Retry:     policy.RetryOptions{MaxRetries: -1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTransportServesAzqueryInMemory(t *testing.T) {
	tbl := emulator.NewTable("PrimaryResult", emulator.Col("DeviceName", "string")).AddRow("ws-01")
	la := emulator.NewLogAnalyticsHandler(emulator.Respond(tbl))
	res, err := demoClient(t, la).QueryWorkspace(context.Background(), workspaceID, azquery.Body{Query: ptr("T")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Tables[0].Rows[0][0]; got != "ws-01" {
		t.Errorf("got %v", got)
	}
	if r := la.Requests()[0]; r.HasAuthorization || r.Workspace != workspaceID {
		t.Errorf("recorded %+v", r)
	}
	// Service errors come back as azcore errors, as over a socket.
	la = emulator.NewLogAnalyticsHandler(emulator.BadQuery(1, 3, "|"))
	_, err = demoClient(t, la).QueryWorkspace(context.Background(), workspaceID, azquery.Body{Query: ptr("T ||")}, nil)
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.StatusCode != 400 || re.ErrorCode != "BadArgumentError" {
		t.Errorf("error %v", err)
	}
}

func TestTransportHonoursContext(t *testing.T) {
	tr := &emulator.Transport{Handler: emulator.NewLogAnalyticsHandler(emulator.Respond().After(time.Minute))}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", "https://x/v1/workspaces/"+workspaceID+"/query", strings.NewReader(`{"query":"T"}`))
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
	res, err := (&emulator.Transport{Handler: h}).Do(req)
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
	if _, err := (&emulator.Transport{}).Do(req); err == nil {
		t.Error("no handler: want an error")
	}
	panicky := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })
	if _, err := (&emulator.Transport{Handler: panicky}).Do(req); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("panicking handler: %v", err)
	}
	silent := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	res, err := (&emulator.Transport{Handler: silent}).Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("%v %v", res, err)
	}
	if b, _ := io.ReadAll(res.Body); len(b) != 0 {
		t.Errorf("body %q", b)
	}
	// The handler sees https, so the Entra stand-in builds https URLs.
	var sawTLS bool
	tls := http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { sawTLS = r.TLS != nil })
	if _, err := (&emulator.Transport{Handler: tls}).Do(req); err != nil || !sawTLS {
		t.Errorf("TLS %v, err %v", sawTLS, err)
	}
}

func TestDemoHandler(t *testing.T) {
	c := demoClient(t, emulator.NewDemoHandler(sampledata.Config{Rows: 20000, Seed: 42}))
	q := notebookQuery
	res, err := c.QueryWorkspace(context.Background(), "00000000-0000-0000-0000-000000000000", azquery.Body{Query: &q}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tables[0].Rows) == 0 {
		t.Fatal("the demo answered no rows")
	}
}
