package loganalytics

import (
	"context"
	"flag"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
)

// -update rewrites the golden .jsonc files; they are only written after the
// explicit assertions below have passed for the same frames.
var update = flag.Bool("update", false, "rewrite golden files")

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// wantField is the expected name, Grafana type and values of one field.
type wantField struct {
	name   string
	typ    data.FieldType
	values []any // nil entries for nulls in nullable fields
}

// valuesOf reads a field's values, dereferencing nullable ones.
func valuesOf(f *data.Field) []any {
	out := make([]any, f.Len())
	for i := range out {
		v := f.At(i)
		rv := reflect.ValueOf(v)
		if rv.Kind() == reflect.Pointer {
			if rv.IsNil() {
				v = nil
			} else {
				v = rv.Elem().Interface()
			}
		}
		out[i] = v
	}
	return out
}

func sameValue(a, b any) bool {
	fa, okA := a.(float64)
	fb, okB := b.(float64)
	if okA && okB && math.IsNaN(fa) && math.IsNaN(fb) {
		return true
	}
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ok && ta.Equal(tb) && ta.Location() == time.UTC
	}
	return a == b
}

func checkFrame(t *testing.T, f *data.Frame, name string, want []wantField) {
	t.Helper()
	if f.Name != name {
		t.Errorf("frame name %q, want %q", f.Name, name)
	}
	if len(f.Fields) != len(want) {
		t.Fatalf("frame %s has %d fields, want %d", f.Name, len(f.Fields), len(want))
	}
	for i, w := range want {
		got := f.Fields[i]
		if got.Name != w.name || got.Type() != w.typ {
			t.Errorf("field %d: %s %s, want %s %s", i, got.Name, got.Type(), w.name, w.typ)
			continue
		}
		vals := valuesOf(got)
		if len(vals) != len(w.values) {
			t.Errorf("field %s: %d values, want %d", w.name, len(vals), len(w.values))
			continue
		}
		for r := range vals {
			if !sameValue(vals[r], w.values[r]) {
				t.Errorf("field %s row %d: %#v, want %#v", w.name, r+1, vals[r], w.values[r])
			}
		}
	}
}

