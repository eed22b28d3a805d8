package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestExpandAsGrafana: the cases of Grafana's provisioning expansion (values.interpolateValue and
// setting.ExpandVar): $$ is a dollar, ${X}, $__env{X}, $__file{path} and $X expand, unset is "".
func TestExpandAsGrafana(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte("  s3cr3t\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"TENANT": "t-1", "PORT": "8443", "EMPTY": ""}
	tests := []struct {
		in, want string
		unset    []string
		used     bool
	}{
		{"plain text", "plain text", nil, false},
		{"$TENANT", "t-1", nil, true},
		{"${TENANT}", "t-1", nil, true},
		{"$__env{TENANT}", "t-1", nil, true},
		{"https://host:${PORT}/v1", "https://host:8443/v1", nil, true},
		{"$__file{" + secret + "}", "s3cr3t", nil, true},
		{"pa$$word", "pa$word", nil, false},
		{"$$TENANT", "$TENANT", nil, false},
		{"$$$TENANT", "$t-1", nil, true},
		// ${...} expands before $NAME, as in Grafana, so EMPTY is met first.
		{"$MISSING and ${EMPTY}", " and ", []string{"EMPTY", "MISSING"}, true},
	}
	for _, tt := range tests {
		x := &expander{getenv: func(k string) string { return env[k] }}
		got, err := x.expand(tt.in)
		if err != nil || got != tt.want || !slices.Equal(x.unset, tt.unset) || x.used != tt.used {
			t.Errorf("expand(%q) = %q, %v, unset %q, used %v; want %q, unset %q, used %v", tt.in, got, err, x.unset, x.used, tt.want, tt.unset, tt.used)
		}
	}
	for _, bad := range []string{"$__file{/nonexistent/secret}", "$__vault{kv:secret}"} {
		x := &expander{getenv: func(string) string { return "" }}
		if _, err := x.expand(bad); err == nil {
			t.Errorf("expand(%q): no error", bad)
		}
	}
}

func TestLoadDatasource(t *testing.T) {
	dir := t.TempDir()
	write := func(name, doc string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	env := map[string]string{"WS": "11111111-1111-1111-1111-111111111111", "SECRET": "from-env"}
	getenv := func(k string) string { return env[k] }

	// One entry on its own, with a secret written in the file: loaded, with a warning that names
	// the key and not the secret.
	var warnings []string
	ds, err := loadDatasource(write("one.yml", "name: Mine\ntype: kqlhunt-anomaly-datasource\njsonData:\n  workspaceId: $WS\n  additionalWorkspaces: [$WS]\nsecureJsonData:\n  azureClientSecret: written-here\n"),
		"", getenv, func(w string) { warnings = append(warnings, w) })
	if err != nil {
		t.Fatal(err)
	}
	if ds.Name != "Mine" || ds.JSONData["workspaceId"] != env["WS"] || ds.JSONData["additionalWorkspaces"].([]any)[0] != env["WS"] || ds.Secure["azureClientSecret"] != "written-here" {
		t.Errorf("%+v", ds)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "writes secureJsonData.azureClientSecret in the file") || strings.Contains(warnings[0], "written-here") {
		t.Errorf("warnings %q", warnings)
	}

	// A provisioning file: other plugins' datasources are not candidates.
	file := write("many.yml", `apiVersion: 1
datasources:
  - {name: Prometheus, uid: prom, type: prometheus}
  - {name: Hunting, uid: hunt, type: kqlhunt-anomaly-datasource, jsonData: {demoWorkspace: true}, secureJsonData: {azureClientSecret: $SECRET}}
`)
	warnings = nil
	ds, err = loadDatasource(file, "", getenv, func(w string) { warnings = append(warnings, w) })
	if err != nil || ds.UID != "hunt" || ds.Secure["azureClientSecret"] != "from-env" || len(warnings) != 0 {
		t.Errorf("%+v %v %q", ds, err, warnings)
	}
	if _, err := loadDatasource(file, "prom", getenv, func(string) {}); err == nil || !strings.Contains(err.Error(), `no kqlhunt-anomaly-datasource datasource named "prom": it has hunt ("Hunting")`) {
		t.Errorf("picking another plugin's datasource: %v", err)
	}
	if _, err := loadDatasource(write("none.yml", "datasources: []\n"), "", getenv, func(string) {}); err == nil || !strings.Contains(err.Error(), "has no datasource of type") {
		t.Errorf("empty file: %v", err)
	}
	if _, err := loadDatasource(write("bad.yml", "datasources: [\n"), "", getenv, func(string) {}); err == nil || !strings.Contains(err.Error(), "bad.yml") {
		t.Errorf("bad YAML: %v", err)
	}
}
