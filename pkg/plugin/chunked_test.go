package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/kqlhunt/anomaly-datasource/pkg/internal/pluginhost"
	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
)

// queryRequest is one request with a query per model, refIDs A, B, ... over the fixture's hours.
func queryRequest(t *testing.T, models ...map[string]any) *backend.QueryDataRequest {
	t.Helper()
	req := &backend.QueryDataRequest{}
	for i, m := range models {
		raw, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		req.Queries = append(req.Queries, backend.DataQuery{
			RefID: string(rune('A' + i)), JSON: raw, Interval: 10 * time.Minute, MaxDataPoints: 100,
			TimeRange: backend.TimeRange{From: fixtureStart.Add(-time.Hour), To: fixtureStart.Add(3 * time.Hour)},
		})
	}
	return req
}

// chunked runs req through QueryChunkedData with the SDK's own writer and assembles the chunks as
// Grafana does; it returns the answer and the size of each frame chunk as sent.
func chunked(t *testing.T, d *Datasource, req *backend.QueryDataRequest) (*backend.QueryDataResponse, []int) {
	t.Helper()
	var a pluginhost.Assembler
	var sizes []int
	w := backend.NewChunkedDataWriter(backend.DataFrameFormat_ARROW, func(c *pluginv2.QueryChunkedDataResponse) error {
		if c.Error == "" {
			sizes = append(sizes, len(c.Frame))
		}
		return a.Add(c)
	})
	creq := &backend.QueryChunkedDataRequest{PluginContext: req.PluginContext, Queries: req.Queries, Format: backend.DataFrameFormat_ARROW}
	if err := d.QueryChunkedData(context.Background(), creq, w); err != nil {
		t.Fatal(err)
	}
	return a.Response(), sizes
}

