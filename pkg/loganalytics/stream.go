package loganalytics

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/klauspost/compress/gzip"
)

// call is one Query's state, carried to the pipeline's policies in the request's context.
type call struct {
	meter *meter

	// Set by streamPolicy on a 200 answer.
	answer    *answer
	requestID string

	mu       sync.Mutex
	attempts int   // requests that reached the transport
	dialErr  error // the last attempt's transport error, if it got no response
}

type callKey struct{}

func callFrom(ctx context.Context) *call {
	c, _ := ctx.Value(callKey{}).(*call)
	return c
}

// emptyAnswer is what azquery is handed instead of the rows: it has nothing left to decode.
const emptyAnswer = `{"tables":[]}`

// streamPolicy is the client's per-call policy. It asks for gzip, stops azcore from buffering a
// successful body (runtime.SkipBodyDownload), and decodes that body itself as it arrives, into
// the call's answer; azquery then gets an empty document. It runs above the retry policy, so it
// sees the final attempt only, and error answers (downloaded by azcore as before) pass through.
type streamPolicy struct{}

func (streamPolicy) Do(req *policy.Request) (*http.Response, error) {
	c := callFrom(req.Raw().Context())
	if c == nil {
		return req.Next()
	}
	runtime.SkipBodyDownload(req)
	req.Raw().Header.Set("Accept-Encoding", "gzip")
	resp, err := req.Next()
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	c.requestID = resp.Header.Get("x-ms-request-id")
	body := resp.Body
	defer body.Close()
	a, err := decodeAnswer(body, c.meter)
	if err != nil {
		return nil, err
	}
	c.meter.settle()
	c.answer = a
	resp.Body = io.NopCloser(strings.NewReader(emptyAnswer))
	resp.ContentLength = int64(len(emptyAnswer))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// maxErrorBody bounds what is read of an error answer: Log Analytics' own are a few hundred
// bytes, and an arbitrary host must not make the plugin buffer megabytes.
const maxErrorBody = 1 << 20

// guardTransport sits under azcore's whole pipeline: it counts attempts and keeps the last
// transport error (so a refused connection is reported as refused even when the deadline ends
// the retries), undoes gzip, and bounds error bodies to maxErrorBody.
type guardTransport struct {
	next policy.Transporter
}

func (g guardTransport) Do(req *http.Request) (*http.Response, error) {
	c := callFrom(req.Context())
	resp, err := g.next.Do(req)
	if c != nil {
		c.mu.Lock()
		c.attempts++
		if err != nil && resp == nil {
			c.dialErr = err
		} else {
			c.dialErr = nil
		}
		c.mu.Unlock()
	}
	if err != nil || resp == nil {
		return resp, err
	}
	if strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip") {
		zr, err := newGzipBody(resp.Body)
		if err != nil {
			resp.Body.Close()
			return nil, fmt.Errorf("%w: the gzip answer cannot be read: %v", ErrDecode, err)
		}
		resp.Body = zr
		resp.Header.Del("Content-Encoding")
		resp.Header.Del("Content-Length")
		resp.ContentLength = -1
		resp.Uncompressed = true
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body = limitBody(resp.Body, maxErrorBody)
	}
	return resp, nil
}

// gzipBody decompresses as it is read (klauspost/compress: the same format as compress/gzip,
// about twice as fast to inflate) and closes the underlying body.
type gzipBody struct {
	zr   *gzip.Reader
	body io.ReadCloser
}

func newGzipBody(body io.ReadCloser) (*gzipBody, error) {
	zr, err := gzip.NewReader(body)
	if err != nil {
		return nil, err
	}
	return &gzipBody{zr: zr, body: body}, nil
}

func (g *gzipBody) Read(p []byte) (int, error) { return g.zr.Read(p) }
func (g *gzipBody) Close() error {
	g.zr.Close()
	return g.body.Close()
}

// limitedBody reads at most n bytes of body.
type limitedBody struct {
	io.Reader
	body io.ReadCloser
}

func limitBody(body io.ReadCloser, n int64) io.ReadCloser {
	return &limitedBody{Reader: io.LimitReader(body, n), body: body}
}

func (l *limitedBody) Close() error { return l.body.Close() }
