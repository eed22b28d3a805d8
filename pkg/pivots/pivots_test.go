package pivots

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
	"github.com/kqlhunt/anomaly-datasource/pkg/querymodel"
	"github.com/kqlhunt/anomaly-datasource/pkg/sampledata"
)

// The notebook's three pivot queries, copied from its cells (and issue 4), with its placeholder
// process names. Build must give these, up to line breaks and indentation.
var notebook = map[string]string{
	querymodel.PivotParentProcess: `DeviceNetworkEvents | where InitiatingProcessFileName in ("process1.exe", "process2.exe", "process3.exe") | where TimeGenerated >= ago(7d) | where isnotempty(InitiatingProcessFileName) | where ActionType == "ConnectionSuccess" | where RemoteIPType == "Public" | where RemoteIP matches regex @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$" | where InitiatingProcessParentFileName != InitiatingProcessFileName | project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessParentFileName, InitiatingProcessFileName, InitiatingProcessSHA1`,
	querymodel.PivotTempFolder:    `DeviceNetworkEvents | where InitiatingProcessFileName in ("process1.exe", "process2.exe", "process3.exe") | where TimeGenerated >= ago(7d) | where isnotempty(InitiatingProcessFileName) | where ActionType == "ConnectionSuccess" | where RemoteIPType == "Public" | where RemoteIP matches regex @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$" | where InitiatingProcessFolderPath contains_cs "temp" | project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFolderPath, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`,
	querymodel.PivotCmdPowerShell: `DeviceNetworkEvents | where InitiatingProcessFileName in ("process1.exe", "process2.exe", "process3.exe") | where TimeGenerated >= ago(7d) | where isnotempty(InitiatingProcessFileName) | where ActionType == "ConnectionSuccess" | where RemoteIPType == "Public" | where RemoteIP matches regex @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$" | where InitiatingProcessCommandLine has_any ("cmd", "powershell", "ps.exe", "cmd.exe") | project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`,
}

var space = regexp.MustCompile(`\s+`)

func oneLine(s string) string { return strings.TrimSpace(space.ReplaceAllString(s, " ")) }

func TestBuildIsTheNotebooksQuery(t *testing.T) {
	if got, want := len(Names()), len(notebook); got != want {
		t.Fatalf("Names() has %d pivots, the notebook %d", got, want)
	}
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			got, err := Build(name, []string{"process1.exe", "process2.exe", "process3.exe"}, "7d")
			if err != nil {
				t.Fatal(err)
			}
			if oneLine(got) != notebook[name] {
				t.Errorf("Build(%q):\n got %s\nwant %s", name, oneLine(got), notebook[name])
			}
			// An empty lookback is the notebook's 7d.
			def, err := Build(name, []string{"process1.exe", "process2.exe", "process3.exe"}, "")
			if err != nil || def != got {
				t.Errorf("default lookback: %v\n%s", err, def)
			}
		})
	}
}

