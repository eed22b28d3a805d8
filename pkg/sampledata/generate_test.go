package sampledata

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
)

var testNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func TestSchemaAndSize(t *testing.T) {
	want := "TimeGenerated:datetime Timestamp:datetime DeviceId:string DeviceName:string ActionType:string LocalIP:string " +
		"LocalPort:int LocalIPType:string RemoteIP:string RemotePort:int RemoteIPType:string RemoteUrl:string Protocol:string " +
		"InitiatingProcessFileName:string InitiatingProcessFolderPath:string InitiatingProcessCommandLine:string " +
		"InitiatingProcessParentFileName:string InitiatingProcessAccountName:string InitiatingProcessAccountDomain:string " +
		"InitiatingProcessSHA1:string InitiatingProcessMD5:string InitiatingProcessSHA256:string InitiatingProcessId:long " +
		"InitiatingProcessParentId:long InitiatingProcessCreationTime:datetime InitiatingProcessIntegrityLevel:string " +
		"InitiatingProcessTokenElevation:string AdditionalFields:dynamic ReportId:long TenantId:string Type:string SourceSystem:string"
	for _, rows := range []int{0, 1, 50, 5000} {
		tbl := Generate(Config{Rows: rows, Seed: 1, Now: testNow})
		var got []string
		for _, c := range tbl.Schema() {
			got = append(got, fmt.Sprintf("%s:%s", c.Name, c.Type))
		}
		if strings.Join(got, " ") != want {
			t.Fatalf("schema\n got %s\nwant %s", strings.Join(got, " "), want)
		}
		// testNow is on the hour and the span seven days: exactly Rows rows (Config.Rows).
		if tbl.Name() != "DeviceNetworkEvents" || tbl.Len() != rows {
			t.Errorf("rows %d: table %s with %d rows", rows, tbl.Name(), tbl.Len())
		}
	}
}

func TestDeterministic(t *testing.T) {
	cfg := Config{Rows: 3000, Seed: 42, Now: testNow}
	a, b := Generate(cfg), Generate(cfg)
	cfg.Seed = 43
	c := Generate(cfg)
	same, differ := true, false
	for r := 0; r < a.Len(); r++ {
		for col := range Schema {
			if fmt.Sprint(a.Value(r, col)) != fmt.Sprint(b.Value(r, col)) {
				same = false
			}
			if fmt.Sprint(a.Value(r, col)) != fmt.Sprint(c.Value(r, col)) {
				differ = true
			}
		}
	}
	if !same {
		t.Error("the same config gave different tables")
	}
	if !differ {
		t.Error("another seed gave the same table")
	}
	// Events and Generate agree.
	evs := Events(Config{Rows: 3000, Seed: 42, Now: testNow})
	for r, e := range evs {
		row := e.row(nil)
		for col := range row {
			if fmt.Sprint(row[col]) != fmt.Sprint(a.Value(r, col)) {
				t.Fatalf("row %d col %s: event %v, table %v", r, Schema[col].Name, row[col], a.Value(r, col))
			}
		}
	}
}

func TestTimeSpread(t *testing.T) {
	for _, span := range []time.Duration{0, 48 * time.Hour} {
		evs := Events(Config{Rows: 20000, Seed: 3, Now: testNow, Span: span})
		if span == 0 {
			span = DefaultSpan
		}
		perDay := map[int]int{}
		var office, night int
		for _, e := range evs {
			if h := e.TimeGenerated.Hour(); h >= 7 && h < 19 {
				office++
			} else {
				night++
			}
			if e.TimeGenerated.After(testNow) || e.TimeGenerated.Before(testNow.Add(-span)) {
				t.Fatalf("TimeGenerated %v outside the span", e.TimeGenerated)
			}
			if e.Timestamp.After(e.TimeGenerated) {
				t.Fatalf("Timestamp %v after TimeGenerated %v", e.Timestamp, e.TimeGenerated)
			}
			if !e.InitiatingProcessCreationTime.IsZero() && e.InitiatingProcessCreationTime.After(e.Timestamp) {
				t.Fatalf("process created after its connection: %+v", e)
			}
			perDay[int(testNow.Sub(e.TimeGenerated)/(24*time.Hour))]++
		}
		// Office hours (07:00-19:00 UTC) are busier: 10 to 3 (hourWeights), as many hours each.
		if ratio := float64(office) / float64(night); ratio < 3 || ratio > 3.7 {
			t.Errorf("span %v: office hours hold %.2f times the night's rows, want 10/3", span, ratio)
		}
		days := int(span / (24 * time.Hour))
		for d := 0; d < days; d++ {
			if share := float64(perDay[d]) / float64(len(evs)); share < 0.5/float64(days) || share > 2/float64(days) {
				t.Errorf("span %v: day %d holds %.1f%% of rows", span, d, 100*share)
			}
		}
	}
}

