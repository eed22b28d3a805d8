package emulator

import (
	"testing"
	"time"
)

func TestParseTimespan(t *testing.T) {
	now := time.Date(2024, 5, 2, 12, 0, 0, 0, time.UTC)
	d := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	tests := []struct {
		in         string
		start, end time.Time
		wantErr    bool
	}{
		{in: "2024-05-01T00:00:00Z/2024-05-02T00:00:00Z", start: d("2024-05-01T00:00:00Z"), end: d("2024-05-02T00:00:00Z")},
		{in: "2024-05-01T02:00:00+02:00/2024-05-01T03:00:00.5Z", start: d("2024-05-01T00:00:00Z"), end: d("2024-05-01T03:00:00.5Z")},
		{in: "2024-05-01T00:00:00/2024-05-01", start: d("2024-05-01T00:00:00Z"), end: d("2024-05-01T00:00:00Z")},
		{in: "PT12H", start: now.Add(-12 * time.Hour), end: now},
		{in: "P1D", start: now.AddDate(0, 0, -1), end: now},
		{in: "p1dt2h30m", start: now.Add(-26*time.Hour - 30*time.Minute), end: now},
		{in: "P2W", start: now.AddDate(0, 0, -14), end: now},
		{in: "P1M", start: d("2024-04-02T12:00:00Z"), end: now},
		{in: "P1Y", start: d("2023-05-02T12:00:00Z"), end: now},
		{in: "PT0.5S", start: now.Add(-500 * time.Millisecond), end: now},
		{in: "P0.5D", start: now.Add(-12 * time.Hour), end: now},
		{in: "2024-05-01T00:00:00Z/PT1H", start: d("2024-05-01T00:00:00Z"), end: d("2024-05-01T01:00:00Z")},
		{in: "P1D/2024-05-01T00:00:00Z", start: d("2024-04-30T00:00:00Z"), end: d("2024-05-01T00:00:00Z")},
		{in: "", wantErr: true},
		{in: "P", wantErr: true},
		{in: "PT", wantErr: true},
		{in: "P1H", wantErr: true},
		{in: "PT1D", wantErr: true},
		{in: "P1DT", wantErr: true},
		{in: "PT1H2", wantErr: true},
		{in: "P1D/P2D", wantErr: true},
		{in: "yesterday", wantErr: true},
		{in: "2024-05-02T00:00:00Z/2024-05-01T00:00:00Z", wantErr: true},
		{in: "2024-13-01T00:00:00Z/2024-05-01T00:00:00Z", wantErr: true},
		{in: "P99999999D", wantErr: true},
	}
	for _, tt := range tests {
		start, end, err := ParseTimespan(tt.in, now)
		if (err != nil) != tt.wantErr {
			t.Errorf("%q: err %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && (!start.Equal(tt.start) || !end.Equal(tt.end)) {
			t.Errorf("%q: %v/%v, want %v/%v", tt.in, start, end, tt.start, tt.end)
		}
	}
}

func TestParsePreferAndWait(t *testing.T) {
	tests := []struct {
		headers []string
		wait    time.Duration
		stats   string
		wantErr bool
	}{
		{nil, 0, "", false},
		{[]string{"wait=10"}, 10 * time.Second, "", false},
		{[]string{"include-statistics=true,wait=5"}, 5 * time.Second, "true", false},
		{[]string{"include-statistics=true", "Wait = 7"}, 7 * time.Second, "true", false},
		{[]string{`wait="3"; include-render=true`}, 3 * time.Second, "", false},
		{[]string{"wait=601"}, 600 * time.Second, "", false},
		{[]string{"wait=-1"}, 0, "", true},
		{[]string{"wait=1.5"}, 0, "", true},
	}
	for _, tt := range tests {
		p := parsePrefer(tt.headers)
		w, err := parseWait(p)
		if (err != nil) != tt.wantErr || w != tt.wait || p["include-statistics"] != tt.stats {
			t.Errorf("%q: wait %v err %v prefs %v", tt.headers, w, err, p)
		}
	}
}

func TestWorkspaceFromPath(t *testing.T) {
	tests := []struct {
		path, ws string
		ok       bool
	}{
		{"/v1/workspaces/abc/query", "abc", true},
		{"/v1/workspaces//query", "", false},
		{"/v1/workspaces/abc/query/x", "", false},
		{"/v1/workspaces/abc", "", false},
		{"/v2/workspaces/abc/query", "", false},
	}
	for _, tt := range tests {
		ws, ok := workspaceFromPath(tt.path)
		if ws != tt.ws || ok != tt.ok {
			t.Errorf("%s: %q %v", tt.path, ws, ok)
		}
	}
	for s, want := range map[string]bool{"c0ffee00-1234-4abc-8def-0123456789ab": true, "C0FFEE00-1234-4ABC-8DEF-0123456789AB": true, "c0ffee00123443bc8def0123456789ab": false, "x": false} {
		if IsGUID(s) != want {
			t.Errorf("IsGUID(%q) != %v", s, want)
		}
	}
}

// FuzzParseTimespan: any input gives an interval or an error, never a panic or an interval that
// ends before it starts.
func FuzzParseTimespan(f *testing.F) {
	for _, s := range []string{"PT12H", "P1D", "P1Y2M3W4DT5H6M7.5S", "2024-05-01T00:00:00Z/2024-05-02T00:00:00Z", "2024-05-01/PT1H", "P1D/2024-05-01", "PT999999H999999H"} {
		f.Add(s)
	}
	now := time.Date(2024, 5, 2, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		start, end, err := ParseTimespan(s, now)
		if err == nil && end.Before(start) {
			t.Fatalf("%q: %v after %v", s, start, end)
		}
	})
}

func TestParseTimespanRejectsOverflow(t *testing.T) {
	for _, s := range []string{"PT999999H999999H999999H", "PT1H1H", "P1D1D"} {
		if _, _, err := ParseTimespan(s, time.Now()); err == nil {
			t.Errorf("%q: no error", s)
		}
	}
}
