package sampledata

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
)

// device is one machine of the fleet.
type device struct {
	id, name, ip, ipv6 string
	user               string // the primary user ("" on servers)
	server             bool
	weight             float64
}

var departments = []string{"fin", "hr", "eng", "sales", "mkt", "it", "ops", "legal"}

var serverRoles = []string{"dc", "file", "sql", "web", "app", "print"}

// users are first-initial-surname accounts; the planted intrusions' users come first.
var users = []string{
	"mkowalski", "jdoe", "akumar", "lchen", "sgarcia", "tnguyen", "rjohnson", "emueller", "pdubois", "ksato",
	"mrossi", "asmith", "bwilliams", "cbrown", "djones", "egarcia", "fmiller", "gdavis", "hrodriguez", "imartinez",
	"jhernandez", "klopez", "lgonzalez", "mwilson", "nanderson", "othomas", "ptaylor", "qmoore", "rjackson", "smartin",
	"tlee", "uperez", "vthompson", "wwhite", "xharris", "ysanchez", "zclark", "aramirez", "blewis", "crobinson",
	"dwalker", "eyoung", "fallen", "gking", "hwright", "iscott", "jtorres", "knguyen", "lhill", "mflores",
	"ngreen", "oadams", "pnelson", "qbaker", "rhall", "srivera", "tcampbell", "umitchell", "vcarter", "wroberts",
	"xgomez", "yphillips", "zevans", "aturner", "bdiaz", "cparker", "dcruz", "eedwards", "fcollins", "greyes",
	"hstewart", "imorris", "jmorales", "kmurphy", "lcook", "mrogers", "ngutierrez", "oortiz", "pmorgan", "qcooper",
}

// Planted devices: the intrusions happen on these (see intrusions.go and SCENARIO.md).
const (
	dropperDevice = "wks-fin-007.contoso.local"
	cradleDevice  = "wks-hr-003.contoso.local"
	parentDevice  = "wks-eng-021.contoso.local"
)

// fleet builds n devices: about one in eight is a server. The planted devices are always there.
func fleet(rng *rand.Rand, n int) []device {
	var out []device
	seen := map[string]bool{}
	add := func(name, user string, server bool) {
		if seen[name] {
			return
		}
		seen[name] = true
		i := len(out)
		sum := sha1.Sum([]byte(fmt.Sprintf("device:%s:%d", name, rng.Uint64())))
		d := device{
			id:     hex.EncodeToString(sum[:]),
			name:   name,
			ip:     fmt.Sprintf("10.20.%d.%d", 1+i/200, 10+i%200),
			ipv6:   fmt.Sprintf("2a01:111:f100:%x::a%03x", 0x3000+i/200, i),
			user:   user,
			server: server,
			weight: 1,
		}
		if server {
			d.weight = 0.7
		}
		out = append(out, d)
	}
	add(dropperDevice, "mkowalski", false)
	add(cradleDevice, "jdoe", false)
	add(parentDevice, "akumar", false)
	for len(out) < n {
		if rng.IntN(8) == 0 {
			role := serverRoles[rng.IntN(len(serverRoles))]
			add(fmt.Sprintf("srv-%s-%02d.contoso.local", role, 1+rng.IntN(12)), "", true)
			continue
		}
		dept := departments[rng.IntN(len(departments))]
		add(fmt.Sprintf("wks-%s-%03d.contoso.local", dept, 1+rng.IntN(60)), users[3+rng.IntN(len(users)-3)], false)
	}
	return out
}

// deviceNamed is the fleet's device called name (the planted devices are always in the fleet).
func (g *generator) deviceNamed(name string) device {
	for _, d := range g.devices {
		if d.name == name {
			return d
		}
	}
	return g.devices[0]
}
