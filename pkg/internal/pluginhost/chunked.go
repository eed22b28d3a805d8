package pluginhost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// QueryChunkedData sends a query request as Grafana's chunked query streaming does and assembles
// the answer with an Assembler. chunks is how many frame chunks came, for tests that check the
// answer was in fact chunked.
func (h *Host) QueryChunkedData(ctx context.Context, req *backend.QueryDataRequest) (res *backend.QueryDataResponse, chunks int, err error) {
	stream, err := h.data.QueryChunkedData(ctx, &pluginv2.QueryChunkedDataRequest{
		PluginContext: backend.ToProto().PluginContext(req.PluginContext),
		Headers:       req.Headers,
		Queries:       backend.ToProto().QueryDataRequest(req).Queries,
		Format:        pluginv2.DataFrameFormat_ARROW,
	})
	if err != nil {
		return nil, 0, err
	}
	var a Assembler
	for {
		c, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return a.Response(), a.Chunks, nil
		}
		if err != nil {
			return nil, a.Chunks, err
		}
		if err := a.Add(c); err != nil {
			return nil, a.Chunks, err
		}
	}
}

// Assembler turns the chunks of a chunked answer back into a response, as Grafana does: the first
// chunk of a (refID, frame ID) is the frame, with its fields and metadata; later chunks of that ID
// add their rows to it; an error chunk is its query's error and status. Chunks come as Arrow
// (each a whole frame) or as JSON (the SDK's writer sends the schema with the first chunk of a
// frame only, and data alone after it).
type Assembler struct {
	Chunks int // frame chunks added

	res     *backend.QueryDataResponse
	frames  map[[2]string]*data.Frame
	schemas map[[2]string]json.RawMessage // a JSON frame's schema, for its data-only chunks
}

// Add adds one chunk; it fails on a chunk that is not an Arrow frame, or whose fields are not its
// frame's.
func (a *Assembler) Add(c *pluginv2.QueryChunkedDataResponse) error {
	if a.res == nil {
		a.res, a.frames, a.schemas = backend.NewQueryDataResponse(), map[[2]string]*data.Frame{}, map[[2]string]json.RawMessage{}
	}
	r := a.res.Responses[c.RefId]
	defer func() { a.res.Responses[c.RefId] = r }()
	if c.Error != "" {
		r.Error, r.Status = errors.New(c.Error), backend.Status(c.Status)
		return nil
	}
	a.Chunks++
	key := [2]string{c.RefId, c.FrameId}
	f, err := a.decode(key, c)
	if err != nil {
		return fmt.Errorf("chunk %d of %s/%s: %w", a.Chunks, c.RefId, c.FrameId, err)
	}
	frame, seen := a.frames[key]
	if !seen {
		a.frames[key] = f
		r.Frames = append(r.Frames, f)
		return nil
	}
	if len(f.Fields) != len(frame.Fields) {
		return fmt.Errorf("chunk %d of %s/%s has %d fields, its frame %d", a.Chunks, c.RefId, c.FrameId, len(f.Fields), len(frame.Fields))
	}
	for i, fld := range f.Fields {
		if want := frame.Fields[i]; fld.Type() != want.Type() || fld.Name != want.Name {
			return fmt.Errorf("chunk %d of %s/%s: field %d is %s (%s), its frame's %s (%s)", a.Chunks, c.RefId, c.FrameId, i, fld.Name, fld.Type(), want.Name, want.Type())
		}
	}
	for i, fld := range f.Fields {
		frame.Fields[i].AppendAll(fld)
	}
	return nil
}

// decode reads one frame chunk.
func (a *Assembler) decode(key [2]string, c *pluginv2.QueryChunkedDataResponse) (*data.Frame, error) {
	switch c.Format {
	case pluginv2.DataFrameFormat_ARROW:
		return data.UnmarshalArrowFrame(c.Frame)
	case pluginv2.DataFrameFormat_JSON:
		var parts struct {
			Schema json.RawMessage `json:"schema"`
			Data   json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(c.Frame, &parts); err != nil {
			return nil, err
		}
		if parts.Schema == nil {
			schema, ok := a.schemas[key]
			if !ok {
				return nil, errors.New("data without a schema before it")
			}
			parts.Schema = schema
		}
		a.schemas[key] = parts.Schema
		whole, err := json.Marshal(parts)
		if err != nil {
			return nil, err
		}
		f := &data.Frame{}
		return f, json.Unmarshal(whole, f)
	}
	return nil, fmt.Errorf("format %s is neither Arrow nor JSON", c.Format)
}

// Response is the answer assembled so far.
func (a *Assembler) Response() *backend.QueryDataResponse {
	if a.res == nil {
		return backend.NewQueryDataResponse()
	}
	return a.res
}
