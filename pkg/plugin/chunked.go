package plugin

import (
	"context"
	"encoding/json"
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
		widths := newRowWidths(f)
		for from := 0; from < n; {
			if err := ctx.Err(); err != nil {
				return err
			}
			to := widths.chunkEnd(from, n, size)
			chunk := &data.Frame{Name: f.Name, RefID: f.RefID, Meta: f.Meta, Fields: framerows.Range(f.Fields, from, to)}
			if err := w.WriteFrame(ctx, refID, id, chunk); err != nil {
				return err
			}
			from = to
		}
	}
	return nil
}

// rowWidths measures rows as Arrow encodes them, in bits: a bit per bool, 8 to 64 per number or
// time, a bit more per nullable cell (its validity), and a string or JSON cell's bytes and 4-byte
// offset.
type rowWidths struct {
	fixedBits int
	variable  []*data.Field
}

func newRowWidths(f *data.Frame) rowWidths {
	var w rowWidths
	for _, fld := range f.Fields {
		if fld.Nullable() {
			w.fixedBits++
		}
		switch fld.Type().NonNullableType() {
		case data.FieldTypeString, data.FieldTypeJSON:
			w.variable = append(w.variable, fld)
		case data.FieldTypeBool:
			w.fixedBits++
		case data.FieldTypeInt8, data.FieldTypeUint8:
			w.fixedBits += 8
		case data.FieldTypeInt16, data.FieldTypeUint16, data.FieldTypeEnum:
			w.fixedBits += 16
		case data.FieldTypeInt32, data.FieldTypeUint32, data.FieldTypeFloat32:
			w.fixedBits += 32
		default:
			w.fixedBits += 64
		}
	}
	return w
}

// chunkEnd is where the chunk of rows starting at from ends: the rows that fit in size bytes, at
// least one.
func (w rowWidths) chunkEnd(from, n, size int) int {
	bits, limit := 0, 8*size
	to := from
	for to < n {
		row := w.fixedBits
		for _, f := range w.variable {
			row += 8 * cellBytes(f, to)
		}
		if to > from && bits+row > limit {
			break
		}
		bits += row
		to++
	}
	return to
}

func cellBytes(f *data.Field, i int) int {
	switch v := f.PointerAt(i).(type) {
	case *string:
		return len(*v) + 4
	case **string:
		if *v != nil {
			return len(**v) + 4
		}
	case *json.RawMessage:
		return len(*v) + 4
	case **json.RawMessage:
		if *v != nil {
			return len(**v) + 4
		}
	}
	return 4
}
