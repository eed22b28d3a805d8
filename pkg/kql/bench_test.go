package kql

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// BenchmarkNotebookDefaultQuery500k runs the notebook's default query over
// 500,000 rows spread over 7 days (so ago(1d) keeps about a seventh). Besides
// ns/op, B/op and allocs/op (what one query allocates) it reports the heap
// in use with the table loaded (table-MB) and the largest heap in use seen
// after a query during the runs (peak-heap-MB, table included, garbage not
// yet collected included).
func BenchmarkNotebookDefaultQuery500k(b *testing.B) {
	tb := newDeviceNetworkEvents(b, 500_000, 1, notebookNow, 7*24*time.Hour)
	db := NewDatabase(tb)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	ctx := context.Background()
	var rows int
	var peak uint64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := db.Execute(ctx, notebookQueries[0], Options{Now: notebookNow})
		if err != nil {
			b.Fatal(err)
		}
		rows = res[0].Len()
		if i%4 == 0 {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(before.HeapInuse)/(1<<20), "table-MB")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkPluginQueries500k covers what the dashboards and pivots send.
func BenchmarkPluginQueries500k(b *testing.B) {
	tb := newDeviceNetworkEvents(b, 500_000, 1, notebookNow, 7*24*time.Hour)
	db := NewDatabase(tb)
	for _, bc := range []struct{ name, q string }{
		{"timechart", "DeviceNetworkEvents | summarize count() by bin(TimeGenerated, 1h)"},
		{"top10", "DeviceNetworkEvents | summarize count() by InitiatingProcessFileName | top 10 by count_"},
		{"pivot-hasany", notebookQueries[3]},
		{"macro-timefilter", `DeviceNetworkEvents | where ['TimeGenerated'] >= datetime(2024-05-07T00:00:00Z) and ['TimeGenerated'] <= datetime(2024-05-08T00:00:00Z) | where ['DeviceName'] in ("host-01.contoso.local", "host-02.contoso.local")`},
		{"take1", "DeviceNetworkEvents | take 1"},
		{"sort-take100", "DeviceNetworkEvents | order by TimeGenerated desc | take 100"},
		{"top100-by-name", "DeviceNetworkEvents | top 100 by DeviceName asc"},
		{"sort-all-500k", "DeviceNetworkEvents | order by TimeGenerated asc"},
		{"join-per-device", "DeviceNetworkEvents | where TimeGenerated >= ago(1d) | join kind=inner (DeviceNetworkEvents | summarize Total = count() by DeviceName) on DeviceName | summarize count() by DeviceName, Total"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := db.Execute(context.Background(), bc.q, Options{Now: notebookNow}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