func TestQueryFrames(t *testing.T) {
	dyn := `{"a":1,"b":[true,null]}`
	tests := []struct {
		name, fixture string
		frames        []string // frame names in order
		primary       []wantField
	}{
		{
			name: "every column type", fixture: "all_types.json",
			frames: []string{"PrimaryResult", "Table_1"},
			primary: []wantField{
				{"TimeGenerated", data.FieldTypeTime, []any{ts("2024-05-01T00:00:00Z"), ts("2024-05-01T12:34:56.1234567Z"), ts("2024-05-02T00:00:00.5Z"), ts("2024-05-02T23:59:59.9999999Z")}},
				{"DeviceName", data.FieldTypeString, []any{"host-a", `host-"b"`, "", "ünïcødé ✓"}},
				{"Count", data.FieldTypeInt64, []any{int64(9007199254740993), int64(math.MinInt64), int64(math.MaxInt64), int64(0)}},
				{"Port", data.FieldTypeInt32, []any{int32(443), int32(math.MinInt32), int32(math.MaxInt32), int32(0)}},
				{"Score", data.FieldTypeFloat64, []any{0.5, math.NaN(), math.Inf(1), math.Inf(-1)}},
				{"Amount", data.FieldTypeFloat64, []any{1.25, -0.0001, 7.922816251426434e28, 0.0}},
				{"IsRemote", data.FieldTypeBool, []any{true, false, true, false}},
				{"DeviceId", data.FieldTypeString, []any{"74be27de-1e4e-49d9-b579-fe0b331d3642", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "74be27de-1e4e-49d9-b579-fe0b331d3642"}},
				{"Duration", data.FieldTypeString, []any{"00:00:01.5000000", "1.02:03:04", "-00:00:00.0000001", "00:00:00"}},
				{"AdditionalFields", data.FieldTypeString, []any{dyn, "[]", `"text"`, "null"}},
			},
		},
		{
			name: "nulls make only their columns nullable", fixture: "nulls.json",
			frames: []string{"PrimaryResult"},
			primary: []wantField{
				{"TimeGenerated", data.FieldTypeNullableTime, []any{nil, ts("2024-05-01T00:00:00Z")}},
				{"DeviceName", data.FieldTypeNullableString, []any{nil, "host-a"}},
				{"Count", data.FieldTypeNullableInt64, []any{nil, int64(42)}},
				{"Port", data.FieldTypeNullableInt32, []any{nil, int32(7)}},
				{"Score", data.FieldTypeNullableFloat64, []any{nil, 1.5}},
				{"Amount", data.FieldTypeNullableFloat64, []any{nil, 2.5}},
				{"IsRemote", data.FieldTypeNullableBool, []any{nil, true}},
				{"DeviceId", data.FieldTypeNullableString, []any{nil, "74be27de-1e4e-49d9-b579-fe0b331d3642"}},
				{"Duration", data.FieldTypeNullableString, []any{nil, "00:05:00"}},
				{"AdditionalFields", data.FieldTypeNullableString, []any{nil, `{"k":"v"}`}},
				{"NeverNull", data.FieldTypeInt64, []any{int64(1), int64(2)}},
			},
		},
		{
			name: "older payloads send numbers as strings", fixture: "string_numbers.json",
			frames: []string{"PrimaryResult"},
			primary: []wantField{
				{"Count", data.FieldTypeInt64, []any{int64(9007199254740993), int64(1000)}},
				{"Port", data.FieldTypeInt32, []any{int32(8080), int32(12)}},
				{"Score", data.FieldTypeFloat64, []any{2.75, 7.0}},
				{"Amount", data.FieldTypeFloat64, []any{3.5, -1.0}},
				{"IsRemote", data.FieldTypeBool, []any{true, false}},
				{"Props", data.FieldTypeString, []any{`{"raw":[1,2]}`, "5"}},
			},
		},
		{
			name: "no rows", fixture: "empty.json",
			frames: []string{"PrimaryResult"},
			primary: []wantField{
				{"TimeGenerated", data.FieldTypeTime, []any{}},
				{"Count", data.FieldTypeInt64, []any{}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStandIn(t, reply{status: 200, file: tt.fixture})
			q := Query{Workspace: testWorkspace, KQL: "DeviceNetworkEvents | take 4", Timespan: &TimeRange{From: ts("2024-05-01T00:00:00Z"), To: ts("2024-05-03T00:00:00Z")}}
			res, err := s.client(t, nil).Query(context.Background(), q)
			if err != nil {
				t.Fatalf("Query: %v", err)
			}
			if len(res.Frames) != len(tt.frames) {
				t.Fatalf("%d frames, want %d", len(res.Frames), len(tt.frames))
			}
			for i, name := range tt.frames {
				f := res.Frames[i]
				if f.Name != name {
					t.Errorf("frame %d is %s, want %s", i, f.Name, name)
				}
				if f.Meta == nil || f.Meta.ExecutedQueryString != q.KQL {
					t.Errorf("frame %s: ExecutedQueryString not set: %+v", f.Name, f.Meta)
				}
				custom, ok := f.Meta.Custom.(*FrameMeta)
				if !ok || custom.Workspace != testWorkspace || custom.Timespan != "2024-05-01T00:00:00Z/2024-05-03T00:00:00Z" || len(custom.ColumnTypes) != len(f.Fields) {
					t.Errorf("frame %s: custom meta %+v", f.Name, f.Meta.Custom)
				}
			}
			checkFrame(t, res.Frames[0], "PrimaryResult", tt.primary)
			if res.Partial != nil || len(res.Frames[0].Meta.Notices) != 0 {
				t.Errorf("unexpected partial error %v / notices %v", res.Partial, res.Frames[0].Meta.Notices)
			}
			if t.Failed() {
				return // never write a golden file from frames that failed the assertions
			}
			experimental.CheckGoldenJSONResponse(t, "testdata", "golden_"+tt.fixture[:len(tt.fixture)-5], &backend.DataResponse{Frames: res.Frames}, *update)
		})
	}
}

// A long above 2^53 must survive exactly: via float64 it would become
// 9007199254740992.
func TestLongStaysExact(t *testing.T) {
	s := newStandIn(t, reply{status: 200, file: "all_types.json"})
	res, err := s.client(t, nil).Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T"})
	if err != nil {
		t.Fatal(err)
	}
	f, _ := res.Frames[0].FieldByName("Count")
	if got := f.At(0).(int64); got != 9007199254740993 {
		t.Errorf("long = %d, want 9007199254740993", got)
	}
	v := int64(9007199254740993)
	if int64(float64(v)) == v {
		t.Fatal("test premise broken: float64 would keep this value")
	}
}

func TestPartialError(t *testing.T) {
	tests := []struct {
		name, fixture string
		rows          int
		wantInNotice  []string
	}{
		{"truncated result keeps its rows", "partial_error.json", 2, []string{
			"PartialError", "There were some errors when processing your query",
			"Query result set has exceeded the internal record count limit 500000 (E_QUERY_RESULT_SET_TOO_LARGE).",
		}},
		{"no tables gives an empty primary frame", "partial_error_no_tables.json", 0, []string{
			"The workspace is temporarily unavailable.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStandIn(t, reply{status: 200, file: tt.fixture})
			res, err := s.client(t, nil).Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T"})
			if err != nil {
				t.Fatalf("Query: %v", err)
			}
			if res.Partial == nil || res.Partial.Code != "PartialError" || res.Partial.StatusCode != 200 {
				t.Fatalf("Partial = %+v", res.Partial)
			}
			f := res.Frames[0]
			if f.Name != PrimaryTable || f.Rows() != tt.rows {
				t.Errorf("primary frame %s with %d rows, want %d", f.Name, f.Rows(), tt.rows)
			}
			if len(f.Meta.Notices) != 1 || f.Meta.Notices[0].Severity != data.NoticeSeverityWarning {
				t.Fatalf("notices = %+v", f.Meta.Notices)
			}
			for _, w := range tt.wantInNotice {
				if !contains(f.Meta.Notices[0].Text, w) {
					t.Errorf("notice %q lacks %q", f.Meta.Notices[0].Text, w)
				}
			}
			if t.Failed() {
				return
			}
			experimental.CheckGoldenJSONResponse(t, "testdata", "golden_"+tt.fixture[:len(tt.fixture)-5], &backend.DataResponse{Frames: res.Frames}, *update)
		})
	}
}

func TestCellErrors(t *testing.T) {
	tests := []struct {
		name, fixture string
		want          []string
	}{
		{"unconvertible cell", "bad_cell.json", []string{"table PrimaryResult", "column Count (long)", "row 2", `"abc"`}},
		{"row with missing values", "ragged_row.json", []string{"table PrimaryResult", "row 2 has 1 values for 2 columns"}},
		{"row with a surplus value", "extra_value.json", []string{"table PrimaryResult", "row 1 has 3 values for 2 columns"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStandIn(t, reply{status: 200, file: tt.fixture})
			_, err := s.client(t, nil).Query(context.Background(), Query{Workspace: testWorkspace, KQL: "T"})
			if err == nil {
				t.Fatal("no error")
			}
			if !isErr(err, ErrDecode) {
				t.Errorf("%v does not wrap ErrDecode", err)
			}
			for _, w := range tt.want {
				if !contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}
