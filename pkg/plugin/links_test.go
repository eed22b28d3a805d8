package plugin

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kqlhunt/anomaly-datasource/pkg/pivots"
)

// TestPivotLinks: the anomalous value's field carries one Explore link per pivot, and each link's
// query, with the clicked value put in as Grafana does, runs and returns that value's rows.
func TestPivotLinks(t *testing.T) {
	fq := &fakeQuerier{}
	d := newTestDatasource(t, fq)
	pc := backend.PluginContext{DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{UID: "hunt-uid", Name: "Hunt"}}
	for _, output := range []string{"rows", "anomalies", "top", "countByValue", "count"} {
		raw, _ := json.Marshal(map[string]any{"queryType": "anomaly", "kql": "T", "output": output})
		res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: pc, Queries: []backend.DataQuery{{RefID: "A", JSON: raw,
			TimeRange: backend.TimeRange{From: fixtureStart, To: fixtureStart.Add(3 * time.Hour)}}}})
		if err != nil || res.Responses["A"].Error != nil {
			t.Fatal(err, res.Responses["A"].Error)
		}
		f, _ := res.Responses["A"].Frames[0].FieldByName("InitiatingProcessFileName")
		if output == "count" {
			if f != nil {
				t.Errorf("count has a process field")
			}
			continue
		}
		if f == nil || f.Config == nil || len(f.Config.Links) != len(pivots.All()) {
			t.Fatalf("%s: links %+v", output, f.Config)
		}
		for i, l := range f.Config.Links {
			pv := pivots.All()[i]
			if l.Title != pv.Title || l.Internal == nil || l.Internal.DatasourceUID != "hunt-uid" || l.Internal.DatasourceName != "Hunt" {
				t.Errorf("%s: link %+v", output, l)
			}
			q, _ := json.Marshal(l.Internal.Query)
			clicked := strings.ReplaceAll(string(q), "${__value.raw}", "AcroRd32Update.exe")
			pr := run(t, d, jsonMap(t, clicked))
			if pr.Error != nil {
				t.Fatalf("%s: the link's query %s fails: %v", pv.Name, clicked, pr.Error)
			}
			names, _ := pr.Frames[0].FieldByName("InitiatingProcessFileName")
			if names == nil || names.Len() != 2 || names.At(0) != "AcroRd32Update.exe" {
				t.Errorf("%s: the link's query returned %v", pv.Name, pr.Frames[0])
			}
		}
	}
}

func jsonMap(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}
