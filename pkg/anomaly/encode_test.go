package anomaly

import (
	"encoding/json"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
)

func ptr[T any](v T) *T { return &v }

var nan = math.NaN()

// TestEncodeMatchesIforest checks Outlier codes for every field type against iforest's encoders
// run directly on the values pandas would hold (written out by hand in each case), under label
// and frequency encoding.
func TestEncodeMatchesIforest(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		desc   string
		values any   // the field's values
		pandas []any // the same cells as pandas holds them
	}{
		{"strings", []string{"svchost.exe", "chrome.exe", "Teams.exe", "chrome.exe", "a", "10", "9"},
			[]any{"svchost.exe", "chrome.exe", "Teams.exe", "chrome.exe", "a", "10", "9"}},
		{"unicode strings sort by code point", []string{"é.exe", "z.exe", "É.exe", "e.exe"}, []any{"é.exe", "z.exe", "É.exe", "e.exe"}},
		{"nullable strings: None last", []*string{ptr("b"), nil, ptr("a"), nil, ptr("")}, []any{"b", nil, "a", nil, ""}},
		{"int64", []int64{443, 80, 443, -1, 8080}, []any{int64(443), int64(80), int64(443), int64(-1), int64(8080)}},
		{"int32", []int32{5, 3, 5, 3, 1}, []any{5, 3, 5, 3, 1}},
		{"nullable int64: null is NaN, last", []*int64{ptr[int64](3), nil, ptr[int64](1), ptr[int64](3)}, []any{3.0, nan, 1.0, 3.0}},
		{"uint8", []uint8{200, 1, 200}, []any{200, 1, 200}},
		{"uint64 beyond int64", []uint64{math.MaxUint64, 1, math.MaxUint64 - 1<<12}, []any{uint64(math.MaxUint64), uint64(1), uint64(math.MaxUint64 - 1<<12)}},
		{"float64 with NaN and -0", []float64{1.5, nan, -0.0, 0, 1.5, nan, -2}, []any{1.5, nan, -0.0, 0.0, 1.5, nan, -2.0}},
		{"nullable float64: null and NaN are one class", []*float64{ptr(2.5), nil, ptr(nan), ptr(1.0)}, []any{2.5, nan, nan, 1.0}},
		{"float32", []float32{0.1, 0.2, 0.1}, []any{float32(0.1), float32(0.2), float32(0.1)}},
		{"bool", []bool{true, false, true}, []any{true, false, true}},
		{"nullable bool: None after True", []*bool{ptr(true), nil, ptr(false)}, []any{true, nil, false}},
		{"json", []json.RawMessage{json.RawMessage(`{"a":1}`), json.RawMessage(`[]`), json.RawMessage(`{"a":1}`)}, []any{`{"a":1}`, `[]`, `{"a":1}`}},
		// Times go in as Unix nanoseconds: chronological order is numeric order.
		{"times", []time.Time{t0.Add(time.Hour), t0, t0.Add(time.Hour), t0.Add(-time.Minute)},
			[]any{t0.Add(time.Hour).UnixNano(), t0.UnixNano(), t0.Add(time.Hour).UnixNano(), t0.Add(-time.Minute).UnixNano()}},
		{"times in other zones are the same instants", []time.Time{t0, t0.In(time.FixedZone("X", 3600)), t0.Add(time.Second)},
			[]any{t0.UnixNano(), t0.UnixNano(), t0.Add(time.Second).UnixNano()}},
		{"nullable times: null last", []*time.Time{ptr(t0), nil, ptr(t0.Add(-time.Hour))}, []any{t0.UnixNano(), nan, t0.Add(-time.Hour).UnixNano()}},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			f := data.NewField("f", nil, tc.values)
			wantLabel, _, err := iforest.LabelEncode(tc.pandas)
			if err != nil {
				t.Fatal(err)
			}
			wantFreq, err := iforest.FrequencyEncode(tc.pandas)
			if err != nil {
				t.Fatal(err)
			}
			for enc, want := range map[string][]int64{EncodingLabel: wantLabel, EncodingFrequency: wantFreq} {
				got, err := encode(f, enc, nil)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: codes %v, want %v", enc, got, want)
				}
			}
		})
	}
}

func TestContainsFold(t *testing.T) {
	for _, tc := range []struct {
		s, sub string
		want   bool
	}{
		{"PowerShell.exe", "powershell", true},
		{"powershell.exe", "POWERSHELL.EXE", true},
		{"cmd.exe", "powershell", false},
		{"", "", true},
		{"abc", "", true},
		{"", "a", false},
		{"ab", "abc", false},
		{"Straße", "STRASSE", false}, // simple folding only, as strings.EqualFold
		{"ÉCOLE", "école", true},
		{"k", "\u212a", true}, // Kelvin sign folds to k
		{"x\u212ay", "XKY", true},
		{"-1", "-1", true},
		{"1", "-1", false},
		{"aaab", "aab", true},
		{"\xff\xfeab", "AB", true}, // invalid UTF-8 is stepped over
	} {
		got := containsFold(tc.s, tc.sub)
		// Reference: some window of s at rune boundaries is EqualFold to sub.
		ref := tc.sub == ""
		for i := 0; i <= len(tc.s) && !ref; i++ {
			for j := i; j <= len(tc.s); j++ {
				if equalFoldWindow(tc.s[i:j], tc.sub) {
					ref = true
					break
				}
			}
		}
		if got != tc.want || ref != tc.want {
			t.Errorf("containsFold(%q, %q) = %v, reference %v, want %v", tc.s, tc.sub, got, ref, tc.want)
		}
	}
}

func equalFoldWindow(a, b string) bool {
	return len(a) > 0 && stringsEqualFold(a, b)
}
