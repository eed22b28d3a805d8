package plugin

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental/concurrent"

	"github.com/kqlhunt/anomaly-datasource/pkg/framerows"
)

// chunkBytes is about how much of a frame one chunk carries, encoded. QueryData's answer is
// encoded whole after the handler returns: for 500,000 rows, 62 MB of Arrow made through growing
// builders and a doubling buffer, about four times that at once on top of the frames. In chunks,
// the process holds one chunk's encoding at a time.
const chunkBytes = 4 << 20

// QueryChunkedData answers as QueryData does (the same queries, frames, errors and statuses), for
// Grafanas that ask for chunked responses (an experimental SDK API): each frame is written in
// chunks of about chunkBytes under one frame ID, which the receiver appends into one frame, and
// errors are written once every query is done. Each query's results stay booked against the result
// budget until its chunks are written. Errors lose their source (downstream or plugin), which
// QueryData sends: the SDK's ChunkedDataWriter.WriteError takes none.
func (d *Datasource) QueryChunkedData(ctx context.Context, req *backend.QueryChunkedDataRequest, w backend.ChunkedDataWriter) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ds := datasourceRef(req.PluginContext)

	var (
		mu        sync.Mutex
		streamErr error // the first failed write: the stream is gone, the other queries stop
	)
	failed := func(err error) {
		if err == nil {
			return
		}
		mu.Lock()
		if streamErr == nil {
			streamErr = err
		}
		mu.Unlock()
		cancel()
	}
	all := &backend.QueryDataRequest{PluginContext: req.PluginContext, Headers: req.Headers, Queries: req.Queries}
	res, _ := concurrent.QueryData(ctx, all, func(ctx context.Context, q concurrent.Query) backend.DataResponse {
		ctx, release := holdResults(ctx)
		defer release()
		r := d.query(ctx, q.DataQuery, ds)
		if r.Error == nil {
			r = sendable(ctx, r)
		}
		if r.Error != nil {
			return r
		}
		failed(writeFrames(ctx, w, q.DataQuery.RefID, r.Frames, chunkBytes))
		return backend.DataResponse{}
	}, maxConcurrentQueries)
	// Errors, including a query's panic that concurrent.QueryData recovered, are written last.
	for refID, r := range res.Responses {
		if r.Error != nil && streamErr == nil {
			failed(w.WriteError(ctx, refID, r.Status, r.Error))
		}
	}
	return streamErr
}

// sendable is r, or its error when a frame cannot be written (none, or fields of unequal lengths):
// that query's failure (a bug of the plugin's), not the stream's.
func sendable(ctx context.Context, r backend.DataResponse) backend.DataResponse {
	for i, f := range r.Frames {
		if f == nil {
			return errorResponse(ctx, fmt.Errorf("frame %d of the answer is missing", i))
		}
		if _, err := f.RowLen(); err != nil {
			return errorResponse(ctx, fmt.Errorf("frame %d of the answer cannot be sent: %w", i, err))
		}
	}
	return r
}

// writeFrames writes each frame in chunks of about size bytes under its own frame ID (its index in
// the answer). A frame without rows is written once, for its fields and metadata. It stops when ctx
// is done (the stream, or another query's write, failed).
func writeFrames(ctx context.Context, w backend.ChunkedDataWriter, refID string, frames data.Frames, size int) error {
	for i, f := range frames {
		id := strconv.Itoa(i)
		n := f.Rows()
		if n == 0 {
			if err := w.WriteFrame(ctx, refID, id, f); err != nil {
				return err
			}
			continue
		}
		for from, to := range framerows.Chunks(f.Fields, size) {
			if err := ctx.Err(); err != nil {
				return err
			}
			chunk := &data.Frame{Name: f.Name, RefID: f.RefID, Meta: f.Meta, Fields: framerows.Range(f.Fields, from, to)}
			if err := w.WriteFrame(ctx, refID, id, chunk); err != nil {
				return err
			}
		}
	}
	return nil
}
