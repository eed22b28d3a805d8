package kql

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// demoSelfJoin is the shape of the demo workspace's runaway query: the
// last 26 hours joined with themselves on DeviceName. Over demoEvents
// (100,000 rows over 7 days, 50 devices) it matches 4,824,565 rows.
const demoSelfJoin = `DeviceNetworkEvents | where TimeGenerated >= ago(26h)
| join kind=inner (DeviceNetworkEvents | where TimeGenerated >= ago(26h)) on DeviceName
| summarize count() by DeviceName`

// demoSelfJoinNarrow matches the same 4,824,565 rows with one column a side.
const demoSelfJoinNarrow = `DeviceNetworkEvents | where TimeGenerated >= ago(26h) | project DeviceName
| join kind=inner (DeviceNetworkEvents | where TimeGenerated >= ago(26h) | project DeviceName) on DeviceName
| summarize count() by DeviceName`

func demoEvents(tb testing.TB) *Table {
	return newDeviceNetworkEvents(tb, 100_000, 1, notebookNow, 7*24*time.Hour)
}

// selfJoinCounts is the oracle for the self-joins: per device, the square
// of its rows in the window, counted straight from the table.
func selfJoinCounts(t *Table, since time.Duration) (map[string]int64, int64) {
	perDevice := map[string]int64{}
	from := notebookNow.Add(-since)
	for r := 0; r < t.Len(); r++ {
		if tg := t.Value(r, cTimeGenerated).(time.Time); !tg.Before(from) {
			perDevice[t.Value(r, cDeviceName).(string)]++
		}
	}
	var total int64
	for d, n := range perDevice {
		perDevice[d] = n * n
		total += n * n
	}
	return perDevice, total
}

func wantRunaway(t *testing.T, err error, operator string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want an E_RUNAWAY_QUERY *Error", err)
	}
	if e.Code != CodeRunawayQuery || !errors.Is(err, ErrMemoryBudget) ||
		!strings.HasPrefix(e.Message, "'"+operator+"' operator has exceeded the memory budget (") ||
		!strings.Contains(e.Message, ") during evaluation (E_RUNAWAY_QUERY; see https://aka.ms/kustoquerylimits).") {
		t.Fatalf("got %s %q (budget cause %v), want %s from %s", e.Code, e.Message, errors.Is(err, ErrMemoryBudget), CodeRunawayQuery, operator)
	}
}

