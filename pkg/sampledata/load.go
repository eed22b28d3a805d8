package sampledata

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
)

// LoadFile reads one file into one table named after the file (its base name without extension,
// so DeviceNetworkEvents.jsonl becomes DeviceNetworkEvents):
//
//   - .jsonl, .ndjson, .json: JSON Lines, one object per line (blank lines skipped). Columns are the
//     keys in order of first appearance; a key missing from a line is null there.
//   - .csv: a header row, then one row per line (RFC 4180 quoting). An empty cell is null (an empty
//     string in string columns).
//
// A column's type comes from its name when written Name:type (type one of bool, datetime,
// dynamic, guid, int, long, real, string, timespan, decimal; e.g. "TimeGenerated:datetime"), in a
// CSV header or as a JSON key. Otherwise it is inferred from every value of the column: all
// true/false gives bool; all integers, long; all numbers, real; all ISO 8601 / RFC 3339 times,
// datetime; JSON objects or arrays, dynamic; anything else, string. A value that does not fit a
// declared type is an error naming the file, line and column.
func LoadFile(path string) (*kql.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	base := filepath.Base(path)
	ext := strings.ToLower(filepath.Ext(base))
	name := strings.TrimSuffix(base, filepath.Ext(base))
	var t *kql.Table
	switch ext {
	case ".jsonl", ".ndjson", ".json":
		t, err = LoadJSONLines(name, f)
	case ".csv":
		t, err = LoadCSV(name, f)
	default:
		return nil, fmt.Errorf("%s: unknown data file type %q (want .jsonl, .ndjson, .json or .csv)", path, ext)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// rawColumn collects one column's raw cells before its type is settled.
type rawColumn struct {
	name     string
	declared kql.Type // "" when inferred
	cells    []any    // nil (null), string (CSV text or JSON string), json.Number, bool, json.RawMessage
}

// LoadCSV reads a CSV stream (see LoadFile) into a table called name.
func LoadCSV(name string, r io.Reader) (*kql.Table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("empty CSV: the first line must be a header")
	}
	if err != nil {
		return nil, err
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	cols := make([]*rawColumn, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		c, err := parseColumnName(h)
		if err != nil {
			return nil, fmt.Errorf("header column %d: %w", i+1, err)
		}
		if seen[c.name] {
			return nil, fmt.Errorf("header: column %q appears twice", c.name)
		}
		seen[c.name] = true
		cols[i] = c
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) > len(cols) {
			return nil, fmt.Errorf("line %d: %d fields, the header has %d", line, len(rec), len(cols))
		}
		for i, c := range cols {
			var v any
			if i < len(rec) && rec[i] != "" {
				v = rec[i]
			}
			c.cells = append(c.cells, v)
		}
	}
	return build(name, cols, "row")
}

// LoadJSONLines reads JSON Lines (see LoadFile) into a table called name.
func LoadJSONLines(name string, r io.Reader) (*kql.Table, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	var cols []*rawColumn
	index := map[string]int{}
	rows := 0
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if line == 1 {
			text = bytes.TrimPrefix(text, []byte("\ufeff"))
		}
		if len(text) == 0 {
			continue
		}
		keys, values, err := decodeObject(text)
		if err != nil {
			return nil, fmt.Errorf("line %d: not a JSON object: %v", line, err)
		}
		for k, key := range keys {
			raw := values[k]
			c, err := parseColumnName(key)
			if err != nil {
				return nil, fmt.Errorf("line %d: key %q: %w", line, key, err)
			}
			i, ok := index[c.name]
			if !ok {
				i = len(cols)
				index[c.name] = i
				c.cells = make([]any, rows)
				cols = append(cols, c)
			} else if c.declared != "" && cols[i].declared != "" && c.declared != cols[i].declared {
				return nil, fmt.Errorf("line %d: column %q declared as %s and %s", line, c.name, cols[i].declared, c.declared)
			} else if c.declared != "" {
				cols[i].declared = c.declared
			}
			v, err := jsonCell(raw)
			if err != nil {
				return nil, fmt.Errorf("line %d: column %q: %v", line, c.name, err)
			}
			if len(cols[i].cells) > rows {
				return nil, fmt.Errorf("line %d: column %q appears twice", line, c.name)
			}
			cols[i].cells = append(cols[i].cells, v)
		}
		rows++
		for _, c := range cols {
			if len(c.cells) < rows {
				c.cells = append(c.cells, nil)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return build(name, cols, "line")
}

// decodeObject reads one JSON object keeping its keys in order (columns come in the order they
// first appear, which a Go map would lose).
func decodeObject(text []byte) ([]string, []json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, nil, fmt.Errorf("found %v", tok)
	}
	var keys []string
	var values []json.RawMessage
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, err
		}
		keys, values = append(keys, key), append(values, raw)
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, err
	}
	if dec.More() {
		return nil, nil, errors.New("more than one value on the line")
	}
	return keys, values, nil
}

