package anomaly

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
)

var testNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// processes makes n process names, a few common and a long tail, deterministic for seed.
func processes(n int, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, 7))
	common := []string{"chrome.exe", "msedge.exe", "svchost.exe", "Teams.exe", "OneDrive.exe", "outlook.exe", "MsMpEng.exe"}
	out := make([]string, n)
	for i := range out {
		switch x := rng.Float64(); {
		case x < 0.97:
			out[i] = common[rng.IntN(len(common))]
		case x < 0.995:
			out[i] = fmt.Sprintf("tool%02d.exe", rng.IntN(30))
		default:
			out[i] = fmt.Sprintf("%08x.exe", rng.Uint32())
		}
	}
	return out
}

// eventsFrame is a small DeviceNetworkEvents-like frame around names.
func eventsFrame(names []string) *data.Frame {
	n := len(names)
	times := make([]time.Time, n)
	ports := make([]int32, n)
	devices := make([]string, n)
	for i := range names {
		times[i] = testNow.Add(-time.Duration(n-i) * 37 * time.Second)
		ports[i] = []int32{443, 80, 8080}[i%3]
		devices[i] = fmt.Sprintf("ws-%02d", i%5)
	}
	return data.NewFrame("PrimaryResult",
		data.NewField("TimeGenerated", nil, times),
		data.NewField("DeviceName", nil, devices),
		data.NewField("InitiatingProcessFileName", nil, slices.Clone(names)),
		data.NewField("RemotePort", nil, ports),
	).SetMeta(&data.FrameMeta{ExecutedQueryString: "DeviceNetworkEvents | take 10"})
}

// direct is the notebook's pipeline run on iforest alone: the independent answer.
func direct(t *testing.T, cols [][]int64, cfg iforest.Config) ([]int64, []float64, []string) {
	t.Helper()
	x, err := iforest.MatrixFromCodes(cols...)
	if err != nil {
		t.Fatal(err)
	}
	f, err := iforest.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	labels, dec, err := f.FitPredictDecision(x)
	if err != nil {
		t.Fatal(err)
	}
	return labels, dec, f.Warnings()
}

func column[T any](t *testing.T, f *data.Frame, name string) []T {
	t.Helper()
	fld, _ := f.FieldByName(name)
	if fld == nil {
		t.Fatalf("no field %s in %v", name, fieldNames(f))
	}
	out := make([]T, fld.Len())
	for i := range out {
		out[i] = fld.At(i).(T)
	}
	return out
}

func fieldNames(f *data.Frame) []string {
	var out []string
	for _, fl := range f.Fields {
		out = append(out, fl.Name)
	}
	return out
}

func opts(mut func(*Options)) Options {
	o := NotebookOptions()
	if mut != nil {
		mut(&o)
	}
	return o
}

func TestNotebookOptions(t *testing.T) {
	o := NotebookOptions()
	f := o.Forest
	if !slices.Equal(o.Fields, []string{"InitiatingProcessFileName"}) || o.Encoding != "label" || f.Contamination.IsAuto() ||
		f.Contamination.Fraction() != 0.01 || f.NEstimators != 100 || f.MaxSamples.String() != `"auto"` || f.RandomState != 42 ||
		o.Output != "rows" || o.TopN != 10 {
		t.Errorf("NotebookOptions() = %+v, not the notebook's settings", o)
	}
}

