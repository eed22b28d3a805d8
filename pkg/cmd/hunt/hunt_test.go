package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/demo"
	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/standin"
)

// binary is the command, built once, on first use, for the package's tests that run it as a user
// or a script would, reading its exit code, standard output and standard error.
var binary struct {
	once sync.Once
	path string
	err  error
}

var buildDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hunt-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	buildDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func built(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		binary.path = filepath.Join(buildDir, "hunt")
		// With the plugin's build settings (the SDK's mage build: its build tag, cgo off), so that
		// the command is built as it ships and the packages the plugin's build compiled are reused
		// instead of compiled again.
		cmd := exec.Command("go", "build", "-tags", "arrow_json_stdlib", "-o", binary.path, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		out, err := cmd.CombinedOutput()
		if err != nil {
			binary.err = fmt.Errorf("building the command: %v\n%s", err, out)
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

// result is one run of the command.
type result struct {
	code           int
	stdout, stderr string
}

// hunt runs the command with args and the environment env (added to this process's).
func hunt(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(built(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, stdout.String(), stderr.String()}
}

// The planted intrusions (pkg/sampledata/SCENARIO.md). When this test was written, the default
// analysis flagged the first two at each of the 168 hourly instants of a week, and missed the fake
// updater at 21 of them (the notebook's 1 % cut); another change (issue 13, item 4) makes all three
// reliable. Until then the updater is reported, not required.
var (
	stableIntrusions = []string{"3f7c2a9e.exe", "AMDRSServ.exe"}
	flakyIntrusion   = "AcroRd32Update.exe"
)

func TestDefaultRunPrintsTheNotebooksAnalysisOfTheDemo(t *testing.T) {
	r := hunt(t, nil, "-width", "0")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	header := strings.Fields(lines[0])
	want := []string{"TimeGenerated", "DeviceName", "InitiatingProcessAccountName", "InitiatingProcessFileName", "LocalIP", "RemoteIP", "RemotePort", "Outlier", "Anomaly", "Anomaly_Score"}
	if !slices.Equal(header, want) {
		t.Fatalf("columns %q, want %q", header, want)
	}
	if !strings.HasPrefix(lines[1], "---") {
		t.Errorf("no rule under the header: %q", lines[1])
	}
	rows := lines[2 : len(lines)-1]
	if footer := lines[len(lines)-1]; footer != fmt.Sprintf("(%d rows)", len(rows)) {
		t.Errorf("footer %q for %d rows", footer, len(rows))
	}
	if len(rows) == 0 {
		t.Fatal("no anomalies")
	}
	var flagged []string
	previous := -1.0
	for _, row := range rows {
		f := strings.Fields(row)
		// TimeGenerated is two fields (date and time) in the table.
		if len(f) != len(want)+1 {
			t.Fatalf("row %q has %d fields", row, len(f))
		}
		if f[len(f)-2] != "-1" {
			t.Errorf("row not flagged anomalous: %q", row)
		}
		score, err := strconv.ParseFloat(f[len(f)-1], 64)
		if err != nil || score > 0 || score < previous {
			t.Errorf("scores must be negative and most anomalous first: %q after %v", row, previous)
		}
		previous = score
		flagged = append(flagged, f[4])
	}
	for _, p := range stableIntrusions {
		if !slices.Contains(flagged, p) {
			t.Errorf("the planted %s is not among the anomalies %q", p, flagged)
		}
	}
	if !slices.Contains(flagged, flakyIntrusion) {
		t.Logf("the planted %s is not flagged at this hour (known; issue 13 item 4)", flakyIntrusion)
	}
}

func TestCSVParses(t *testing.T) {
	r := hunt(t, nil, "-output", "top", "-top", "15", "-format", "csv", "-since", "7d")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	records, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 16 {
		t.Fatalf("%d records, want a header and 15 rows", len(records))
	}
	header := records[0]
	score := slices.Index(header, "Anomaly_Score")
	tg := slices.Index(header, "TimeGenerated")
	if score < 0 || tg < 0 || header[len(header)-3] != "Outlier" {
		t.Fatalf("header %q", header)
	}
	previous := -1.0
	for _, rec := range records[1:] {
		s, err := strconv.ParseFloat(rec[score], 64)
		if err != nil || s < previous {
			t.Errorf("score %q after %v", rec[score], previous)
		}
		previous = s
		if _, err := time.Parse(time.RFC3339Nano, rec[tg]); err != nil {
			t.Errorf("TimeGenerated %q: %v", rec[tg], err)
		}
	}
}

func TestJSONParses(t *testing.T) {
	r := hunt(t, nil, "-format", "json")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var doc struct {
		Frames []struct {
			Name    string
			Columns []struct{ Name, Type string }
			Rows    []map[string]any
		}
	}
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Frames) != 1 || len(doc.Frames[0].Rows) == 0 {
		t.Fatalf("frames: %+v", doc.Frames)
	}
	f := doc.Frames[0]
	types := map[string]string{}
	for _, c := range f.Columns {
		types[c.Name] = c.Type
	}
	if types["TimeGenerated"] != "time" || types["Outlier"] != "int64" || types["Anomaly"] != "int64" || types["Anomaly_Score"] != "float64" {
		t.Errorf("column types %v", types)
	}
	var processes []string
	for _, row := range f.Rows {
		if row["Anomaly"] != json.Number("-1") {
			t.Errorf("row not anomalous: %v", row)
		}
		processes = append(processes, fmt.Sprint(row["InitiatingProcessFileName"]))
	}
	for _, p := range stableIntrusions {
		if !slices.Contains(processes, p) {
			t.Errorf("%s missing from the JSON anomalies", p)
		}
	}
}

func TestPivotOnAGivenProcess(t *testing.T) {
	r := hunt(t, nil, "-pivot", "temp-folder", "-values", "3f7c2a9e.exe", "-since", "7d", "-format", "csv")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "3f7c2a9e.exe") || !strings.Contains(strings.ToLower(r.stdout), `\temp\`) {
		t.Errorf("the temp-folder pivot does not show the dropper:\n%s", r.stdout)
	}
}

func TestKQLQueryFromAFileAndAQueryModelFile(t *testing.T) {
	dir := t.TempDir()
	kqlFile := filepath.Join(dir, "q.kql")
	if err := os.WriteFile(kqlFile, []byte("DeviceNetworkEvents\n| where $__timeFilter(TimeGenerated)\n| summarize Connections = count() by ActionType\n| order by ActionType asc"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := hunt(t, nil, "-type", "kql", "-kql", "@"+kqlFile, "-format", "csv")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "ActionType,Connections\n") {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// A panel's query model; a flag replaces one of its keys.
	model := filepath.Join(dir, "panel.json")
	if err := os.WriteFile(model, []byte(`{"refId":"B","queryType":"anomaly","output":"top","topN":3}`), 0o644); err != nil {
		t.Fatal(err)
	}
	r = hunt(t, nil, "-json", model, "-format", "csv")
	if n := strings.Count(r.stdout, "\n"); r.code != exitOK || n != 4 {
		t.Errorf("top 3: exit %d, %d lines\n%s%s", r.code, n, r.stdout, r.stderr)
	}
	r = hunt(t, nil, "-json", model, "-output", "count", "-format", "csv")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "Anomalies\n") {
		t.Errorf("-output replaces the model's: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestUsageErrors: a wrong command line exits 2 with a message that names the problem.
func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	notObject := filepath.Join(dir, "list.json")
	if err := os.WriteFile(notObject, []byte(`[1,2]`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"-format", "xml"}, `-format "xml": use table, csv or json`},
		{[]string{"-since", "yesterday"}, `"yesterday" is not a duration`},
		{[]string{"-since", "24h", "-from", "2024-05-01"}, "-since and -from both set the start"},
		{[]string{"-from", "2024-05-02", "-to", "2024-05-01"}, "the start must come before the end"},
		{[]string{"-from", "May 1st"}, `"May 1st" is not a time`},
		{[]string{"-width", "-3"}, "use a number of columns"},
		{[]string{"-top", "0"}, "-top 0: use a number of rows"},
		{[]string{"anomalies"}, `unexpected arguments ["anomalies"]`},
		{[]string{"-json", filepath.Join(dir, "missing.json")}, "missing.json: no such file"},
		{[]string{"-json", notObject}, "not a JSON object"},
		{[]string{"-kql", "@" + filepath.Join(dir, "missing.kql")}, "missing.kql: no such file"},
		{[]string{"-settings", filepath.Join(dir, "missing.yml")}, "missing.yml: no such file"},
		{[]string{"-datasource", "x"}, "give the file too"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := hunt(t, nil, tt.args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) || r.stdout != "" {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", r.code, r.stderr, tt.want)
			}
		})
	}
	if r := hunt(t, nil, "-help"); r.code != exitOK || !strings.Contains(r.stderr, "Exit codes:") {
		t.Errorf("-help: exit %d\n%s", r.code, r.stderr)
	}
}

// TestQueryErrors: what the datasource refuses exits 1 with the datasource's own words.
func TestQueryErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-type", "kql", "-kql", "DeviceNetworkEvents | joinx"}, "Query could not be parsed at 'joinx'"},
		{[]string{"-output", "everything"}, `output "everything" is not known`},
		{[]string{"-contamination", "0.9"}, "contamination"},
		{[]string{"-pivot", "registry"}, "registry"},
		{[]string{"-type", "hunt"}, `queryType "hunt" is not known`},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := hunt(t, nil, append(tt.args, "-quiet")...)
			if r.code != exitFailed || !strings.Contains(r.stderr, tt.want) || r.stdout != "" {
				t.Errorf("exit %d, stderr %q; want exit 1 and %q", r.code, r.stderr, tt.want)
			}
		})
	}
}

// workspace are the stand-ins of a real workspace: Entra ID and Log Analytics (the demo's data)
// over TLS, with the CA written out for the command's SSL_CERT_FILE.
type workspace struct {
	url, caFile string
}

const (
	tenantID    = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	clientID    = "0a1b2c3d-aaaa-bbbb-cccc-0123456789ab"
	workspaceID = "11111111-1111-1111-1111-111111111111"
	canary      = "canary-Secret-5e1d"
)

func startWorkspace(t *testing.T) workspace {
	t.Helper()
	entra := standin.NewEntraHandler(standin.EntraConfig{Clients: map[string]string{clientID: canary}, Tenants: []string{tenantID}})
	la := demo.New(demo.WithHandlerOptions(emulator.WithTokenValidator(entra.IssuedToken)))
	ca, err := standin.NewTestCA()
	if err != nil {
		t.Fatal(err)
	}
	srv := ca.StartTLS(standin.NewMux(la, entra))
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := ca.WritePEM(caFile); err != nil {
		t.Fatal(err)
	}
	return workspace{url: srv.URL, caFile: caFile}
}

// settingsFile writes a provisioning file for the stand-ins, with the credentials and the
// workspace from the environment as the repository's provisioning has them.
func settingsFile(t *testing.T, logAnalytics, authority string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "datasources.yml")
	doc := `apiVersion: 1
datasources:
  - name: Demo elsewhere
    uid: other
    type: kqlhunt-anomaly-datasource
    jsonData: {demoWorkspace: true}
  - name: Sentinel (stand-in)
    uid: sentinel
    type: kqlhunt-anomaly-datasource
    jsonData:
      azureCredentials:
        authType: clientsecret
        azureCloud: AzureCustomizedCloud
        tenantId: $AZURE_TENANT_ID
        clientId: ${AZURE_CLIENT_ID}
      workspaceId: $__env{LOG_ANALYTICS_WORKSPACE_ID}
      endpoints:
        logAnalytics: ` + logAnalytics + `
        authority: ` + authority + `
    secureJsonData:
      azureClientSecret: $AZURE_CLIENT_SECRET
`
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func workspaceEnv(w workspace) []string {
	host := strings.TrimPrefix(w.url, "https://")
	return []string{
		"AZURE_TENANT_ID=" + tenantID, "AZURE_CLIENT_ID=" + clientID, "AZURE_CLIENT_SECRET=" + canary,
		"LOG_ANALYTICS_WORKSPACE_ID=" + workspaceID, "SSL_CERT_FILE=" + w.caFile,
		// The Grafana admin's approval of a loopback endpoint (docs/security.md).
		"KQLHUNT_ALLOWED_ENDPOINT_HOSTS=" + host + ",127.0.0.1",
	}
}

// TestSettingsFileSignsInToARealWorkspace: a provisioning file, its secrets from the environment,
// through the plugin's real sign-in (azidentity) and query (azquery) code.
func TestSettingsFileSignsInToARealWorkspace(t *testing.T) {
	w := startWorkspace(t)
	file := settingsFile(t, w.url+"/v1", w.url+"/")
	r := hunt(t, workspaceEnv(w), "-settings", file, "-datasource", "sentinel", "-output", "count", "-format", "csv")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "Anomalies\n") {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, canary) {
		t.Error("the client secret was printed")
	}
	// Two datasources of the plugin's type and none picked: the command lists them.
	r = hunt(t, workspaceEnv(w), "-settings", file)
	if r.code != exitUsage || !strings.Contains(r.stderr, "pick one with -datasource") || !strings.Contains(r.stderr, `sentinel ("Sentinel (stand-in)")`) {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
	// Without the environment: the variables are named, and the datasource says what is missing.
	r = hunt(t, []string{"AZURE_TENANT_ID=", "AZURE_CLIENT_ID=", "AZURE_CLIENT_SECRET=", "LOG_ANALYTICS_WORKSPACE_ID="}, "-settings", file, "-datasource", "Sentinel (stand-in)", "-quiet")
	if r.code != exitFailed || !strings.Contains(r.stderr, "$AZURE_TENANT_ID, which is not set") || !strings.Contains(r.stderr, "workspaceId") {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
}

// TestUnreachableWorkspace: a workspace endpoint nobody listens on fails with exit 1 and says so.
func TestUnreachableWorkspace(t *testing.T) {
	w := startWorkspace(t)
	closed := closedPort(t)
	file := settingsFile(t, "https://"+closed+"/v1", w.url+"/")
	r := hunt(t, workspaceEnv(w), "-settings", file, "-datasource", "sentinel", "-quiet")
	if r.code != exitFailed || !strings.Contains(r.stderr, "cannot reach Log Analytics") || !strings.Contains(r.stderr, closed) {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
}

// TestInterrupted: SIGINT during a query (here one that keeps retrying an unreachable workspace)
// stops the command with exit 130.
func TestInterrupted(t *testing.T) {
	w := startWorkspace(t)
	file := settingsFile(t, "https://"+closedPort(t)+"/v1", w.url+"/")
	cmd := exec.Command(built(t), "-settings", file, "-datasource", "sentinel")
	cmd.Env = append(os.Environ(), workspaceEnv(w)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != exitInterrupted || !strings.Contains(stderr.String(), "hunt: interrupted") {
		t.Errorf("%v\n%s", err, stderr.String())
	}
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