func TestFleetLooksReal(t *testing.T) {
	evs := Events(Config{Rows: 200000, Seed: 42, Now: testNow})
	devices, names, actions, ipTypes := map[string]bool{}, map[string]int{}, map[string]int{}, map[string]int{}
	reportIDs := map[int64]bool{}
	ipv6 := 0
	for _, e := range evs {
		devices[e.DeviceName] = true
		names[e.InitiatingProcessFileName]++
		actions[e.ActionType]++
		ipTypes[e.RemoteIPType]++
		if strings.Contains(e.RemoteIP, ":") {
			ipv6++
		}
		reportIDs[e.ReportId] = true
		if e.Type != "DeviceNetworkEvents" || e.TenantId == "" {
			t.Fatalf("Type/TenantId: %+v", e)
		}
	}
	if n := len(devices); n < 40 || n > 80 {
		t.Errorf("%d devices, want 40-80", n)
	}
	if n := len(names); n < 250 {
		t.Errorf("%d distinct process names, want a long tail (>= 250)", n)
	}
	for _, want := range []string{"chrome.exe", "msedge.exe", "firefox.exe", "OUTLOOK.EXE", "WINWORD.EXE", "EXCEL.EXE", "POWERPNT.EXE",
		"ms-teams.exe", "OneDrive.exe", "svchost.exe", "MsMpEng.exe", "MsSense.exe", "GoogleUpdate.exe", "code.exe", "git.exe", "node.exe", "python.exe", ""} {
		if names[want] == 0 {
			t.Errorf("no %q rows", want)
		}
	}
	// Zipf-like: a few names carry most rows, many carry almost none.
	counts := make([]int, 0, len(names))
	for _, c := range names {
		counts = append(counts, c)
	}
	slices.Sort(counts)
	slices.Reverse(counts)
	if top := float64(counts[0]) / float64(len(evs)); top < 0.15 || top > 0.4 {
		t.Errorf("top process share %.2f", top)
	}
	rare := 0
	for _, c := range counts {
		if float64(c) < 0.0005*float64(len(evs)) {
			rare++
		}
	}
	if rare < 100 {
		t.Errorf("only %d names under 0.05%% of rows", rare)
	}
	if s := float64(actions["ConnectionSuccess"]) / float64(len(evs)); s < 0.75 || s > 0.9 {
		t.Errorf("ConnectionSuccess share %.2f", s)
	}
	for _, a := range []string{"ConnectionFailed", "ConnectionRequest", "InboundConnectionAccepted", "ListeningConnectionCreated"} {
		if actions[a] == 0 {
			t.Errorf("no %s", a)
		}
	}
	for _, ty := range []string{"Public", "Private", "Loopback", "Reserved"} {
		if ipTypes[ty] == 0 {
			t.Errorf("no RemoteIPType %s", ty)
		}
	}
	if ipv6 == 0 || ipv6 > len(evs)/10 {
		t.Errorf("%d IPv6 remotes", ipv6)
	}
	if len(reportIDs) != len(evs) {
		t.Errorf("ReportId not unique: %d distinct of %d", len(reportIDs), len(evs))
	}
}

