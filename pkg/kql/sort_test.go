package kql

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"
)

// TestTopNMatchesFullSort checks the bounded-heap path (top N, order by |
// take N) against the full sort, on keys with many ties and with nulls.
func TestTopNMatchesFullSort(t *testing.T) {
	db := NewDatabase(newDeviceNetworkEvents(t, 3000, 11, notebookNow, 8*24*time.Hour))
	keys := []string{
		"RemotePort",
		"RemotePort asc",
		"InitiatingProcessCreationTime",
		"InitiatingProcessCreationTime asc nulls last",
		"InitiatingProcessCreationTime desc nulls first",
		"InitiatingProcessFileName asc, RemotePort desc",
		"ActionType, DeviceName asc, RemotePort",
		"strlen(InitiatingProcessCommandLine) asc",
		"todouble(RemotePort) / 3",
		"RemoteIP",
	}
	for _, k := range keys {
		for _, n := range []int{0, 1, 7, 100, 2999, 5000} {
			// The reference: every key through the generic comparator (a
			// constant second key defeats the one-key path), in full.
			full := fmt.Sprintf("DeviceNetworkEvents | order by %s, 1 | where true | take %d | project ReportId", k, n)
			got := map[string]string{
				"order|take": fmt.Sprintf("DeviceNetworkEvents | order by %s | take %d | project ReportId", k, n),
				"top":        fmt.Sprintf("DeviceNetworkEvents | top %d by %s | project ReportId", n, k),
				"full":       fmt.Sprintf("DeviceNetworkEvents | order by %s | where true | take %d | project ReportId", k, n),
			}
			want := run(t, db, full)
			if n > 0 && len(want) == 0 {
				t.Fatalf("%s: no rows", full)
			}
			for name, q := range got {
				if rows := run(t, db, q); !reflect.DeepEqual(rows, want) {
					t.Errorf("%s (%s): differs from the full sort", name, q)
				}
			}
		}
	}
}

func run(t *testing.T, db *Database, q string) [][]any {
	t.Helper()
	res, err := db.Execute(context.Background(), q, Options{Now: notebookNow})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return tableRows(res[0])
}

// TestLargeResultSharesColumns covers results that keep the loaded columns
// with a selection vector: their values, appending to them, and querying
// them again as a table.
func TestLargeResultSharesColumns(t *testing.T) {
	tb := newDeviceNetworkEvents(t, 20000, 13, notebookNow, 8*24*time.Hour)
	db := NewDatabase(tb)
	res, err := db.Execute(context.Background(), "DeviceNetworkEvents | where RemotePort != 22 | project ReportId, DeviceName, RemotePort", Options{})
	must(t, err)
	got := res[0]
	var want [][]any
	for r := 0; r < tb.Len(); r++ {
		if tb.Value(r, cRemotePort) != int64(22) {
			want = append(want, []any{tb.Value(r, 23), tb.Value(r, cDeviceName), tb.Value(r, cRemotePort)})
		}
	}
	if got.sel == nil {
		t.Fatal("expected a result sharing the loaded columns")
	}
	if !reflect.DeepEqual(tableRows(got), want) {
		t.Fatal("shared result differs from the plain-Go filter")
	}
	// Query the result as a table, twice: in-place filtering of a frame
	// must not change the table's own selection.
	db2 := NewDatabase(got)
	for i := 0; i < 2; i++ {
		if rows := run(t, db2, "PrimaryResult | where RemotePort == 443 | count"); rows[0][0].(int64) == 0 {
			t.Fatal("no port 443 rows")
		}
	}
	if !reflect.DeepEqual(tableRows(got), want) {
		t.Fatal("querying the result changed it")
	}
	must(t, got.AppendRow(int64(-1), "appended", int64(1)))
	if got.Len() != len(want)+1 || got.Value(len(want), 1) != "appended" || !reflect.DeepEqual(tableRows(got)[:len(want)], want) {
		t.Fatal("append to a shared result")
	}
	if tb.Len() != 20000 || run(t, db, "DeviceNetworkEvents | where DeviceName == 'appended' | count")[0][0] != int64(0) {
		t.Fatal("appending to a result changed the loaded table")
	}
}
