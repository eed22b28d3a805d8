package kql

import "sort"

// sort orders the rows by the keys (stable, so ties keep their order).
// Kusto's defaults: descending, nulls last when descending and first when
// ascending.
func (x *execution) sort(f *frame, keys []sortKey, at int, op string) *frame {
	c := &compiler{x: x, f: f, op: op, at: at}
	n := f.rows()
	type keyData struct {
		t    Type
		vals []value
		k    sortKey
	}
	kd := make([]keyData, len(keys))
	for i, k := range keys {
		ce := c.compile(k.e)
		if ce.typ == TypeDynamic {
			c.fail(k.e.pos(), "cannot order by a dynamic value")
		}
		vals := make([]value, n)
		for j := 0; j < n; j++ {
			if j&0x3fff == 0 {
				x.checkCancel()
			}
			vals[j] = ce.eval(f.row(j))
		}
		kd[i] = keyData{ce.typ, vals, k}
	}
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	sort.SliceStable(idx, func(a, b int) bool {
		for _, k := range kd {
			va, vb := k.vals[idx[a]], k.vals[idx[b]]
			if va.null || vb.null {
				if va.null == vb.null {
					continue
				}
				return va.null == k.k.nullsFirst
			}
			c := compareValues(k.t, va, vb)
			if c == 0 {
				continue
			}
			return (c < 0) == k.k.asc
		}
		return false
	})
	sel := make([]int32, n)
	for i, j := range idx {
		sel[i] = int32(f.row(int(j)))
	}
	return &frame{schema: f.schema, cols: f.cols, sel: sel, n: f.n}
}

func (x *execution) take(f *frame, ne expr, op string) *frame {
	c := &compiler{x: x, f: nil, op: op}
	ce := c.compile(ne)
	if !ce.isConst || !isIntLike(ce.typ) || ce.cval.null {
		c.fail(ne.pos(), "the row count must be a constant integer")
	}
	n := ce.cval.i
	if n < 0 {
		n = 0
	}
	if n >= int64(f.rows()) {
		return f
	}
	return &frame{schema: f.schema, cols: f.cols, sel: f.firstIndices(int(n)), n: f.n}
}

func (x *execution) distinct(f *frame, op *distinctOp) *frame {
	s := &summarizeOp{at: op.at}
	if op.cols == nil {
		for _, cs := range f.schema {
			s.by = append(s.by, namedExpr{e: &identExpr{at: op.at, name: cs.Name}})
		}
	} else {
		for _, e := range op.cols {
			s.by = append(s.by, namedExpr{e: e})
		}
	}
	return x.summarizeAs(f, s, "distinct")
}
