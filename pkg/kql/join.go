package kql

// maxJoinRows stops a join that would explode (a key shared by many rows
// on both sides) before it exhausts memory, as the service stops runaway
// queries.
const maxJoinRows = 5_000_000

// join matches rows of the input (left) and the right query on equal keys
// (null keys match nothing). Kinds: innerunique (the default: the left side
// keeps its first row per key), inner, leftouter, rightouter, fullouter,
// leftsemi, leftanti (anti), rightsemi, rightanti. Output: the left columns,
// then the right ones, a right name already used getting a numeric suffix
// (Name1), as Kusto does; rows in left order with their matches in right
// order, then unmatched right rows.
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
	// Index the right side: key -> its rows in order.
	index := map[string][]int32{}
	var buf []byte
	for j := 0; j < rf.rows(); j++ {
		if j&0x3fff == 0 {
			x.checkCancel()
		}
		r := rf.row(j)
		var ok bool
		if buf, ok = key(rk, r, buf); ok {
			index[string(buf)] = append(index[string(buf)], int32(r))
		}
	}
	kind := op.kind
	if kind == "anti" || kind == "leftantisemi" {
		kind = "leftanti"
	}
	if kind == "rightantisemi" {
		kind = "rightanti"
	}
	var lrows, rrows []int32 // physical rows; -1 for the null side
	rightUsed := map[int32]bool{}
	seenLeft := map[string]bool{}
	for k := 0; k < f.rows(); k++ {
		if k&0x3fff == 0 {
			x.checkCancel()
		}
		l := f.row(k)
		var matches []int32
		var ok bool
		if buf, ok = key(lk, l, buf); ok {
			if kind == "innerunique" {
				if seenLeft[string(buf)] {
					continue
				}
				seenLeft[string(buf)] = true
			}
			matches = index[string(buf)]
		}
		switch kind {
		case "leftsemi":
			if len(matches) > 0 {
				lrows = append(lrows, int32(l))
			}
			continue
		case "leftanti":
			if len(matches) == 0 {
				lrows = append(lrows, int32(l))
			}
			continue
		}
		for _, r := range matches {
			rightUsed[r] = true
			if kind != "rightsemi" && kind != "rightanti" {
				lrows, rrows = append(lrows, int32(l)), append(rrows, r)
			}
		}
		if len(matches) == 0 && (kind == "leftouter" || kind == "fullouter") {
			lrows, rrows = append(lrows, int32(l)), append(rrows, -1)
		}
		if len(lrows) > maxJoinRows {
			x.fail("E_RUNAWAY_QUERY", op.at, "join", "'join' operator: the join would produce more than %d rows", maxJoinRows)
		}
	}
	if kind == "rightouter" || kind == "fullouter" || kind == "rightsemi" || kind == "rightanti" {
		for j := 0; j < rf.rows(); j++ {
			r := int32(rf.row(j))
			switch {
			case kind == "rightsemi" && rightUsed[r], kind == "rightanti" && !rightUsed[r]:
				rrows = append(rrows, r)
			case (kind == "rightouter" || kind == "fullouter") && !rightUsed[r]:
				lrows, rrows = append(lrows, -1), append(rrows, r)
			}
		}
	}
	out := &frame{}
	if kind != "rightsemi" && kind != "rightanti" {
		for i, c := range f.cols {
			out.schema = append(out.schema, f.schema[i])
			out.cols = append(out.cols, gatherOrNull(c, lrows))
		}
		out.n = len(lrows)
	}
	if kind != "leftsemi" && kind != "leftanti" {
		for i, c := range rf.cols {
			out.schema = append(out.schema, rf.schema[i])
			out.cols = append(out.cols, gatherOrNull(c, rrows))
		}
		out.n = len(rrows)
	}
	out.schema = uniqueNames(out.schema)
	return out
}

// gatherOrNull gathers rows, -1 giving a null (an unmatched outer row).
func gatherOrNull(c *column, rows []int32) *column {
	out := newColumn(c.typ, len(rows))
	for _, r := range rows {
		if r < 0 {
			out.appendValue(nullValue)
		} else {
			out.appendValue(c.get(int(r)))
		}
	}
	return out
}
