package anomaly_test

import (
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/anomaly"
	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
	"github.com/kqlhunt/anomaly-datasource/pkg/sampledata"
)

// notebookFrame returns a 200,000-row frame as the client gives it for the notebook's columns:
// the sample table's rows (all of them, not only the last day's) projected as the default query
// projects them.
func notebookFrame(b *testing.B, rows int) *data.Frame {
	b.Helper()
	var q loganalytics.Querier = sample(b, sampledata.Config{Rows: rows, Seed: 42, Now: now})
	f := query(b, q, "DeviceNetworkEvents | project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort")
	if f.Rows() != rows {
		b.Fatalf("%d rows, want %d", f.Rows(), rows)
	}
	return f
}

// BenchmarkScoreNotebook200k is the notebook's scoring (label encoding, 100 trees, contamination
// 0.01) of 200,000 rows, then each output.
func BenchmarkScoreNotebook200k(b *testing.B) {
	frame := notebookFrame(b, 200000)
	for _, output := range []string{anomaly.OutputRows, anomaly.OutputAnomalies, anomaly.OutputTop, anomaly.OutputCount, anomaly.OutputCountByValue, anomaly.OutputSeries} {
		b.Run(output, func(b *testing.B) {
			o := anomaly.NotebookOptions()
			o.Output = output
			b.ReportAllocs()
			for b.Loop() {
				if _, err := anomaly.Score(frame, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("search", func(b *testing.B) {
		o := anomaly.NotebookOptions()
		o.Search = &anomaly.Search{Column: "InitiatingProcessFileName", Value: "CHROME"}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := anomaly.Score(frame, o); err != nil {
				b.Fatal(err)
			}
		}
	})
}
