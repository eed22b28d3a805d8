package querymodel

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/kqlhunt/anomaly-datasource/pkg/anomaly"
	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
	"github.com/kqlhunt/anomaly-datasource/pkg/pivots"
	"github.com/kqlhunt/anomaly-datasource/pkg/settings"
)

var update = flag.Bool("update", false, "rewrite testdata/defaults.json from the Go defaults")

// defaultsFile is read by the frontend's Jest test (src/), which fails when the editors' defaults or
// validation bounds differ from it; this test fails when it differs from Go's. So a default changed
// on one side alone fails one of the two.
const defaultsFile = "testdata/defaults.json"

// goDefaults is the contract's defaults and limits as the Go packages that own them define them.
func goDefaults() map[string]any {
	nb := anomaly.NotebookOptions()
	f := nb.Forest
	type bound struct {
		Min          float64 `json:"min"`
		MinExclusive bool    `json:"minExclusive,omitempty"`
		Max          float64 `json:"max"`
		Default      any     `json:"default,omitempty"`
	}
	return map[string]any{
		"defaults": map[string]any{
			"queryType": TypeKQL, "kql": DefaultKQL, "timeRangeMode": TimeRangeDashboard,
			"field": nb.Fields[0], "encoding": nb.Encoding, "contamination": f.Contamination.Fraction(),
			"nEstimators": f.NEstimators, "maxSamples": "auto", "randomState": f.RandomState,
			"output": nb.Output, "topN": nb.TopN, "lookback": pivots.DefaultLookback,
			"rowOrder": "canonical", "aggregate": "auto", "searchMode": anomaly.SearchRegex,
		},
		"limits": map[string]any{
			"contamination":       bound{Min: 0, MinExclusive: true, Max: iforest.MaxContamination},
			"nEstimators":         bound{Min: 1, Max: iforest.MaxEstimators},
			"topN":                bound{Min: 1, Max: anomaly.MaxTopN},
			"randomState":         bound{Min: 0, Max: iforest.MaxRandomState},
			"queryTimeoutSeconds": bound{Min: 1, Max: settings.MaxQueryTimeoutSeconds, Default: settings.DefaultQueryTimeoutSeconds},
		},
	}
}

func TestDefaultsFileMatchesGo(t *testing.T) {
	want, err := json.MarshalIndent(goDefaults(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	path := filepath.FromSlash(defaultsFile)
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	_ = json.Unmarshal(want, &w)
	gn, _ := json.Marshal(g)
	wn, _ := json.Marshal(w)
	if !bytes.Equal(gn, wn) {
		t.Fatalf("%s differs from the Go defaults; if Go's are right, run `go test ./pkg/querymodel -run TestDefaultsFile -update` and fix src/ to match.\n got %s\nwant %s", path, gn, wn)
	}
}

// TestDefaultsAreWhatParseGives ties the file to behaviour: an empty query object parses to the
// defaults it lists.
func TestDefaultsAreWhatParseGives(t *testing.T) {
	q, err := Parse([]byte(`{"queryType":"anomaly"}`))
	if err != nil {
		t.Fatal(err)
	}
	d := goDefaults()["defaults"].(map[string]any)
	a := q.Anomaly
	if q.KQL != d["kql"] || q.TimeRangeMode != d["timeRangeMode"] || a.Fields[0] != d["field"] || a.Encoding != d["encoding"] ||
		a.Forest.Contamination.Fraction() != d["contamination"] || a.Forest.NEstimators != d["nEstimators"] ||
		a.Forest.MaxSamples != iforest.MaxSamplesAuto() || a.Forest.RandomState != d["randomState"] || a.Output != d["output"] ||
		a.TopN != d["topN"] || q.Pivot.Lookback != d["lookback"] {
		t.Errorf("Parse of an empty anomaly query: %+v, want %+v", q, d)
	}
}
