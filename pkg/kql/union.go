package kql

import "strconv"

// union concatenates its inputs (the piped-in frame first, if any). Columns
// are matched by name; a name used with different types becomes one
// column per type, suffixed with the type (Name_string, Name_long), as
// Kusto does. Missing columns are null (kind=inner keeps only the columns
// every input has); withsource adds the origin first.
func (x *execution) union(in *frame, args unionArgs) *frame {
	legs, withSource := args.legs, args.withSource
	var frames []*frame
	var origins []string
	if in != nil {
		frames = append(frames, in)
		origins = append(origins, "union_arg0")
	}
	for _, p := range legs {
		frames = append(frames, x.run(p))
		name := "union_arg" + strconv.Itoa(len(origins))
		if ts, ok := p.src.(*tableSource); ok && len(p.ops) == 0 {
			name = ts.name
		}
		origins = append(origins, name)
	}
	types := map[string][]Type{}
	var order []string
	common := map[ColumnSchema]int{}
	for _, f := range frames {
		for _, cs := range f.schema {
			common[cs]++
			ts, seen := types[cs.Name]
			if !seen {
				order = append(order, cs.Name)
			}
			dup := false
			for _, t := range ts {
				dup = dup || t == cs.Type
			}
			if !dup {
				types[cs.Name] = append(ts, cs.Type)
			}
		}
	}
	out := &frame{}
	index := map[ColumnSchema]int{}
	if withSource != "" {
		out.schema = append(out.schema, ColumnSchema{withSource, TypeString})
		out.cols = append(out.cols, newColumn(TypeString, 0))
	}
	for _, name := range order {
		for _, t := range types[name] {
			if args.inner && common[ColumnSchema{name, t}] < len(frames) {
				continue
			}
			outName := name
			if len(types[name]) > 1 {
				outName = name + "_" + string(t)
			}
			index[ColumnSchema{name, t}] = len(out.cols)
			out.schema = append(out.schema, ColumnSchema{outName, t})
			out.cols = append(out.cols, newColumn(t, 0))
		}
	}
	out.schema = uniqueNames(out.schema)
	total := 0
	for _, f := range frames {
		total += f.rows()
	}
	x.charge("union", int64(total)*rowBytes(out.schema))
	for i, cs := range out.schema {
		x.checkCancel() // a column of a large union takes a while to zero
		out.cols[i] = newColumn(cs.Type, total)
	}
	for fi, f := range frames {
		n := f.rows()
		filled := make([]bool, len(out.cols))
		if withSource != "" {
			filled[0] = true
			for k := 0; k < n; k++ {
				x.poll()
				out.cols[0].appendValue(value{s: origins[fi]})
			}
		}
		for ci, cs := range f.schema {
			j, ok := index[cs]
			if !ok {
				continue // dropped by kind=inner
			}
			filled[j] = true
			src := f.cols[ci]
			for k := 0; k < n; k++ {
				x.poll()
				out.cols[j].appendValue(src.get(f.row(k)))
			}
		}
		for j, ok := range filled {
			if !ok {
				for k := 0; k < n; k++ {
					x.poll()
					out.cols[j].appendValue(nullValue)
				}
			}
		}
		out.n += n
	}
	return out
}
