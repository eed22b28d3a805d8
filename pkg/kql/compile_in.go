package kql

import (
	"encoding/json"
	"strings"
)

// listElems flattens a constant list for in/has_any: each element, with
// dynamic arrays expanded (x in (dynamic(["a","b"])) is common in KQL).
func (c *compiler) listElems(e *inExpr) (elems []*cexpr, allConst bool) {
	allConst = true
	for _, le := range e.list {
		ce := c.compile(le)
		if !ce.isConst {
			allConst = false
		}
		if ce.isConst && ce.typ == TypeDynamic && !ce.cval.null && strings.HasPrefix(ce.cval.s, "[") {
			var arr []any
			if err := json.Unmarshal([]byte(ce.cval.s), &arr); err == nil {
				for _, a := range arr {
					switch a := a.(type) {
					case string:
						elems = append(elems, constExpr(TypeString, value{s: a}))
					case float64:
						elems = append(elems, constExpr(TypeReal, value{f: a}))
					case bool:
						elems = append(elems, constExpr(TypeBool, boolValue(a)))
					}
				}
				continue
			}
		}
		elems = append(elems, ce)
	}
	return elems, allConst
}

func (c *compiler) in(e *inExpr) *cexpr {
	x := c.compile(e.x)
	elems, allConst := c.listElems(e)
	out := &cexpr{typ: TypeBool, col: -1}
	xe := x.eval
	switch e.op {
	case "has_any", "has_all":
		if !allConst {
			c.fail(e.at, "'%s' expects constant values", e.op)
		}
		terms := make([]string, len(elems))
		for i, el := range elems {
			terms[i] = formatValue(el.typ, el.cval)
		}
		xs := converter(x, TypeString)
		all := e.op == "has_all"
		out.eval = func(r int) value {
			s := xs(r).s
			for _, t := range terms {
				if termMatch(s, t, true, true, true) != all {
					return boolValue(!all)
				}
			}
			return boolValue(all)
		}
		return foldExpr(out, x)
	}
	if x.typ == TypeDynamic && len(elems) > 0 && elems[0].typ != TypeDynamic {
		x = dynamicAs(x, elems[0].typ) // d.name in ("a", "b") compares the text
		xe = x.eval
	}
	neg := e.op[0] == '!'
	fold := strings.HasSuffix(e.op, "~")
	if fold && !isStringy(x.typ) {
		c.fail(e.at, "'%s' expects a string operand, got %s", e.op, x.typ)
	}
	for _, el := range elems {
		if !(isStringy(x.typ) && isStringy(el.typ) || isNumeric(x.typ) && isNumeric(el.typ) ||
			x.typ == el.typ) {
			c.fail(e.at, "'%s': cannot compare %s with %s", e.op, x.typ, el.typ)
		}
	}
	if !allConst {
		// Some elements vary by row: compare with each in turn.
		eq := make([]func(r int) value, len(elems))
		for i, el := range elems {
			if fold {
				ee := el.eval
				eq[i] = func(r int) value { return boolValue(strings.EqualFold(xe(r).s, ee(r).s)) }
			} else {
				eq[i] = c.comparison(&binaryExpr{at: e.at, op: "=="}, x, el).eval
			}
		}
		out.eval = func(r int) value {
			for _, f := range eq {
				if v := f(r); !v.null && v.i != 0 {
					return boolValue(!neg)
				}
			}
			return boolValue(neg)
		}
		return out
	}
	switch {
	case isStringy(x.typ):
		set := make(map[string]struct{}, len(elems))
		for _, el := range elems {
			s := el.cval.s
			if fold {
				s = strings.ToLower(s)
			}
			set[s] = struct{}{}
		}
		out.eval = func(r int) value {
			s := xe(r).s
			if fold {
				s = strings.ToLower(s)
			}
			_, ok := set[s]
			return boolValue(ok != neg)
		}
	case isNumeric(x.typ):
		set := make(map[float64]struct{}, len(elems))
		for _, el := range elems {
			if !el.cval.null {
				set[toFloat(el.typ, el.cval)] = struct{}{}
			}
		}
		xt := x.typ
		out.eval = func(r int) value {
			v := xe(r)
			if v.null {
				return boolValue(neg)
			}
			_, ok := set[toFloat(xt, v)]
			return boolValue(ok != neg)
		}
	default:
		set := make(map[int64]struct{}, len(elems))
		for _, el := range elems {
			if !el.cval.null {
				set[el.cval.i] = struct{}{}
			}
		}
		out.eval = func(r int) value {
			v := xe(r)
			if v.null {
				return boolValue(neg)
			}
			_, ok := set[v.i]
			return boolValue(ok != neg)
		}
	}
	return foldExpr(out, x)
}