func TestMemoryBudgetDemoJoin(t *testing.T) {
	tb := demoEvents(t)
	db := NewDatabase(tb)
	want, total := selfJoinCounts(tb, 26*time.Hour)
	if total != 4_824_565 {
		t.Fatalf("the generated table gives a %d-row join, want 4,824,565: adjust the window", total)
	}

	// The full-width join (51 columns) stops under the default budget, long
	// before it would hold its 3.4 GB.
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, st, err := db.execute(context.Background(), demoSelfJoin, Options{Now: notebookNow})
	runtime.ReadMemStats(&after)
	wantRunaway(t, err, "join")
	if !strings.Contains(err.Error(), "(268435456)") {
		t.Errorf("the message does not give the budget: %v", err)
	}
	if st.peakBytes > DefaultMaxMemory || st.peakBytes < DefaultMaxMemory*9/10 {
		t.Errorf("the budget's high-water mark is %d, want just under %d", st.peakBytes, DefaultMaxMemory)
	}
	t.Logf("full-width join under the default budget: stopped with %d MiB charged; heap allocated during the query %d MiB",
		st.peakBytes>>20, (after.TotalAlloc-before.TotalAlloc)>>20)

	// A small budget stops the narrow one too; a large one lets it finish
	// with the oracle's counts.
	narrow := demoSelfJoinNarrow
	_, err = db.Execute(context.Background(), narrow, Options{Now: notebookNow, MaxMemory: 64 << 20})
	wantRunaway(t, err, "join")
	res, st, err := db.execute(context.Background(), narrow, Options{Now: notebookNow, MaxMemory: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for r := 0; r < res[0].Len(); r++ {
		got[res[0].Value(r, 0).(string)] = res[0].Value(r, 1).(int64)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("per-device counts differ from the oracle:\n got  %v\n want %v", got, want)
	}
	t.Logf("narrow join under a 1 GiB budget: %d rows, %d MiB charged at the peak", total, st.peakBytes>>20)
}

// TestMemoryBudgetOperators drives each operator that grows with the data
// past a small budget: the error names the operator as the service would,
// and the same query succeeds with room to spare.
func TestMemoryBudgetOperators(t *testing.T) {
	db := NewDatabase(newDeviceNetworkEvents(t, 20_000, 3, notebookNow, 7*24*time.Hour))
	tests := []struct{ q, operator string }{
		{"DeviceNetworkEvents | join kind=inner (DeviceNetworkEvents | summarize Total = count() by DeviceName) on DeviceName", "join"},
		{"DeviceNetworkEvents | join kind=fullouter (DeviceNetworkEvents | project ReportId, R = RemotePort) on ReportId | count", "join"},
		{"DeviceNetworkEvents | join kind=leftsemi (DeviceNetworkEvents) on ReportId | count", "join"},
		{"DeviceNetworkEvents | join kind=rightanti (DeviceNetworkEvents) on ReportId | count", "join"},
		{"DeviceNetworkEvents | order by RemoteIP asc, ReportId desc", "sort"},
		{"DeviceNetworkEvents | order by ReportId asc", "sort"},
		{"DeviceNetworkEvents | top 19000 by RemoteIP, ReportId", "top"},
		{"DeviceNetworkEvents | summarize count() by ReportId", "summarize"},
		{"DeviceNetworkEvents | summarize count() by InitiatingProcessSHA1, ReportId", "summarize"},
		{"DeviceNetworkEvents | summarize make_list(RemoteIP)", "summarize"},
		{"DeviceNetworkEvents | summarize make_set(ReportId)", "summarize"},
		{"DeviceNetworkEvents | summarize dcount(ReportId)", "summarize"},
		{"DeviceNetworkEvents | summarize percentile(ReportId, 50)", "summarize"},
		{"DeviceNetworkEvents | distinct ReportId", "distinct"},
		{"DeviceNetworkEvents | where RemotePort == 443 | extend x = 1", "extend"},
		{"DeviceNetworkEvents | extend x = strcat(RemoteIP, InitiatingProcessCommandLine)", "extend"},
		{"DeviceNetworkEvents | project x = strcat(RemoteIP, RemoteUrl), DeviceName", "project"},
		{"union DeviceNetworkEvents, DeviceNetworkEvents", "union"},
		{"DeviceNetworkEvents | where ReportId >= 0", "where"},
		{"DeviceNetworkEvents | where RemotePort == 443 | take 3000", "result"},
		{"DeviceNetworkEvents | take 19000", "take"},
	}
	for _, tc := range tests {
		_, err := db.Execute(context.Background(), tc.q, Options{Now: notebookNow, MaxMemory: 64 << 10})
		if t.Run(tc.q, func(t *testing.T) { wantRunaway(t, err, tc.operator) }) {
			if _, err := db.Execute(context.Background(), tc.q, Options{Now: notebookNow, MaxMemory: 256 << 20}); err != nil {
				t.Errorf("%q under 256 MiB: %v", tc.q, err)
			}
		}
	}
}

// TestMemoryBudgetCoversResults checks that the accounting errs on the
// safe side: what a query's result still holds once everything else is
// collected is never more than what the query was charged at its peak.
func TestMemoryBudgetCoversResults(t *testing.T) {
	db := NewDatabase(newDeviceNetworkEvents(t, 50_000, 5, notebookNow, 7*24*time.Hour))
	for _, q := range []string{
		"DeviceNetworkEvents | join kind=inner (DeviceNetworkEvents | summarize Total = count() by DeviceName) on DeviceName",
		"DeviceNetworkEvents | join kind=leftouter (DeviceNetworkEvents | where RemotePort == 443 | project ReportId, RemoteUrl) on ReportId",
		"DeviceNetworkEvents | where RemotePort != 53 | extend Key = strcat(DeviceName, '|', RemoteIP), Len = strlen(InitiatingProcessCommandLine)",
		"DeviceNetworkEvents | project Device = toupper(DeviceName), Url = strcat('https://', RemoteUrl, '/'), RemotePort",
		"DeviceNetworkEvents | summarize count(), make_set(RemoteIP), dcount(RemotePort), percentile(ReportId, 90) by DeviceName, InitiatingProcessFileName",
		"DeviceNetworkEvents | summarize count() by ReportId, RemoteIP",
		"DeviceNetworkEvents | distinct RemoteIP, RemotePort, LocalIP",
		"union DeviceNetworkEvents, (DeviceNetworkEvents | project ReportId, Extra = strcat(DeviceName, RemoteIP))",
		"DeviceNetworkEvents | where RemotePort == 443 | order by RemoteIP asc, ReportId desc | project RemoteIP, ReportId",
	} {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		res, st, err := db.execute(context.Background(), q, Options{Now: notebookNow})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
		runtime.KeepAlive(res)
		if held > st.peakBytes {
			t.Errorf("%q: the result holds %d bytes, more than the %d charged", q, held, st.peakBytes)
		}
		t.Logf("%-60.60s held %7d kB, charged %7d kB at the peak", q, held>>10, st.peakBytes>>10)
	}
}

func TestMemoryBudgetDefaults(t *testing.T) {
	for _, tc := range []struct {
		in, want int64
	}{{0, DefaultMaxMemory}, {-5, DefaultMaxMemory}, {1 << 20, 1 << 20}} {
		if got := newBudget(tc.in).limit; got != tc.want {
			t.Errorf("MaxMemory %d gives a budget of %d, want %d", tc.in, got, tc.want)
		}
	}
	// 0x80DA0001 read as a signed 32-bit integer, as the service writes it.
	if h := HResultRunawayQuery; uint32(h) != 0x80DA0001 {
		t.Errorf("HResultRunawayQuery = %d is not 0x80DA0001", HResultRunawayQuery)
	}
}

// TestMemoryBudgetValueBombs: functions that build one value from others
// check its size before building it, so nesting them cannot allocate far
// past the budget within a single row.
func TestMemoryBudgetValueBombs(t *testing.T) {
	db := NewDatabase(eventsTable(t))
	s := `"` + strings.Repeat("a", 4096) + `"`
	args64 := func(x string) string { return strings.TrimSuffix(strings.Repeat(x+", ", 64), ", ") }
	for _, tc := range []struct{ q, operator string }{
		{"let s = " + s + "; print x = replace_string(replace_string(s, 'a', s), 'a', s)", "print"},
		{"print a = strcat(" + args64(s) + ") | extend b = strcat(" + args64("a") + ") | extend c = strcat(" + args64("b") + ")", "extend"},
		{"let s = " + s + "; E | where strlen(replace_string(replace_string(replace_string(Name, '.', s), 'a', s), 'a', s)) > 0", "where"},
	} {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := db.Execute(context.Background(), tc.q, Options{MaxMemory: 64 << 20})
		runtime.ReadMemStats(&after)
		wantRunaway(t, err, tc.operator)
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 128<<20 {
			t.Errorf("%.60s...: allocated %d MiB under a 64 MiB budget", tc.q, grew>>20)
		}
	}
}
