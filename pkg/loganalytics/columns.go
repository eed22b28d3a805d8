package loganalytics

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/fielddict"
)

// column accumulates one column's cells as they are decoded, then becomes one field.
type column interface {
	// add appends one cell; a returned error is the cell's (the caller adds where it was).
	add(m *meter, s *scanner, raw []byte, k valueKind, f strFlags) error
	// field makes the column's field; the column is not used afterwards.
	field(m *meter, name string) (*data.Field, error)
}

// newColumn picks the column's Go type from its KQL type (see the package doc).
func newColumn(kqlType string) column {
	switch strings.ToLower(kqlType) {
	case "datetime":
		return &valueColumn[time.Time]{parse: parseTimeCell, size: 24}
	case "long":
		return &valueColumn[int64]{parse: parseInt64Cell, size: 8}
	case "int":
		return &valueColumn[int32]{parse: parseInt32Cell, size: 4}
	case "real", "decimal":
		return &valueColumn[float64]{parse: parseFloatCell, size: 8}
	case "bool":
		return &valueColumn[bool]{parse: parseBoolCell, size: 1}
	case "dynamic":
		return &stringColumn{dynamic: true, null: -1}
	default: // string, guid, timespan and any type added later
		return &stringColumn{null: -1}
	}
}

// growCap is the next capacity of a column slice: half as much again, at least 1024.
func growCap(c int) int { return max(1024, c+c/2) }

// valueColumn keeps numbers, times and bools in a []T, with a bitmap of null rows once there is
// one. Its field is []T when no row is null, else []*T pointing into the values.
type valueColumn[T any] struct {
	parse func(*scanner, []byte, valueKind, strFlags) (T, error)
	size  int64 // bytes per value
	vals  []T
	nulls []uint64 // bit per row, nil until the first null
}

func (c *valueColumn[T]) add(m *meter, s *scanner, raw []byte, k valueKind, f strFlags) error {
	var v T
	if k != kindNull {
		var err error
		if v, err = c.parse(s, raw, k, f); err != nil {
			return err
		}
	}
	if len(c.vals) == cap(c.vals) {
		if err := c.grow(m); err != nil {
			return err
		}
	}
	row := len(c.vals)
	c.vals = append(c.vals, v)
	if k == kindNull {
		if c.nulls == nil {
			words := (cap(c.vals) + 63) / 64
			if err := m.take(int64(words) * 8); err != nil {
				return err
			}
			c.nulls = make([]uint64, words)
		}
		c.nulls[row/64] |= 1 << (row % 64)
	}
	return nil
}

func (c *valueColumn[T]) grow(m *meter) error {
	old, n := cap(c.vals), growCap(cap(c.vals))
	extra := int64(n-old) * c.size
	oldWords, words := (old+63)/64, (n+63)/64
	if c.nulls != nil {
		extra += int64(words-oldWords) * 8
	}
	if err := m.take(extra); err != nil {
		return err
	}
	vals := make([]T, len(c.vals), n)
	copy(vals, c.vals)
	c.vals = vals
	if c.nulls != nil {
		nulls := make([]uint64, words)
		copy(nulls, c.nulls)
		c.nulls = nulls
	}
	return nil
}

func (c *valueColumn[T]) isNull(i int) bool {
	return c.nulls != nil && c.nulls[i/64]&(1<<(i%64)) != 0
}

func (c *valueColumn[T]) field(m *meter, name string) (*data.Field, error) {
	n := len(c.vals)
	if c.nulls == nil {
		if err := m.take(int64(n) * c.size); err != nil {
			return nil, err
		}
		vals := c.vals
		if vals == nil {
			vals = []T{}
		}
		f := data.NewField(name, nil, vals) // copies: the decoder's slice is given back
		m.give(int64(cap(c.vals)) * c.size)
		c.vals = nil
		return f, nil
	}
	if err := m.take(int64(n) * 8); err != nil {
		return nil, err
	}
	f := data.NewFieldFromFieldType(data.FieldTypeFor((*T)(nil)), n)
	f.Name = name
	for i := range n {
		if !c.isNull(i) {
			f.Set(i, &c.vals[i])
		}
	}
	m.give(int64(len(c.nulls)) * 8)
	c.nulls = nil
	return f, nil
}

// stringColumn interns its cells: each distinct value is one string, and each row the index of
// its value; a null row is a group of its own (fielddict.Dictionary's layout).
type stringColumn struct {
	dynamic bool
	index   map[string]int32
	values  []string
	first   []int
	ids     []int32
	null    int32
	last    int32 // the previous row's group, to skip the map on runs of equal values
	compact bytes.Buffer
}

func (c *stringColumn) add(m *meter, s *scanner, raw []byte, k valueKind, f strFlags) error {
	if len(c.ids) == cap(c.ids) {
		n := growCap(cap(c.ids))
		if err := m.take(int64(n-cap(c.ids)) * 4); err != nil {
			return err
		}
		ids := make([]int32, len(c.ids), n)
		copy(ids, c.ids)
		c.ids = ids
	}
	row := len(c.ids)
	if k == kindNull {
		if c.null < 0 {
			if err := m.take(bytesPerDistinct); err != nil {
				return err
			}
			c.null = int32(len(c.values))
			c.values = append(c.values, "")
			c.first = append(c.first, row)
		}
		c.ids = append(c.ids, c.null)
		return nil
	}
	text, _ := cellText(s, raw, k, f)
	if c.dynamic && (k == kindObject || k == kindArray) {
		// A dynamic value sent as JSON rather than as JSON text: its compact text.
		c.compact.Reset()
		if err := json.Compact(&c.compact, raw); err != nil {
			return err
		}
		text = c.compact.Bytes()
	}
	if row > 0 && c.last != c.null && c.values[c.last] == string(text) {
		c.ids = append(c.ids, c.last)
		return nil
	}
	id, ok := c.index[string(text)]
	if !ok {
		if err := m.take(int64(len(text)) + bytesPerDistinct); err != nil {
			return err
		}
		if c.index == nil {
			c.index = make(map[string]int32)
		}
		v := string(text)
		id = int32(len(c.values))
		c.index[v] = id
		c.values = append(c.values, v)
		c.first = append(c.first, row)
	}
	c.ids = append(c.ids, id)
	c.last = id
	return nil
}

func (c *stringColumn) field(m *meter, name string) (*data.Field, error) {
	n := len(c.ids)
	m.give(int64(len(c.index)) * bytesPerDistinctGC)
	c.index = nil
	var f *data.Field
	if c.null < 0 {
		if err := m.take(int64(n) * 16); err != nil {
			return nil, err
		}
		f = data.NewFieldFromFieldType(data.FieldTypeString, n)
		for i, id := range c.ids {
			*f.PointerAt(i).(*string) = c.values[id]
		}
	} else {
		if err := m.take(int64(n) * 8); err != nil {
			return nil, err
		}
		f = data.NewFieldFromFieldType(data.FieldTypeNullableString, n)
		for i, id := range c.ids {
			if id != c.null {
				f.Set(i, &c.values[id])
			}
		}
	}
	f.Name = name
	fielddict.Attach(f, &fielddict.Dictionary{IDs: c.ids, Values: c.values, First: c.first, Null: c.null})
	return f, nil
}
