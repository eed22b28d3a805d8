package sampledata

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
)

// Config chooses what Generate makes. The table is a pure function of Config.
type Config struct {
	// Rows is the table's size: a table whose Span is a whole number of days and whose Now is
	// on the hour holds exactly Rows rows, the planted events (34 when Span is two days or
	// more) and Rows minus those of the fleet's traffic. The fleet's traffic is a rate (that
	// many events per Span, more in office hours), so at other instants the two partial hours
	// at the table's ends make it differ by a few dozen rows.
	Rows int
	// Seed picks the fleet and its traffic.
	Seed int64
	// Now is the end of the generated period; zero means the current time (then the table is
	// only deterministic for a given Now, so tests should set it).
	Now time.Time
	// Span is the generated period before Now: default (zero or less) 7 days, at least an hour
	// (a shorter span counts as an hour). The traffic is made an hour at a time, so an hour's
	// worth is the least a table costs; a span of a millisecond would otherwise ask for Rows
	// connections per millisecond.
	Span time.Duration
	// Devices is the fleet size (default 40 to 80, chosen by the seed).
	Devices int
	// NoIntrusions leaves the planted intrusions out.
	NoIntrusions bool
}

// DefaultSpan is the period covered when Config.Span is zero.
const DefaultSpan = 7 * 24 * time.Hour

// Generate makes the DeviceNetworkEvents table described by cfg (see SCENARIO.md): the fleet's
// events with TimeGenerated in [Now-Span, Now), hour after hour, each planted event after the
// fleet's events of its hour. It streams the rows into the table, never holding them as Events.
func Generate(cfg Config) *kql.Table {
	t := kql.NewTable(TableName, Schema)
	t.Grow(min(max(cfg.Rows, 0), 1<<24) + 64) // about Rows rows (Config.Rows); the bound only guards the reservation
	row := make([]any, 0, len(Schema))
	each(cfg, func(e *Event) { row = appendRow(t, e, row) })
	return t
}

// Table makes a DeviceNetworkEvents table of the given events, in order: Generate(cfg) is
// Table(Events(cfg)). Tests use it to assemble windows of Traffic and Intrusions.
func Table(evs []Event) *kql.Table {
	t := kql.NewTable(TableName, Schema)
	t.Grow(len(evs))
	row := make([]any, 0, len(Schema))
	for i := range evs {
		row = appendRow(t, &evs[i], row)
	}
	return t
}

// appendRow appends e to t, using row as scratch space, and returns it for the next row.
func appendRow(t *kql.Table, e *Event, row []any) []any {
	row = e.row(row[:0])
	_ = t.AppendRow(row...) // every value has its column's type by construction; tests check Len
	return row
}

// Events returns the rows Generate would make, in the same order, as structs, for tests that
// compute expected answers in plain Go.
func Events(cfg Config) []Event {
	out := make([]Event, 0, max(cfg.Rows, 0)+64)
	each(cfg, func(e *Event) { out = append(out, *e) })
	return out
}

// Traffic returns the fleet's events (no planted ones) with TimeGenerated in [from, to), in
// table order. It depends on cfg's Rows, Span, Seed, Devices and NoIntrusions, not on Now: the
// fleet's rows of Generate(cfg) are Traffic(cfg, cfg.Now-cfg.Span, cfg.Now), so one call can
// serve the tables of many instants.
func Traffic(cfg Config, from, to time.Time) []Event {
	var out []Event
	if cfg.Rows <= 0 || !from.Before(to) {
		return out
	}
	g := newGenerator(cfg)
	g.traffic(from, to, func(e *Event) { out = append(out, *e) })
	return out
}

// Intrusions returns the planted events of the table at cfg.Now, sorted by TimeGenerated (none
// with NoIntrusions, or when Rows is too small to hide them: under four rows per planted event).
func Intrusions(cfg Config) []Event {
	if cfg.Rows <= 0 {
		return nil
	}
	return newGenerator(cfg).planted
}

// generator makes events: the fleet, its software and its destinations are fixed by the seed;
// rng is the random stream of the hour being made.
type generator struct {
	cfg      Config
	rng      *rand.Rand
	devices  []device
	devCum   []float64
	wsProcs  []process
	wsCum    []float64
	srvProcs []process
	srvCum   []float64
	dests    map[string][]endpoint
	tenant   string
	strCache map[string]string
	// planted is the table's planted events; fleetRows the fleet's events per Span, so that
	// the table holds Rows events in all (see Config.Rows).
	planted   []Event
	fleetRows int
}

