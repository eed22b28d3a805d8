package sampledata

import (
	"strings"
	"time"
)

// Action types and their shares of the fleet's traffic.
var actions = []struct {
	name  string
	share float64
}{
	{"ConnectionSuccess", 0.82}, {"ConnectionFailed", 0.06}, {"InboundConnectionAccepted", 0.05},
	{"ConnectionRequest", 0.04}, {"ListeningConnectionCreated", 0.03},
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

// event makes one row of the fleet's normal traffic at time t.
func (g *generator) event(e *Event, t time.Time) {
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
	e.TimeGenerated = t
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
