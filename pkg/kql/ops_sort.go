package kql

import (
	"cmp"
	"math"
	"slices"
)

// sortKeyInfo is one compiled order-by key.
type sortKeyInfo struct {
	t          Type
	eval       func(int) value
	asc        bool
	nullsFirst bool
}

// compareKeys orders two rows' key values (Kusto's defaults: descending,
// nulls last when descending and first when ascending).
func compareKeys(kd []sortKeyInfo, a, b []value) int {
	for i, k := range kd {
		va, vb := a[i], b[i]
		if va.null || vb.null {
			if va.null == vb.null {
				continue
			}
			if va.null == k.nullsFirst {
				return -1
			}
			return 1
		}
		c := compareValues(k.t, va, vb)
		if c == 0 {
			continue
		}
		if !k.asc {
			c = -c
		}
		return c
	}
	return 0
}

// sort orders the rows by the keys. Ties keep their input order (the row
// index breaks them), so the result is deterministic and equal to a stable
// sort. With limit >= 0 only the first limit rows are wanted (top N, or
// order by followed by take N): a bounded heap finds them in O(n log N)
// without materialising every row's keys.
func (x *execution) sort(f *frame, keys []sortKey, at int, op string, limit int) *frame {
	c := &compiler{x: x, f: f, op: op, at: at}
	kd := make([]sortKeyInfo, len(keys))
	for i, k := range keys {
		ce := c.compile(k.e)
		if ce.typ == TypeDynamic {
			c.fail(k.e.pos(), "cannot order by a dynamic value")
		}
		kd[i] = sortKeyInfo{ce.typ, ce.eval, k.asc, k.nullsFirst}
	}
	n, nk := f.rows(), len(kd)
	if nk == 1 && (limit < 0 || limit >= n) {
		return x.sortOneKey(f, kd[0], op)
	}
	var idx []int32
	var vals []value // nk values per candidate; row idx[j] has vals[j*nk:]
	if limit >= 0 && limit < n {
		idx, vals = x.topRows(f, kd, limit, op)
	} else {
		x.charge(op, int64(n)*(selBytes+int64(nk)*valueBytes))
		idx = make([]int32, n)
		vals = make([]value, n*nk)
		for j := 0; j < n; j++ {
			x.poll()
			idx[j] = int32(j)
			r := f.row(j)
			for i, k := range kd {
				vals[j*nk+i] = k.eval(r)
			}
		}
	}
	// The candidates' keys and the order are dropped on return; the new
	// selection vector stays.
	scratch := int64(len(idx)) * (2*selBytes + int64(nk)*valueBytes) // idx, order, vals
	x.charge(op, 2*selBytes*int64(len(idx)))
	defer x.release(scratch)
	order := make([]int32, len(idx)) // positions into idx/vals
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		x.poll()
		if c := compareKeys(kd, vals[int(a)*nk:int(a)*nk+nk], vals[int(b)*nk:int(b)*nk+nk]); c != 0 {
			return c
		}
		return cmp.Compare(idx[a], idx[b])
	})
	sel := make([]int32, len(order))
	for i, p := range order {
		sel[i] = int32(f.row(int(idx[p])))
	}
	return &frame{schema: f.schema, cols: f.cols, sel: sel, n: f.n}
}

