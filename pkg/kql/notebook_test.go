package kql

import (
	"context"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The notebook's queries, exactly as written in issue 4.
var notebookQueries = []string{
	`DeviceNetworkEvents | where TimeGenerated >= ago(1d) | where isnotempty(InitiatingProcessFileName) | where ActionType == "ConnectionSuccess" | where RemoteIPType == "Public" | where RemoteIP matches regex @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$" | project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`,
	`DeviceNetworkEvents | where InitiatingProcessFileName in ("process1.exe", "process2.exe", "process3.exe") | where TimeGenerated >= ago(7d) | where isnotempty(InitiatingProcessFileName) | where ActionType == "ConnectionSuccess" | where RemoteIPType == "Public" | where RemoteIP matches regex @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$" | where InitiatingProcessParentFileName != InitiatingProcessFileName | project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessParentFileName, InitiatingProcessFileName, InitiatingProcessSHA1`,
	`DeviceNetworkEvents | where InitiatingProcessFileName in ("process1.exe", "process2.exe", "process3.exe") | where TimeGenerated >= ago(7d) | where isnotempty(InitiatingProcessFileName) | where ActionType == "ConnectionSuccess" | where RemoteIPType == "Public" | where RemoteIP matches regex @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$" | where InitiatingProcessFolderPath contains_cs "temp" | project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFolderPath, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`,
	`DeviceNetworkEvents | where InitiatingProcessFileName in ("process1.exe", "process2.exe", "process3.exe") | where TimeGenerated >= ago(7d) | where isnotempty(InitiatingProcessFileName) | where ActionType == "ConnectionSuccess" | where RemoteIPType == "Public" | where RemoteIP matches regex @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$" | where InitiatingProcessCommandLine has_any ("cmd", "powershell", "ps.exe", "cmd.exe") | project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`,
}

// multiline rewrites a one-line query the way the notebook lays it out:
// one operator per line, indented, with comments and CRLF line ends.
func multiline(q string) string {
	q = strings.ReplaceAll(q, " | ", "\r\n    | ")
	return "// notebook cell\n" + strings.ReplaceAll(q, ", ", ",\n        ") + "\n// end\n"
}

var notebookNow = time.Date(2024, 5, 8, 12, 0, 0, 0, time.UTC)

// reference rows computed in plain Go, independent of the engine.
type refRow struct {
	t *Table
	r int
}

func (x refRow) s(c int) string { return x.t.Value(x.r, c).(string) }

var ipv4 = regexp.MustCompile(`^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$`)

func commonFilter(x refRow, since time.Duration) bool {
	tg := x.t.Value(x.r, cTimeGenerated).(time.Time)
	return !tg.Before(notebookNow.Add(-since)) && x.s(cFileName) != "" &&
		x.s(cActionType) == "ConnectionSuccess" && x.s(cRemoteIPType) == "Public" && ipv4.MatchString(x.s(cRemoteIP))
}

func inProcesses(x refRow) bool {
	switch x.s(cFileName) {
	case "process1.exe", "process2.exe", "process3.exe":
		return true
	}
	return false
}

// hasTermRef is an independent has: the term bounded by non-alphanumerics.
func hasTermRef(hay, term string) bool {
	return regexp.MustCompile(`(?i)(^|[^a-z0-9])` + regexp.QuoteMeta(term) + `($|[^a-z0-9])`).MatchString(hay)
}

var notebookRefs = []struct {
	keep func(refRow) bool
	cols []int
}{
	{func(x refRow) bool { return commonFilter(x, 24*time.Hour) },
		[]int{cTimeGenerated, cDeviceName, cAccountName, cFileName, cLocalIP, cRemoteIP, cRemotePort}},
	{func(x refRow) bool {
		return inProcesses(x) && commonFilter(x, 7*24*time.Hour) && x.s(cParentName) != x.s(cFileName)
	}, []int{cTimeGenerated, cDeviceName, cAccountName, cParentName, cFileName, cSHA1}},
	{func(x refRow) bool {
		return inProcesses(x) && commonFilter(x, 7*24*time.Hour) && strings.Contains(x.s(cFolderPath), "temp")
	}, []int{cTimeGenerated, cDeviceName, cAccountName, cFolderPath, cFileName, cLocalIP, cRemoteIP, cRemotePort}},
	{func(x refRow) bool {
		if !inProcesses(x) || !commonFilter(x, 7*24*time.Hour) {
			return false
		}
		for _, term := range []string{"cmd", "powershell", "ps.exe", "cmd.exe"} {
			if hasTermRef(x.s(cCommandLine), term) {
				return true
			}
		}
		return false
	}, []int{cTimeGenerated, cDeviceName, cAccountName, cFileName, cLocalIP, cRemoteIP, cRemotePort}},
}

func tableRows(t *Table) [][]any {
	var rows [][]any
	for r := 0; r < t.Len(); r++ {
		row := make([]any, len(t.Schema()))
		for c := range row {
			row[c] = t.Value(r, c)
		}
		rows = append(rows, row)
	}
	return rows
}

func TestNotebookQueries(t *testing.T) {
	tb := newDeviceNetworkEvents(t, 20000, 7, notebookNow, 10*24*time.Hour)
	db := NewDatabase(tb)
	for i, q := range notebookQueries {
		ref := notebookRefs[i]
		var want [][]any
		for r := 0; r < tb.Len(); r++ {
			if ref.keep(refRow{tb, r}) {
				row := make([]any, len(ref.cols))
				for k, c := range ref.cols {
					row[k] = tb.Value(r, c)
				}
				want = append(want, row)
			}
		}
		if len(want) < 5 {
			t.Fatalf("query %d: the generator produced only %d matching rows; the test would prove little", i, len(want))
		}
		for _, form := range []string{q, multiline(q)} {
			res, err := db.Execute(context.Background(), form, Options{Now: notebookNow})
			if err != nil {
				t.Fatalf("query %d: %v\n%s", i, err, form)
			}
			if res[0].Name() != "PrimaryResult" {
				t.Errorf("query %d: table name %q", i, res[0].Name())
			}
			for k, c := range ref.cols {
				if got := res[0].Schema()[k]; got != dneSchema[c] {
					t.Errorf("query %d: column %d is %v, want %v", i, k, got, dneSchema[c])
				}
			}
			if got := tableRows(res[0]); !reflect.DeepEqual(got, want) {
				t.Errorf("query %d: got %d rows, want %d", i, len(got), len(want))
			}
		}
	}
}

// TestNotebookPredicatesDiscriminate guards the test data itself: each
// notebook-specific predicate must both keep and drop rows, or the
// comparison above could not catch a wrong implementation.
func TestNotebookPredicatesDiscriminate(t *testing.T) {
	tb := newDeviceNetworkEvents(t, 20000, 7, notebookNow, 10*24*time.Hour)
	db := NewDatabase(tb)
	for _, pred := range []string{
		`InitiatingProcessParentFileName != InitiatingProcessFileName`,
		`InitiatingProcessFolderPath contains_cs "temp"`,
		`InitiatingProcessCommandLine has_any ("cmd", "powershell", "ps.exe", "cmd.exe")`,
		`RemoteIP matches regex @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$"`,
		`isnotempty(InitiatingProcessFileName)`,
		`TimeGenerated >= ago(1d)`,
	} {
		res, err := db.Execute(context.Background(), "DeviceNetworkEvents | where "+pred+" | count", Options{Now: notebookNow})
		if err != nil {
			t.Fatal(err)
		}
		n := res[0].Value(0, 0).(int64)
		if n == 0 || n == int64(tb.Len()) {
			t.Errorf("%s keeps %d of %d rows", pred, n, tb.Len())
		}
	}
}
