package loganalytics

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// cellsOf reads a rows array with scanRows into cells.
func cellsOf(b []byte) ([][]string, error) {
	var out [][]string
	err := scanRows(bytes.TrimSpace(b),
		func(r, _ int, v []byte) error {
			if r == len(out) {
				out = append(out, []string{})
			}
			out[r] = append(out[r], string(v))
			return nil
		},
		func(r, _ int) error {
			if r == len(out) {
				out = append(out, []string{})
			}
			return nil
		})
	return out, err
}

// referenceRows reads the same array with encoding/json.
func referenceRows(b []byte) ([][]string, bool) {
	var rows [][]json.RawMessage
	if err := json.Unmarshal(b, &rows); err != nil {
		return nil, false
	}
	out := make([][]string, len(rows))
	for i, row := range rows {
		out[i] = []string{}
		for _, c := range row {
			out[i] = append(out[i], string(bytes.TrimSpace(c)))
		}
	}
	return out, true
}

func sameRows(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

var rowSamples = []string{
	`[]`,
	`[[]]`,
	`[[1,2],[3,4]]`,
	` [ [ "a" , null , true ] , [ "b\"]," , -1.5e3 , false ] ] `,
	`[["[{\"x\":\"]\"}]", {"a":[1,{"b":"}"}]}, [1,[2,[3]]], "\\"]]`,
	"[[\"tab\\there\", \"ünï\"],\n[\"\", 0]]",
}

func TestRowScannerMatchesEncodingJSON(t *testing.T) {
	samples := append([]string{}, rowSamples...)
	files, _ := filepath.Glob("testdata/*.json")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r wireResponse
		if json.Unmarshal(b, &r) == nil {
			for _, tb := range r.Tables {
				samples = append(samples, string(tb.Rows))
			}
		}
	}
	for _, s := range samples {
		want, ok := referenceRows([]byte(s))
		if !ok {
			t.Fatalf("sample is not rows: %s", s)
		}
		got, err := cellsOf([]byte(s))
		if err != nil || !sameRows(got, want) {
			t.Errorf("scan(%s) = %q, %v; want %q", s, got, err, want)
		}
	}
}

func TestRowScannerRejectsOtherShapes(t *testing.T) {
	for _, s := range []string{`{}`, `[1]`, `[[1] [2]]`, `[["a"`, `[[1,]]`, `"x"`} {
		if got, err := cellsOf([]byte(s)); err == nil {
			t.Errorf("scan(%s) = %q, want an error", s, got)
		}
	}
}

// FuzzRowScanner: on any valid JSON the scanner must not panic, and where
// encoding/json reads rows it must find the same cells.
func FuzzRowScanner(f *testing.F) {
	for _, s := range rowSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !json.Valid([]byte(s)) {
			return
		}
		got, err := cellsOf([]byte(s))
		if want, ok := referenceRows([]byte(s)); ok && (err != nil || !sameRows(got, want)) {
			t.Errorf("scan(%s) = %q, %v; want %q", s, got, err, want)
		}
	})
}