func newGenerator(cfg Config) *generator {
	if cfg.Span <= 0 {
		cfg.Span = DefaultSpan
	}
	cfg.Span = max(cfg.Span, bucketLen)
	if cfg.Now.IsZero() {
		cfg.Now = time.Now()
	}
	cfg.Now = cfg.Now.UTC().Truncate(time.Millisecond)
	g := &generator{
		cfg:      cfg,
		dests:    destinations(),
		strCache: map[string]string{},
	}
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x9e3779b97f4a7c15))
	n := cfg.Devices
	if n <= 0 {
		n = 40 + rng.IntN(41)
	}
	g.devices = fleet(rng, n)
	for _, d := range g.devices {
		g.devCum = appendCum(g.devCum, d.weight)
	}
	g.tenant = guidFrom(fmt.Sprint("tenant:", cfg.Seed))
	g.wsProcs, g.wsCum = workstationSoftware()
	g.srvProcs, g.srvCum = serverSoftware()
	g.planted = g.plant()
	g.fleetRows = cfg.Rows - len(g.planted)
	return g
}

// each calls f with every row of the table at cfg.Now, in order; the Event is reused between
// calls.
func each(cfg Config, f func(*Event)) {
	if cfg.Rows <= 0 {
		return
	}
	g := newGenerator(cfg)
	planted := g.planted
	from, to := g.cfg.Now.Add(-g.cfg.Span), g.cfg.Now
	last := bucketOf(from) - 1
	flush := func(upTo int64) { // the planted events of the hours up to upTo
		for len(planted) > 0 && bucketOf(planted[0].TimeGenerated) <= upTo {
			f(&planted[0])
			planted = planted[1:]
		}
	}
	g.traffic(from, to, func(e *Event) {
		if b := bucketOf(e.TimeGenerated); b != last {
			flush(b - 1)
			last = b
		}
		f(e)
	})
	flush(bucketOf(to))
}

// traffic calls f with the fleet's events with TimeGenerated in [from, to), hour by hour; the
// Event is reused between calls.
func (g *generator) traffic(from, to time.Time, f func(*Event)) {
	var e Event
	for b := bucketOf(from); bucketStart(b).Before(to); b++ {
		g.rng = bucketRand(g.cfg.Seed, b)
		start := bucketStart(b)
		for i, n := 0, bucketRows(g.fleetRows, g.cfg.Span, b); i < n; i++ {
			// Every event draws its time first, so an hour's events are the same whichever
			// part of the hour a window keeps.
			t := start.Add(time.Duration(g.rng.Int64N(int64(bucketLen/time.Millisecond))) * time.Millisecond)
			g.event(&e, t)
			if t.Before(from) || !t.Before(to) {
				continue
			}
			e.ReportId = reportID(b, i)
			e.TenantId, e.Type = g.tenant, TableName
			f(&e)
		}
	}
}

// plant makes the planted events in [Now-Span, Now), sorted by TimeGenerated, with their report
// ids; none with NoIntrusions or when the table is too small to hide them. Their number depends
// on Span (the oldest are 30 hours old), never on Now.
func (g *generator) plant() []Event {
	if g.cfg.NoIntrusions || g.cfg.Rows <= 0 {
		return nil
	}
	evs := g.intrusions()
	if len(evs)*4 > g.cfg.Rows {
		return nil
	}
	from := g.cfg.Now.Add(-g.cfg.Span)
	evs = slices.DeleteFunc(evs, func(e Event) bool { return e.TimeGenerated.Before(from) || !e.TimeGenerated.Before(g.cfg.Now) })
	slices.SortStableFunc(evs, func(a, b Event) int { return a.TimeGenerated.Compare(b.TimeGenerated) })
	for k := range evs {
		evs[k].ReportId = plantedReportID(bucketOf(evs[k].TimeGenerated), k)
		evs[k].TenantId, evs[k].Type = g.tenant, TableName
	}
	return evs
}

// guidFrom formats a hash of s as a GUID.
func guidFrom(s string) string {
	a, b, c, d := hash32(s), hash32(s+"#1"), hash32(s+"#2"), hash32(s+"#3")
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%04x%08x", a, b>>16, b&0xfff, 0x8000|c>>16&0x3fff, c&0xffff, d)
}
