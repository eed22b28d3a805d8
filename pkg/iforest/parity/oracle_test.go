package parity

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const python = "/usr/bin/python3"

// requireOracle returns when scikit-learn 1.2.x is importable by Debian's
// interpreter. Otherwise the test fails loudly under CI or
// KQLHUNT_REQUIRE_SKLEARN=1, and is skipped loudly elsewhere: parity is
// never reported as passed without running it.
func requireOracle(t *testing.T) {
	t.Helper()
	out, err := exec.Command(python, "-c", "import sklearn, pandas; print(sklearn.__version__)").CombinedOutput()
	version := strings.TrimSpace(string(out))
	if err == nil && strings.HasPrefix(version, "1.2.") {
		return
	}
	msg := "PARITY NOT CHECKED: " + python + " with scikit-learn 1.2.x and pandas is missing (" +
		strings.TrimSpace(version) + "); install with: apt-get update && apt-get install -y python3-sklearn python3-pandas"
	if os.Getenv("CI") != "" || os.Getenv("KQLHUNT_REQUIRE_SKLEARN") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// oracleResult is sklearn_oracle.py's output.
type oracleResult struct {
	Sklearn string                     `json:"sklearn"`
	Numpy   string                     `json:"numpy"`
	Cases   map[string]json.RawMessage `json:"cases"`
}

// runOracle writes the manifest, runs the oracle once for all cases and
// decodes its answer.
func runOracle(t *testing.T, cases []map[string]any) *oracleResult {
	t.Helper()
	dir := t.TempDir()
	manifest := filepath.Join(dir, "manifest.json")
	b, err := json.Marshal(map[string]any{"cases": cases})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(manifest, b, 0o644); err != nil {
		t.Fatal(err)
	}
	outPath := filepath.Join(dir, "out.json")
	cmd := exec.Command(python, "sklearn_oracle.py", manifest, outPath)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("scikit-learn oracle failed: %v\n%s", err, out)
	}
	ob, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatal(err)
	}
	var res oracleResult
	if err := json.Unmarshal(ob, &res); err != nil {
		t.Fatalf("decoding oracle output: %v", err)
	}
	return &res
}
