package loganalytics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kqlhunt/anomaly-datasource/pkg/membudget"
)

// The client asks for gzip and reads a compressed answer as it arrives: the same frames.
func TestGzipAnswer(t *testing.T) {
	plain := newStandIn(t, reply{status: 200, file: "all_types.json"})
	zipped := newStandIn(t, reply{status: 200, file: "all_types.json", gzip: true})
	q := Query{Workspace: testWorkspace, KQL: "T"}
	want, err := plain.client(t, nil).Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	got, err := zipped.client(t, nil).Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if ae := zipped.requests()[0].Header.Get("Accept-Encoding"); ae != "gzip" {
		t.Errorf("Accept-Encoding %q", ae)
	}
	if len(got.Frames) != len(want.Frames) {
		t.Fatalf("%d frames, want %d", len(got.Frames), len(want.Frames))
	}
	for i := range got.Frames {
		if d := sameFrame(got.Frames[i], want.Frames[i]); d != "" {
			t.Errorf("frame %d: %s", i, d)
		}
	}
}

func TestGzipAnswerCorrupt(t *testing.T) {
	s := newStandIn(t, reply{status: 200, text: "not gzip at all", headers: map[string]string{"Content-Encoding": "gzip"}})
	_, err := s.client(t, nil).Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T"})
	if !errors.Is(err, ErrDecode) || !strings.Contains(err.Error(), "gzip") {
		t.Errorf("err %v, want ErrDecode about gzip", err)
	}
}

// A refused connection is reported as refused even when the deadline ends the retries (the
// retry policy sleeps 0.8 s, then 2.4 s); a service that does not answer in time, as timed out.
func TestRefusedVersusTimedOut(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "https://" + l.Addr().String() + "/v1"
	l.Close()
	slow := newStandIn(t, reply{status: 200, file: "empty.json", delay: 5 * time.Second})

	tests := []struct {
		name     string
		endpoint string
		tr       func() *http.Client
		want     string
		timeout  bool
	}{
		{"refused", refused, func() *http.Client { return &http.Client{} }, "cannot reach Log Analytics: ", false},
		{"timed out", slow.srv.URL + "/v1", slow.srv.Client, "query timed out after 1.5s (queryTimeoutSeconds)", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(nil, ClientOptions{Endpoint: tt.endpoint, Transport: tt.tr()})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = c.Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T", Wait: 1500 * time.Millisecond})
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("took %v", took)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || errors.Is(err, ErrTimeout) != tt.timeout || !backend.IsDownstreamError(err) {
				t.Fatalf("err %v, want %q (timeout %v)", err, tt.want, tt.timeout)
			}
			if !tt.timeout && !strings.Contains(err.Error(), "connection refused") {
				t.Errorf("err %v does not say the connection was refused", err)
			}
		})
	}
}

// notebookRows is an answer of n rows shaped like the notebook's projection.
func notebookRows(n int) string {
	var sb strings.Builder
	sb.WriteString(`{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},` +
		`{"name":"DeviceName","type":"string"},{"name":"InitiatingProcessAccountName","type":"string"},` +
		`{"name":"InitiatingProcessFileName","type":"string"},{"name":"LocalIP","type":"string"},` +
		`{"name":"RemoteIP","type":"string"},{"name":"RemotePort","type":"int"}],"rows":[`)
	for r := range n {
		if r > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `["2024-05-01T%02d:%02d:%02d.%03dZ","wks-%03d.contoso.local","user%d","proc%d.exe","10.20.%d.%d","52.%d.%d.%d",%d]`,
			r%24, r%60, (r/60)%60, r%1000, r%80, r%200, r%330, r%4, r%250, r%256, (r/256)%256, r%97, 443+r%3)
	}
	sb.WriteString("]}]}")
	return sb.String()
}

func budgetOf(t *testing.T, n int64) *membudget.Budget {
	t.Helper()
	b, err := membudget.New(n)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAnswerTooLargeForTheBudget(t *testing.T) {
	s := newStandIn(t, reply{status: 200, text: notebookRows(50_000)})
	b := budgetOf(t, 2<<20)
	c, err := NewClient(nil, ClientOptions{Endpoint: s.srv.URL + "/v1", Transport: s.srv.Client(), Budget: b})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T"})
	var tl *TooLargeError
	if !errors.As(err, &tl) || !errors.Is(err, ErrResultTooLarge) || !backend.IsDownstreamError(err) {
		t.Fatalf("err %v, want a downstream *TooLargeError", err)
	}
	if tl.Cells <= 0 || tl.Cells >= 350_000 || tl.Budget != 2<<20 {
		t.Errorf("cells %d, budget %d", tl.Cells, tl.Budget)
	}
	for _, w := range []string{"result too large: ", " cells read when the result memory budget (2 MiB, KQLHUNT_MAX_RESULT_MEMORY) ran out; narrow the KQL or use counts"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("err %q lacks %q", err, w)
		}
	}
	if b.InUse() != 0 {
		t.Errorf("a failed query left %d bytes booked", b.InUse())
	}
}

