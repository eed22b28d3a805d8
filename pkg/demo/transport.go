package demo

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// Transport serves requests with Handler in memory: no socket, no TLS, no credentials. It
// satisfies azcore's policy.Transporter (Do), so azquery's real code path can run against the
// emulator, which is what the plugin's demo workspace does. The response body streams from the
// handler through a pipe, so a large answer is not buffered twice. The request's context is
// honoured: cancelling it stops the handler (its request carries the context) and fails Do or the
// body read.
type Transport struct {
	Handler http.Handler
}

// Do serves req with t.Handler.
func (t *Transport) Do(req *http.Request) (*http.Response, error) {
	if t == nil || t.Handler == nil {
		return nil, errors.New("emulator transport: no handler")
	}
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	in, err := serverRequest(req)
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	rw := &pipeWriter{ctx: ctx, header: http.Header{}, pw: pw, ready: make(chan struct{})}
	stop := context.AfterFunc(ctx, func() { pw.CloseWithError(ctx.Err()) })
	go func() {
		defer stop()
		defer func() {
			if p := recover(); p != nil {
				rw.fail(fmt.Errorf("emulator transport: handler panicked: %v", p))
				return
			}
			rw.finish()
		}()
		t.Handler.ServeHTTP(rw, in)
	}()
	select {
	case <-rw.ready:
	case <-ctx.Done():
		pr.CloseWithError(ctx.Err())
		return nil, ctx.Err()
	}
	if rw.err != nil {
		return nil, rw.err
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", rw.status, http.StatusText(rw.status)),
		StatusCode:    rw.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        rw.sent,
		Body:          pr,
		ContentLength: -1,
		Request:       req,
	}, nil
}

// serverRequest turns a client request into what a server handler expects to see.
func serverRequest(req *http.Request) (*http.Request, error) {
	in := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("emulator transport: reading the request body: %w", err)
		}
		in.Body = io.NopCloser(bytes.NewReader(b))
		in.ContentLength = int64(len(b))
		// azcore rewinds and resends bodies on retry: give it a fresh copy.
		req.Body = io.NopCloser(bytes.NewReader(b))
	} else {
		in.Body = http.NoBody
	}
	in.RequestURI = req.URL.RequestURI()
	in.RemoteAddr = "127.0.0.1:0"
	if strings.EqualFold(req.URL.Scheme, "https") {
		// Handlers that build URLs from the request (the Entra stand-in) must see https.
		in.TLS = &tls.ConnectionState{HandshakeComplete: true, ServerName: req.URL.Hostname()}
	}
	if in.Host == "" {
		in.Host = req.URL.Host
	}
	if !strings.HasPrefix(in.Proto, "HTTP/") {
		in.Proto, in.ProtoMajor, in.ProtoMinor = "HTTP/1.1", 1, 1
	}
	return in, nil
}

// pipeWriter is the http.ResponseWriter the handler writes to: the header is sent when the handler
// first writes (or returns), then the body flows through the pipe.
type pipeWriter struct {
	ctx    context.Context
	header http.Header
	sent   http.Header
	status int
	pw     *io.PipeWriter
	once   sync.Once
	ready  chan struct{}
	err    error
}

func (w *pipeWriter) Header() http.Header { return w.header }

func (w *pipeWriter) WriteHeader(code int) {
	if code < 100 || code > 999 {
		code = http.StatusInternalServerError
	}
	w.once.Do(func() {
		w.status = code
		w.sent = w.header.Clone()
		close(w.ready)
	})
}

func (w *pipeWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.pw.Write(b)
}

// Flush is a no-op: every Write already reaches the reader.
func (w *pipeWriter) Flush() {}

// finish ends the body; if the request was cancelled the body ends with that error, never as if
// it were complete.
func (w *pipeWriter) finish() {
	w.WriteHeader(http.StatusOK)
	_ = w.pw.CloseWithError(w.ctx.Err())
}

func (w *pipeWriter) fail(err error) {
	w.once.Do(func() {
		w.err = err
		close(w.ready)
	})
	w.pw.CloseWithError(err)
}
