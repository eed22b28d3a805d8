package macros

import (
	"strings"
)

// parseColumn reads a column argument: a plain name (TimeGenerated), a
// bracketed name (['My column'] or ["x"]) or a string literal ('x'). Anything
// else, such as an expression, is rejected rather than guessed at, since the
// name is re-quoted with QuoteIdentifier and an expression would silently
// become a column that does not exist.
func parseColumn(c call, raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if isPlainIdentifier(s) {
		return s, nil
	}
	inner := s
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		inner = strings.TrimSpace(s[1 : len(s)-1])
	}
	if name, ok := decodeLiteral(inner); ok && name != "" {
		return name, nil
	}
	return "", c.errorf("%q is not a column name; write a name such as TimeGenerated or a bracketed one such as ['Time Generated']", s)
}

// isAll reports whether the values stand for Grafana's "All" selection:
// the custom all value `all` or the `$__all` placeholder, unquoted.
func isAll(items []string) bool {
	if len(items) != 1 {
		return false
	}
	v := strings.TrimSpace(items[0])
	return strings.EqualFold(v, "all") || v == "$__all"
}

// valueItems flattens the value arguments of $__contains/$__escapeMulti into
// one item per value. Grafana hands a multi-value variable over as
// 'a','b' (already split into arguments), as a glob {a,b}, or a user may
// wrap the list in parentheses: ('a','b').
func valueItems(c call, args []string) []string {
	if len(args) == 1 {
		s := strings.TrimSpace(args[0])
		switch {
		case len(s) >= 2 && s[0] == '{' && s[len(s)-1] == '}':
			// Grafana's glob format does not escape values: split on commas.
			args = strings.Split(s[1:len(s)-1], ",")
		case len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')':
			// A parenthesised list; anything else, such as (a)(b), stays one raw value.
			if inner, end, err := splitArgs(s, 0, c.name); err == nil && end == len(s) {
				args = inner
			}
		}
	}
	var items []string
	for _, a := range args {
		if strings.TrimSpace(a) != "" {
			items = append(items, a)
		}
	}
	return items
}

// expandContains turns $__contains(col, values) into ['col'] in ("a", "b"),
// 1 == 1 for the All selection, and 1 == 0 when no value is selected
// (nothing matches, as SQL's IN () would). Quoted values are decoded with
// KQL's rules; unquoted values are taken as written. Each value is then
// re-quoted with QuoteString, so no value can break out of its literal.
func expandContains(c call, _ Env) (string, error) {
	if len(c.args) < 2 {
		return "", c.errorf("needs a column and the values, e.g. $__contains(DeviceName, $device)")
	}
	col, err := parseColumn(c, c.args[0])
	if err != nil {
		return "", err
	}
	items := valueItems(c, c.args[1:])
	if isAll(items) {
		return "1 == 1", nil
	}
	if len(items) == 0 {
		return "1 == 0", nil
	}
	quoted := make([]string, len(items))
	for i, it := range items {
		it = strings.TrimSpace(it)
		if v, ok := decodeLiteral(it); ok {
			it = v
		}
		quoted[i] = QuoteString(it)
	}
	return QuoteIdentifier(col) + " in (" + strings.Join(quoted, ", ") + ")", nil
}

// expandEscapeMulti turns $__escapeMulti('a\b','c') into "a\\b", "c": a
// list of literals for values that hold raw backslashes, such as Windows
// paths or performance counter names. Unlike $__contains, the text between
// the quotes is taken verbatim (a backslash is a backslash), because these
// values reach the backend unescaped.
func expandEscapeMulti(c call, _ Env) (string, error) {
	if len(c.args) == 0 || strings.TrimSpace(strings.Join(c.args, "")) == "" {
		return "", c.errorf("needs the values, e.g. $__escapeMulti($counter)")
	}
	items := valueItems(c, c.args)
	quoted := make([]string, len(items))
	for i, it := range items {
		it = strings.TrimSpace(it)
		if len(it) >= 2 && (it[0] == '\'' || it[0] == '"') && it[len(it)-1] == it[0] {
			it = it[1 : len(it)-1]
		}
		quoted[i] = QuoteString(it)
	}
	return strings.Join(quoted, ", "), nil
}
