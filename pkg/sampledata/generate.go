package sampledata

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
)

// Config chooses what Generate makes. The table is a pure function of Config.
type Config struct {
	// Rows is the number of rows (planted intrusions included).
	Rows int
	// Seed picks the fleet and the traffic.
	Seed int64
	// Now is the end of the generated period; zero means the current time (then the table is
	// only deterministic for a given Now, so tests should set it).
	Now time.Time
	// Span is the generated period before Now (default 7 days).
	Span time.Duration
	// Devices is the fleet size (default 40 to 80, chosen by the seed).
	Devices int
	// NoIntrusions leaves the planted intrusions out.
	NoIntrusions bool
}

// DefaultSpan is the period covered when Config.Span is zero.
const DefaultSpan = 7 * 24 * time.Hour

// Generate makes the DeviceNetworkEvents table described by cfg (see SCENARIO.md).
func Generate(cfg Config) *kql.Table {
	t := kql.NewTable(TableName, Schema)
	row := make([]any, 0, len(Schema))
	each(cfg, func(e *Event) {
		row = e.row(row[:0])
		_ = t.AppendRow(row...) // every value has its column's type by construction; tests check Len
	})
	return t
}

// Events returns the rows Generate would make, as structs, for tests that compute expected
// answers in plain Go.
func Events(cfg Config) []Event {
	out := make([]Event, 0, max(cfg.Rows, 0))
	each(cfg, func(e *Event) { out = append(out, *e) })
	return out
}

// Action types and their shares of the fleet's traffic.
var actions = []struct {
	name  string
	share float64
}{
	{"ConnectionSuccess", 0.82}, {"ConnectionFailed", 0.06}, {"InboundConnectionAccepted", 0.05},
	{"ConnectionRequest", 0.04}, {"ListeningConnectionCreated", 0.03},
}

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
}

func newGenerator(cfg Config) *generator {
	if cfg.Span <= 0 {
		cfg.Span = DefaultSpan
	}
	if cfg.Now.IsZero() {
		cfg.Now = time.Now()
	}
	cfg.Now = cfg.Now.UTC().Truncate(time.Millisecond)
	g := &generator{
		cfg:      cfg,
		rng:      rand.New(rand.NewPCG(uint64(cfg.Seed), 0x9e3779b97f4a7c15)),
		dests:    resolve(),
		strCache: map[string]string{},
	}
	n := cfg.Devices
	if n <= 0 {
		n = 40 + g.rng.IntN(41)
	}
	g.devices = fleet(g.rng, n)
	for _, d := range g.devices {
		g.devCum = appendCum(g.devCum, d.weight)
	}
	g.tenant = guidFrom(fmt.Sprint("tenant:", cfg.Seed))
	g.wsProcs, g.wsCum = catalogue(false)
	g.srvProcs, g.srvCum = catalogue(true)
	return g
}

// catalogue lists the processes of workstations or servers with Zipf-like cumulative weights:
// the everyday software first, then the long tail in a fixed, name-independent order.
func catalogue(servers bool) ([]process, []float64) {
	var procs []process
	for _, p := range core {
		if servers && (p.server || p.serverOnly) || !servers && !p.serverOnly {
			procs = append(procs, withHashes(p))
		}
	}
	t := tail()
	sort.SliceStable(t, func(i, j int) bool { return hash32("tail:"+t[i].name) < hash32("tail:"+t[j].name) })
	for _, p := range t {
		if !servers || p.system {
			procs = append(procs, withHashes(p))
		}
	}
	var cum []float64
	for i := range procs {
		cum = appendCum(cum, 1/math.Pow(float64(i+1), 1.2))
	}
	return procs, cum
}

func appendCum(cum []float64, w float64) []float64 {
	last := 0.0
	if len(cum) > 0 {
		last = cum[len(cum)-1]
	}
	return append(cum, last+w)
}

