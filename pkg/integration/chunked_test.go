package integration

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/internal/pluginhost"
)

// TestChunkedQueriesAnswerAsQueryData: the compiled plugin answers Grafana's chunked query
// streaming with the frames QueryData gives, the scored demo week in several chunks, and a bad
// query with QueryData's error and status.
func TestChunkedQueriesAnswerAsQueryData(t *testing.T) {
	demo := provisionedDatasources(t, nil)["kqlhunt-demo"]
	req := demo.QueryRequest(
		pluginhost.Query{RefID: "A", Model: map[string]any{"queryType": "anomaly"}, From: demoNow.Add(-7 * 24 * time.Hour), To: demoNow},
		pluginhost.Query{RefID: "B", Model: map[string]any{"queryType": "anomaly", "output": "top"}, From: demoNow.Add(-7 * 24 * time.Hour), To: demoNow},
		pluginhost.Query{RefID: "C", Model: map[string]any{"queryType": "anomaly", "fields": []string{"NoSuchColumn"}}, From: demoNow.Add(-7 * 24 * time.Hour), To: demoNow},
	)
	want, err := host.QueryData(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	got, chunks, err := host.QueryChunkedData(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if want.Responses["C"].Error == nil || want.Responses["A"].Error != nil || want.Responses["B"].Error != nil {
		t.Fatalf("QueryData: want A and B answered and C failed, got %v, %v, %v", want.Responses["A"].Error, want.Responses["B"].Error, want.Responses["C"].Error)
	}
	if rows, _ := want.Responses["A"].Frames[0].RowLen(); rows < 50_000 || chunks < 3 {
		t.Errorf("%d rows scored came in %d chunks: want a large answer in several", rows, chunks)
	}
	for _, refID := range []string{"A", "B", "C"} {
		w, g := want.Responses[refID], got.Responses[refID]
		if w.Error != nil || g.Error != nil {
			if refID != "C" || g.Error == nil || w.Error == nil || g.Error.Error() != w.Error.Error() || g.Status != w.Status {
				t.Errorf("%s: error %v (%d), want %v (%d)", refID, g.Error, g.Status, w.Error, w.Status)
			}
			continue
		}
		if len(g.Frames) != len(w.Frames) {
			t.Fatalf("%s: %d frames, want %d", refID, len(g.Frames), len(w.Frames))
		}
		for i := range w.Frames {
			gj, err1 := data.FrameToJSON(g.Frames[i], data.IncludeAll)
			wj, err2 := data.FrameToJSON(w.Frames[i], data.IncludeAll)
			if err1 != nil || err2 != nil || string(gj) != string(wj) {
				t.Errorf("%s frame %d differs (%v %v)", refID, i, err1, err2)
			}
		}
	}
}
