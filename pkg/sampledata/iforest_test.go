package sampledata

import (
	"context"
	"fmt"
	"testing"

	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
)

// TestIsolationForestFlagsPlantedBinaries does what the notebook does (default query, label
// encoding of InitiatingProcessFileName, IsolationForest with 100 trees, contamination 0.01,
// random_state 42) and checks that every planted binary is among the anomalies, for several
// seeds and sizes. Below about 50,000 rows the one-day query returns so few rows that 1% of them
// cannot hold all 28 planted connections (20,000 rows flag only the dropper).
func TestIsolationForestFlagsPlantedBinaries(t *testing.T) {
	for _, cfg := range []Config{
		{Rows: 500000, Seed: 42, Now: testNow},
		{Rows: 200000, Seed: 7, Now: testNow},
		{Rows: 100000, Seed: 1, Now: testNow},
		{Rows: 50000, Seed: 3, Now: testNow},
	} {
		t.Run(fmt.Sprintf("rows=%d,seed=%d", cfg.Rows, cfg.Seed), func(t *testing.T) {
			if cfg.Rows > 100000 && (testing.Short() || raceEnabled) {
				t.Skip("large table: skipped with -short and -race")
			}
			db := kql.NewDatabase(Generate(cfg))
			res, err := db.Execute(context.Background(), defaultQuery, kql.Options{Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			r := res[0]
			names := make([]string, r.Len())
			for i := range names {
				names[i], _ = r.Value(i, 3).(string)
			}
			codes, _ := iforest.LabelEncodeStrings(names, nil)
			x, err := iforest.MatrixFromCodes(codes)
			if err != nil {
				t.Fatal(err)
			}
			f, err := iforest.New(iforest.DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			labels, err := f.FitPredict(t.Context(), x)
			if err != nil {
				t.Fatal(err)
			}
			flagged := map[string]int{}
			for i, l := range labels {
				if l == -1 {
					flagged[names[i]]++
				}
			}
			for _, p := range []string{DropperFile, ParentFile, ShellFile} {
				if flagged[p] == 0 {
					t.Errorf("%s is not flagged; anomalies: %v", p, flagged)
				}
			}
		})
	}
}
