package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"90m": 90 * time.Minute, "24h": 24 * time.Hour, "7d": 7 * 24 * time.Hour, "1d12h": 36 * time.Hour, "0d30m": 30 * time.Minute,
	} {
		if got, err := parseDuration(in); err != nil || got != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "d", "7", "-1h", "1w", "99999999d"} {
		if _, err := parseDuration(bad); err == nil {
			t.Errorf("parseDuration(%q): no error", bad)
		}
	}
}

// TestBuildModel: the query object the datasource gets for a command line.
func TestBuildModel(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{"default: the notebook's anomalies", nil, "", `{"output":"anomalies","queryType":"anomaly"}`},
		{"top implies the top output", []string{"-top", "20"}, "", `{"output":"top","queryType":"anomaly","topN":20}`},
		{"explicit output wins over -top", []string{"-top", "5", "-output", "rows"}, "", `{"output":"rows","queryType":"anomaly","topN":5}`},
		{"several fields", []string{"-field", "InitiatingProcessFileName, RemotePort", "-contamination", "0.05"}, "",
			`{"contamination":0.05,"fields":["InitiatingProcessFileName","RemotePort"],"output":"anomalies","queryType":"anomaly"}`},
		{"contamination auto stays a string", []string{"-contamination", "auto"}, "", `{"contamination":"auto","output":"anomalies","queryType":"anomaly"}`},
		{"pivot", []string{"-pivot", "cmd-powershell", "-values", "a.exe,b.exe", "-values", "c.exe", "-lookback", "3d"}, "",
			`{"lookback":"3d","pivot":"cmd-powershell","queryType":"pivot","values":["a.exe","b.exe","c.exe"]}`},
		{"kql", []string{"-type", "kql", "-kql", "T | take 1"}, "", `{"kql":"T | take 1","queryType":"kql"}`},
		{"a query model as given", []string{"-json", "-"}, `{"refId":"B","queryType":"kql","kql":"T"}`, `{"kql":"T","queryType":"kql","refId":"B"}`},
		{"a query model without queryType keeps the contract's default", []string{"-json", "-"}, `{"kql":"T"}`, `{"kql":"T"}`},
		{"flags replace the model's keys", []string{"-json", "-", "-field", "RemoteIP"}, `{"queryType":"anomaly","fields":["A","B"]}`, `{"field":"RemoteIP","queryType":"anomaly"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parseFlags(tt.args, &strings.Builder{})
			if err != nil {
				t.Fatal(err)
			}
			model, err := buildModel(o, strings.NewReader(tt.stdin))
			if err != nil {
				t.Fatal(err)
			}
			var want map[string]any
			if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
				t.Fatal(err)
			}
			got, _ := json.Marshal(model)
			var gotNorm map[string]any
			_ = json.Unmarshal(got, &gotNorm)
			if !reflect.DeepEqual(gotNorm, want) {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestTimeRangeAndInterval(t *testing.T) {
	now := time.Date(2024, 5, 8, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		args     []string
		from, to time.Time
		interval time.Duration
	}{
		{nil, now.Add(-24 * time.Hour), now, 15 * time.Minute},
		{[]string{"-since", "7d"}, now.Add(-7 * 24 * time.Hour), now, 3 * time.Hour},
		{[]string{"-from", "2024-05-01", "-to", "2024-05-01T06:00:00Z"}, time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 5, 1, 6, 0, 0, 0, time.UTC), 5 * time.Minute},
		{[]string{"-since", "1h", "-interval", "1m"}, now.Add(-time.Hour), now, time.Minute},
	}
	for _, tt := range tests {
		o, err := parseFlags(tt.args, &strings.Builder{})
		if err != nil {
			t.Fatal(err)
		}
		from, to, err := timeRange(o, now)
		if err != nil || !from.Equal(tt.from) || !to.Equal(tt.to) {
			t.Errorf("%q: %v to %v (%v), want %v to %v", tt.args, from, to, err, tt.from, tt.to)
		}
		if got := interval(o, from, to); got != tt.interval {
			t.Errorf("%q: interval %v, want %v", tt.args, got, tt.interval)
		}
	}
}