func (g *generator) pick(cum []float64) int {
	x := g.rng.Float64() * cum[len(cum)-1]
	i := sort.SearchFloat64s(cum, x)
	return min(i, len(cum)-1)
}

// each calls f with every row in order; the Event is reused between calls.
func each(cfg Config, f func(*Event)) {
	if cfg.Rows <= 0 {
		return
	}
	g := newGenerator(cfg)
	planted := map[int]Event{}
	if !cfg.NoIntrusions {
		evs := g.intrusions()
		if len(evs)*4 <= cfg.Rows {
			for _, e := range evs {
				for {
					i := g.rng.IntN(cfg.Rows)
					if _, taken := planted[i]; !taken {
						planted[i] = e
						break
					}
				}
			}
		}
	}
	var e Event
	for i := 0; i < cfg.Rows; i++ {
		if p, ok := planted[i]; ok {
			e = p
		} else {
			g.event(&e)
		}
		e.ReportId = int64(i) + 10000
		e.TenantId, e.Type = g.tenant, TableName
		f(&e)
	}
}

// randomTime draws a time in the span, busier in office hours (07:00-19:00 UTC).
func (g *generator) randomTime() time.Time {
	spanMs := g.cfg.Span.Milliseconds()
	var t time.Time
	for try := 0; try < 6; try++ {
		t = g.cfg.Now.Add(-time.Duration(1+g.rng.Int64N(spanMs)) * time.Millisecond)
		if h := t.Hour(); h >= 7 && h < 19 || g.rng.Float64() < 0.3 {
			break
		}
	}
	return t
}

// fill replaces {user} in s, caching the result.
func (g *generator) fill(s, user string) string {
	if !strings.Contains(s, "{user}") {
		return s
	}
	k := user + "\x00" + s
	if v, ok := g.strCache[k]; ok {
		return v
	}
	v := strings.ReplaceAll(s, "{user}", user)
	g.strCache[k] = v
	return v
}

// event makes one row of the fleet's normal traffic.
func (g *generator) event(e *Event) {
	*e = Event{}
	di := g.pick(g.devCum)
	d := g.devices[di]
	procs, cum := g.wsProcs, g.wsCum
	if d.server {
		procs, cum = g.srvProcs, g.srvCum
	}
	p := procs[g.pick(cum)]
	user := d.user
	if d.server || user == "" {
		user = "svc_app"
	}
	e.TimeGenerated = g.randomTime()
	e.Timestamp = e.TimeGenerated.Add(-time.Duration(g.rng.IntN(90000)) * time.Millisecond)
	e.DeviceId, e.DeviceName = d.id, d.name
	e.LocalIP, e.LocalIPType = d.ip, "Private"
	e.InitiatingProcessFileName = p.name
	if p.name != "" {
		e.InitiatingProcessFolderPath = g.fill(p.path, user)
		e.InitiatingProcessCommandLine = g.fill(p.cmds[g.rng.IntN(len(p.cmds))], user)
		e.InitiatingProcessParentFileName = p.parents[g.rng.IntN(len(p.parents))]
		e.InitiatingProcessSHA1, e.InitiatingProcessMD5, e.InitiatingProcessSHA256 = p.sha1, p.md5, p.sha256
		e.InitiatingProcessId = int64(hash32(d.name+"/"+p.name)%15000)*4 + 1000
		e.InitiatingProcessParentId = int64(hash32(d.name+"/"+e.InitiatingProcessParentFileName)%15000)*4 + 600
		e.InitiatingProcessCreationTime = e.Timestamp.Add(-time.Duration(30+g.rng.IntN(3*86400)) * time.Second)
		switch {
		case p.system:
			e.InitiatingProcessAccountName, e.InitiatingProcessAccountDomain = "system", "nt authority"
			e.InitiatingProcessIntegrityLevel, e.InitiatingProcessTokenElevation = "System", "TokenElevationTypeDefault"
		case p.elevate:
			e.InitiatingProcessAccountName, e.InitiatingProcessAccountDomain = user, "contoso"
			e.InitiatingProcessIntegrityLevel, e.InitiatingProcessTokenElevation = "High", "TokenElevationTypeFull"
		default:
			e.InitiatingProcessAccountName, e.InitiatingProcessAccountDomain = user, "contoso"
			e.InitiatingProcessIntegrityLevel, e.InitiatingProcessTokenElevation = "Medium", "TokenElevationTypeLimited"
		}
	}
	x := g.rng.Float64()
	for _, a := range actions {
		if x < a.share {
			e.ActionType = a.name
			break
		}
		x -= a.share
	}
	if e.ActionType == "" {
		e.ActionType = actions[0].name
	}
	switch e.ActionType {
	case "ListeningConnectionCreated":
		e.LocalPort = []int64{135, 445, 5040, 7680, 3389, 49664, 5985}[g.rng.IntN(7)]
		e.RemotePort = -1
		e.Protocol = "Tcp"
	case "InboundConnectionAccepted":
		peer := g.devices[g.rng.IntN(len(g.devices))]
		e.RemoteIP, e.RemoteIPType = peer.ip, "Private"
		e.LocalPort = []int64{445, 3389, 135, 5985, 443}[g.rng.IntN(5)]
		e.RemotePort = 49152 + int64(g.rng.IntN(16383))
		e.Protocol = "Tcp"
	default:
		g.outbound(e, p, d)
		if e.ActionType == "ConnectionFailed" {
			e.AdditionalFields = `{"Reason":"TimedOut"}`
		}
	}
}

