package iforest

import (
	"errors"
	"math"
	"slices"
	"testing"
)

func TestLabelEncode(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name    string
		values  []any
		codes   []int64
		classes []any
	}{
		{"strings by code point", []any{"a", "B", "9", "10", "a"}, []int64{3, 2, 1, 0, 3}, []any{"10", "9", "B", "a"}},
		{"non-ASCII after ASCII", []any{"é", "z", "Z"}, []int64{2, 1, 0}, []any{"Z", "z", "é"}},
		{"None last", []any{"b", nil, "a"}, []int64{1, 2, 0}, []any{"a", "b", nil}},
		{"None before NaN", []any{nan, "x", nil}, []int64{2, 0, 1}, []any{"x", nil, nan}},
		{"numbers numerically", []any{10, 9, 2.5, -1}, []int64{3, 2, 1, 0}, []any{-1, 2.5, 9, 10}},
		{"1 == 1.0 == true, first kept", []any{1.0, 1, true, 0}, []int64{1, 1, 1, 0}, []any{0, 1.0}},
		{"NaNs one class", []any{nan, 3, nan}, []int64{1, 0, 1}, []any{3, nan}},
		{"big ints exactly", []any{int64(1 << 62), float64(1 << 62), int64(1<<62 + 1)}, []int64{0, 0, 1}, []any{int64(1 << 62), int64(1<<62 + 1)}},
		{"empty", []any{}, []int64{}, []any{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			codes, classes, err := LabelEncode(tt.values)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(codes, tt.codes) {
				t.Errorf("codes %v, want %v", codes, tt.codes)
			}
			if len(classes) != len(tt.classes) {
				t.Fatalf("classes %v, want %v", classes, tt.classes)
			}
			for i := range classes {
				w, g := tt.classes[i], classes[i]
				wf, wok := w.(float64)
				gf, gok := g.(float64)
				if wok && gok && math.IsNaN(wf) && math.IsNaN(gf) {
					continue
				}
				if g != w {
					t.Errorf("class %d = %#v, want %#v", i, g, w)
				}
			}
		})
	}
}

func TestLabelEncodeMixedTypes(t *testing.T) {
	tests := []struct {
		values []any
		want   string
	}{
		{[]any{"a", 1}, "Got ['int', 'str']"},
		{[]any{2.5, "a", nil}, "Got ['NoneType', 'float', 'str']"},
	}
	for _, tt := range tests {
		_, _, err := LabelEncode(tt.values)
		if !errors.Is(err, ErrMixedTypes) || err.Error() != "Encoders require their input to be uniformly strings or numbers. "+tt.want {
			t.Errorf("LabelEncode(%v): %v", tt.values, err)
		}
	}
	if _, _, err := LabelEncode([]any{struct{}{}}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("unsupported type: %v", err)
	}
}

func TestLabelEncodeStringsAgreesWithLabelEncode(t *testing.T) {
	vals := []string{"b", "", "a", "b", "Z", "a", "a"}
	null := []bool{false, true, false, false, false, false, true}
	anys := make([]any, len(vals))
	for i, v := range vals {
		if !null[i] {
			anys[i] = v
		}
	}
	want, wantClasses, err := LabelEncode(anys)
	if err != nil {
		t.Fatal(err)
	}
	got, classes := LabelEncodeStrings(vals, null)
	if !slices.Equal(got, want) || !slices.Equal(classes, wantClasses) {
		t.Errorf("LabelEncodeStrings %v %v, LabelEncode %v %v", got, classes, want, wantClasses)
	}
	if got, _ := LabelEncodeStrings([]string{"b", "a"}, nil); !slices.Equal(got, []int64{1, 0}) {
		t.Errorf("nil mask: %v", got)
	}
	if got, _ := LabelEncodeStrings([]string{"b", "", "a"}, []bool{false, true}); !slices.Equal(got, []int64{1, 2, 0}) {
		t.Errorf("short mask: %v", got)
	}
}

func TestFrequencyEncode(t *testing.T) {
	tests := []struct {
		name   string
		values []any
		want   []int64
	}{
		{"strings", []any{"a", "b", "a", "c", "a"}, []int64{3, 1, 3, 1, 3}},
		{"nulls count together", []any{nil, "a", nil}, []int64{2, 1, 2}},
		{"numbers by value", []any{1, 1.0, 2, math.NaN(), math.NaN()}, []int64{2, 2, 1, 2, 2}},
		{"mixed types allowed", []any{"1", 1, "1"}, []int64{2, 1, 2}},
	}
	for _, tt := range tests {
		got, err := FrequencyEncode(tt.values)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s: FrequencyEncode = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	got := FrequencyEncodeStrings([]string{"x", "y", "x", ""}, []bool{false, false, false, true})
	if !slices.Equal(got, []int64{2, 1, 2, 1}) {
		t.Errorf("FrequencyEncodeStrings = %v", got)
	}
}
