package loganalytics

// The scan functions take the value's start (s.pos) and return its end in buf; they call more()
// when they reach s.end, which may move the data to the front of buf (then start and i shift by
// the same amount: they work relative to s.pos).

func (s *scanner) scanString(start int) (int, strFlags, error) {
	var flags strFlags
	i := start + 1 - s.pos
	for {
		for s.pos+i < s.end {
			c := s.buf[s.pos+i]
			if plain[c] {
				i++
				continue
			}
			switch {
			case c == '"':
				return s.pos + i + 1, flags, nil
			case c == '\\':
				n, err := s.scanEscape(i)
				if err != nil {
					return 0, 0, err
				}
				flags |= strEscaped
				i += n
			case c < 0x20:
				return 0, 0, s.errAt(s.pos+i, "invalid character %s in a string", quoteChar(c))
			default:
				flags |= strHigh
				i++
			}
		}
		if !s.more() {
			return 0, 0, s.fail(s.end)
		}
	}
}

// scanEscape checks the escape at s.pos+i and returns its length.
func (s *scanner) scanEscape(i int) (int, error) {
	for s.pos+i+1 >= s.end {
		if !s.more() {
			return 0, s.fail(s.end)
		}
	}
	switch c := s.buf[s.pos+i+1]; c {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, nil
	case 'u':
		for s.pos+i+6 > s.end {
			if !s.more() {
				return 0, s.fail(s.end)
			}
		}
		for _, h := range s.buf[s.pos+i+2 : s.pos+i+6] {
			if unhex(h) < 0 {
				return 0, s.errAt(s.pos+i, "invalid \\u escape in a string")
			}
		}
		return 6, nil
	default:
		return 0, s.errAt(s.pos+i+1, "invalid escape %s in a string", quoteChar(c))
	}
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return int(c - 'A' + 10)
	}
	return -1
}

// at returns the byte at s.pos+i, reading more if needed; ok is false at the end of the input.
func (s *scanner) at(i int) (byte, bool) {
	for s.pos+i >= s.end {
		if !s.more() {
			return 0, false
		}
	}
	return s.buf[s.pos+i], true
}

// scanNumber checks JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) scanNumber(start int) (int, error) {
	i := start - s.pos
	c, _ := s.at(i)
	if c == '-' {
		i++
	}
	digits := func(min1 bool) (int, error) {
		n := 0
		for {
			c, ok := s.at(i)
			if !ok || c < '0' || c > '9' {
				if min1 && n == 0 {
					if !ok {
						return 0, s.fail(s.pos + i)
					}
					return 0, s.errAt(s.pos+i, "invalid character %s in a number, expected a digit", quoteChar(c))
				}
				return n, nil
			}
			i++
			n++
		}
	}
	if c, ok := s.at(i); ok && c == '0' {
		i++
	} else if _, err := digits(true); err != nil {
		return 0, err
	}
	if c, ok := s.at(i); ok && c == '.' {
		i++
		if _, err := digits(true); err != nil {
			return 0, err
		}
	}
	if c, ok := s.at(i); ok && (c == 'e' || c == 'E') {
		i++
		if c, ok := s.at(i); ok && (c == '+' || c == '-') {
			i++
		}
		if _, err := digits(true); err != nil {
			return 0, err
		}
	}
	if s.rerr != nil {
		return 0, s.fail(s.pos + i)
	}
	return s.pos + i, nil
}

func (s *scanner) scanLiteral(start int, lit string) (int, error) {
	i := start - s.pos
	for k := 0; k < len(lit); k++ {
		c, ok := s.at(i + k)
		if !ok {
			return 0, s.fail(s.pos + i + k)
		}
		if c != lit[k] {
			return 0, s.errAt(s.pos+i+k, "invalid character %s in literal %s", quoteChar(c), lit)
		}
	}
	return s.pos + i + len(lit), nil
}

// scanComposite checks a whole object or array (a dynamic cell sent as JSON, or a part of the
// answer that is skipped), to any depth up to maxDepth.
func (s *scanner) scanComposite(start int) (int, error) {
	const maxDepth = 10000
	var stack []byte // closers
	i := start - s.pos
	for {
		c, ok := s.skipSpaceAt(&i)
		if !ok {
			return 0, s.fail(s.pos + i)
		}
		// A value is expected here.
		switch {
		case c == '{' || c == '[':
			if len(stack) >= maxDepth {
				return 0, s.errAt(s.pos+i, "values nested deeper than %d", maxDepth)
			}
			closer := byte('}')
			if c == '[' {
				closer = ']'
			}
			stack = append(stack, closer)
			i++
			c, ok = s.skipSpaceAt(&i)
			if !ok {
				return 0, s.fail(s.pos + i)
			}
			if c == closer {
				i++
				stack = stack[:len(stack)-1]
				break
			}
			if closer == '}' {
				if err := s.scanKeyAt(&i); err != nil {
					return 0, err
				}
			}
			continue
		default:
			end, err := s.scanScalarAt(i)
			if err != nil {
				return 0, err
			}
			i = end - s.pos
		}
		// After a value: a separator or closers.
		for {
			if len(stack) == 0 {
				return s.pos + i, nil
			}
			c, ok := s.skipSpaceAt(&i)
			if !ok {
				return 0, s.fail(s.pos + i)
			}
			closer := stack[len(stack)-1]
			if c == closer {
				i++
				stack = stack[:len(stack)-1]
				continue
			}
			if c != ',' {
				return 0, s.errAt(s.pos+i, "invalid character %s, expected ',' or '%c'", quoteChar(c), closer)
			}
			i++
			if closer == '}' {
				if err := s.scanKeyAt(&i); err != nil {
					return 0, err
				}
			}
			break
		}
	}
}

// skipSpaceAt skips white space from s.pos+*i and returns the byte there.
func (s *scanner) skipSpaceAt(i *int) (byte, bool) {
	for {
		c, ok := s.at(*i)
		if !ok {
			return 0, false
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			*i++
		default:
			return c, true
		}
	}
}

// scanKeyAt checks `"key" :` at s.pos+*i.
func (s *scanner) scanKeyAt(i *int) error {
	c, ok := s.skipSpaceAt(i)
	if !ok {
		return s.fail(s.pos + *i)
	}
	if c != '"' {
		return s.errAt(s.pos+*i, "invalid character %s, expected a string key", quoteChar(c))
	}
	end, _, err := s.scanString(s.pos + *i)
	if err != nil {
		return err
	}
	*i = end - s.pos
	c, ok = s.skipSpaceAt(i)
	if !ok {
		return s.fail(s.pos + *i)
	}
	if c != ':' {
		return s.errAt(s.pos+*i, "invalid character %s after an object key, expected ':'", quoteChar(c))
	}
	*i++
	return nil
}

// scanScalarAt checks a string, number or literal at s.pos+i and returns its end.
func (s *scanner) scanScalarAt(i int) (int, error) {
	c, _ := s.at(i)
	switch {
	case c == '"':
		end, _, err := s.scanString(s.pos + i)
		return end, err
	case c == '-' || (c >= '0' && c <= '9'):
		return s.scanNumber(s.pos + i)
	case c == 't':
		return s.scanLiteral(s.pos+i, "true")
	case c == 'f':
		return s.scanLiteral(s.pos+i, "false")
	case c == 'n':
		return s.scanLiteral(s.pos+i, "null")
	}
	return 0, s.errAt(s.pos+i, "invalid character %s, expected a value", quoteChar(c))
}