// frameJSON is a frame as Grafana receives it (through Arrow, which turns custom metadata into a
// map), schema and data, for comparing answers that came by different roads.
func frameJSON(t *testing.T, f *data.Frame, refID string) string {
	t.Helper()
	f.RefID = refID
	raw, err := f.MarshalArrow()
	if err != nil {
		t.Fatal(err)
	}
	if f, err = data.UnmarshalArrowFrame(raw); err != nil {
		t.Fatal(err)
	}
	b, err := data.FrameToJSON(f, data.IncludeAll)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestChunkedAnswersAreQueryDataAnswers: the same request answered both ways gives the same frames
// and the same errors, with their statuses.
func TestChunkedAnswersAreQueryDataAnswers(t *testing.T) {
	d := newTestDatasource(t, &fakeQuerier{})
	req := queryRequest(t,
		map[string]any{"queryType": "kql", "kql": "T | where $__timeFilter()"},
		map[string]any{"queryType": "anomaly", "kql": "T"},
		map[string]any{"queryType": "anomaly", "kql": "T", "output": "count"},
		map[string]any{"queryType": "anomaly", "kql": "T", "output": "series"},
		map[string]any{"queryType": "anomaly", "kql": "T | take 0"},
		map[string]any{"queryType": "anomaly", "kql": "T", "output": "everything"},
		map[string]any{"queryType": "nope"},
	)
	want, err := d.QueryData(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := chunked(t, d, req)
	if len(got.Responses) != len(want.Responses) {
		t.Fatalf("%d responses, want %d", len(got.Responses), len(want.Responses))
	}
	errs := 0
	for refID, w := range want.Responses {
		g := got.Responses[refID]
		if w.Error != nil {
			errs++
			if g.Error == nil || g.Error.Error() != w.Error.Error() || g.Status != w.Status {
				t.Errorf("%s: error %v (%d), want %v (%d)", refID, g.Error, g.Status, w.Error, w.Status)
			}
			continue
		}
		if g.Error != nil || len(g.Frames) != len(w.Frames) {
			t.Fatalf("%s: %d frames, error %v; want %d frames", refID, len(g.Frames), g.Error, len(w.Frames))
		}
		for i := range w.Frames {
			if gj, wj := frameJSON(t, g.Frames[i], refID), frameJSON(t, w.Frames[i], refID); gj != wj {
				t.Errorf("%s frame %d:\n got %s\nwant %s", refID, i, gj, wj)
			}
		}
	}
	if errs != 2 {
		t.Errorf("%d error responses, want the two bad queries'", errs)
	}
}

// bigFrame is a frame of n rows of about 450 bytes each, as Arrow encodes them (wide rows, so that
// a few chunks' worth is few cells).
func bigFrame(n int) *data.Frame {
	pad := strings.Repeat("x", 400)
	times := make([]time.Time, n)
	names := make([]string, n)
	ports := make([]*int64, n)
	for i := range n {
		times[i] = fixtureStart.Add(time.Duration(i) * time.Second)
		names[i] = fmt.Sprintf("device-%06d.contoso.example.com/%s", i%5000, pad)
		if i%7 != 0 {
			p := int64(i % 65536)
			ports[i] = &p
		}
	}
	return data.NewFrame("PrimaryResult",
		data.NewField("TimeGenerated", nil, times),
		data.NewField("DeviceName", nil, names),
		data.NewField("RemotePort", nil, ports),
	).SetMeta(&data.FrameMeta{ExecutedQueryString: "T"})
}

// TestLargeFramesGoInChunksOfAboutTheSize: a frame of several times the chunk size is sent in
// several chunks, none much over the size, that add up to the frame; a frame without rows is sent
// once. (The size is 64 KiB here, for speed; the plugin's is chunkBytes.)
func TestLargeFramesGoInChunksOfAboutTheSize(t *testing.T) {
	const size = 64 << 10
	for _, tc := range []struct {
		rows      int
		minChunks int
	}{{0, 1}, {1, 1}, {2_000, 10}} {
		t.Run(fmt.Sprint(tc.rows), func(t *testing.T) {
			f := bigFrame(tc.rows)
			want := frameJSON(t, bigFrame(tc.rows), "A")
			var a pluginhost.Assembler
			var sizes []int
			w := backend.NewChunkedDataWriter(backend.DataFrameFormat_ARROW, func(c *pluginv2.QueryChunkedDataResponse) error {
				sizes = append(sizes, len(c.Frame))
				return a.Add(c)
			})
			if err := writeFrames(context.Background(), w, "A", data.Frames{f}, size); err != nil {
				t.Fatal(err)
			}
			if len(sizes) < tc.minChunks {
				t.Errorf("%d chunks, want at least %d", len(sizes), tc.minChunks)
			}
			for i, s := range sizes {
				if s > size*5/4 {
					t.Errorf("chunk %d is %d bytes, over the size (%d) by more than a quarter", i, s, size)
				}
			}
			got := a.Response().Responses["A"].Frames
			if len(got) != 1 || frameJSON(t, got[0], "A") != want {
				t.Errorf("the chunks do not add up to the frame")
			}
		})
	}
}

// failingWriter fails every write, as a stream whose receiver went away does.
type failingWriter struct{ writes int }

var errGone = errors.New("stream closed")

func (w *failingWriter) WriteFrame(context.Context, string, string, *data.Frame) error {
	w.writes++
	return errGone
}

func (w *failingWriter) WriteError(context.Context, string, backend.Status, error) error {
	w.writes++
	return errGone
}

// TestAFailedWriteEndsTheAnswer: when the stream is gone, QueryChunkedData says so and writes
// nothing more.
func TestAFailedWriteEndsTheAnswer(t *testing.T) {
	for name, model := range map[string]map[string]any{
		"frames": {"queryType": "kql", "kql": "T"},
		"error":  {"queryType": "nope"},
	} {
		t.Run(name, func(t *testing.T) {
			d := newTestDatasource(t, &fakeQuerier{})
			req := queryRequest(t, model)
			w := &failingWriter{}
			err := d.QueryChunkedData(context.Background(), &backend.QueryChunkedDataRequest{Queries: req.Queries}, w)
			if !errors.Is(err, errGone) || w.writes != 1 {
				t.Errorf("err %v after %d writes, want %v after 1", err, w.writes, errGone)
			}
		})
	}
}

// TestChunkedServiceErrorsKeepTheirStatus: a service error is written with the status QueryData
// gives it.
func TestChunkedServiceErrorsKeepTheirStatus(t *testing.T) {
	fq := &fakeQuerier{fail: backend.DownstreamError(fmt.Errorf("%w: InsufficientAccessError", loganalytics.ErrForbidden))}
	got, sizes := chunked(t, newTestDatasource(t, fq), queryRequest(t, map[string]any{"kql": "T"}))
	r := got.Responses["A"]
	if r.Status != backend.StatusForbidden || r.Error == nil || len(sizes) != 0 {
		t.Errorf("got %d %v and %d frame chunks, want 403 and none", r.Status, r.Error, len(sizes))
	}
}
