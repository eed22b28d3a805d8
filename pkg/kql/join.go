package kql

// join matches rows of the input (left) and the right query on equal keys
// (null keys match nothing). Kinds: innerunique (the default: the left side
// keeps its first row per key), inner, leftouter, rightouter, fullouter,
// leftsemi, leftanti (anti), rightsemi, rightanti. Output: the left columns,
// then the right ones, a right name already used getting a numeric suffix
// (Name1), as Kusto does; rows in left order with their matches in right
// order, then unmatched right rows.
//
// The memory budget is charged as the join grows: each key the index or
// the innerunique filter adds, and each output row as it is matched, at
// the size its gathered cells will take, so a join that would explode (a
// key shared by many rows on both sides) stops before it allocates them.
func (x *execution) join(f *frame, op *joinOp) *frame {
	rf := x.run(op.right)
	lk := make([]*cexpr, len(op.left))
	rk := make([]*cexpr, len(op.left))
	lc := &compiler{x: x, f: f, op: "join", at: op.at}
	rc := &compiler{x: x, f: rf, op: "join", at: op.at}
	for i := range op.left {
		lk[i], rk[i] = lc.ident(&op.left[i]), rc.ident(&op.rightK[i])
		if storageOf(lk[i].typ) != storageOf(rk[i].typ) || isStringy(lk[i].typ) != isStringy(rk[i].typ) {
			lc.fail(op.left[i].at, "join key '%s' is %s on the left and %s on the right", op.left[i].name, lk[i].typ, rk[i].typ)
		}
	}
	key := func(keys []*cexpr, r int, buf []byte) ([]byte, bool) {
		buf = buf[:0]
		for _, k := range keys {
			v := k.eval(r)
			if v.null {
				return buf, false
			}
			buf = encodeKey(buf, k.typ, v)
		}
		return buf, true
	}
	// scratch is the working state dropped on return: the index, the
	// innerunique filter, the row lists.
	var scratch int64
	hold := func(n int64) {
		x.charge("join", n)
		scratch += n
	}
	defer func() { x.release(scratch) }()
	// Index the right side: key -> its rows in order.
	index := map[string][]int32{}
	var buf []byte
	for j := 0; j < rf.rows(); j++ {
		x.poll()
		r := rf.row(j)
		var ok bool
		if buf, ok = key(rk, r, buf); ok {
			rows, seen := index[string(buf)]
			if !seen {
				hold(mapEntryBytes + int64(len(buf)))
			}
			hold(2 * selBytes) // the row list grows by doubling
			index[string(buf)] = append(rows, int32(r))
		}
	}
	kind := op.kind
	if kind == "anti" || kind == "leftantisemi" {
		kind = "leftanti"
	}
	if kind == "rightantisemi" {
		kind = "rightanti"
	}
	// Output rows are pairs of physical rows, -1 for the null side; the
	// semi and anti kinds keep one side only.
	keepLeft := kind != "rightsemi" && kind != "rightanti"
	keepRight := kind != "leftsemi" && kind != "leftanti"
	var lrows, rrows []int32
	// Each output row holds its row numbers until the gather (twice over
	// while a list doubles), then its cells for good.
	var rowCost, cells int64
	if keepLeft {
		rowCost, cells = rowCost+2*selBytes, cells+rowBytes(f.schema)
	}
	if keepRight {
		rowCost, cells = rowCost+2*selBytes, cells+rowBytes(rf.schema)
	}
	emit := func(l, r int32) {
		x.poll()
		x.charge("join", rowCost+cells)
		scratch += rowCost
		if keepLeft {
			lrows = append(lrows, l)
		}
		if keepRight {
			rrows = append(rrows, r)
		}
	}
	var rightUsed []bool // by physical right row
	if kind == "rightouter" || kind == "fullouter" || kind == "rightsemi" || kind == "rightanti" {
		hold(int64(rf.n))
		rightUsed = make([]bool, rf.n)
	}
	seenLeft := map[string]bool{}
	for k := 0; k < f.rows(); k++ {
		x.poll()
		l := int32(f.row(k))
		var matches []int32
		var ok bool
		if buf, ok = key(lk, int(l), buf); ok {
			if kind == "innerunique" {
				if seenLeft[string(buf)] {
					continue
				}
				hold(mapEntryBytes + int64(len(buf)))
				seenLeft[string(buf)] = true
			}
			matches = index[string(buf)]
		}
		switch kind {
		case "leftsemi":
			if len(matches) > 0 {
				emit(l, -1)
			}
			continue
		case "leftanti":
			if len(matches) == 0 {
				emit(l, -1)
			}
			continue
		}
		for _, r := range matches {
			if rightUsed != nil {
				rightUsed[r] = true
			}
			if kind != "rightsemi" && kind != "rightanti" {
				emit(l, r)
			}
		}
		if len(matches) == 0 && (kind == "leftouter" || kind == "fullouter") {
			emit(l, -1)
		}
	}
	if rightUsed != nil {
		for j := 0; j < rf.rows(); j++ {
			x.poll()
			r := int32(rf.row(j))
			switch {
			case kind == "rightsemi" && rightUsed[r], kind == "rightanti" && !rightUsed[r]:
				emit(-1, r)
			case (kind == "rightouter" || kind == "fullouter") && !rightUsed[r]:
				emit(-1, r)
			}
		}
	}
	out := &frame{}
	if keepLeft {
		for i, c := range f.cols {
			out.schema = append(out.schema, f.schema[i])
			out.cols = append(out.cols, x.gatherOrNull(c, lrows))
		}
		out.n = len(lrows)
	}
	if keepRight {
		for i, c := range rf.cols {
			out.schema = append(out.schema, rf.schema[i])
			out.cols = append(out.cols, x.gatherOrNull(c, rrows))
		}
		out.n = len(rrows)
	}
	out.schema = uniqueNames(out.schema)
	return out
}

// gatherOrNull gathers rows, -1 giving a null (an unmatched outer row);
// the join charged the cells as it matched the rows.
func (x *execution) gatherOrNull(c *column, rows []int32) *column {
	out := newColumn(c.typ, len(rows))
	for _, r := range rows {
		x.poll()
		if r < 0 {
			out.appendValue(nullValue)
		} else {
			out.appendValue(c.get(int(r)))
		}
	}
	return out
}
