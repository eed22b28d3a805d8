package kql

import (
	"context"
	"errors"
	"testing"
)

// countingCtx counts the engine's looks at the context and reports it
// cancelled from the cancelAt-th look on (never if cancelAt is 0).
type countingCtx struct {
	context.Context
	checks, cancelAt int
}

func (c *countingCtx) Err() error {
	c.checks++
	if c.cancelAt > 0 && c.checks >= c.cancelAt {
		return context.Canceled
	}
	return nil
}

// TestCancellationInsideOperators: each long operator looks at the context
// in proportion to its own work (joined rows, sort comparisons, copied
// cells), not only per input row, and stops there when it is cancelled.
func TestCancellationInsideOperators(t *testing.T) {
	db := NewDatabase(demoEvents(t))
	tests := []struct {
		q string
		// minChecks is the work in the operator's own loop (which input
		// rows alone would not give) divided by pollEvery.
		minChecks int
	}{
		{`DeviceNetworkEvents | where TimeGenerated >= ago(12h) | project DeviceName
| join kind=inner (DeviceNetworkEvents | where TimeGenerated >= ago(12h) | project DeviceName) on DeviceName | count`, 1_000_000 / pollEvery},
		{"DeviceNetworkEvents | order by RemoteIP asc | take 100000", 100_000 * 16 / pollEvery},
		{"DeviceNetworkEvents | order by RemoteIP asc, ReportId desc", 100_000 * 16 / pollEvery},
		{"DeviceNetworkEvents | top 50000 by RemoteIP, ReportId", 100_000 / pollEvery},
		{"DeviceNetworkEvents | summarize count() by ReportId", 100_000 / pollEvery},
		{"union DeviceNetworkEvents, DeviceNetworkEvents", 200_000 * 25 / pollEvery},
		{"DeviceNetworkEvents | extend x = strcat(RemoteIP, ':', RemotePort)", 100_000 / pollEvery},
	}
	for _, tc := range tests {
		full := &countingCtx{Context: context.Background()}
		if _, err := db.Execute(full, tc.q, Options{Now: notebookNow, MaxMemory: 1 << 30}); err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		if full.checks < tc.minChecks {
			t.Errorf("%q: %d looks at the context, want at least %d", tc.q, full.checks, tc.minChecks)
		}
		mid := &countingCtx{Context: context.Background(), cancelAt: full.checks / 2}
		_, err := db.Execute(mid, tc.q, Options{Now: notebookNow, MaxMemory: 1 << 30})
		var e *Error
		if !errors.As(err, &e) || e.Code != "QueryCancelled" || !errors.Is(err, context.Canceled) {
			t.Errorf("%q cancelled half way: got %v", tc.q, err)
		}
		if mid.checks != mid.cancelAt {
			t.Errorf("%q: %d looks at the context after it was cancelled", tc.q, mid.checks-mid.cancelAt)
		}
	}
}
