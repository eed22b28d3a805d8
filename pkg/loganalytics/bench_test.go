package loganalytics

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkTableFrame measures converting a large answer (the service's
// 500,000-row limit, 8 columns of typical Sentinel types).
func BenchmarkTableFrame(b *testing.B) {
	const rows = 500_000
	var sb strings.Builder
	sb.WriteString("[")
	for r := range rows {
		if r > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `["2024-05-01T00:00:%02d.1234567Z","host-%d",%d,443,0.5,true,"74be27de-1e4e-49d9-b579-fe0b331d3642","{\"k\":%d}"]`, r%60, r%100, r, r)
	}
	sb.WriteString("]")
	t := &wireTable{Name: PrimaryTable, Rows: []byte(sb.String()), Columns: []wireColumn{
		{"TimeGenerated", "datetime"}, {"DeviceName", "string"}, {"Count", "long"}, {"Port", "int"},
		{"Score", "real"}, {"IsRemote", "bool"}, {"DeviceId", "guid"}, {"AdditionalFields", "dynamic"},
	}}
	b.SetBytes(int64(len(t.Rows)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := tableFrame(t)
		if err != nil || f.Rows() != rows {
			b.Fatalf("%v, %d rows", err, f.Rows())
		}
	}
}
