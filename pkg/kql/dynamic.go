package kql

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Dynamic values are stored as compact JSON text. Accessors parse the text
// of each row they read; that is slower than the typed columns but keeps
// dynamic columns (such as AdditionalFields) usable without a second
// representation.

func init() {
	scalarFuncs["parse_json"] = scalarFunc{1, 1, fnParseJSON}
	scalarFuncs["todynamic"] = scalarFunc{1, 1, fnParseJSON}
	scalarFuncs["array_length"] = scalarFunc{1, 1, fnArrayLength}
}

// index compiles d.name, d["name"] and d[i]: the member or element as a
// dynamic value, null when missing (negative indices count from the end).
func (c *compiler) index(e *indexExpr) *cexpr {
	x, k := c.compile(e.x), c.compile(e.key)
	if x.typ != TypeDynamic {
		c.fail(e.at, "only dynamic values have members or elements, not %s", x.typ)
	}
	if !isStringy(k.typ) && !isIntLike(k.typ) {
		c.fail(e.key.pos(), "a member name must be a string and an element index a number, not %s", k.typ)
	}
	xe, ke, byName := x.eval, k.eval, isStringy(k.typ)
	return foldExpr(&cexpr{typ: TypeDynamic, col: -1, eval: func(r int) value {
		v, key := xe(r), ke(r)
		if v.null || key.null {
			return nullValue
		}
		var member json.RawMessage
		if byName {
			var obj map[string]json.RawMessage
			if json.Unmarshal([]byte(v.s), &obj) != nil {
				return nullValue
			}
			m, ok := obj[key.s]
			if !ok {
				return nullValue
			}
			member = m
		} else {
			var arr []json.RawMessage
			if json.Unmarshal([]byte(v.s), &arr) != nil {
				return nullValue
			}
			i := key.i
			if i < 0 {
				i += int64(len(arr))
			}
			if i < 0 || i >= int64(len(arr)) {
				return nullValue
			}
			member = arr[i]
		}
		if string(member) == "null" {
			return nullValue
		}
		return value{s: string(member)} // compact already: it came from compact text
	}}, x, k)
}

// fnParseJSON turns JSON text into a dynamic value; text that is not JSON
// becomes a dynamic string, as Kusto does.
func fnParseJSON(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	if a[0].typ == TypeDynamic {
		return a[0]
	}
	se := converter(a[0], TypeString)
	return &cexpr{typ: TypeDynamic, col: -1, eval: func(r int) value {
		s := se(r).s
		var b strings.Builder
		if strings.TrimSpace(s) == "" {
			return nullValue
		}
		if compactJSON(&b, s) == nil {
			if b.String() == "null" {
				return nullValue
			}
			return value{s: b.String()}
		}
		return value{s: string(appendJSONString(nil, s))}
	}}
}

// fnArrayLength is the number of elements of a dynamic array, null for
// anything else.
func fnArrayLength(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	c.argType(call, 0, a[0], a[0].typ == TypeDynamic)
	ae := a[0].eval
	return &cexpr{typ: TypeLong, col: -1, eval: func(r int) value {
		v := ae(r)
		var arr []json.RawMessage
		if v.null || !strings.HasPrefix(v.s, "[") || json.Unmarshal([]byte(v.s), &arr) != nil {
			return nullValue
		}
		return value{i: int64(len(arr))}
	}}
}

// dynamicAs reads a dynamic operand as the type it is compared with, so
// that d.port == 443 and d.name == "x" work as in Kusto; values that do not
// convert are null.
func dynamicAs(x *cexpr, t Type) *cexpr {
	xe := x.eval
	out := &cexpr{typ: t, col: -1, isConst: x.isConst}
	out.eval = func(r int) value {
		v := xe(r)
		if v.null {
			return v
		}
		text := formatValue(TypeDynamic, v)
		switch {
		case isStringy(t):
			return value{s: text}
		case t == TypeBool:
			b, err := strconv.ParseBool(text)
			if err != nil {
				return nullValue
			}
			return boolValue(b)
		case isIntLike(t):
			if n, err := strconv.ParseInt(text, 10, 64); err == nil {
				return value{i: n}
			}
			if f, ok := parseReal(text); ok && !strings.HasPrefix(v.s, `"`) {
				return realToInt(f)
			}
		case t == TypeReal:
			if f, ok := parseReal(text); ok {
				return value{f: f}
			}
		case t == TypeDateTime:
			if d, ok := parseDatetime(text); ok && text != "" {
				return d
			}
		case t == TypeTimespan:
			if d, ok := parseTimespan(text); ok {
				return d
			}
		}
		return nullValue
	}
	if out.isConst {
		out.cval = out.eval(0)
	}
	return out
}
