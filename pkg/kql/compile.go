package kql

import (
	"fmt"
	"strconv"
)

// cexpr is a compiled scalar expression: its static type and a closure
// from a physical row index to the value. Constants are folded so that
// operators can precompute (lower-cased needles, regexes, sets) once.
type cexpr struct {
	typ     Type
	eval    func(r int) value
	isConst bool
	cval    value
	col     int    // column index for a plain column reference, else -1
	name    string // inferred result column name, "" if none
}

func constExpr(t Type, v value) *cexpr {
	return &cexpr{typ: t, isConst: true, cval: v, col: -1, eval: func(int) value { return v }}
}

// compiler compiles expressions against one frame's schema.
type compiler struct {
	x  *execution
	f  *frame
	op string // operator name for messages, e.g. "where"
	at int    // operator position
	// byNames are the summarize group keys, which arg_max(..., *) skips.
	byNames map[string]bool
}

// semError aborts execution with a semantic error; execute recovers it.
type semError struct{ err *Error }

func (x *execution) fail(code string, pos int, token, format string, args ...any) {
	e := &Error{Code: code, Message: fmt.Sprintf(format, args...), Token: token}
	if pos >= 0 {
		e.Line, e.Pos = lineCol(x.src, pos)
	}
	panic(semError{e})
}

func (c *compiler) fail(pos int, format string, args ...any) {
	c.x.fail("SEM0001", pos, "", "'"+c.op+"' operator: "+format, args...)
}

func (c *compiler) compile(e expr) *cexpr {
	switch e := e.(type) {
	case *identExpr:
		return c.ident(e)
	case *litExpr:
		return c.literal(e)
	case *binaryExpr:
		return c.binary(e)
	case *unaryExpr:
		return c.unary(e)
	case *callExpr:
		return c.call(e)
	case *inExpr:
		return c.in(e)
	case *betweenExpr:
		return c.between(e)
	case *indexExpr:
		return c.index(e)
	case *starExpr:
		c.fail(e.at, "'*' is only allowed as an aggregation argument")
	}
	c.fail(e.pos(), "unsupported expression")
	return nil
}

func (c *compiler) ident(e *identExpr) *cexpr {
	if c.f != nil {
		if i := c.f.colIndex(e.name); i >= 0 {
			ce := columnExpr(c.f.schema[i].Type, c.f.cols[i])
			ce.col, ce.name = i, e.name
			return ce
		}
	}
	if v, ok := c.x.scalars[e.name]; ok {
		ce := *v
		ce.name = e.name
		return &ce
	}
	c.x.fail("SEM0100", e.at, e.name, "'%s' operator: Failed to resolve scalar expression named '%s'", c.op, e.name)
	return nil
}

// columnExpr reads a column. Strings are never null in Kusto, so a null
// string cell reads as "".
func columnExpr(t Type, col *column) *cexpr {
	ce := &cexpr{typ: t, col: -1}
	nulls := col.null
	switch storageOf(t) {
	case stInt:
		data := col.i
		if nulls == nil {
			ce.eval = func(r int) value { return value{i: data[r]} }
		} else {
			ce.eval = func(r int) value { return value{i: data[r], null: nulls[r]} }
		}
	case stReal:
		data := col.f
		if nulls == nil {
			ce.eval = func(r int) value { return value{f: data[r]} }
		} else {
			ce.eval = func(r int) value { return value{f: data[r], null: nulls[r]} }
		}
	default:
		data := col.s
		if nulls == nil || t == TypeString {
			ce.eval = func(r int) value { return value{s: data[r]} }
		} else {
			ce.eval = func(r int) value { return value{s: data[r], null: nulls[r]} }
		}
	}
	return ce
}

func (c *compiler) literal(e *litExpr) *cexpr {
	switch e.kind {
	case tInt:
		n, err := strconv.ParseInt(e.text, 0, 64)
		if err != nil {
			u, uerr := strconv.ParseUint(e.text, 0, 64) // 0xFFFFFFFFFFFFFFFF style
			if uerr != nil {
				c.fail(e.at, "invalid long literal '%s'", e.text)
			}
			n = int64(u)
		}
		return constExpr(TypeLong, value{i: n})
	case tReal:
		f, ok := parseReal(e.text)
		if !ok {
			c.fail(e.at, "invalid real literal '%s'", e.text)
		}
		return constExpr(TypeReal, value{f: f})
	case tString:
		return constExpr(TypeString, value{s: e.text})
	case tTimespan:
		v, ok := parseTimespan(e.text)
		if !ok {
			c.fail(e.at, "invalid timespan literal '%s'", e.text)
		}
		return constExpr(TypeTimespan, v)
	case tTyped:
		t, v, ok := parseTyped(e.text)
		if !ok {
			c.fail(e.at, "invalid literal '%s'", e.text)
		}
		return constExpr(t, v)
	case tIdent:
		return constExpr(TypeBool, boolValue(e.text == "true"))
	}
	c.fail(e.at, "invalid literal")
	return nil
}

// fold evaluates an expression whose operands are all constant.
func foldExpr(ce *cexpr, operands ...*cexpr) *cexpr {
	for _, o := range operands {
		if !o.isConst {
			return ce
		}
	}
	return constExpr(ce.typ, ce.eval(0))
}
