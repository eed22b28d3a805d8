package emulator

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// writeResult streams a 200 answer. Rows are appended cell by cell into one reused scratch buffer
// and flushed through a bufio.Writer, so a 500,000-row answer never exists as a tree of Go values.
// limit (>0) caps the rows of every table; the caller decides whether that is a truncation.
func writeResult(w io.Writer, res *Result, limit int, stats, render bool) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	buf := make([]byte, 0, 4096)
	buf = append(buf, `{"tables":[`...)
	for ti, t := range res.Tables {
		if ti > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `{"name":`...)
		buf = appendJSONString(buf, t.Name)
		buf = append(buf, `,"columns":[`...)
		for ci, c := range t.Columns {
			if ci > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, `{"name":`...)
			buf = appendJSONString(buf, c.Name)
			buf = append(buf, `,"type":`...)
			buf = appendJSONString(buf, c.Type)
			buf = append(buf, '}')
		}
		buf = append(buf, `],"rows":[`...)
		n := t.Len()
		if limit > 0 && n > limit {
			n = limit
		}
		for r := 0; r < n; r++ {
			if r > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, '[')
			for ci, c := range t.Columns {
				if ci > 0 {
					buf = append(buf, ',')
				}
				buf = appendCell(buf, c.Type, t.cell(r, ci))
			}
			buf = append(buf, ']')
			if len(buf) >= 32<<10 {
				if _, err := bw.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
		buf = append(buf, "]}"...)
	}
	buf = append(buf, ']')
	if stats && len(res.Statistics) > 0 {
		buf = append(buf, `,"statistics":`...)
		buf = append(buf, res.Statistics...)
	}
	if render && len(res.Render) > 0 {
		buf = append(buf, `,"render":`...)
		buf = append(buf, res.Render...)
	}
	if res.Error != nil {
		b, err := json.Marshal(res.Error)
		if err != nil {
			return err
		}
		buf = append(buf, `,"error":`...)
		buf = append(buf, b...)
	}
	buf = append(buf, '}')
	if _, err := bw.Write(buf); err != nil {
		return err
	}
	return bw.Flush()
}

// appendCell encodes one cell the way the service does for the column's type. Values of an
// unexpected Go type are still encoded (by their own type), never dropped.
func appendCell(dst []byte, typ string, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...)
	case bool:
		if typ == "string" || typ == "dynamic" {
			return appendJSONString(dst, strconv.FormatBool(x))
		}
		return strconv.AppendBool(dst, x)
	case int64:
		return appendInt(dst, typ, x)
	case int:
		return appendInt(dst, typ, int64(x))
	case int32:
		return appendInt(dst, typ, int64(x))
	case float64:
		return appendReal(dst, typ, x)
	case float32:
		return appendReal(dst, typ, float64(x))
	case string:
		return appendJSONString(dst, x)
	case time.Time:
		dst = append(dst, '"')
		dst = appendDateTime(dst, x)
		return append(dst, '"')
	case time.Duration:
		dst = append(dst, '"')
		dst = appendTimespan(dst, x)
		return append(dst, '"')
	case json.RawMessage:
		if typ == "dynamic" {
			return appendJSONString(dst, string(x))
		}
		if !json.Valid(x) {
			return appendJSONString(dst, string(x))
		}
		return append(dst, x...)
	case []byte:
		return appendJSONString(dst, string(x))
	}
	b, err := json.Marshal(v)
	if err != nil {
		return appendJSONString(dst, fmt.Sprint(v))
	}
	if typ == "dynamic" || typ == "string" {
		return appendJSONString(dst, string(b))
	}
	return append(dst, b...)
}

func appendInt(dst []byte, typ string, x int64) []byte {
	switch typ {
	case "string", "decimal", "dynamic", "guid":
		dst = append(dst, '"')
		dst = strconv.AppendInt(dst, x, 10)
		return append(dst, '"')
	case "bool":
		return strconv.AppendBool(dst, x != 0)
	case "timespan":
		dst = append(dst, '"')
		dst = appendTimespan(dst, time.Duration(x)*100) // Kusto ticks
		return append(dst, '"')
	}
	return strconv.AppendInt(dst, x, 10)
}

func appendReal(dst []byte, typ string, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(dst, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(dst, `"-Infinity"`...)
	}
	switch typ {
	case "long", "int":
		if f == math.Trunc(f) && math.Abs(f) < 1<<63 {
			return strconv.AppendInt(dst, int64(f), 10)
		}
	case "decimal", "string", "dynamic":
		dst = append(dst, '"')
		dst = strconv.AppendFloat(dst, f, 'f', -1, 64)
		return append(dst, '"')
	}
	return strconv.AppendFloat(dst, f, 'g', -1, 64)
}

// appendDateTime writes t in UTC as the service does: seconds, then up to 7 fractional digits
// (100 ns ticks, trailing zeros dropped), then Z.
func appendDateTime(dst []byte, t time.Time) []byte {
	t = t.UTC()
	return t.Truncate(100*time.Nanosecond).AppendFormat(dst, "2006-01-02T15:04:05.9999999Z07:00")
}

// appendTimespan writes d as Kusto's [-][d.]hh:mm:ss[.fffffff] (7 digits of 100 ns ticks).
func appendTimespan(dst []byte, d time.Duration) []byte {
	ticks := int64(d / 100)
	var neg bool
	if ticks < 0 {
		neg = true
	}
	u := uint64(ticks)
	if neg {
		dst = append(dst, '-')
		u = uint64(-ticks) // two's complement handles MinInt64 too
	}
	frac := u % 1e7
	secs := u / 1e7
	days := secs / 86400
	secs %= 86400
	if days > 0 {
		dst = strconv.AppendUint(dst, days, 10)
		dst = append(dst, '.')
	}
	dst = append2(dst, secs/3600)
	dst = append(dst, ':')
	dst = append2(dst, secs/60%60)
	dst = append(dst, ':')
	dst = append2(dst, secs%60)
	if frac > 0 {
		dst = append(dst, '.')
		s := strconv.AppendUint(nil, frac, 10)
		for i := len(s); i < 7; i++ {
			dst = append(dst, '0')
		}
		dst = append(dst, s...)
	}
	return dst
}

func append2(dst []byte, v uint64) []byte {
	return append(dst, byte('0'+v/10), byte('0'+v%10))
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as a JSON string: quotes, backslashes and control characters
// escaped, HTML-sensitive characters and U+2028/U+2029 escaped as encoding/json does, invalid
// UTF-8 replaced with U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