// TestScoreRowsMatchesIforest compares Outlier, Anomaly and Anomaly_Score with iforest run
// directly, for the notebook's settings and each option the query can change.
func TestScoreRowsMatchesIforest(t *testing.T) {
	names := processes(3000, 1)
	labelCodes, _ := iforest.LabelEncodeStrings(names, nil)
	freqCodes := iforest.FrequencyEncodeStrings(names, nil)
	ports := make([]int64, len(names))
	for i := range ports {
		ports[i] = []int64{443, 80, 8080}[i%3]
	}
	portCodes, _, _ := iforest.LabelEncode(func() []any {
		a := make([]any, len(ports))
		for i, p := range ports {
			a[i] = p
		}
		return a
	}())
	cfg := func(mut func(*iforest.Config)) iforest.Config {
		c := iforest.DefaultConfig()
		if mut != nil {
			mut(&c)
		}
		return c
	}
	for _, tc := range []struct {
		desc  string
		opts  Options
		cols  [][]int64
		cfg   iforest.Config
		notes int // warning notices expected
	}{
		{"notebook", opts(nil), [][]int64{labelCodes}, cfg(nil), 0},
		{"frequency", opts(func(o *Options) { o.Encoding = "frequency" }), [][]int64{freqCodes}, cfg(nil), 0},
		{"contamination auto", opts(func(o *Options) { o.Forest.Contamination = iforest.ContaminationAuto() }), [][]int64{labelCodes},
			cfg(func(c *iforest.Config) { c.Contamination = iforest.ContaminationAuto() }), 0},
		{"contamination 0.05", opts(func(o *Options) { o.Forest.Contamination = iforest.ContaminationFraction(0.05) }), [][]int64{labelCodes},
			cfg(func(c *iforest.Config) { c.Contamination = iforest.ContaminationFraction(0.05) }), 0},
		{"trees and seed", opts(func(o *Options) { o.Forest.NEstimators = 37; o.Forest.RandomState = 7 }), [][]int64{labelCodes},
			cfg(func(c *iforest.Config) { c.NEstimators = 37; c.RandomState = 7 }), 0},
		{"max samples count", opts(func(o *Options) { o.Forest.MaxSamples = iforest.MaxSamplesCount(500) }), [][]int64{labelCodes},
			cfg(func(c *iforest.Config) { c.MaxSamples = iforest.MaxSamplesCount(500) }), 0},
		{"max samples above rows warns", opts(func(o *Options) { o.Forest.MaxSamples = iforest.MaxSamplesCount(5000) }), [][]int64{labelCodes},
			cfg(func(c *iforest.Config) { c.MaxSamples = iforest.MaxSamplesCount(5000) }), 1},
		{"max samples fraction", opts(func(o *Options) { o.Forest.MaxSamples = iforest.MaxSamplesFraction(0.25) }), [][]int64{labelCodes},
			cfg(func(c *iforest.Config) { c.MaxSamples = iforest.MaxSamplesFraction(0.25) }), 0},
		{"two fields", opts(func(o *Options) { o.Fields = []string{"InitiatingProcessFileName", "RemotePort"} }),
			[][]int64{labelCodes, portCodes}, cfg(nil), 0},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			in := eventsFrame(names)
			in.Fields[3] = data.NewField("RemotePort", nil, ports)
			before := len(in.Fields)
			got, err := ScoreRows(in, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			wantLabels, wantDec, warnings := direct(t, tc.cols, tc.cfg)
			if !slices.Equal(column[int64](t, got, FieldOutlier), tc.cols[0]) {
				t.Error("Outlier differs from the first field's encoding")
			}
			if !slices.Equal(column[int64](t, got, FieldAnomaly), wantLabels) {
				t.Error("Anomaly differs from iforest's labels")
			}
			if !slices.Equal(column[float64](t, got, FieldScore), wantDec) {
				t.Error("Anomaly_Score differs from iforest's decision_function")
			}
			if n := slices.Index(wantLabels, -1); n < 0 {
				t.Error("the data has no anomaly at all: the test proves little")
			}
			// Rows and the input's columns are untouched, in order, and the input frame is unchanged.
			if len(in.Fields) != before || len(got.Fields) != before+3 {
				t.Fatalf("fields: input %d (was %d), output %v", len(in.Fields), before, fieldNames(got))
			}
			for j := 0; j < before; j++ {
				if got.Fields[j] != in.Fields[j] {
					t.Errorf("field %d is not the input's %s", j, in.Fields[j].Name)
				}
			}
			if !slices.Equal(fieldNames(got)[before:], []string{"Outlier", "Anomaly", "Anomaly_Score"}) {
				t.Errorf("appended fields %v", fieldNames(got)[before:])
			}
			var warns []string
			for _, n := range got.Meta.Notices {
				if n.Severity == data.NoticeSeverityWarning {
					warns = append(warns, n.Text)
				}
			}
			if len(warns) != tc.notes || len(warnings) != tc.notes {
				t.Errorf("warning notices %q, iforest warned %q, want %d", warns, warnings, tc.notes)
			}
			for i, w := range warnings {
				if i < len(warns) && !strings.Contains(warns[i], w) {
					t.Errorf("notice %q does not carry iforest's warning %q", warns[i], w)
				}
			}
			if len(in.Meta.Notices) != 0 || len(in.Meta.Stats) != 0 {
				t.Error("the input frame's meta was changed")
			}
			if got.Meta.ExecutedQueryString != in.Meta.ExecutedQueryString {
				t.Error("executed query lost")
			}
		})
	}
}

// TestScoreRowsNullableString: a nullable string field scores as pandas' None (last class).
func TestScoreRowsNullableString(t *testing.T) {
	names := processes(500, 3)
	var vals []*string
	pandas := make([]any, len(names))
	for i, n := range names {
		if i%97 == 5 {
			vals = append(vals, nil)
			pandas[i] = nil
			continue
		}
		vals = append(vals, ptr(n))
		pandas[i] = n
	}
	frame := data.NewFrame("t", data.NewField("InitiatingProcessFileName", nil, vals))
	got, err := ScoreRows(frame, NotebookOptions())
	if err != nil {
		t.Fatal(err)
	}
	codes, _, err := iforest.LabelEncode(pandas)
	if err != nil {
		t.Fatal(err)
	}
	labels, dec, _ := direct(t, [][]int64{codes}, iforest.DefaultConfig())
	if !slices.Equal(column[int64](t, got, FieldOutlier), codes) || !slices.Equal(column[int64](t, got, FieldAnomaly), labels) ||
		!slices.Equal(column[float64](t, got, FieldScore), dec) {
		t.Error("nullable strings are not scored as pandas' None")
	}
}

