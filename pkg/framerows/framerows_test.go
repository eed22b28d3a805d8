package framerows

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

func ptr[T any](v T) *T { return &v }

var t0 = time.Date(2024, 5, 8, 10, 0, 0, 0, time.UTC)

// cases hold one field of each kind, four rows each, and the same rows as plain values, which is
// what the copies are checked against.
var cases = []struct {
	name string
	vals any   // the field's values, as data.NewField takes them
	want []any // vals[i] as Field.At returns it
}{
	{"string", []string{"a", "b", "c", "d"}, []any{"a", "b", "c", "d"}},
	{"nullable string", []*string{ptr("a"), nil, ptr("c"), ptr("d")}, []any{ptr("a"), (*string)(nil), ptr("c"), ptr("d")}},
	{"int64", []int64{1, 1 << 60, -3, 4}, []any{int64(1), int64(1 << 60), int64(-3), int64(4)}},
	{"nullable int64", []*int64{ptr[int64](1), nil, ptr[int64](3), nil}, []any{ptr[int64](1), (*int64)(nil), ptr[int64](3), (*int64)(nil)}},
	{"int32", []int32{1, 2, 3, 4}, []any{int32(1), int32(2), int32(3), int32(4)}},
	{"nullable int32", []*int32{nil, ptr[int32](2), ptr[int32](3), ptr[int32](4)}, []any{(*int32)(nil), ptr[int32](2), ptr[int32](3), ptr[int32](4)}},
	{"float64", []float64{0.5, -1, 2.25, 3}, []any{0.5, -1.0, 2.25, 3.0}},
	{"nullable float64", []*float64{ptr(0.5), nil, ptr(2.25), ptr(3.0)}, []any{ptr(0.5), (*float64)(nil), ptr(2.25), ptr(3.0)}},
	{"bool", []bool{true, false, true, false}, []any{true, false, true, false}},
	{"nullable bool", []*bool{ptr(true), nil, ptr(false), nil}, []any{ptr(true), (*bool)(nil), ptr(false), (*bool)(nil)}},
	{"time", []time.Time{t0, t0.Add(time.Hour), t0.Add(2 * time.Hour), t0.Add(3 * time.Hour)}, []any{t0, t0.Add(time.Hour), t0.Add(2 * time.Hour), t0.Add(3 * time.Hour)}},
	{"nullable time", []*time.Time{ptr(t0), nil, ptr(t0.Add(2 * time.Hour)), nil}, []any{ptr(t0), (*time.Time)(nil), ptr(t0.Add(2 * time.Hour)), (*time.Time)(nil)}},
	{"json", []json.RawMessage{json.RawMessage(`{"a":1}`), json.RawMessage(`[]`), json.RawMessage(`"x"`), json.RawMessage(`null`)}, []any{json.RawMessage(`{"a":1}`), json.RawMessage(`[]`), json.RawMessage(`"x"`), json.RawMessage(`null`)}},
	{"nullable json", []*json.RawMessage{ptr(json.RawMessage(`1`)), nil, ptr(json.RawMessage(`3`)), nil}, []any{ptr(json.RawMessage(`1`)), (*json.RawMessage)(nil), ptr(json.RawMessage(`3`)), (*json.RawMessage)(nil)}},
	// A type without a typed path goes through CopyAt and Set.
	{"uint8", []uint8{1, 2, 3, 4}, []any{uint8(1), uint8(2), uint8(3), uint8(4)}},
}

func source(t *testing.T, vals any) *data.Field {
	t.Helper()
	f := data.NewField("col", data.Labels{"host": "a"}, vals).SetConfig(&data.FieldConfig{Unit: "short"})
	if f.Len() != 4 {
		t.Fatalf("source has %d rows", f.Len())
	}
	return f
}

func checkField(t *testing.T, got, src *data.Field, want []any) {
	t.Helper()
	if got.Type() != src.Type() || got.Name != src.Name || !cmp.Equal(got.Labels, src.Labels) || !cmp.Equal(got.Config, src.Config) {
		t.Fatalf("copy is %s %q %v %v, source %s %q %v %v", got.Type(), got.Name, got.Labels, got.Config, src.Type(), src.Name, src.Labels, src.Config)
	}
	if got.Len() != len(want) {
		t.Fatalf("copy has %d rows, want %d", got.Len(), len(want))
	}
	for i, w := range want {
		if !cmp.Equal(got.At(i), w) {
			t.Errorf("row %d = %v, want %v", i, got.At(i), w)
		}
	}
}

func TestTakeCopiesTheRowsAtIdxInOrder(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := source(t, c.vals)
			got := Take([]*data.Field{src}, []int{2, 0, 2, 3})
			checkField(t, got[0], src, []any{c.want[2], c.want[0], c.want[2], c.want[3]})
			checkField(t, TakeField(src, nil), src, nil)
		})
	}
}

func TestRangeCopiesConsecutiveRows(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := source(t, c.vals)
			for _, r := range []struct{ from, to int }{{0, 4}, {1, 3}, {3, 4}, {2, 2}} {
				got := Range([]*data.Field{src, src}, r.from, r.to)
				if len(got) != 2 {
					t.Fatalf("%d fields, want 2", len(got))
				}
				checkField(t, got[0], src, c.want[r.from:r.to])
				checkField(t, got[1], src, c.want[r.from:r.to])
			}
		})
	}
}

// A copy is its own: writing to it leaves the source as it was.
func TestCopiesAreIndependentOfTheSource(t *testing.T) {
	src := data.NewField("n", nil, []int64{1, 2, 3})
	got := Range([]*data.Field{src}, 0, 3)[0]
	got.Set(0, int64(99))
	got.Append(int64(4))
	if src.At(0) != int64(1) || src.Len() != 3 {
		t.Fatalf("source changed: %v, %d rows", src.At(0), src.Len())
	}
}