// topRows keeps the limit best rows in a max-heap whose root is the worst
// kept row; it returns their logical indices and key values, unordered.
func (x *execution) topRows(f *frame, kd []sortKeyInfo, limit int, op string) ([]int32, []value) {
	nk := len(kd)
	x.charge(op, int64(limit)*(selBytes+int64(nk)*valueBytes))
	idx := make([]int32, 0, limit)
	vals := make([]value, 0, limit*nk)
	cur := make([]value, nk)
	// worse reports whether heap entry a sorts after entry b.
	worse := func(a, b int) bool {
		c := compareKeys(kd, vals[a*nk:a*nk+nk], vals[b*nk:b*nk+nk])
		return c > 0 || c == 0 && idx[a] > idx[b]
	}
	swap := func(a, b int) {
		idx[a], idx[b] = idx[b], idx[a]
		for i := 0; i < nk; i++ {
			vals[a*nk+i], vals[b*nk+i] = vals[b*nk+i], vals[a*nk+i]
		}
	}
	down := func(i int) {
		for {
			l, w := 2*i+1, i
			if l < len(idx) && worse(l, w) {
				w = l
			}
			if l+1 < len(idx) && worse(l+1, w) {
				w = l + 1
			}
			if w == i {
				return
			}
			swap(i, w)
			i = w
		}
	}
	n := f.rows()
	for j := 0; j < n && limit > 0; j++ {
		x.poll()
		r := f.row(j)
		for i, k := range kd {
			cur[i] = k.eval(r)
		}
		if len(idx) < limit {
			idx = append(idx, int32(j))
			vals = append(vals, cur...)
			for i := len(idx) - 1; i > 0; {
				parent := (i - 1) / 2
				if !worse(i, parent) {
					break
				}
				swap(i, parent)
				i = parent
			}
			continue
		}
		// Later rows lose ties, so a row must sort strictly before the root.
		if compareKeys(kd, cur, vals[:nk]) < 0 {
			idx[0] = int32(j)
			copy(vals[:nk], cur)
			down(0)
		}
	}
	return idx, vals
}

// rowCount evaluates the constant row count of take or top.
func (x *execution) rowCount(ne expr, op string) int {
	c := &compiler{x: x, f: nil, op: op}
	ce := c.compile(ne)
	if !ce.isConst || !isIntLike(ce.typ) || ce.cval.null {
		c.fail(ne.pos(), "the row count must be a constant integer")
	}
	return int(min(max(ce.cval.i, 0), math.MaxInt32))
}

func (x *execution) take(f *frame, ne expr, op string) *frame {
	n := x.rowCount(ne, op)
	if n >= f.rows() {
		return f
	}
	if f.sel == nil {
		x.charge("take", selBytes*int64(n))
	}
	return &frame{schema: f.schema, cols: f.cols, sel: f.firstIndices(n), n: f.n}
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

// sortOneKey is the full sort by a single key, the common case (order by
// TimeGenerated): the key is read once into a typed slice and compared
// without going through value structs.
func (x *execution) sortOneKey(f *frame, k sortKeyInfo, op string) *frame {
	n := f.rows()
	keyBytes := int64(8)
	if storageOf(k.t) == stStr {
		keyBytes = 16
	}
	// The nulls and keys are dropped on return; the order stays as the
	// selection vector.
	scratch := int64(n) * (1 + keyBytes)
	x.charge(op, scratch+selBytes*int64(n))
	defer x.release(scratch)
	nulls := make([]bool, n)
	var order []int32
	switch storageOf(k.t) {
	case stInt:
		keys := make([]int64, n)
		x.readKey(f, k, nulls, func(j int, v value) { keys[j] = v.i })
		order = sortByKey(x, keys, nulls, k)
	case stReal:
		keys := make([]float64, n)
		x.readKey(f, k, nulls, func(j int, v value) { keys[j] = v.f })
		order = sortByKey(x, keys, nulls, k)
	default:
		keys := make([]string, n)
		x.readKey(f, k, nulls, func(j int, v value) { keys[j] = v.s })
		order = sortByKey(x, keys, nulls, k)
	}
	for i, j := range order {
		order[i] = int32(f.row(int(j)))
	}
	return &frame{schema: f.schema, cols: f.cols, sel: order, n: f.n}
}

func (x *execution) readKey(f *frame, k sortKeyInfo, nulls []bool, set func(int, value)) {
	for j := range nulls {
		x.poll()
		v := k.eval(f.row(j))
		nulls[j] = v.null
		set(j, v)
	}
}

// sortByKey returns the logical row order for one typed key, ties broken
// by row index; the context is polled once per comparison.
func sortByKey[T cmp.Ordered](x *execution, keys []T, nulls []bool, k sortKeyInfo) []int32 {
	order := make([]int32, len(keys))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		x.poll()
		if na, nb := nulls[a], nulls[b]; na || nb {
			switch {
			case na && nb:
				return cmp.Compare(a, b)
			case na == k.nullsFirst:
				return -1
			default:
				return 1
			}
		}
		c := cmp.Compare(keys[a], keys[b])
		if !k.asc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return order
}
