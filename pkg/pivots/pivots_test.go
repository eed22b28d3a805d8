package pivots

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
	"github.com/kqlhunt/anomaly-datasource/pkg/sampledata"
)

// The names of the notebook's three pivots.
const (
	parentProcess = "parent-process"
	tempFolder    = "temp-folder"
	cmdPowerShell = "cmd-powershell"
)

// The notebook's three pivot queries, copied from its cells (and issue 4), with its placeholder
// process names. Build must give these, up to line breaks and indentation.
var notebook = map[string]string{
	parentProcess: `DeviceNetworkEvents | where InitiatingProcessFileName in ("process1.exe", "process2.exe", "process3.exe") | where TimeGenerated >= ago(7d) | where isnotempty(InitiatingProcessFileName) | where ActionType == "ConnectionSuccess" | where RemoteIPType == "Public" | where RemoteIP matches regex @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$" | where InitiatingProcessParentFileName != InitiatingProcessFileName | project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessParentFileName, InitiatingProcessFileName, InitiatingProcessSHA1`,
	tempFolder:    `DeviceNetworkEvents | where InitiatingProcessFileName in ("process1.exe", "process2.exe", "process3.exe") | where TimeGenerated >= ago(7d) | where isnotempty(InitiatingProcessFileName) | where ActionType == "ConnectionSuccess" | where RemoteIPType == "Public" | where RemoteIP matches regex @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$" | where InitiatingProcessFolderPath contains_cs "temp" | project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFolderPath, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`,
	cmdPowerShell: `DeviceNetworkEvents | where InitiatingProcessFileName in ("process1.exe", "process2.exe", "process3.exe") | where TimeGenerated >= ago(7d) | where isnotempty(InitiatingProcessFileName) | where ActionType == "ConnectionSuccess" | where RemoteIPType == "Public" | where RemoteIP matches regex @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$" | where InitiatingProcessCommandLine has_any ("cmd", "powershell", "ps.exe", "cmd.exe") | project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`,
}

var space = regexp.MustCompile(`\s+`)

func oneLine(s string) string { return strings.TrimSpace(space.ReplaceAllString(s, " ")) }

// names lists the pivots' names, in the order of All.
func names() []string {
	var out []string
	for _, p := range All() {
		out = append(out, p.Name)
	}
	return out
}

