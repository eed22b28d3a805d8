package main

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// columnName is a field's name with its labels, as Grafana shows it (Anomalies{DeviceName=x}).
func columnName(f *data.Field) string {
	if len(f.Labels) == 0 {
		return f.Name
	}
	return f.Name + f.Labels.String()
}

// text is row i of f as exact text (CSV): times in RFC 3339 with their fraction, numbers in the
// shortest form that reads back the same, "" for null.
func text(f *data.Field, i int) string {
	v, ok := f.ConcreteAt(i)
	if !ok {
		return ""
	}
	switch v := v.(type) {
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(v), 'g', -1, 32)
	case json.RawMessage:
		return string(v)
	}
	return fmt.Sprint(v)
}

// tableText is row i of f for a person: times to the second, floats to four significant digits,
// and control characters escaped, so that a value cannot break the table or drive the terminal.
func tableText(f *data.Field, i int) string {
	v, ok := f.ConcreteAt(i)
	if !ok {
		return ""
	}
	switch v := v.(type) {
	case time.Time:
		return v.UTC().Format("2006-01-02 15:04:05")
	case float64:
		return strconv.FormatFloat(v, 'g', 4, 64)
	case float32:
		return strconv.FormatFloat(float64(v), 'g', 4, 32)
	}
	return escapeControls(text(f, i))
}

func escapeControls(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case unicode.IsControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// jsonValue is row i of f as a JSON value: numbers exact (int64 beyond 2^53 included), NaN and
// infinities as the strings Log Analytics uses, times as RFC 3339 strings, null for null.
func jsonValue(f *data.Field, i int) any {
	v, ok := f.ConcreteAt(i)
	if !ok {
		return nil
	}
	switch v := v.(type) {
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano)
	case float64:
		return jsonFloat(v)
	case float32:
		return jsonFloat(float64(v))
	case json.RawMessage:
		return v
	}
	return v
}

func jsonFloat(v float64) any {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Infinity"
	case math.IsInf(v, -1):
		return "-Infinity"
	}
	return v
}
