package loganalytics

import (
	"unicode/utf16"
	"unicode/utf8"
)

// unquote returns a string value's text from its raw bytes (quotes included), as encoding/json
// decodes it: escapes resolved, invalid UTF-8 and lone surrogates each replaced by U+FFFD. The
// result is a slice of raw itself when there is nothing to resolve, else of s.scratch; either way
// valid until the next call.
func (s *scanner) unquote(raw []byte, flags strFlags) []byte {
	body := raw[1 : len(raw)-1]
	if flags&strEscaped == 0 && (flags&strHigh == 0 || utf8.Valid(body)) {
		return body
	}
	out := s.scratch[:0]
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '\\':
			switch e := body[i+1]; e {
			case 'u':
				r := rune(hex4(body[i+2:]))
				i += 6
				if utf16.IsSurrogate(r) {
					if i+6 <= len(body) && body[i] == '\\' && body[i+1] == 'u' {
						if r2 := utf16.DecodeRune(r, rune(hex4(body[i+2:]))); r2 != utf8.RuneError {
							r = r2
							i += 6
						} else {
							r = utf8.RuneError
						}
					} else {
						r = utf8.RuneError
					}
				}
				out = utf8.AppendRune(out, r)
			default:
				out = append(out, unescape[e])
				i += 2
			}
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, n := utf8.DecodeRune(body[i:])
			if r == utf8.RuneError && n == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
			} else {
				out = append(out, body[i:i+n]...)
			}
			i += n
		}
	}
	s.scratch = out
	return out
}

var unescape = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

func hex4(b []byte) int {
	return unhex(b[0])<<12 | unhex(b[1])<<8 | unhex(b[2])<<4 | unhex(b[3])
}