// jsonCell turns a JSON value into a raw cell.
func jsonCell(raw json.RawMessage) (any, error) {
	t := bytes.TrimSpace(raw)
	switch {
	case len(t) == 0 || string(t) == "null":
		return nil, nil
	case t[0] == '"':
		var s string
		err := json.Unmarshal(t, &s)
		return s, err
	case t[0] == '{' || t[0] == '[':
		return json.RawMessage(append([]byte(nil), t...)), nil
	case string(t) == "true" || string(t) == "false":
		return string(t) == "true", nil
	}
	return json.Number(string(t)), nil
}

var kqlTypes = map[string]kql.Type{
	"bool": kql.TypeBool, "boolean": kql.TypeBool, "datetime": kql.TypeDateTime, "date": kql.TypeDateTime,
	"dynamic": kql.TypeDynamic, "guid": kql.TypeGUID, "uniqueid": kql.TypeGUID, "int": kql.TypeInt, "long": kql.TypeLong,
	"real": kql.TypeReal, "double": kql.TypeReal, "string": kql.TypeString, "timespan": kql.TypeTimespan,
	"time": kql.TypeTimespan, "decimal": kql.TypeDecimal,
}

// parseColumnName splits "Name:type".
func parseColumnName(h string) (*rawColumn, error) {
	h = strings.TrimSpace(h)
	name, typ, hasType := strings.Cut(h, ":")
	c := &rawColumn{name: strings.TrimSpace(name)}
	if c.name == "" {
		return nil, errors.New("empty column name")
	}
	if hasType {
		t, ok := kqlTypes[strings.ToLower(strings.TrimSpace(typ))]
		if !ok {
			return nil, fmt.Errorf("unknown type %q in %q", typ, h)
		}
		c.declared = t
	}
	return c, nil
}

// build settles each column's type and makes the table.
func build(name string, cols []*rawColumn, unit string) (*kql.Table, error) {
	schema := make([]kql.ColumnSchema, len(cols))
	for i, c := range cols {
		t := c.declared
		if t == "" {
			t = infer(c.cells)
		}
		schema[i] = kql.ColumnSchema{Name: c.name, Type: t}
	}
	tbl := kql.NewTable(name, schema)
	n := 0
	if len(cols) > 0 {
		n = len(cols[0].cells)
	}
	row := make([]any, len(cols))
	for r := 0; r < n; r++ {
		for i, c := range cols {
			v, err := convert(c.cells[r], schema[i].Type)
			if err != nil {
				return nil, fmt.Errorf("%s %d, column %q (%s): %v", unit, r+1, c.name, schema[i].Type, err)
			}
			row[i] = v
		}
		if err := tbl.AppendRow(row...); err != nil {
			return nil, fmt.Errorf("%s %d: %v", unit, r+1, err)
		}
	}
	return tbl, nil
}

// infer picks the narrowest type every non-null cell fits.
func infer(cells []any) kql.Type {
	candidates := []kql.Type{kql.TypeBool, kql.TypeLong, kql.TypeReal, kql.TypeDateTime, kql.TypeDynamic}
	seen := false
	for _, v := range cells {
		if v == nil {
			continue
		}
		seen = true
		kept := candidates[:0]
		for _, t := range candidates {
			if fits(v, t) {
				kept = append(kept, t)
			}
		}
		candidates = kept
		if len(candidates) == 0 {
			return kql.TypeString
		}
	}
	if !seen {
		return kql.TypeString
	}
	return candidates[0]
}

