package demo_test

import (
	"testing"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/demo"
)

// BenchmarkTable is the cost of one refresh of the demo workspace: the 100,000-row table at an
// instant, an hour after the previous one. Run with
//
//	go test -run '^$' -bench Table -benchmem -count 5 ./pkg/demo
func BenchmarkTable(b *testing.B) {
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC) // a Monday, midnight: the table holds exactly Rows
	for b.Loop() {
		if n := demo.Table(now).Len(); n != demo.Rows {
			b.Fatalf("%d rows at %v, want %d", n, now, demo.Rows)
		}
		now = now.Add(time.Hour)
	}
	b.ReportMetric(float64(demo.Rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