func TestBuildIsTheNotebooksQuery(t *testing.T) {
	if got, want := len(names()), len(notebook); got != want {
		t.Fatalf("names() has %d pivots, the notebook %d", got, want)
	}
	for _, name := range names() {
		t.Run(name, func(t *testing.T) {
			got, err := Build(Request{Name: name, Values: []string{"process1.exe", "process2.exe", "process3.exe"}, Lookback: "7d"})
			if err != nil {
				t.Fatal(err)
			}
			if oneLine(got) != notebook[name] {
				t.Errorf("Build(%q):\n got %s\nwant %s", name, oneLine(got), notebook[name])
			}
			// An empty lookback is the notebook's 7d.
			def, err := Build(Request{Name: name, Values: []string{"process1.exe", "process2.exe", "process3.exe"}})
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
		{"unknown pivot", "grandparent", []string{"a.exe"}, "7d", `pivot "grandparent" is not known`, ErrInvalid},
		{"empty pivot name", "", []string{"a.exe"}, "7d", `pivot is not set: use one of "parent-process", "temp-folder", "cmd-powershell"`, ErrInvalid},
		{"no values", tempFolder, nil, "7d", "no anomalous values to pivot on", ErrNoValues},
		{"an empty value", tempFolder, []string{"a.exe", ""}, "7d", "values has an empty value", ErrInvalid},
		{"too many values", cmdPowerShell, many, "7d", "too many values to pivot on (more than 1000)", ErrInvalid},
		{"exactly the cap", cmdPowerShell, many[:MaxValues], "7d", "", nil},
		{"repeats count once", cmdPowerShell, append(slices.Clone(many[:MaxValues]), many[0], many[1]), "7d", "", nil},
		{"lookback injection", parentProcess, []string{"a.exe"}, "7d) | take 1 //", "lookback", ErrInvalid},
		{"lookback weeks", parentProcess, []string{"a.exe"}, "1w", "is not a KQL timespan", ErrInvalid},
		{"lookback hours", parentProcess, []string{"a.exe"}, "12h", "", nil},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			q, err := Build(Request{Name: tc.name, Values: tc.values, Lookback: tc.lookback})
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
	for _, name := range names() {
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
				q, err := Build(Request{Name: name, Values: tc.values, Lookback: "7d"})
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
		{"parent kept", parentProcess, base, "7d", true},
		{"parent same as process", parentProcess, with("InitiatingProcessParentFileName", "evil.exe"), "7d", false},
		{"temp kept", tempFolder, base, "7d", true},
		{"Temp is case-sensitive (contains_cs)", tempFolder, with("InitiatingProcessFolderPath", `C:\Users\a\AppData\Local\Temp\evil.exe`), "7d", false},
		{"cmd kept", cmdPowerShell, base, "7d", true},
		{"no shell", cmdPowerShell, with("InitiatingProcessCommandLine", `evil.exe --quiet`), "7d", false},
		{"powershell term", cmdPowerShell, with("InitiatingProcessCommandLine", `PowerShell -nop`), "7d", true},
		{"failed connection", parentProcess, with("ActionType", "ConnectionFailed"), "7d", false},
		{"private address", tempFolder, with("RemoteIPType", "Private"), "7d", false},
		{"ipv6", cmdPowerShell, with("RemoteIP", "2001:db8::1"), "7d", false},
		{"older than lookback", parentProcess, with("TimeGenerated", now.Add(-8*24*time.Hour)), "7d", false},
		{"inside a longer lookback", parentProcess, with("TimeGenerated", now.Add(-8*24*time.Hour)), "9d", true},
		{"outside a short lookback", parentProcess, base, "30m", false},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			db := kql.NewDatabase(table(t, []map[string]any{tc.r}))
			q, err := Build(Request{Name: tc.pivot, Values: []string{"evil.exe"}, Lookback: tc.lookback})
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

// TestValuesMatchExactly: a value with spaces around it is a different process name, never the
// trimmed one.
func TestValuesMatchExactly(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	db := kql.NewDatabase(table(t, []map[string]any{row(now, "3f7c2a9e.exe"), row(now, " 3f7c2a9e.exe")}))
	for _, v := range []string{" 3f7c2a9e.exe", "3f7c2a9e.exe"} {
		q, err := Build(Request{Name: tempFolder, Values: []string{v}})
		if err != nil {
			t.Fatal(err)
		}
		res, err := db.Execute(context.Background(), q, kql.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Len() != 1 || res[0].Value(0, 4) != v {
			t.Errorf("pivot on %q: %d rows", v, res[0].Len())
		}
	}
}

// TestCatalog: every embedded pivot has its metadata and filters on the column it declares.
func TestCatalog(t *testing.T) {
	if got := names(); !slices.Equal(got, []string{parentProcess, tempFolder, cmdPowerShell}) {
		t.Fatalf("names() = %q, want the notebook's three in its order", got)
	}
	for _, p := range All() {
		if p.Title == "" || p.Description == "" || p.Column != "InitiatingProcessFileName" {
			t.Errorf("%s: %+v", p.Name, p)
		}
		q, err := Build(Request{Name: p.Name, Values: []string{"x.exe"}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(q, p.Column+` in ("x.exe")`) {
			t.Errorf("%s does not filter %s on the values:\n%s", p.Name, p.Column, q)
		}
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup of an unknown pivot")
	}
}

// TestLoadRejectsBadFiles: a pivot file that does not load is a build defect, caught by tests.
func TestLoadRejectsBadFiles(t *testing.T) {
	good := "name: a\ntitle: A\ncolumn: C\nkql: T | where {{.Column}} in ({{.Values}})\n"
	for _, tc := range []struct{ name, file string }{
		{"unknown key", good + "extra: 1\n"},
		{"bad name", strings.Replace(good, "name: a", "name: A B", 1)},
		{"no values placeholder", strings.Replace(good, "{{.Values}}", "x", 1)},
		{"no column", strings.Replace(good, "column: C\n", "", 1)},
		{"bad template", strings.Replace(good, "{{.Values}}", "{{.Values}", 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse(fstest.MapFS{"queries/x.yaml": {Data: []byte(tc.file)}}, "queries/x.yaml")
			if err == nil {
				t.Fatal("accepted")
			}
		})
	}
	if _, err := parse(fstest.MapFS{"queries/x.yaml": {Data: []byte(good)}}, "queries/x.yaml"); err != nil {
		t.Fatalf("the good file: %v", err)
	}
}
