package kql

import "strings"

// fnIff is iff(cond, then, else); a null condition takes the else branch.
func fnIff(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	c.argType(call, 0, a[0], a[0].typ == TypeBool)
	t, ok := unify(a[1].typ, a[2].typ)
	if !ok {
		c.fail(call.at, "function '%s': branches have different types %s and %s", call.name, a[1].typ, a[2].typ)
	}
	ce, te, ee := a[0].eval, converter(a[1], t), converter(a[2], t)
	return &cexpr{typ: t, col: -1, eval: func(r int) value {
		if v := ce(r); !v.null && v.i != 0 {
			return te(r)
		}
		return ee(r)
	}}
}

// fnCase is case(cond1, value1, cond2, value2, ..., else).
func fnCase(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	if len(a)%2 == 0 {
		c.fail(call.at, "function 'case' expects pairs of condition and value, then an else value")
	}
	t := a[len(a)-1].typ
	for i := 1; i < len(a); i += 2 {
		var ok bool
		if t, ok = unify(t, a[i].typ); !ok {
			c.fail(call.args[i].pos(), "function 'case': values have different types")
		}
	}
	for i := 0; i+1 < len(a); i += 2 {
		c.argType(call, i, a[i], a[i].typ == TypeBool)
	}
	evals := make([]func(int) value, len(a))
	for i, x := range a {
		if i%2 == 1 || i == len(a)-1 {
			evals[i] = converter(x, t)
		} else {
			evals[i] = x.eval
		}
	}
	return &cexpr{typ: t, col: -1, eval: func(r int) value {
		for i := 0; i+1 < len(evals); i += 2 {
			if v := evals[i](r); !v.null && v.i != 0 {
				return evals[i+1](r)
			}
		}
		return evals[len(evals)-1](r)
	}}
}

// fnCoalesce returns the first non-null argument; for strings the first
// non-empty one, as strings have no null.
func fnCoalesce(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	t := a[0].typ
	for _, x := range a[1:] {
		var ok bool
		if t, ok = unify(t, x.typ); !ok {
			c.fail(call.at, "function 'coalesce': arguments have different types")
		}
	}
	evals := make([]func(int) value, len(a))
	for i, x := range a {
		evals[i] = converter(x, t)
	}
	str := isStringy(t)
	return &cexpr{typ: t, col: -1, eval: func(r int) value {
		var v value
		for _, e := range evals {
			v = e(r)
			if !v.null && !(str && v.s == "") {
				return v
			}
		}
		return v
	}}
}

// fnIPv4IsPrivate is true for 10/8, 172.16/12 and 192.168/16, false for
// other IPv4 addresses and null for text that is not one (an optional
// /prefix is accepted, as Kusto does).
func fnIPv4IsPrivate(c *compiler, call *callExpr, a []*cexpr) *cexpr {
	ae := converter(a[0], TypeString)
	return &cexpr{typ: TypeBool, col: -1, eval: func(r int) value {
		ip, ok := parseIPv4(ae(r).s)
		if !ok {
			return nullValue
		}
		return boolValue(ip>>24 == 10 || ip>>20 == 172<<4|1 || ip>>16 == 192<<8|168)
	}}
}

func parseIPv4(s string) (uint32, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '/'); i >= 0 {
		s = s[:i]
	}
	var ip uint32
	parts := 0
	for len(s) > 0 || parts < 4 {
		i := strings.IndexByte(s, '.')
		part := s
		if i >= 0 {
			part, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		if part == "" || len(part) > 3 {
			return 0, false
		}
		n := 0
		for k := 0; k < len(part); k++ {
			if !isDigit(part[k]) {
				return 0, false
			}
			n = n*10 + int(part[k]-'0')
		}
		if n > 255 {
			return 0, false
		}
		ip = ip<<8 | uint32(n)
		parts++
		if parts == 4 {
			return ip, i < 0
		}
		if i < 0 {
			return 0, false
		}
	}
	return 0, false
}
