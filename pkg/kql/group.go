package kql

import (
	"encoding/binary"
	"math"
)

// grouper maps a row to its group number, assigning next to a new group.
type grouper interface {
	group(r int, next int32) (g int32, isNew bool)
}

// newGrouper picks a map keyed directly by the value for the common single
// int-like or string key (timecharts, top-N by name), and an encoded
// composite key otherwise. Nil means no keys: one group.
func newGrouper(keys []*cexpr) grouper {
	switch {
	case len(keys) == 0:
		return nil
	case len(keys) == 1 && storageOf(keys[0].typ) == stInt:
		return &intGrouper{e: keys[0].eval, m: map[int64]int32{}, null: -1}
	case len(keys) == 1 && keys[0].typ == TypeString:
		return &stringGrouper{e: keys[0].eval, m: map[string]int32{}}
	}
	return &encodedGrouper{keys: keys, m: map[string]int32{}}
}

type intGrouper struct {
	e    func(int) value
	m    map[int64]int32
	null int32
}

func (g *intGrouper) group(r int, next int32) (int32, bool) {
	v := g.e(r)
	if v.null {
		if g.null < 0 {
			g.null = next
			return next, true
		}
		return g.null, false
	}
	if gi, ok := g.m[v.i]; ok {
		return gi, false
	}
	g.m[v.i] = next
	return next, true
}

type stringGrouper struct {
	e func(int) value
	m map[string]int32
}

func (g *stringGrouper) group(r int, next int32) (int32, bool) {
	s := g.e(r).s
	if gi, ok := g.m[s]; ok {
		return gi, false
	}
	g.m[s] = next
	return next, true
}

type encodedGrouper struct {
	keys []*cexpr
	m    map[string]int32
	buf  []byte
}

func (g *encodedGrouper) group(r int, next int32) (int32, bool) {
	g.buf = g.buf[:0]
	for _, ke := range g.keys {
		g.buf = encodeKey(g.buf, ke.typ, ke.eval(r))
	}
	if gi, ok := g.m[string(g.buf)]; ok {
		return gi, false
	}
	g.m[string(g.buf)] = next
	return next, true
}

// encodeKey appends a self-delimiting encoding of v to buf.
func encodeKey(buf []byte, t Type, v value) []byte {
	if v.null {
		return append(buf, 0)
	}
	buf = append(buf, 1)
	switch storageOf(t) {
	case stInt:
		return binary.LittleEndian.AppendUint64(buf, uint64(v.i))
	case stReal:
		return binary.LittleEndian.AppendUint64(buf, math.Float64bits(v.f+0))
	}
	buf = binary.AppendUvarint(buf, uint64(len(v.s)))
	return append(buf, v.s...)
}
