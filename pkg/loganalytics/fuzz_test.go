package loganalytics

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// FuzzDecodeMatchesReference: on any bytes, the streaming decoder and the encoding/json reference
// give identical answers, or both fail; when the body is valid JSON both fail the same way (the
// same cell, or both not a cell), since the reference only sees cells once the whole body has
// parsed. Bodies outside the wire format's key order are refused by the streaming decoder alone
// (see outsideWireFormat). Every input is also read one byte at a time.
func FuzzDecodeMatchesReference(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		`null`, `{}`, `{"TABLES":[null,{"Name":"x","Columns":null,"Rows":null}]}`,
		body(`[{"name":"D","type":"dynamic"},{"name":"S","type":"guid"}]`, `[[{"a":[1,{"b":"}"}]},"\ud83d\ude00"],[[1,[2,[3]]],"\\"]]`),
		body(`[{"name":"T","type":"datetime"},{"name":"L","type":"long"},{"name":"R","type":"real"}]`, `[["2024-02-29T23:59:59.123456789Z","-0",1e-400],[null,"12.0","Infinity"]]`),
		`{"tables":[],"statistics":{"query":{"executionTime":0.1}},"error":{"code":"PartialError","message":"m","details":[{"innererror":{"code":"c","line":"2","pos":3}}]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		want, refErr := referenceDecode(raw)
		for _, oneByte := range []bool{false, true} {
			var r interface{ Read([]byte) (int, error) } = strings.NewReader(string(raw))
			if oneByte {
				r = iotest.OneByteReader(r)
			}
			got, err := decodeAnswer(r, newMeter(context.Background(), nil))
			if err != nil && !errors.Is(err, ErrDecode) {
				t.Fatalf("error %v is not ErrDecode", err)
			}
			if outsideWireFormat(raw) {
				continue
			}
			switch {
			case refErr == nil && err == nil:
				if d := sameAnswer(got, want); d != "" {
					t.Fatalf("answers differ: %s\nbody %q", d, raw)
				}
			case refErr == nil || err == nil:
				t.Fatalf("streaming error %v, reference error %v\nbody %q", err, refErr, raw)
			default:
				var ce, rce *CellError
				gotCell, refCell := errors.As(err, &ce), errors.As(refErr, &rce)
				if gotCell && refCell && (ce.Table != rce.Table || ce.Column != rce.Column || ce.Row != rce.Row) {
					t.Fatalf("cell errors differ: %v vs %v", err, refErr)
				}
				if refCell && !gotCell {
					t.Fatalf("the reference found a bad cell (%v), the decoder %v\nbody %q", refErr, err, raw)
				}
			}
		}
	})
}

// FuzzCellFastPaths: the allocation-free readers of integers and datetimes agree with the
// general rules wherever they accept a value.
func FuzzCellFastPaths(f *testing.F) {
	for _, s := range []string{"2024-05-01T12:34:56.1234567Z", "2024-02-30T00:00:00Z", "0000-01-01T00:00:00Z", "2024-05-01T24:00:00Z",
		"2024-05-01T12:34:56.Z", "2024-05-01T12:34:56.1234567891Z", "-123", "123456789012345678", "-0", "007"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, ok := timeFast([]byte(s)); ok {
			want, err := parseTimeText(s)
			if err != nil || !got.Equal(want) || got.Location() != want.Location() {
				t.Fatalf("timeFast(%q) = %v, parseTimeText %v, %v", s, got, want, err)
			}
		}
		if got, ok := atoiFast([]byte(s)); ok {
			want, err := parseInt64Text(s)
			if err != nil || got != want {
				t.Fatalf("atoiFast(%q) = %d, parseInt64Text %d, %v", s, got, want, err)
			}
		}
	})
}