func fits(v any, t kql.Type) bool {
	switch t {
	case kql.TypeDynamic:
		_, ok := v.(json.RawMessage)
		return ok
	case kql.TypeBool:
		switch x := v.(type) {
		case bool:
			return true
		case string:
			return strings.EqualFold(x, "true") || strings.EqualFold(x, "false")
		}
		return false
	case kql.TypeLong:
		s, ok := numberText(v)
		if !ok {
			return false
		}
		_, err := strconv.ParseInt(s, 10, 64)
		return err == nil
	case kql.TypeReal:
		s, ok := numberText(v)
		if !ok {
			return false
		}
		_, err := strconv.ParseFloat(s, 64)
		return err == nil && !strings.EqualFold(s, "nan") && !strings.Contains(strings.ToLower(s), "inf")
	case kql.TypeDateTime:
		s, ok := v.(string)
		if !ok || len(s) < 10 || s[4] != '-' {
			return false
		}
		_, err := parseTime(s)
		return err == nil
	}
	return false
}

func numberText(v any) (string, bool) {
	switch x := v.(type) {
	case json.Number:
		return string(x), true
	case string:
		return strings.TrimSpace(x), true
	}
	return "", false
}

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02 15:04:05.9999999Z07:00", "2006-01-02 15:04:05.9999999", "2006-01-02"}

func parseTime(s string) (time.Time, error) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, strings.TrimSpace(s)); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 time", s)
}

// convert turns a raw cell into the Go value kql stores for type t.
func convert(v any, t kql.Type) (any, error) {
	if v == nil {
		if t == kql.TypeString || t == kql.TypeGUID {
			return "", nil
		}
		return nil, nil
	}
	text := ""
	switch x := v.(type) {
	case string:
		text = x
	case json.Number:
		text = string(x)
	case bool:
		text = strconv.FormatBool(x)
	case json.RawMessage:
		text = string(x)
	}
	switch t {
	case kql.TypeBool:
		switch strings.ToLower(strings.TrimSpace(text)) {
		case "true", "1":
			return true, nil
		case "false", "0":
			return false, nil
		}
		return nil, fmt.Errorf("%q is not a bool", text)
	case kql.TypeInt, kql.TypeLong:
		n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", text)
		}
		if t == kql.TypeInt && (n > math.MaxInt32 || n < math.MinInt32) {
			return nil, fmt.Errorf("%d does not fit an int", n)
		}
		return n, nil
	case kql.TypeReal:
		switch strings.TrimSpace(text) {
		case "NaN":
			return math.NaN(), nil
		case "Infinity":
			return math.Inf(1), nil
		case "-Infinity":
			return math.Inf(-1), nil
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", text)
		}
		return f, nil
	case kql.TypeDateTime:
		return parseTime(text)
	case kql.TypeTimespan:
		return parseTimespan(text)
	case kql.TypeDynamic:
		if _, isRaw := v.(json.RawMessage); isRaw {
			return text, nil
		}
		if _, isNum := v.(json.Number); isNum {
			return text, nil
		}
		if _, isBool := v.(bool); isBool {
			return text, nil
		}
		if json.Valid([]byte(text)) && strings.TrimSpace(text) != "" {
			return text, nil // CSV cells hold JSON text
		}
		b, _ := json.Marshal(text) // a JSON string value
		return string(b), nil
	}
	return text, nil // string, guid, decimal
}

// parseTimespan reads Kusto's [-][d.]hh:mm:ss[.fffffff] or a Go duration such as 90m.
func parseTimespan(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if d, err := time.ParseDuration(s); err == nil {
		return d, nil
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var days int64
	if dot, colon := strings.IndexByte(s, '.'), strings.IndexByte(s, ':'); dot >= 0 && dot < colon {
		d, err := strconv.ParseInt(s[:dot], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a timespan", s)
		}
		days, s = d, s[dot+1:]
	}
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, fmt.Errorf("%q is not a timespan ([d.]hh:mm:ss[.fffffff])", s)
	}
	h, err1 := strconv.ParseInt(parts[0], 10, 64)
	m, err2 := strconv.ParseInt(parts[1], 10, 64)
	sec, err3 := strconv.ParseFloat(parts[2], 64)
	if err1 != nil || err2 != nil || err3 != nil || m > 59 || sec >= 60 || h < 0 || m < 0 || sec < 0 || days > 100000 {
		return 0, fmt.Errorf("%q is not a timespan ([d.]hh:mm:ss[.fffffff])", s)
	}
	d := time.Duration(days)*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(math.Round(sec*1e7))*100
	if neg {
		d = -d
	}
	return d, nil
}