// outbound picks where a process connects: its services on the internet mostly, the intranet,
// loopback and multicast sometimes; a few connections go over IPv6.
func (g *generator) outbound(e *Event, p process, d device) {
	e.LocalPort = 49152 + int64(g.rng.IntN(16383))
	x := g.rng.Float64()
	eps := g.dests[p.dests]
	switch {
	case len(eps) == 0 || x < 0.12: // intranet-only processes ("internal", "domain") too
		ep := internal[g.rng.IntN(len(internal))]
		e.RemoteIP, e.RemoteIPType, e.RemotePort, e.Protocol, e.RemoteUrl = ep.ipv4[0], "Private", int64(ep.port), ep.proto, ep.url
	case x < 0.14:
		e.RemoteIP, e.RemoteIPType, e.Protocol = "127.0.0.1", "Loopback", "Tcp"
		e.RemotePort = []int64{9222, 5939, 8080, 50051}[g.rng.IntN(4)]
	case x < 0.15:
		e.RemoteIP, e.RemoteIPType, e.RemotePort, e.Protocol = "239.255.255.250", "Reserved", 1900, "Udp"
	default:
		ep := eps[g.rng.IntN(len(eps))]
		e.RemoteIPType, e.RemotePort, e.Protocol = "Public", int64(ep.port), ep.proto
		if ep.ipv6 != "" && g.rng.Float64() < 0.06 {
			e.RemoteIP = ep.ipv6
			e.LocalIP, e.LocalIPType = d.ipv6, "Public"
		} else {
			e.RemoteIP = ep.ipv4[g.rng.IntN(len(ep.ipv4))]
		}
		if ep.url != "" && g.rng.Float64() < 0.85 {
			e.RemoteUrl = ep.url
		}
	}
}

func (g *generator) deviceNamed(name string) device {
	for _, d := range g.devices {
		if d.name == name {
			return d
		}
	}
	return g.devices[0]
}

// guidFrom formats a hash of s as a GUID.
func guidFrom(s string) string {
	a, b, c, d := hash32(s), hash32(s+"#1"), hash32(s+"#2"), hash32(s+"#3")
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%04x%08x", a, b>>16, b&0xfff, 0x8000|c>>16&0x3fff, c&0xffff, d)
}
