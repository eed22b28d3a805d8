package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// writeCSV prints the primary frame as CSV with a header row. CSV holds one table: when the
// answer has more, warn says which are left out and how to see them.
func writeCSV(w io.Writer, frames data.Frames, warn func(string)) error {
	if len(frames) == 0 {
		return nil
	}
	if len(frames) > 1 {
		warn(fmt.Sprintf("the answer has %d tables; CSV holds the first (%s): use -format json or table for all of them", len(frames), frames[0].Name))
	}
	f := frames[0]
	cw := csv.NewWriter(w)
	header := make([]string, len(f.Fields))
	for c, fld := range f.Fields {
		header[c] = columnName(fld)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	rows, _ := f.RowLen()
	record := make([]string, len(f.Fields))
	for r := 0; r < rows; r++ {
		for c, fld := range f.Fields {
			record[c] = text(fld, r)
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonFrame is one frame of the JSON output: its columns with Grafana's field types, and its rows
// as objects keyed by column, in column order.
type jsonFrame struct {
	Name    string       `json:"name"`
	Columns []jsonColumn `json:"columns"`
	Rows    []orderedRow `json:"rows"`
	Notices []string     `json:"notices,omitempty"`
}

type jsonColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// orderedRow encodes as a JSON object with its keys in column order.
type orderedRow struct {
	keys   []string
	values []any
}

func (r orderedRow) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range r.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kj, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		vj, err := json.Marshal(r.values[i])
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", k, err)
		}
		b.Write(kj)
		b.WriteByte(':')
		b.Write(vj)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// typeName is a field type as the JSON output names it: time, string, bool, json or the Go number
// type (int64, float64, ...), whether or not the field is nullable.
func typeName(t data.FieldType) string {
	switch t = t.NonNullableType(); t {
	case data.FieldTypeTime:
		return "time"
	case data.FieldTypeJSON:
		return "json"
	}
	return t.ItemTypeString()
}

// writeJSON prints {"frames": [...]}: every frame of the answer, the primary result first.
func writeJSON(w io.Writer, frames data.Frames) error {
	out := struct {
		Frames []jsonFrame `json:"frames"`
	}{Frames: []jsonFrame{}}
	for _, f := range frames {
		jf := jsonFrame{Name: f.Name, Columns: []jsonColumn{}, Rows: []orderedRow{}}
		keys := make([]string, len(f.Fields))
		for c, fld := range f.Fields {
			keys[c] = columnName(fld)
			jf.Columns = append(jf.Columns, jsonColumn{Name: keys[c], Type: typeName(fld.Type())})
		}
		rows, _ := f.RowLen()
		for r := 0; r < rows; r++ {
			values := make([]any, len(f.Fields))
			for c, fld := range f.Fields {
				values[c] = jsonValue(fld, r)
			}
			jf.Rows = append(jf.Rows, orderedRow{keys: keys, values: values})
		}
		if f.Meta != nil {
			for _, n := range f.Meta.Notices {
				jf.Notices = append(jf.Notices, n.Text)
			}
		}
		out.Frames = append(out.Frames, jf)
	}
	return json.NewEncoder(w).Encode(out)
}
