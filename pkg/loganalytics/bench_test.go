package loganalytics

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkDecodeAnswer measures the decoder alone on a large answer (the service's
// 500,000-row limit, 8 columns of typical Sentinel types, every type's common form).
func BenchmarkDecodeAnswer(b *testing.B) {
	const rows = 500_000
	var sb strings.Builder
	sb.WriteString(`{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},` +
		`{"name":"DeviceName","type":"string"},{"name":"Count","type":"long"},{"name":"Port","type":"int"},` +
		`{"name":"Score","type":"real"},{"name":"IsRemote","type":"bool"},{"name":"DeviceId","type":"guid"},` +
		`{"name":"AdditionalFields","type":"dynamic"}],"rows":[`)
	for r := range rows {
		if r > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `["2024-05-01T00:00:%02d.1234567Z","host-%d",%d,443,0.5,true,"74be27de-1e4e-49d9-b579-fe0b331d3642","{\"k\":%d}"]`, r%60, r%100, r, r%1000)
	}
	sb.WriteString("]}]}")
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		a, err := decodeAnswer(bytes.NewReader(body), newMeter(context.Background(), nil))
		if err != nil || a.tables[0].frame.Rows() != rows {
			b.Fatalf("%v", err)
		}
	}
}
