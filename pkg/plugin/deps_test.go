package plugin

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/kqlhunt/anomaly-datasource/"

// deps lists the packages pkg (a path under the module) imports, directly or not, with `go list`.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", module+pkg).CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
	}
	return strings.Fields(string(out))
}

// TestDependenciesPointOneWay keeps the architecture the README describes: the executable links no
// test stand-in, domain packages do not borrow the wire model, and the forest, the KQL engine and
// the pivots know nothing of Grafana.
func TestDependenciesPointOneWay(t *testing.T) {
	for _, tc := range []struct {
		pkg       string
		forbidden []string
	}{
		{"pkg", []string{module + "pkg/internal/"}},
		{"pkg/anomaly", []string{module + "pkg/querymodel", module + "pkg/plugin", module + "pkg/loganalytics"}},
		{"pkg/pivots", []string{module + "pkg/querymodel", "github.com/grafana/"}},
		{"pkg/iforest", []string{"github.com/grafana/", module + "pkg/querymodel"}},
		{"pkg/kql", []string{"github.com/grafana/"}},
		{"pkg/mtrand", []string{"github.com/grafana/"}},
	} {
		for _, dep := range deps(t, tc.pkg) {
			for _, bad := range tc.forbidden {
				if strings.HasPrefix(dep, bad) {
					t.Errorf("%s depends on %s", tc.pkg, dep)
				}
			}
		}
	}
}
