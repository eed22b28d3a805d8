package macros

import (
	"sort"
	"strings"
	"time"
)

// Env carries what the macros expand to: the query's time range and the
// interval Grafana chose for it (query.Interval in the backend request).
type Env struct {
	From, To time.Time
	Interval time.Duration
}

// macroFunc expands one macro. args is nil when the macro was written
// without parentheses, otherwise the raw text of each comma-separated
// argument (untrimmed); off is the macro's offset for error positions.
type macroFunc func(c call, env Env) (string, error)

// call is one macro occurrence found in the query.
type call struct {
	src   string   // the whole query, for error positions
	off   int      // offset of the '$'
	name  string   // "$__timeFilter"
	args  []string // nil without parentheses
	paren bool     // written with parentheses
}

func (c call) errorf(format string, args ...any) error {
	return newError(c.src, c.off, c.name, format, args...)
}

// macros maps each known macro name to its expansion.
var macros = map[string]macroFunc{
	"$__timeFilter":  expandTimeFilter,
	"$__timeFrom":    expandTimeFrom,
	"$__timeTo":      expandTimeTo,
	"$__interval":    expandInterval,
	"$__interval_ms": expandIntervalMs,
	"$__contains":    expandContains,
	"$__escapeMulti": expandEscapeMulti,
}

// Known returns the names of the macros Expand understands, sorted.
func Known() []string {
	names := make([]string, 0, len(macros))
	for n := range macros {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Expand replaces every macro in kql, outside string literals and comments,
// with its KQL text. Any $__name it does not define is an error (wrapping
// ErrUnknownMacro) that lists the known macros, because the service would
// otherwise answer with a parse error pointing at a '$'. All errors are
// *Error values wrapping ErrMacro.
func Expand(kql string, env Env) (string, error) {
	var out strings.Builder
	out.Grow(len(kql))
	for i := 0; i < len(kql); {
		if end := literalEnd(kql, i); end >= 0 {
			out.WriteString(kql[i:end])
			i = end
			continue
		}
		if !strings.HasPrefix(kql[i:], "$__") {
			out.WriteByte(kql[i])
			i++
			continue
		}
		j := i + 3
		for j < len(kql) && isIdentByte(kql[j]) {
			j++
		}
		c := call{src: kql, off: i, name: kql[i:j]}
		fn, ok := macros[c.name]
		if !ok {
			e := newError(kql, i, c.name, "unknown macro; known macros are %s", strings.Join(Known(), ", "))
			e.kind = ErrUnknownMacro
			return "", e
		}
		if j < len(kql) && kql[j] == '(' {
			args, end, err := splitArgs(kql, j, c.name)
			if err != nil {
				return "", err
			}
			c.args, c.paren = args, true
			j = end
		}
		text, err := fn(c, env)
		if err != nil {
			return "", err
		}
		out.WriteString(text)
		i = j
	}
	return out.String(), nil
}

// splitArgs reads the parenthesised argument list that starts at src[open]
// and returns the raw top-level arguments and the offset just past the
// closing parenthesis. Brackets nest, string literals and comments are
// stepped over, and a missing or mismatched closer is an error.
func splitArgs(src string, open int, name string) ([]string, int, error) {
	closer := map[byte]byte{'(': ')', '[': ']', '{': '}'}
	var stack []byte
	var stackPos []int
	var args []string
	start := open + 1
	for i := open; i < len(src); {
		if end := literalEnd(src, i); end >= 0 {
			i = end
			continue
		}
		c := src[i]
		switch c {
		case '(', '[', '{':
			stack = append(stack, closer[c])
			stackPos = append(stackPos, i)
		case ')', ']', '}':
			if len(stack) == 0 || stack[len(stack)-1] != c {
				return nil, 0, newError(src, i, name, "unbalanced brackets: unexpected %q in the arguments", string(c))
			}
			stack = stack[:len(stack)-1]
			stackPos = stackPos[:len(stackPos)-1]
			if len(stack) == 0 {
				return append(args, src[start:i]), i + 1, nil
			}
		case ',':
			if len(stack) == 1 {
				args = append(args, src[start:i])
				start = i + 1
			}
		}
		i++
	}
	return nil, 0, newError(src, stackPos[len(stackPos)-1], name, "unbalanced parentheses: %q is never closed", string(src[stackPos[len(stackPos)-1]]))
}
