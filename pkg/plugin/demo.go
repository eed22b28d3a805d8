package plugin

import (
	"context"
	"sync"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
	"github.com/kqlhunt/anomaly-datasource/pkg/sampledata"
)

// The built-in demo workspace: sample DeviceNetworkEvents served by the Log Analytics emulator,
// reached through the same azquery code path as a real workspace but over an in-memory transport (no
// socket, no credential).
const (
	demoRows = 100_000
	demoSeed = 42
	// demoRefresh regenerates the sample data so that "the last day" keeps meaning the last day on a
	// Grafana server that runs for weeks.
	demoRefresh = time.Hour
	// demoEndpoint is never resolved: the transport answers in memory.
	demoEndpoint = "https://demo-workspace.kqlhunt.invalid/v1"
)

// demoWorkspace is shared by every demo datasource of the process: the data is the same for all.
var demoWorkspace = struct {
	mu      sync.Mutex
	built   time.Time
	querier loganalytics.Querier
}{}

// demoQuerier lazily builds (or refreshes) the demo workspace and returns a querier for it.
type demoQuerier struct{}

func newDemoQuerier() (loganalytics.Querier, error) {
	// Fail at creation, not at the first query, if the client cannot be built at all.
	if _, err := currentDemo(time.Now()); err != nil {
		return nil, err
	}
	return demoQuerier{}, nil
}

func currentDemo(now time.Time) (loganalytics.Querier, error) {
	demoWorkspace.mu.Lock()
	defer demoWorkspace.mu.Unlock()
	if demoWorkspace.querier != nil && now.Sub(demoWorkspace.built) < demoRefresh {
		return demoWorkspace.querier, nil
	}
	table := sampledata.Generate(sampledata.Config{Rows: demoRows, Seed: demoSeed, Now: now})
	handler := emulator.NewLogAnalyticsHandler(emulator.NewEngineExecutor(table))
	client, err := loganalytics.NewClient(nil, loganalytics.ClientOptions{
		Endpoint: demoEndpoint, Transport: &emulator.Transport{Handler: handler}, ApplicationID: applicationID,
	})
	if err != nil {
		return nil, err
	}
	demoWorkspace.querier, demoWorkspace.built = client, now
	return client, nil
}

// Query runs q on the current demo workspace.
func (demoQuerier) Query(ctx context.Context, q loganalytics.Query) (*loganalytics.Result, error) {
	c, err := currentDemo(time.Now())
	if err != nil {
		return nil, err
	}
	return c.Query(ctx, q)
}