func TestScoreRowsReplacesExistingFields(t *testing.T) {
	names := processes(200, 4)
	in := data.NewFrame("t",
		data.NewField("Anomaly", nil, make([]string, len(names))),
		data.NewField("InitiatingProcessFileName", nil, names),
		data.NewField("Outlier", nil, make([]bool, len(names))),
	)
	got, err := ScoreRows(in, NotebookOptions())
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Anomaly", "InitiatingProcessFileName", "Outlier", "Anomaly_Score"}; !slices.Equal(fieldNames(got), want) {
		t.Fatalf("fields %v, want %v", fieldNames(got), want)
	}
	if got.Fields[0].Type() != data.FieldTypeInt64 || got.Fields[2].Type() != data.FieldTypeInt64 {
		t.Error("existing Anomaly/Outlier were not replaced by the scores")
	}
	if in.Fields[0].Type() != data.FieldTypeString {
		t.Error("input frame changed")
	}
	// Scoring the field named Outlier itself reads it before replacing it.
	in2 := data.NewFrame("t", data.NewField("Outlier", nil, names))
	got2, err := ScoreRows(in2, opts(func(o *Options) { o.Fields = []string{"Outlier"} }))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := iforest.LabelEncodeStrings(names, nil)
	if !slices.Equal(column[int64](t, got2, FieldOutlier), want) {
		t.Error("scoring a field named Outlier")
	}
}

func TestScoreRowsEdgeCases(t *testing.T) {
	empty := eventsFrame(nil)
	got, err := ScoreRows(empty, NotebookOptions())
	if err != nil {
		t.Fatalf("empty frame: %v", err)
	}
	if got.Rows() != 0 || !slices.Equal(fieldNames(got)[4:], []string{"Outlier", "Anomaly", "Anomaly_Score"}) {
		t.Errorf("empty frame: %v", fieldNames(got))
	}
	if len(got.Meta.Notices) != 1 || !strings.Contains(got.Meta.Notices[0].Text, "no rows") {
		t.Errorf("empty frame notices: %+v", got.Meta.Notices)
	}
	if c, err := Score(empty, opts(func(o *Options) { o.Output = "count" })); err != nil || c.Fields[0].At(0).(int64) != 0 {
		t.Errorf("count of nothing: %v", err)
	}

	for _, tc := range []struct {
		desc  string
		frame *data.Frame
		opts  Options
		want  []string
		is    []error
	}{
		{"missing field", eventsFrame([]string{"a", "b"}), opts(func(o *Options) { o.Fields = []string{"ProcessName"} }),
			[]string{`field "ProcessName" is not in the query's results`, "TimeGenerated, DeviceName, InitiatingProcessFileName, RemotePort"},
			[]error{ErrInvalid, ErrNoColumn}},
		{"second field missing", eventsFrame([]string{"a", "b"}), opts(func(o *Options) { o.Fields = []string{"DeviceName", "Nope"} }),
			[]string{`"Nope"`}, []error{ErrNoColumn}},
		{"no columns", data.NewFrame("t"), NotebookOptions(), []string{"its columns are: none"}, []error{ErrNoColumn}},
		{"one row", eventsFrame([]string{"a"}), NotebookOptions(), []string{"at least 2 rows", "returned 1"}, []error{ErrTooFewRows, iforest.ErrInvalidInput}},
		{"nil frame", nil, NotebookOptions(), []string{"no result to score"}, []error{ErrInvalid}},
		{"no fields", eventsFrame([]string{"a", "b"}), opts(func(o *Options) { o.Fields = nil }), []string{"no field"}, []error{ErrInvalid}},
		{"bad encoding", eventsFrame([]string{"a", "b"}), opts(func(o *Options) { o.Encoding = "onehot" }), []string{`"onehot"`}, []error{ErrInvalid}},
		{"bad forest setting", eventsFrame([]string{"a", "b"}), opts(func(o *Options) { o.Forest.NEstimators = 0 }), []string{"n_estimators"}, []error{iforest.ErrInvalidConfig}},
		{"ragged frame", data.NewFrame("t", data.NewField("InitiatingProcessFileName", nil, []string{"a", "b"}), data.NewField("x", nil, []int64{1})),
			NotebookOptions(), []string{"malformed"}, nil},
		{"unsupported type", data.NewFrame("t", data.NewField("InitiatingProcessFileName", nil, []data.EnumItemIndex{1, 2})),
			NotebookOptions(), nil, nil}, // enums are numbers: no error
	} {
		t.Run(tc.desc, func(t *testing.T) {
			_, err := ScoreRows(tc.frame, tc.opts)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			for _, is := range tc.is {
				if !errors.Is(err, is) {
					t.Errorf("error %q does not wrap %v", err, is)
				}
			}
		})
	}
}
