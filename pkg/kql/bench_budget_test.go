package kql

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"
)

// Benchmarks for the memory budget, getschema, cancellation and the counts
// queries; BENCHMARKS.md has the figures and the command that reruns them.

// heapSampler records the largest heap (live and not yet collected
// objects) seen while it runs, reading runtime/metrics every millisecond,
// which does not stop the world.
type heapSampler struct {
	stop chan struct{}
	done sync.WaitGroup
	peak uint64
}

func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{stop: make(chan struct{}), peak: heapObjects()}
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-t.C:
				h.peak = max(h.peak, heapObjects())
			}
		}
	}()
	return h
}

func (h *heapSampler) finish() uint64 {
	close(h.stop)
	h.done.Wait()
	return max(h.peak, heapObjects())
}

// BenchmarkMemoryBudget runs the demo workspace's runaway self-join (4.8
// million rows, 51 columns) under the default budget, where it must stop,
// and its one-column form under 1 GiB, where it must finish. It reports
// the heap the query added at its peak (garbage included) and that figure
// over the budget.
func BenchmarkMemoryBudget(b *testing.B) {
	db := NewDatabase(demoEvents(b))
	for _, bc := range []struct {
		name, q string
		budget  int64
		fails   bool
	}{
		{"full-width-default-budget", demoSelfJoin, 0, true},
		{"narrow-1GiB", demoSelfJoinNarrow, 1 << 30, false},
		{"narrow-128MiB", demoSelfJoinNarrow, 128 << 20, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var peak uint64
			var charged int64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				runtime.GC()
				base := heapObjects()
				h := startHeapSampler()
				b.StartTimer()
				_, st, err := db.execute(context.Background(), bc.q, Options{Now: notebookNow, MaxMemory: bc.budget})
				b.StopTimer()
				if p := h.finish(); p-base > peak {
					peak = p - base
				}
				charged = max(charged, st.peakBytes)
				if bc.fails != errors.Is(err, ErrMemoryBudget) {
					b.Fatalf("got %v", err)
				}
				b.StartTimer()
			}
			limit := newBudget(bc.budget).limit
			b.ReportMetric(float64(peak)/(1<<20), "heap-peak-MB")
			b.ReportMetric(float64(charged)/(1<<20), "charged-MB")
			b.ReportMetric(float64(peak)/float64(limit), "heap-peak/budget")
		})
	}
}

// BenchmarkBudgetOfPluginQueries reports what the plugin's usual queries
// are charged over the demo workspace's 100,000 rows, against which the
// default budget was chosen.
func BenchmarkBudgetOfPluginQueries(b *testing.B) {
	db := NewDatabase(demoEvents(b))
	for _, bc := range []struct{ name, q string }{
		{"whole-table", "DeviceNetworkEvents"},
		{"notebook-default", notebookQueries[0]},
		{"notebook-7d", strings.Replace(notebookQueries[0], "ago(1d)", "ago(7d)", 1)},
		{"pivot-hasany", notebookQueries[3]},
		{"timechart", "DeviceNetworkEvents | summarize count() by bin(TimeGenerated, 1h)"},
		{"counts-3-fields-bin", "DeviceNetworkEvents | summarize ['kqlhunt_count'] = count() by ['InitiatingProcessFileName'], ['RemoteIP'], bin(TimeGenerated, 1h)"},
		{"sort-whole-table", "DeviceNetworkEvents | order by TimeGenerated asc"},
		{"extend-whole-table", "DeviceNetworkEvents | where RemotePort != 0 | extend Key = strcat(DeviceName, '|', InitiatingProcessFileName)"},
		{"join-per-device", "DeviceNetworkEvents | join kind=inner (DeviceNetworkEvents | summarize Total = count() by DeviceName) on DeviceName"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var charged int64
			for i := 0; i < b.N; i++ {
				_, st, err := db.execute(context.Background(), bc.q, Options{Now: notebookNow})
				if err != nil {
					b.Fatal(err)
				}
				charged = st.peakBytes
			}
			b.ReportMetric(float64(charged)/(1<<20), "charged-MB")
			b.ReportMetric(float64(charged)/float64(DefaultMaxMemory), "charged/default-budget")
		})
	}
}

// BenchmarkGetschema: describing the self-join's result, which needs no
// rows, against running it (the narrow form, which fits in 1 GiB).
func BenchmarkGetschema(b *testing.B) {
	db := NewDatabase(demoEvents(b))
	run := func(q string, budget int64) time.Duration {
		start := time.Now()
		if _, err := db.Execute(context.Background(), q, Options{Now: notebookNow, MaxMemory: budget}); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	full := run(demoSelfJoinNarrow, 1<<30)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run(demoSelfJoin+" | getschema", 0)
	}
	b.StopTimer()
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(full.Milliseconds()), "narrow-join-run-ms")
	b.ReportMetric(float64(full)/float64(per), "run/getschema")
}

