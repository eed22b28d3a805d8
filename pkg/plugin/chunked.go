package plugin

import (
	"context"
	"encoding/json"
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

// QueryChunkedData answers as QueryData does (the same queries, frames and errors), for Grafanas
// that ask for chunked responses (an experimental SDK API): each frame is written in chunks of
// about chunkBytes under one frame ID, which the receiver appends into one frame, and errors are
// written as they are found. The results stay booked against the result budget until every chunk
// is written.
func (d *Datasource) QueryChunkedData(ctx context.Context, req *backend.QueryChunkedDataRequest, w backend.ChunkedDataWriter) error {
	ctx, release := holdResults(ctx)
	defer release()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ds := datasourceRef(req.PluginContext)

	var (
		mu       sync.Mutex
		writeErr error // the first failed write: the stream is gone, the other queries stop
	)
	written := func(err error) {
		if err == nil {
			return
		}
		mu.Lock()
		if writeErr == nil {
			writeErr = err
		}
		mu.Unlock()
		cancel()
	}
	all := &backend.QueryDataRequest{PluginContext: req.PluginContext, Headers: req.Headers, Queries: req.Queries}
	res, _ := concurrent.QueryData(ctx, all, func(ctx context.Context, q concurrent.Query) backend.DataResponse {
		r := d.query(ctx, q.DataQuery, ds)
		if r.Error != nil {
			return r
		}
		written(writeFrames(ctx, w, q.DataQuery.RefID, r.Frames, chunkBytes))
		return backend.DataResponse{}
	}, maxConcurrentQueries)
	// Errors, including a query's panic that concurrent.QueryData recovered, are written last.
	for refID, r := range res.Responses {
		if r.Error != nil && writeErr == nil {
			written(w.WriteError(ctx, refID, r.Status, r.Error))
		}
	}
	return writeErr
}

// writeFrames writes each frame in chunks of about size bytes under its own frame ID (its index in
// the answer). A frame without rows is written once, for its fields and metadata.
func writeFrames(ctx context.Context, w backend.ChunkedDataWriter, refID string, frames data.Frames, size int) error {
	for i, f := range frames {
		id := strconv.Itoa(i)
		n, err := f.RowLen()
		if err != nil {
			return err
		}
		if n == 0 {
			if err := w.WriteFrame(ctx, refID, id, f); err != nil {
				return err
			}
			continue
		}
		step := chunkRows(f, n, size)
		for from := 0; from < n; from += step {
			to := min(from+step, n)
			chunk := &data.Frame{Name: f.Name, RefID: f.RefID, Meta: f.Meta, Fields: framerows.Range(f.Fields, from, to)}
			if err := w.WriteFrame(ctx, refID, id, chunk); err != nil {
				return err
			}
		}
	}
	return nil
}

// chunkRows is how many of f's n rows make about size bytes: a row's width is estimated from up
// to 1,000 rows spread over the frame (8 bytes a number or time, a string's length plus its
// 4-byte offset), as Arrow encodes them.
func chunkRows(f *data.Frame, n, size int) int {
	if n == 0 {
		return 1
	}
	stride := max(n/1000, 1)
	sampled, width := 0, 0
	for i := 0; i < n; i += stride {
		sampled++
		for _, fld := range f.Fields {
			width += cellBytes(fld, i)
		}
	}
	return max(1, min(n, size*sampled/max(width, 1)))
}

func cellBytes(f *data.Field, i int) int {
	switch v := f.PointerAt(i).(type) {
	case *string:
		return len(*v) + 4
	case **string:
		if *v != nil {
			return len(**v) + 4
		}
		return 4
	case *json.RawMessage:
		return len(*v) + 4
	case **json.RawMessage:
		if *v != nil {
			return len(**v) + 4
		}
		return 4
	}
	return 8
}
