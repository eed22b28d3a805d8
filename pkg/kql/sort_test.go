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
	}
	for _, k := range keys {
		for _, n := range []int{0, 1, 7, 100, 2999, 5000} {
			full := fmt.Sprintf("DeviceNetworkEvents | order by %s | where true | take %d | project ReportId", k, n)
			got := map[string]string{
				"order|take": fmt.Sprintf("DeviceNetworkEvents | order by %s | take %d | project ReportId", k, n),
				"top":        fmt.Sprintf("DeviceNetworkEvents | top %d by %s | project ReportId", n, k),
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