func TestIntrusionsPlanted(t *testing.T) {
	tests := []struct {
		cfg  Config
		want map[string]int
	}{
		{Config{Rows: 5000, Seed: 9, Now: testNow}, map[string]int{IntrusionTempDropper: 15, IntrusionUnusualParent: 9, IntrusionDownloadCradle: 10}},
		{Config{Rows: 5000, Seed: 9, Now: testNow, NoIntrusions: true}, map[string]int{}},
		{Config{Rows: 100, Seed: 9, Now: testNow}, map[string]int{}}, // too small to hide 34 events
		// Spans shorter than the story cut its oldest events: the dropper beacons from 30 h ago,
		// the fake updater from 20 h ago, the cradle 9 h ago.
		{Config{Rows: 5000, Seed: 9, Now: testNow, Span: 24 * time.Hour}, map[string]int{IntrusionTempDropper: 12, IntrusionUnusualParent: 9, IntrusionDownloadCradle: 10}},
		{Config{Rows: 5000, Seed: 9, Now: testNow, Span: 10 * time.Hour}, map[string]int{IntrusionTempDropper: 5, IntrusionUnusualParent: 4, IntrusionDownloadCradle: 10}},
	}
	for _, tt := range tests {
		got := map[string]int{}
		for _, e := range Events(tt.cfg) {
			if e.Planted != "" {
				got[e.Planted]++
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%+v: planted %v, want %v", tt.cfg, got, tt.want)
		}
	}
}

// The notebook's queries, as written in ../shared/notebook (pivots with the planted names).
const defaultQuery = `DeviceNetworkEvents | where TimeGenerated >= ago(1d) | where isnotempty(InitiatingProcessFileName) | where ActionType == "ConnectionSuccess" | where RemoteIPType == "Public" | where RemoteIP matches regex @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$" | project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`

const pivotHead = `DeviceNetworkEvents | where InitiatingProcessFileName in ("3f7c2a9e.exe", "AcroRd32Update.exe", "AMDRSServ.exe") | where TimeGenerated >= ago(7d) | where isnotempty(InitiatingProcessFileName) | where ActionType == "ConnectionSuccess" | where RemoteIPType == "Public" | where RemoteIP matches regex @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$"`

var ipv4 = regexp.MustCompile(`^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$`)

// base is the filter every notebook query shares, in plain Go.
func base(e Event, since time.Duration) bool {
	return !e.TimeGenerated.Before(testNow.Add(-since)) && e.InitiatingProcessFileName != "" &&
		e.ActionType == "ConnectionSuccess" && e.RemoteIPType == "Public" && ipv4.MatchString(e.RemoteIP)
}

func planted(e Event) bool {
	return slices.Contains([]string{DropperFile, ParentFile, ShellFile}, e.InitiatingProcessFileName)
}

// TestPivotsRevealIntrusions runs the notebook's pivots on the engine and checks them against
// the same filters written in Go, and that each pivot shows its intrusion.
func TestPivotsRevealIntrusions(t *testing.T) {
	cfg := Config{Rows: 40000, Seed: 42, Now: testNow}
	evs := Events(cfg)
	db := kql.NewDatabase(Generate(cfg))
	tests := []struct {
		name    string
		query   string
		keep    func(Event) bool
		col     string // a column whose values the pivot must show
		reveals []string
	}{
		{"default", defaultQuery, func(e Event) bool { return base(e, 24*time.Hour) }, "InitiatingProcessFileName",
			[]string{DropperFile, ParentFile, ShellFile}},
		{"unusual parent", pivotHead + ` | where InitiatingProcessParentFileName != InitiatingProcessFileName | project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessParentFileName, InitiatingProcessFileName, InitiatingProcessSHA1`,
			func(e Event) bool {
				return base(e, 7*24*time.Hour) && planted(e) && e.InitiatingProcessParentFileName != e.InitiatingProcessFileName
			}, "InitiatingProcessParentFileName", []string{"WINWORD.EXE", "EXCEL.EXE", "powershell.exe"}},
		{"temp folder", pivotHead + ` | where InitiatingProcessFolderPath contains_cs "temp" | project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFolderPath, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`,
			func(e Event) bool {
				return base(e, 7*24*time.Hour) && planted(e) && strings.Contains(e.InitiatingProcessFolderPath, "temp")
			}, "InitiatingProcessFileName", []string{DropperFile}},
		{"cmd or powershell", pivotHead + ` | where InitiatingProcessCommandLine has_any ("cmd", "powershell", "ps.exe", "cmd.exe") | project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`,
			func(e Event) bool {
				return base(e, 7*24*time.Hour) && planted(e) && e.InitiatingProcessFileName == ShellFile // only its command line names cmd.exe
			}, "InitiatingProcessFileName", []string{ShellFile}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := db.Execute(context.Background(), tt.query, kql.Options{Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			got := res[0]
			var want []Event
			for _, e := range evs {
				if tt.keep(e) {
					want = append(want, e)
				}
			}
			if got.Len() != len(want) || len(want) == 0 {
				t.Fatalf("engine %d rows, plain Go %d", got.Len(), len(want))
			}
			col := slices.IndexFunc(got.Schema(), func(c kql.ColumnSchema) bool { return c.Name == tt.col })
			seen := map[string]bool{}
			for r := 0; r < got.Len(); r++ {
				seen[fmt.Sprint(got.Value(r, col))] = true
			}
			for _, v := range tt.reveals {
				if !seen[v] {
					t.Errorf("the pivot does not show %s %q", tt.col, v)
				}
			}
		})
	}
}
