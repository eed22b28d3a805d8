package integration

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"testing"
)

// The rules of Grafana's plugin.schema.json that apply to a datasource's plugin.json. The validator
// that applies the schema itself downloads its checker at run time, which cannot happen here, so the
// rules are restated and checked directly.
var (
	schemaTopLevel = []string{"$schema", "id", "type", "info", "name", "dependencies", "alerting", "annotations",
		"autoEnabled", "backend", "builtIn", "category", "enterpriseFeatures", "executable", "hideFromList", "includes",
		"logs", "metrics", "pascalName", "preload", "queryOptions", "routes", "skipDataQuery", "state", "streaming",
		"tracing", "iam", "roles", "extensions", "languages", "buildMode"}
	schemaInfoKeys  = []string{"author", "build", "description", "keywords", "links", "logos", "screenshots", "updated", "version"}
	schemaID        = regexp.MustCompile(`^[0-9a-z]+\-([0-9a-z]+\-)?(app|panel|datasource|secretsmanager|transformer)$`)
	schemaCategory  = []string{"tsdb", "logging", "cloud", "tracing", "profiling", "sql", "enterprise", "iot", "other"}
	schemaVersion   = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)|(%VERSION%)$`)
	schemaUpdated   = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}|%TODAY%)$`)
	schemaGrafanaDp = regexp.MustCompile(`^(<=|>=|<|>|=|~|\^)?([0-9]+)(\.[0-9x\*]+)(\.[0-9x\*]+)?(\s(<=|>=|<|=>)?([0-9]+)(\.[0-9x]+)(\.[0-9x]+))?$`)
)

func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

func checkPluginJSON(pj map[string]any) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for _, k := range []string{"type", "name", "id", "info", "dependencies"} {
		if _, ok := pj[k]; !ok {
			bad("missing required %q", k)
		}
	}
	for k := range pj {
		if !slices.Contains(schemaTopLevel, k) {
			bad("property %q is not in the schema", k)
		}
	}
	if id, _ := pj["id"].(string); id != "kqlhunt-anomaly-datasource" || !schemaID.MatchString(id) {
		bad("id %q", id)
	}
	if pj["type"] != "datasource" || pj["name"] != "KQL Anomaly Hunting" || pj["executable"] != "gpx_kqlhunt" {
		bad("type/name/executable: %v %v %v", pj["type"], pj["name"], pj["executable"])
	}
	for _, k := range []string{"backend", "alerting", "metrics"} {
		if pj[k] != true {
			bad("%s must be true", k)
		}
	}
	if c, ok := pj["category"].(string); ok && !slices.Contains(schemaCategory, c) {
		bad("category %q", c)
	}
	info, _ := pj["info"].(map[string]any)
	for _, k := range []string{"logos", "version", "updated", "keywords"} {
		if _, ok := info[k]; !ok {
			bad("info.%s is required", k)
		}
	}
	for k := range info {
		if !slices.Contains(schemaInfoKeys, k) {
			bad("info.%s is not in the schema", k)
		}
	}
	if v, _ := info["version"].(string); !schemaVersion.MatchString(v) {
		bad("info.version %q", v)
	}
	if v, _ := info["updated"].(string); !schemaUpdated.MatchString(v) {
		bad("info.updated %q", v)
	}
	if kw, _ := info["keywords"].([]any); len(kw) == 0 {
		bad("info.keywords needs at least one keyword")
	}
	logos, _ := info["logos"].(map[string]any)
	if logos["small"] == nil || logos["large"] == nil {
		bad("info.logos needs small and large")
	}
	deps, _ := pj["dependencies"].(map[string]any)
	if v, _ := deps["grafanaDependency"].(string); !schemaGrafanaDp.MatchString(v) {
		bad("dependencies.grafanaDependency %q", v)
	}
	return problems
}

func TestPluginJSONFollowsGrafanaSchema(t *testing.T) {
	for _, p := range checkPluginJSON(readJSON(t, filepath.Join("..", "..", "plugin.json"))) {
		t.Error(p)
	}
}

// TestSchemaRulesCatchMistakes shows the checks above can fail.
func TestSchemaRulesCatchMistakes(t *testing.T) {
	pj := readJSON(t, filepath.Join("..", "..", "plugin.json"))
	pj["category"] = "security"
	pj["unknownKey"] = 1
	delete(pj, "dependencies")
	if got := checkPluginJSON(pj); len(got) < 3 {
		t.Fatalf("mistakes not caught: %v", got)
	}
}

// TestDistIsAPluginGrafanaCanLoad checks the packaging rules: the executable for this platform with
// its run bit, the frontend bundle, logos, docs, the version placed, and no locator files that would
// make the SDK act as a standalone server.
func TestDistIsAPluginGrafanaCanLoad(t *testing.T) {
	dist := filepath.Join("..", "..", "dist")
	exe := filepath.Join(dist, fmt.Sprintf("gpx_kqlhunt_%s_%s", runtime.GOOS, runtime.GOARCH))
	st, err := os.Stat(exe)
	if err != nil || st.Mode()&0o111 == 0 {
		t.Fatalf("executable %s missing or not executable: %v", exe, err)
	}
	for _, f := range []string{"module.js", "plugin.json", "img/logo.svg", "README.md", "CHANGELOG.md", "LICENSE"} {
		if _, err := os.Stat(filepath.Join(dist, f)); err != nil {
			t.Errorf("dist/%s: %v (run npm run build)", f, err)
		}
	}
	for _, f := range []string{"standalone.txt", "pid.txt"} {
		if _, err := os.Stat(filepath.Join(dist, f)); err == nil {
			t.Errorf("dist/%s must not ship: it turns the plugin into a locator", f)
		}
	}
	pj := readJSON(t, filepath.Join(dist, "plugin.json"))
	pkg := readJSON(t, filepath.Join("..", "..", "package.json"))
	if v := pj["info"].(map[string]any)["version"]; v != pkg["version"] {
		t.Errorf("dist plugin.json version %v != package.json version %v", v, pkg["version"])
	}
	for _, p := range checkPluginJSON(pj) {
		t.Error("dist/plugin.json:", p)
	}
}