// A result holds its memory until Release; a second query waits for it and then succeeds.
func TestResultHoldsTheBudgetUntilRelease(t *testing.T) {
	s := newStandIn(t, reply{status: 200, text: notebookRows(20_000)})
	b := budgetOf(t, 64<<20)
	c, err := NewClient(nil, ClientOptions{Endpoint: s.srv.URL + "/v1", Transport: s.srv.Client(), Budget: b})
	if err != nil {
		t.Fatal(err)
	}
	first, err := c.Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T"})
	if err != nil {
		t.Fatal(err)
	}
	held := b.InUse()
	if held < 20_000*7*4 {
		t.Fatalf("%d bytes booked for 140,000 cells", held)
	}
	// A budget that holds one answer: the second query must wait for the first's Release.
	b2 := budgetOf(t, held+held/2)
	c2, _ := NewClient(nil, ClientOptions{Endpoint: s.srv.URL + "/v1", Transport: s.srv.Client(), Budget: b2})
	one, err := c2.Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T"})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var second *Result
	var secondErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		second, secondErr = c2.Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T", Wait: 30 * time.Second})
	}()
	time.Sleep(300 * time.Millisecond)
	if b2.InUse() > b2.Limit() {
		t.Fatalf("over budget: %d of %d", b2.InUse(), b2.Limit())
	}
	one.Release()
	wg.Wait()
	if secondErr != nil || second.Frames[0].Rows() != 20_000 {
		t.Fatalf("second query: %v", secondErr)
	}
	second.Release()
	second.Release()
	first.Release()
	if b.InUse() != 0 || b2.InUse() != 0 {
		t.Errorf("booked after Release: %d, %d", b.InUse(), b2.InUse())
	}
	var none *Result
	none.Release()
}

// What is booked follows what the decoded answer really holds on the heap.
func TestBookedMatchesTheHeap(t *testing.T) {
	raw := []byte(notebookRows(200_000))
	b := budgetOf(t, 1<<30)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	a, m, err := decodeBytes(t, raw, b)
	if err != nil {
		t.Fatal(err)
	}
	m.settle()
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	booked := m.res.Held()
	runtime.KeepAlive(a)
	runtime.KeepAlive(raw)
	ratio := float64(booked) / float64(heap)
	t.Logf("200,000 rows x 7 columns: booked %d bytes, heap grew %d bytes (%.2f), %.1f bytes per cell", booked, heap, ratio, float64(booked)/1.4e6)
	if ratio < 0.8 || ratio > 1.35 {
		t.Errorf("booked %d bytes, the heap holds %d: ratio %.2f, want within 0.8-1.35", booked, heap, ratio)
	}
}

// Cancelling a query mid-answer stops the decoding and gives its memory back.
func TestCancelWhileDecoding(t *testing.T) {
	head := []byte(notebookRows(20_000))
	head = head[:len(head)/2] // the rest never comes
	srv := newStandIn(t)
	srv.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(head)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	b := budgetOf(t, 256<<20)
	c, err := NewClient(nil, ClientOptions{Endpoint: srv.srv.URL + "/v1", Transport: srv.srv.Client(), Budget: b})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Query(ctx, Query{Workspace: testWorkspace, KQL: "T", Wait: time.Minute})
		done <- err
	}()
	deadline := time.Now().Add(10 * time.Second)
	for b.InUse() == 0 && time.Now().Before(deadline) { // decoding has begun
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	cancel()
	err = <-done
	// Without the cancel it would wait for the rest of the answer (a minute); the bound is loose
	// because the machine is shared (typically a few milliseconds).
	took := time.Since(start)
	t.Logf("returned %v after the cancel", took)
	if took > 2*time.Second {
		t.Errorf("the query returned %v after the cancel", took)
	}
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "query cancelled") {
		t.Errorf("err %v, want the cancellation", err)
	}
	if b.InUse() != 0 {
		t.Errorf("%d bytes still booked", b.InUse())
	}
}

func TestTooLargeErrorText(t *testing.T) {
	tests := []struct {
		err  TooLargeError
		want string
	}{
		{TooLargeError{Cells: 1234, Budget: 1 << 30}, "result too large: 1234 cells read when the result memory budget (1 GiB, KQLHUNT_MAX_RESULT_MEMORY) ran out; narrow the KQL or use counts"},
		{TooLargeError{Cells: 5, Budget: 256 << 20, Shared: true}, "result too large: 5 cells read when the result memory budget (256 MiB, KQLHUNT_MAX_RESULT_MEMORY), shared with the queries running at the same time, ran out; narrow the KQL or use counts, or run it when fewer queries run"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q\nwant %q", got, tt.want)
		}
		if !errors.Is(&tt.err, ErrResultTooLarge) || !errors.Is(&tt.err, membudget.ErrTooLarge) {
			t.Errorf("%v does not wrap the sentinels", &tt.err)
		}
	}
}

// A result nobody releases goes back to the budget once its frames are garbage.
func TestForgottenResultIsReleasedByTheCollector(t *testing.T) {
	s := newStandIn(t, reply{status: 200, text: notebookRows(5_000)})
	b := budgetOf(t, 64<<20)
	c, err := NewClient(nil, ClientOptions{Endpoint: s.srv.URL + "/v1", Transport: s.srv.Client(), Budget: b})
	if err != nil {
		t.Fatal(err)
	}
	query := func() *Result {
		res, err := c.Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T"})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	kept := query()
	keptHeld := b.InUse()
	func() { _ = query() }() // dropped without Release
	if b.InUse() <= keptHeld {
		t.Fatalf("in use %d, the kept result alone %d", b.InUse(), keptHeld)
	}
	deadline := time.Now().Add(10 * time.Second)
	for b.InUse() != keptHeld {
		if time.Now().After(deadline) {
			t.Fatalf("in use %d after the dropped result became garbage, want %d", b.InUse(), keptHeld)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	kept.Release()
	runtime.KeepAlive(kept)
	if b.InUse() != 0 {
		t.Fatalf("in use %d after Release", b.InUse())
	}
}
