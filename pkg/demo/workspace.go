// Package demo is the plugin's built-in demo workspace: the sample DeviceNetworkEvents of
// pkg/sampledata, served by the Log Analytics emulator (pkg/emulator) over an in-memory Transport.
// The plugin reaches it through exactly the code path of a real workspace (azquery, the wire
// format, the decoder), with no socket and no credential. The emulator command and the tests get
// the demo from here too, so its size, seed and refresh are defined once.
package demo

import (
	"net/http"
	"sync"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/emulator"
	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
	"github.com/kqlhunt/anomaly-datasource/pkg/sampledata"
)

const (
	// Rows is the size of the demo's DeviceNetworkEvents table, seven days of a fleet's
	// connections: exactly 100,000 rows when the data ends on the hour (34 planted, the rest the
	// fleet's traffic), within a few dozen of it at other instants (sampledata.Config.Rows). It
	// is large enough for the notebook's forest to find the planted intrusions among a realistic
	// fleet at every hour (pkg/sampledata/SCENARIO.md), small enough to generate in well under
	// a second.
	Rows = 100_000
	// Seed picks the fleet and its traffic.
	Seed = 42
	// Refresh regenerates the data, ending at the current time, so that "the last day" keeps
	// meaning the last day on a Grafana server that runs for weeks. The fleet's traffic is made
	// hour by hour from the seed and the hour alone, so a refresh slides the week forward: the
	// rows already shown stay as they were, the hour that passed is added, the oldest dropped,
	// and the planted intrusions move with the clock.
	Refresh = time.Hour
	// Endpoint is the Log Analytics endpoint a client of Transport uses; it is never resolved.
	Endpoint = "https://demo-workspace.kqlhunt.invalid/v1"
	// QueryMemory is one demo query's memory budget in the KQL engine: the plugin's usual queries
	// need at most about 41 MB on the demo's table (pkg/kql/BENCHMARKS.md); past it a query gets the
	// service's E_RUNAWAY_QUERY partial error, as on a real workspace.
	QueryMemory = 128 << 20
	// Concurrency is the demo queries the engine runs at once; others wait for their turn. With
	// QueryMemory it bounds the demo's working memory, whatever the number of users.
	Concurrency = 2
)

// Workspace is the demo workspace. It answers every workspace id with the same table, checks no
// token, and generates its data on the first request and again once it is Refresh old. It is
// safe for concurrent use; a process needs one.
type Workspace struct {
	now  func() time.Time
	opts []emulator.Option
	// slots are the engine's Concurrency turns, shared by every refresh of the data.
	slots chan struct{}

	mu      sync.Mutex
	built   time.Time
	handler http.Handler
}

// Option configures New.
type Option func(*Workspace)

// WithClock sets the clock the data ends at and ages by (default time.Now); tests use it to
// render the demo at any instant.
func WithClock(now func() time.Time) Option {
	return func(w *Workspace) {
		if now != nil {
			w.now = now
		}
	}
}

// WithHandlerOptions passes options to the Log Analytics handler (the emulator command checks
// tokens, tests record requests).
func WithHandlerOptions(opts ...emulator.Option) Option {
	return func(w *Workspace) { w.opts = append(w.opts, opts...) }
}

// New returns the demo workspace; nothing is generated until the first request.
func New(opts ...Option) *Workspace {
	w := &Workspace{now: time.Now, slots: make(chan struct{}, Concurrency)}
	for _, o := range opts {
		o(w)
	}
	return w
}

// Config is the sample data's configuration for the data ending at now.
func Config(now time.Time) sampledata.Config {
	return sampledata.Config{Rows: Rows, Seed: Seed, Now: now}
}

// Table generates the demo's table as it is at now (what the workspace serves after a refresh at
// now).
func Table(now time.Time) *kql.Table { return sampledata.Generate(Config(now)) }

// ServeHTTP answers with the current data, regenerating it first when it is Refresh old.
func (w *Workspace) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w.current().ServeHTTP(rw, r)
}

func (w *Workspace) current() http.Handler {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.now()
	if w.handler == nil || now.Sub(w.built) >= Refresh || now.Before(w.built) {
		exec := emulator.NewEngineExecutor(Table(now))
		exec.Now = w.now // ago() and now() in the KQL, and relative timespans, follow the same clock
		exec.MaxMemory, exec.Slots = QueryMemory, w.slots
		opts := append([]emulator.Option{emulator.WithClock(w.now)}, w.opts...)
		w.handler = emulator.NewLogAnalyticsHandler(exec, opts...)
		w.built = now
	}
	return w.handler
}

// Transport serves the workspace in memory, for azquery (a policy.Transporter).
func (w *Workspace) Transport() *Transport { return &Transport{Handler: w} }
