package kql

import (
	"context"
	"testing"
	"time"
)

// TestHuntingQueriesRun runs queries in the style analysts write against
// DeviceNetworkEvents (beyond the notebook's), checking that each parses,
// runs and returns rows; the operator and function tests check the values.
func TestHuntingQueriesRun(t *testing.T) {
	db := NewDatabase(newDeviceNetworkEvents(t, 5000, 17, notebookNow, 8*24*time.Hour))
	for _, q := range []string{
		`DeviceNetworkEvents | where Timestamp > ago(7d) and RemoteUrl has_any (dynamic(["evil.example", "bing.com"]))`,
		`let IPs = dynamic(["52.96.1.1", "8.8.8.8"]); DeviceNetworkEvents | where RemoteIP !in (IPs) | take 5`,
		`DeviceNetworkEvents | extend Hour = hourofday(TimeGenerated) | summarize count() by Hour | order by Hour asc`,
		`DeviceNetworkEvents | summarize make_set(RemoteIP, 100), dcount(RemoteIP) by DeviceName | where dcount_RemoteIP > 3`,
		`DeviceNetworkEvents | where RemotePort !in (80, 443) and InitiatingProcessFileName =~ "POWERSHELL.EXE"`,
		`DeviceNetworkEvents | where isnotempty(RemoteUrl) and RemoteUrl !endswith ".microsoft.com" | project-reorder TimeGenerated, RemoteUrl`,
		`DeviceNetworkEvents | where TimeGenerated between (ago(2d) .. ago(1d)) | extend IsPrivate = ipv4_is_private(RemoteIP) | where not(IsPrivate)`,
		`DeviceNetworkEvents | summarize arg_max(TimeGenerated, DeviceName, RemoteIP) by InitiatingProcessSHA1 | top 5 by TimeGenerated`,
		`DeviceNetworkEvents
		 | where ActionType == "ConnectionSuccess"
		 | summarize Devices = dcount(DeviceId), Connections = count(), FirstSeen = min(TimeGenerated) by InitiatingProcessFileName
		 | where Devices <= 50
		 | extend Rate = Connections * 1.0 / Devices
		 | order by Rate desc`,
		`let rare = DeviceNetworkEvents | summarize Devices = dcount(DeviceName) by InitiatingProcessFileName | where Devices <= 50;
		 DeviceNetworkEvents | join kind=inner (rare) on InitiatingProcessFileName | summarize count() by InitiatingProcessFileName, Devices`,
		`DeviceNetworkEvents | summarize Connections = count() by bin(TimeGenerated, 1h), DeviceName
		 | summarize avg(Connections), stdev(Connections), percentile(Connections, 95) by DeviceName`,
		`DeviceNetworkEvents | where InitiatingProcessCommandLine matches regex @"(?i)-enc(odedcommand)?\s" | extend Encoded = extract(@"-enc\s+(\S+)", 1, InitiatingProcessCommandLine)`,
		`union (DeviceNetworkEvents | where RemotePort == 443 | extend Kind = "tls"), (DeviceNetworkEvents | where RemotePort == 53 | extend Kind = "dns") | summarize count() by Kind`,
	} {
		res, err := db.Execute(context.Background(), q, Options{Now: notebookNow})
		if err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		if res[0].Len() == 0 {
			t.Errorf("%s: no rows", q)
		}
	}
}
