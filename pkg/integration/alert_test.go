package integration

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"go.yaml.in/yaml/v3"

	"github.com/kqlhunt/anomaly-datasource/pkg/demo"
	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/internal/pluginhost"
	"github.com/kqlhunt/anomaly-datasource/pkg/sampledata"
)

// ruleQuery reads the provisioned rule's query on the demo datasource and its time range.
func ruleQuery(t *testing.T, uid string) (map[string]any, time.Duration) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "provisioning", "alerting", "rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var rules struct {
		Groups []struct {
			Rules []struct {
				UID  string `yaml:"uid"`
				Data []struct {
					DatasourceUID string `yaml:"datasourceUid"`
					Range         struct {
						From int `yaml:"from"`
					} `yaml:"relativeTimeRange"`
					Model map[string]any `yaml:"model"`
				} `yaml:"data"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(raw, &rules); err != nil {
		t.Fatal(err)
	}
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			for _, d := range r.Data {
				if r.UID == uid && d.DatasourceUID == "kqlhunt-demo" {
					return d.Model, time.Duration(d.Range.From) * time.Second
				}
			}
		}
	}
	t.Fatalf("no rule %s on the demo datasource", uid)
	return nil, 0
}

// checkNumericLong restates Grafana's rule for alerting on a table (numeric data): exactly one
// numeric field, every other field a string (the labels), and no two rows with the same labels, so
// each row is one alert instance.
func checkNumericLong(t *testing.T, f *data.Frame) {
	t.Helper()
	numeric := 0
	for _, fl := range f.Fields {
		switch {
		case fl.Type().Numeric():
			numeric++
		case fl.Type() != data.FieldTypeString:
			t.Errorf("field %s is %s: an alert's labels must be strings", fl.Name, fl.Type())
		}
	}
	if numeric != 1 {
		t.Errorf("%d numeric fields: Grafana's alerting needs exactly one", numeric)
	}
	if f.Meta == nil || f.Meta.Type != data.FrameTypeNumericLong {
		t.Errorf("frame type %v, want numeric-long", f.Meta)
	}
	seen := map[string]bool{}
	for i := 0; i < f.Rows(); i++ {
		key := ""
		for _, fl := range f.Fields {
			if fl.Type() == data.FieldTypeString {
				key += fl.At(i).(string) + "\x00"
			}
		}
		if seen[key] {
			t.Errorf("two rows with labels %q: one alert instance each is required", key)
		}
		seen[key] = true
	}
}

// TestAlertRuleNamesTheIntrusionsAtEveryHour runs the provisioned per-process rule's query through
// the compiled plugin on the demo workspace's data at 24 hours of a day: one alert instance per
// planted intrusion and none for the ordinary fleet, in the shape Grafana's alerting reads.
func TestAlertRuleNamesTheIntrusionsAtEveryHour(t *testing.T) {
	model, window := ruleQuery(t, "kqlhunt-anomalous-process-connections")
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	cfg := demo.Config(start)
	traffic := sampledata.Traffic(cfg, start.Add(-window), start.Add(24*time.Hour))
	want := []string{sampledata.DropperFile, sampledata.ParentFile, sampledata.ShellFile}
	slices.Sort(want)
	// One stand-in, one workspace per hour: the rule's KQL filters on the dashboard's absolute range
	// ($__timeFilter and the timespan), so the engine's clock plays no part.
	exec := emulator.NewEngineExecutor()
	workspace := func(h int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", h) }
	for h := 0; h < 24; h++ {
		at := start.Add(time.Duration(h) * time.Hour)
		// The demo's table at this instant, as far as the rule's window reaches.
		lo := slices.IndexFunc(traffic, func(e sampledata.Event) bool { return !e.TimeGenerated.Before(at.Add(-window)) })
		hi := slices.IndexFunc(traffic, func(e sampledata.Event) bool { return !e.TimeGenerated.Before(at) })
		evs := append(slices.Clone(traffic[lo:hi]), sampledata.Intrusions(demo.Config(at))...)
		exec.AddWorkspace(workspace(h), sampledata.Table(evs))
	}
	r := newRig(t, exec, nil)
	for h := 0; h < 24; h++ {
		at := start.Add(time.Duration(h) * time.Hour)
		t.Run(at.Format("15:04"), func(t *testing.T) {
			m := maps.Clone(model)
			m["workspaces"] = []string{workspace(h)}
			res, err := host.QueryData(ctx(t), r.ds.QueryRequest(pluginhost.Query{Model: m, From: at.Add(-window), To: at}))
			if err != nil {
				t.Fatal(err)
			}
			dr := res.Responses["A"]
			if dr.Error != nil {
				t.Fatal(dr.Error)
			}
			f := dr.Frames[0]
			checkNumericLong(t, f)
			names, _ := f.FieldByName("InitiatingProcessFileName")
			var got []string
			for i := 0; i < f.Rows(); i++ {
				got = append(got, names.At(i).(string))
				if n := f.Fields[1].At(i).(int64); n < 1 {
					t.Errorf("%s has %d anomalous connections", got[i], n)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("alert instances %q, want exactly the intrusions %q", got, want)
			}
		})
	}
}