func TestBuildErrors(t *testing.T) {
	many := make([]string, MaxValues+1)
	for i := range many {
		many[i] = fmt.Sprintf("p%d.exe", i)
	}
	for _, tc := range []struct {
		desc     string
		name     string
		values   []string
		lookback string
		want     string // "" = no error
		is       error
	}{
		{"unknown pivot", "grandparent", []string{"a.exe"}, "7d", `pivot "grandparent" is not known`, querymodel.ErrInvalid},
		{"empty pivot name", "", []string{"a.exe"}, "7d", `pivot "" is not known`, querymodel.ErrInvalid},
		{"no values", querymodel.PivotTempFolder, nil, "7d", "no anomalous processes to pivot on: run the anomaly query first or pass values", ErrNoValues},
		{"only empty values", querymodel.PivotTempFolder, []string{"", ""}, "7d", "no anomalous processes to pivot on", ErrNoValues},
		{"too many values", querymodel.PivotCmdPowerShell, many, "7d", "too many values to pivot on (more than 1000)", querymodel.ErrInvalid},
		{"exactly the cap", querymodel.PivotCmdPowerShell, many[:MaxValues], "7d", "", nil},
		{"repeats count once", querymodel.PivotCmdPowerShell, append(slices.Clone(many[:MaxValues]), many[0], many[1]), "7d", "", nil},
		{"lookback injection", querymodel.PivotParentProcess, []string{"a.exe"}, "7d) | take 1 //", "lookback", querymodel.ErrInvalid},
		{"lookback weeks", querymodel.PivotParentProcess, []string{"a.exe"}, "1w", "is not a KQL timespan", querymodel.ErrInvalid},
		{"lookback hours", querymodel.PivotParentProcess, []string{"a.exe"}, "12h", "", nil},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			q, err := Build(tc.name, tc.values, tc.lookback)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				// The engine must parse what we build, even at the cap.
				db := kql.NewDatabase(kql.NewTable(sampledata.TableName, sampledata.Schema))
				if _, err := db.Execute(context.Background(), q, kql.Options{}); err != nil {
					t.Fatalf("the engine rejects the pivot: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; built\n%s", q)
			}
			if !strings.Contains(err.Error(), tc.want) || !errors.Is(err, tc.is) {
				t.Errorf("error %q, want it to contain %q and wrap %v", err, tc.want, tc.is)
			}
		})
	}
}

