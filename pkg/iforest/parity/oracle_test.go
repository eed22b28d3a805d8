package parity

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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

// runOracle runs the oracle on the cases, split over two interpreter
// processes (scikit-learn fits one tree at a time), and merges the answers.
func runOracle(t *testing.T, cases []map[string]any) *oracleResult {
	t.Helper()
	return runOracleEnv(t, nil, cases)
}

// runOracleEnv is runOracle with extra environment variables for the
// interpreter (diagnostics only; parity itself runs with the environment
// as it is).
func runOracleEnv(t *testing.T, env []string, cases []map[string]any) *oracleResult {
	t.Helper()
	var parts [2][]map[string]any
	for i, c := range cases {
		parts[i%2] = append(parts[i%2], c)
	}
	var results [2]*oracleResult
	var errs [2]error
	var wg sync.WaitGroup
	dir := t.TempDir()
	for i := range parts {
		if len(parts[i]) == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = runOracleProcess(filepath.Join(dir, strconv.Itoa(i)), env, parts[i])
		}()
	}
	wg.Wait()
	merged := &oracleResult{Cases: map[string]json.RawMessage{}}
	for i := range parts {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if results[i] == nil {
			continue
		}
		merged.Sklearn, merged.Numpy = results[i].Sklearn, results[i].Numpy
		for k, v := range results[i].Cases {
			merged.Cases[k] = v
		}
	}
	return merged
}

// runOracleProcess writes a manifest, runs sklearn_oracle.py once and
// decodes its answer.
func runOracleProcess(prefix string, env []string, cases []map[string]any) (*oracleResult, error) {
	manifest := prefix + "-manifest.json"
	b, err := json.Marshal(map[string]any{"cases": cases})
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(manifest, b, 0o644); err != nil {
		return nil, err
	}
	outPath := prefix + "-out.json"
	cmd := exec.Command(python, "sklearn_oracle.py", manifest, outPath)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("scikit-learn oracle failed: %v\n%s", err, out)
	}
	ob, err := os.ReadFile(outPath)
	if err != nil {
		return nil, err
	}
	var res oracleResult
	if err := json.Unmarshal(ob, &res); err != nil {
		return nil, fmt.Errorf("decoding oracle output: %w", err)
	}
	return &res, nil
}
