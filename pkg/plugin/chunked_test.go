package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/kqlhunt/anomaly-datasource/pkg/framerows"
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

// chunked runs req through QueryChunkedData with the SDK's own writer in the format asked for, and
// assembles the chunks as Grafana does; it returns the answer and the size of each frame chunk as
// sent.
func chunked(t *testing.T, d *Datasource, req *backend.QueryDataRequest, format backend.DataFrameFormat) (*backend.QueryDataResponse, []int) {
	t.Helper()
	var a pluginhost.Assembler
	var sizes []int
	w := backend.NewChunkedDataWriter(format, func(c *pluginv2.QueryChunkedDataResponse) error {
		if c.Error == "" {
			sizes = append(sizes, len(c.Frame))
		}
		return a.Add(c)
	})
	creq := &backend.QueryChunkedDataRequest{PluginContext: req.PluginContext, Queries: req.Queries, Format: format}
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
// and the same errors, with their statuses, whether the chunks are Arrow or JSON (which Grafana may
// ask for to stream them to the browser as they are).
func TestChunkedAnswersAreQueryDataAnswers(t *testing.T) {
	for name, format := range map[string]backend.DataFrameFormat{"arrow": backend.DataFrameFormat_ARROW, "json": backend.DataFrameFormat_JSON} {
		t.Run(name, func(t *testing.T) { chunkedEqualsQueryData(t, format) })
	}
}

func chunkedEqualsQueryData(t *testing.T, format backend.DataFrameFormat) {
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
	got, _ := chunked(t, d, req, format)
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

// unevenFrame has n rows of one string column: 300 bytes, but every 4th row one byte (so a
// sample of every 4th row, or of 1,000 spread over 4,000, would take the rows for short).
func unevenFrame(n int) *data.Frame {
	long := strings.Repeat("y", 300)
	vals := make([]string, n)
	for i := range vals {
		vals[i] = long
		if i%4 == 0 {
			vals[i] = "x"
		}
	}
	return data.NewFrame("PrimaryResult", data.NewField("CommandLine", nil, vals))
}

// boolFrame has n rows of 20 bool columns (a byte each in a chunk's estimate).
func boolFrame(n int) *data.Frame {
	f := data.NewFrame("PrimaryResult")
	for c := range 20 {
		vals := make([]bool, n)
		for i := range vals {
			vals[i] = (i+c)%3 == 0
		}
		f.Fields = append(f.Fields, data.NewField(fmt.Sprintf("Flag%d", c), nil, vals))
	}
	return f
}

// TestLargeFramesGoInChunksOfAboutTheSize: a frame of several times the chunk size is sent in
// several chunks, none much over the size nor much under it (but the last), that add up to the
// frame; a frame without rows is sent once. (The sizes are tens of KiB here, for speed; the
// plugin's is chunkBytes.)
func TestLargeFramesGoInChunksOfAboutTheSize(t *testing.T) {
	for _, tc := range []struct {
		name      string
		frame     func() *data.Frame
		size      int
		minChunks int
	}{
		{"no rows", func() *data.Frame { return bigFrame(0) }, 64 << 10, 1},
		{"one row", func() *data.Frame { return bigFrame(1) }, 64 << 10, 1},
		{"2,000 rows", func() *data.Frame { return bigFrame(2_000) }, 64 << 10, 10},
		{"uneven rows", func() *data.Frame { return unevenFrame(4_000) }, 64 << 10, 10},
		{"bools, a bit each", func() *data.Frame { return boolFrame(20_000) }, 16 << 10, 3},
	} {
		size := tc.size
		t.Run(tc.name, func(t *testing.T) {
			f := tc.frame()
			want := frameJSON(t, tc.frame(), "A")
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
			// Every chunk carries the frame's schema and metadata, as the frame's first 0 rows do.
			empty, err := (&data.Frame{Name: f.Name, Meta: f.Meta, Fields: framerows.Range(f.Fields, 0, 0)}).MarshalArrow()
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range sizes {
				if rows := s - len(empty); rows > size*5/4 || (i < len(sizes)-1 && rows < size/2) {
					t.Errorf("chunk %d of %d has %d bytes of rows: want about the size, %d", i, len(sizes), rows, size)
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
type failingWriter struct {
	mu             sync.Mutex
	frames, errors int
}

var errGone = errors.New("stream closed")

func (w *failingWriter) WriteFrame(context.Context, string, string, *data.Frame) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.frames++
	return errGone
}

func (w *failingWriter) WriteError(context.Context, string, backend.Status, error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.errors++
	return errGone
}

// TestAFailedWriteEndsTheAnswer: when the stream is gone, QueryChunkedData says so, and neither
// the queries still running nor the errors waiting are written after it.
func TestAFailedWriteEndsTheAnswer(t *testing.T) {
	frames := map[string]any{"queryType": "anomaly", "kql": "T"}
	bad := map[string]any{"queryType": "nope"}
	for _, tc := range []struct {
		name       string
		models     []map[string]any
		maxFrames  int // writes that may have started before the first failed
		wantErrors int
	}{
		{"frames", []map[string]any{frames, frames, frames, bad}, 3, 0},
		{"error", []map[string]any{bad, bad}, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newTestDatasource(t, &fakeQuerier{})
			req := queryRequest(t, tc.models...)
			w := &failingWriter{}
			err := d.QueryChunkedData(context.Background(), &backend.QueryChunkedDataRequest{Queries: req.Queries}, w)
			if !errors.Is(err, errGone) || w.frames > tc.maxFrames || w.errors != tc.wantErrors || w.frames+w.errors == 0 {
				t.Errorf("err %v after %d frame and %d error writes, want %v after at most %d and %d", err, w.frames, w.errors, errGone, tc.maxFrames, tc.wantErrors)
			}
		})
	}
}

// TestUnsendableFramesAreTheirQuerysError: a frame that cannot be written is its query's error
// (the plugin's), not the stream's.
func TestUnsendableFramesAreTheirQuerysError(t *testing.T) {
	uneven := data.NewFrame("T", data.NewField("a", nil, []int64{1, 2}), data.NewField("b", nil, []int64{1}))
	for name, frames := range map[string]data.Frames{"unequal fields": {uneven}, "nil frame": {nil}} {
		t.Run(name, func(t *testing.T) {
			r := sendable(context.Background(), backend.DataResponse{Frames: frames})
			if r.Error == nil || r.Status != backend.StatusInternal || r.ErrorSource != backend.ErrorSourcePlugin {
				t.Errorf("got %d %q %v, want the plugin's internal error", r.Status, r.ErrorSource, r.Error)
			}
		})
	}
	ok := backend.DataResponse{Frames: data.Frames{data.NewFrame("T", data.NewField("a", nil, []int64{1}))}}
	if r := sendable(context.Background(), ok); r.Error != nil {
		t.Errorf("a good frame: %v", r.Error)
	}
}

// TestChunkedServiceErrorsKeepTheirStatus: a service error is written with the status QueryData
// gives it, but without its source: the SDK's WriteError takes none (when it does, send it and
// change this test).
func TestChunkedServiceErrorsKeepTheirStatus(t *testing.T) {
	fq := &fakeQuerier{fail: backend.DownstreamError(fmt.Errorf("%w: InsufficientAccessError", loganalytics.ErrForbidden))}
	d := newTestDatasource(t, fq)
	var chunks []*pluginv2.QueryChunkedDataResponse
	w := backend.NewChunkedDataWriter(backend.DataFrameFormat_ARROW, func(c *pluginv2.QueryChunkedDataResponse) error {
		chunks = append(chunks, c)
		return nil
	})
	req := queryRequest(t, map[string]any{"kql": "T"})
	if err := d.QueryChunkedData(context.Background(), &backend.QueryChunkedDataRequest{Queries: req.Queries}, w); err != nil {
		t.Fatal(err)
	}
	if len(chunks) != 1 || chunks[0].Status != int32(backend.StatusForbidden) || !strings.Contains(chunks[0].Error, "InsufficientAccessError") || chunks[0].ErrorSource != "" {
		t.Fatalf("chunks %+v, want one 403 error without a source", chunks)
	}
}

// TestJSONChunksAddUpToTheFrame: in JSON the SDK's writer sends a frame's schema with its first
// chunk only; the chunks still add up to the frame.
func TestJSONChunksAddUpToTheFrame(t *testing.T) {
	var a pluginhost.Assembler
	withSchema := 0
	w := backend.NewChunkedDataWriter(backend.DataFrameFormat_JSON, func(c *pluginv2.QueryChunkedDataResponse) error {
		if strings.Contains(string(c.Frame), `"schema"`) {
			withSchema++
		}
		return a.Add(c)
	})
	if err := writeFrames(context.Background(), w, "A", data.Frames{bigFrame(2_000), unevenFrame(500)}, 64<<10); err != nil {
		t.Fatal(err)
	}
	got := a.Response().Responses["A"].Frames
	if a.Chunks < 10 || withSchema != 2 || len(got) != 2 {
		t.Fatalf("%d chunks, %d with a schema, %d frames: want many, one a frame, 2", a.Chunks, withSchema, len(got))
	}
	for i, want := range []*data.Frame{bigFrame(2_000), unevenFrame(500)} {
		if frameJSON(t, got[i], "A") != frameJSON(t, want, "A") {
			t.Errorf("frame %d: the chunks do not add up to it", i)
		}
	}
}