// row is one DeviceNetworkEvents row that passes every filter of all three pivots unless a test
// changes it.
func row(now time.Time, name string) map[string]any {
	return map[string]any{
		"TimeGenerated": now.Add(-time.Hour), "DeviceName": "ws-01", "ActionType": "ConnectionSuccess",
		"RemoteIPType": "Public", "RemoteIP": "203.0.113.7", "RemotePort": int64(443), "LocalIP": "10.0.0.5",
		"InitiatingProcessFileName": name, "InitiatingProcessParentFileName": "explorer.exe",
		"InitiatingProcessFolderPath":  `C:\Users\a\AppData\Local\temp\` + name,
		"InitiatingProcessCommandLine": `cmd.exe /c "` + name + `"`, "InitiatingProcessAccountName": "a",
	}
}

func table(t *testing.T, rows []map[string]any) *kql.Table {
	t.Helper()
	tbl := kql.NewTable(sampledata.TableName, sampledata.Schema)
	for _, r := range rows {
		vals := make([]any, len(sampledata.Schema))
		for i, c := range sampledata.Schema {
			vals[i] = r[c.Name]
		}
		if err := tbl.AppendRow(vals...); err != nil {
			t.Fatal(err)
		}
	}
	return tbl
}

// TestValuesCannotEscapeTheList runs built pivots on the engine over a table holding exactly the
// hostile names (and bystanders that an escaped literal would reveal), and checks that the rows
// that come back are exactly those whose name is in the list.
func TestValuesCannotEscapeTheList(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	hostile := []string{
		`") | take 1 //`,
		`a.exe") or isnotempty(InitiatingProcessFileName) or ("`,
		`quote"inside.exe`,
		`single'quote.exe`,
		`back\slash.exe`,
		`trailing\`,
		`\"`,
		"new\nline.exe",
		"carriage\rreturn.exe",
		"tab\tbed.exe",
		`@"verbatim".exe`,
		"// comment.exe",
		"ünïcødé.exe",
		`"; DeviceNetworkEvents | take 100; print "`,
	}
	bystanders := []string{"a.exe", "take", "1", "chrome.exe", `") | take 1 `, "new", "line.exe", `quote`, `back`}
	var rows []map[string]any
	for _, n := range append(slices.Clone(hostile), bystanders...) {
		rows = append(rows, row(now, n))
	}
	db := kql.NewDatabase(table(t, rows))
	for _, name := range Names() {
		for _, tc := range []struct {
			desc   string
			values []string
		}{
			{"all hostile", hostile},
			{"one at a time 0", hostile[:1]},
			{"one at a time 1", hostile[1:2]},
			{"backslashes", []string{`back\slash.exe`, `trailing\`, `\"`}},
			{"control characters", []string{"new\nline.exe", "carriage\rreturn.exe", "tab\tbed.exe"}},
			{"statement break", hostile[len(hostile)-1:]},
		} {
			t.Run(name+"/"+tc.desc, func(t *testing.T) {
				q, err := Build(name, tc.values, "7d")
				if err != nil {
					t.Fatal(err)
				}
				res, err := db.Execute(context.Background(), q, kql.Options{Now: now})
				if err != nil {
					t.Fatalf("engine: %v\n%s", err, q)
				}
				if len(res) != 1 {
					t.Fatalf("the pivot produced %d result tables, want 1:\n%s", len(res), q)
				}
				col := slices.IndexFunc(res[0].Schema(), func(c kql.ColumnSchema) bool { return c.Name == "InitiatingProcessFileName" })
				if col < 0 {
					t.Fatalf("no InitiatingProcessFileName in %v", res[0].Schema())
				}
				var got []string
				for i := 0; i < res[0].Len(); i++ {
					got = append(got, res[0].Value(i, col).(string))
				}
				want := slices.Clone(tc.values)
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("rows %q, want exactly %q\n%s", got, want, q)
				}
			})
		}
	}
}

// TestPivotFilters checks that each pivot keeps the notebook's own filter and the lookback on
// the engine: a row failing the pivot's filter, or older than the lookback, does not come back.
func TestPivotFilters(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	base := row(now, "evil.exe")
	with := func(k string, v any) map[string]any {
		r := map[string]any{}
		for kk, vv := range base {
			r[kk] = vv
		}
		r[k] = v
		return r
	}
	for _, tc := range []struct {
		desc     string
		pivot    string
		r        map[string]any
		lookback string
		want     bool
	}{
		{"parent kept", querymodel.PivotParentProcess, base, "7d", true},
		{"parent same as process", querymodel.PivotParentProcess, with("InitiatingProcessParentFileName", "evil.exe"), "7d", false},
		{"temp kept", querymodel.PivotTempFolder, base, "7d", true},
		{"Temp is case-sensitive (contains_cs)", querymodel.PivotTempFolder, with("InitiatingProcessFolderPath", `C:\Users\a\AppData\Local\Temp\evil.exe`), "7d", false},
		{"cmd kept", querymodel.PivotCmdPowerShell, base, "7d", true},
		{"no shell", querymodel.PivotCmdPowerShell, with("InitiatingProcessCommandLine", `evil.exe --quiet`), "7d", false},
		{"powershell term", querymodel.PivotCmdPowerShell, with("InitiatingProcessCommandLine", `PowerShell -nop`), "7d", true},
		{"failed connection", querymodel.PivotParentProcess, with("ActionType", "ConnectionFailed"), "7d", false},
		{"private address", querymodel.PivotTempFolder, with("RemoteIPType", "Private"), "7d", false},
		{"ipv6", querymodel.PivotCmdPowerShell, with("RemoteIP", "2001:db8::1"), "7d", false},
		{"older than lookback", querymodel.PivotParentProcess, with("TimeGenerated", now.Add(-8*24*time.Hour)), "7d", false},
		{"inside a longer lookback", querymodel.PivotParentProcess, with("TimeGenerated", now.Add(-8*24*time.Hour)), "9d", true},
		{"outside a short lookback", querymodel.PivotParentProcess, base, "30m", false},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			db := kql.NewDatabase(table(t, []map[string]any{tc.r}))
			q, err := Build(tc.pivot, []string{"evil.exe"}, tc.lookback)
			if err != nil {
				t.Fatal(err)
			}
			res, err := db.Execute(context.Background(), q, kql.Options{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if got := res[0].Len() == 1; got != tc.want {
				t.Errorf("row returned = %v, want %v\n%s", got, tc.want, q)
			}
		})
	}
}