// timingCtx records the longest wall time between two looks at the
// context, and is cancelled by cancel.
type timingCtx struct {
	context.Context
	last    time.Time
	maxGap  time.Duration
	mu      sync.Mutex
	stopped bool
}

func (c *timingCtx) Err() error {
	now := time.Now()
	c.maxGap = max(c.maxGap, now.Sub(c.last))
	c.last = now
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return context.Canceled
	}
	return nil
}

func (c *timingCtx) cancel() {
	c.mu.Lock()
	c.stopped = true
	c.mu.Unlock()
}

// BenchmarkCancelLatency cancels long queries after 50 ms and reports the
// longest wait from the cancel to the query's return, and the longest
// time between two looks at the context over a whole uncancelled run.
func BenchmarkCancelLatency(b *testing.B) {
	db := NewDatabase(demoEvents(b))
	for _, bc := range []struct{ name, q string }{
		{"join-4.8M", demoSelfJoinNarrow},
		{"sort-string", "DeviceNetworkEvents | order by RemoteIP asc"},
		{"sort-2-keys", "DeviceNetworkEvents | order by RemoteIP asc, ReportId desc"},
		{"union", "union DeviceNetworkEvents, DeviceNetworkEvents, DeviceNetworkEvents"},
		{"summarize", "DeviceNetworkEvents | summarize count(), make_set(RemoteIP), dcount(LocalIP) by ReportId"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			opts := Options{Now: notebookNow, MaxMemory: 1 << 30}
			full := &timingCtx{Context: context.Background(), last: time.Now()}
			if _, err := db.Execute(full, bc.q, opts); err != nil {
				b.Fatal(err)
			}
			var worst time.Duration
			for i := 0; i < b.N; i++ {
				ctx := &timingCtx{Context: context.Background(), last: time.Now()}
				var cancelled time.Time
				timer := time.AfterFunc(50*time.Millisecond, func() {
					cancelled = time.Now()
					ctx.cancel()
				})
				_, err := db.Execute(ctx, bc.q, opts)
				timer.Stop()
				if err == nil {
					continue // finished within 50 ms
				}
				if !errors.Is(err, context.Canceled) {
					b.Fatal(err)
				}
				worst = max(worst, time.Since(cancelled))
			}
			b.ReportMetric(float64(worst.Microseconds())/1000, "stop-ms")
			b.ReportMetric(float64(full.maxGap.Microseconds())/1000, "max-gap-ms")
		})
	}
}

// BenchmarkCountsQueries500k: the counts queries the plugin sends (issue
// 10) over 500,000 rows, with the number of groups and the time per row.
func BenchmarkCountsQueries500k(b *testing.B) {
	tb := newDeviceNetworkEvents(b, 500_000, 1, notebookNow, 7*24*time.Hour)
	db := NewDatabase(tb)
	rng := rand.New(rand.NewPCG(1, 2))
	values := []string{"chrome.exe", "teams.exe", "svchost.exe"}
	for len(values) < 1000 {
		values = append(values, quoteString(fmt.Sprintf("p%d\"\\.exe", rng.IntN(1<<20))))
	}
	for i := range values[:3] {
		values[i] = quoteString(values[i])
	}
	for _, bc := range []struct{ name, q string }{
		{"one-field", "DeviceNetworkEvents | summarize ['kqlhunt_count'] = count() by ['InitiatingProcessFileName']"},
		{"three-fields", "DeviceNetworkEvents | summarize ['kqlhunt_count'] = count() by ['InitiatingProcessFileName'], ['RemoteIP'], ['RemotePort']"},
		{"field-and-bin-1h", "DeviceNetworkEvents | summarize ['kqlhunt_count'] = count() by ['InitiatingProcessFileName'], bin(TimeGenerated, 1h)"},
		{"notebook-then-one-field", notebookQueries[0] + "\n| summarize ['kqlhunt_count'] = count() by ['InitiatingProcessFileName']"},
		{"distinct", "DeviceNetworkEvents | distinct ['InitiatingProcessFileName']"},
		{"in-1000-values", "DeviceNetworkEvents | where ['InitiatingProcessFileName'] in (" + strings.Join(values, ", ") + ")"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var rows int
			for i := 0; i < b.N; i++ {
				res, err := db.Execute(context.Background(), bc.q, Options{Now: notebookNow})
				if err != nil {
					b.Fatal(err)
				}
				rows = res[0].Len()
			}
			b.ReportMetric(float64(rows), "rows")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(tb.Len()), "ns/input-row")
		})
	}
}
