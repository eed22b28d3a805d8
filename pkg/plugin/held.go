package plugin

import (
	"context"
	"sync"

	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
)

// heldResults are the Log Analytics results of one request (a QueryData call or a resource
// call), released together once it is answered, so their memory leaves the process's result
// budget then (loganalytics.Result.Release). A result nobody releases is released by the garbage
// collector once its frames are garbage; releasing here just does it sooner.
type heldResults struct {
	mu      sync.Mutex
	results []*loganalytics.Result
}

type heldKey struct{}

// holdResults returns a context under which every result is held, and the function that
// releases them.
func holdResults(ctx context.Context) (context.Context, func()) {
	h := &heldResults{}
	return context.WithValue(ctx, heldKey{}, h), h.release
}

func (h *heldResults) release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range h.results {
		r.Release()
	}
	h.results = nil
}

// holdingQuerier records each result in the request's heldResults.
type holdingQuerier struct {
	loganalytics.Querier
}

func (q holdingQuerier) Query(ctx context.Context, lq loganalytics.Query) (*loganalytics.Result, error) {
	res, err := q.Querier.Query(ctx, lq)
	if h, ok := ctx.Value(heldKey{}).(*heldResults); ok && err == nil {
		h.mu.Lock()
		h.results = append(h.results, res)
		h.mu.Unlock()
	}
	return res, err
}
