package sampledata

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"sort"
	"strings"
	"sync"
)

// process describes one binary of the fleet: where it lives, how it is started, by whom, and
// where it connects. Placeholders in dir and cmds: {user} is the device's user.
type process struct {
	name       string
	path       string   // full path as Defender reports InitiatingProcessFolderPath (file name included)
	cmds       []string // command line variants
	parents    []string
	system     bool   // runs as SYSTEM (or LOCAL/NETWORK SERVICE) rather than the user
	dests      string // destination group (see destinations)
	server     bool   // also runs on servers
	serverOnly bool   // runs only on servers
	elevate    bool   // runs elevated (High integrity, full token)

	sha1, md5, sha256 string
}

const (
	pf   = `C:\Program Files\`
	pf86 = `C:\Program Files (x86)\`
	sys  = `C:\Windows\System32\`
	appd = `C:\Users\{user}\AppData\Local\`
)

// core is the fleet's everyday software, most frequent first (see weights in generate.go).
var core = []process{
	{name: "chrome.exe", path: pf + `Google\Chrome\Application\chrome.exe`, parents: []string{"explorer.exe", "chrome.exe"}, dests: "web",
		cmds: []string{`"C:\Program Files\Google\Chrome\Application\chrome.exe"`, `"C:\Program Files\Google\Chrome\Application\chrome.exe" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US --service-sandbox-type=none`}},
	{name: "msedge.exe", path: pf86 + `Microsoft\Edge\Application\msedge.exe`, parents: []string{"explorer.exe", "msedge.exe"}, dests: "web",
		cmds: []string{`"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US --service-sandbox-type=none`, `"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --profile-directory=Default`}},
	{name: "svchost.exe", path: sys + `svchost.exe`, parents: []string{"services.exe"}, system: true, server: true, dests: "windows",
		cmds: []string{`svchost.exe -k netsvcs -p -s wuauserv`, `svchost.exe -k NetworkService -p -s Dnscache`, `svchost.exe -k netsvcs -p -s BITS`, `svchost.exe -k LocalService -p -s W32Time`, `svchost.exe -k utcsvc -p`}},
	{name: "ms-teams.exe", path: pf + `WindowsApps\MSTeams_24215.1007.3082.1590_x64__8wekyb3d8bbwe\ms-teams.exe`, parents: []string{"explorer.exe"}, dests: "teams",
		cmds: []string{`"C:\Program Files\WindowsApps\MSTeams_24215.1007.3082.1590_x64__8wekyb3d8bbwe\ms-teams.exe" msteams:system-initiated`}},
	{name: "OUTLOOK.EXE", path: pf + `Microsoft Office\root\Office16\OUTLOOK.EXE`, parents: []string{"explorer.exe"}, dests: "m365",
		cmds: []string{`"C:\Program Files\Microsoft Office\Root\Office16\OUTLOOK.EXE"`, `"C:\Program Files\Microsoft Office\Root\Office16\OUTLOOK.EXE" /recycle`}},
	{name: "OneDrive.exe", path: appd + `Microsoft\OneDrive\OneDrive.exe`, parents: []string{"explorer.exe"}, dests: "onedrive",
		cmds: []string{`"C:\Users\{user}\AppData\Local\Microsoft\OneDrive\OneDrive.exe" /background`}},
	{name: "MsMpEng.exe", path: `C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.24090.11-0\MsMpEng.exe`, parents: []string{"services.exe"}, system: true, server: true, dests: "defender",
		cmds: []string{`"C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.24090.11-0\MsMpEng.exe"`}},
	{name: "MsSense.exe", path: pf + `Windows Defender Advanced Threat Protection\MsSense.exe`, parents: []string{"services.exe"}, system: true, server: true, dests: "defender",
		cmds: []string{`"C:\Program Files\Windows Defender Advanced Threat Protection\MsSense.exe"`}},
	{name: "firefox.exe", path: pf + `Mozilla Firefox\firefox.exe`, parents: []string{"explorer.exe", "firefox.exe"}, dests: "web",
		cmds: []string{`"C:\Program Files\Mozilla Firefox\firefox.exe"`, `"C:\Program Files\Mozilla Firefox\firefox.exe" -contentproc -childID 3 -isForBrowser -prefsLen 31245 tab`}},
	{name: "WINWORD.EXE", path: pf + `Microsoft Office\root\Office16\WINWORD.EXE`, parents: []string{"explorer.exe", "OUTLOOK.EXE"}, dests: "m365",
		cmds: []string{`"C:\Program Files\Microsoft Office\Root\Office16\WINWORD.EXE" /n`, `"C:\Program Files\Microsoft Office\Root\Office16\WINWORD.EXE" /n "C:\Users\{user}\Documents\Quarterly report.docx" /o ""`}},
	{name: "EXCEL.EXE", path: pf + `Microsoft Office\root\Office16\EXCEL.EXE`, parents: []string{"explorer.exe", "OUTLOOK.EXE"}, dests: "m365",
		cmds: []string{`"C:\Program Files\Microsoft Office\Root\Office16\EXCEL.EXE"`, `"C:\Program Files\Microsoft Office\Root\Office16\EXCEL.EXE" "C:\Users\{user}\Documents\Budget 2024.xlsx"`}},
	{name: "SearchHost.exe", path: `C:\Windows\SystemApps\MicrosoftWindows.Client.CBS_cw5n1h2txyewy\SearchHost.exe`, parents: []string{"svchost.exe"}, dests: "bing",
		cmds: []string{`"C:\Windows\SystemApps\MicrosoftWindows.Client.CBS_cw5n1h2txyewy\SearchHost.exe" -ServerName:CortanaUI.AppX8z9r6jm96hw4bsbneegw0kyxx296wr9t.mca`}},
	{name: "code.exe", path: appd + `Programs\Microsoft VS Code\Code.exe`, parents: []string{"explorer.exe", "code.exe"}, dests: "vscode",
		cmds: []string{`"C:\Users\{user}\AppData\Local\Programs\Microsoft VS Code\Code.exe"`, `"C:\Users\{user}\AppData\Local\Programs\Microsoft VS Code\Code.exe" --type=utility --utility-sub-type=node.mojom.NodeService`}},
	{name: "POWERPNT.EXE", path: pf + `Microsoft Office\root\Office16\POWERPNT.EXE`, parents: []string{"explorer.exe", "OUTLOOK.EXE"}, dests: "m365",
		cmds: []string{`"C:\Program Files\Microsoft Office\Root\Office16\POWERPNT.EXE" "C:\Users\{user}\Documents\All hands.pptx"`}},
	{name: "lsass.exe", path: sys + `lsass.exe`, parents: []string{"wininit.exe"}, system: true, server: true, dests: "domain",
		cmds: []string{`C:\Windows\system32\lsass.exe`}},
	{name: "MicrosoftEdgeUpdate.exe", path: pf86 + `Microsoft\EdgeUpdate\MicrosoftEdgeUpdate.exe`, parents: []string{"svchost.exe"}, system: true, dests: "edgeupdate",
		cmds: []string{`"C:\Program Files (x86)\Microsoft\EdgeUpdate\MicrosoftEdgeUpdate.exe" /ua /installsource scheduler`}},
	{name: "GoogleUpdate.exe", path: pf86 + `Google\Update\GoogleUpdate.exe`, parents: []string{"svchost.exe"}, system: true, dests: "googleupdate",
		cmds: []string{`"C:\Program Files (x86)\Google\Update\GoogleUpdate.exe" /ua /installsource scheduler`}},
	{name: "git.exe", path: pf + `Git\mingw64\bin\git.exe`, parents: []string{"code.exe", "explorer.exe"}, dests: "github",
		cmds: []string{`"C:\Program Files\Git\mingw64\bin\git.exe" fetch --all`, `"C:\Program Files\Git\mingw64\bin\git.exe" pull --ff-only`, `git.exe push origin HEAD`}},
	{name: "node.exe", path: pf + `nodejs\node.exe`, parents: []string{"code.exe", "explorer.exe"}, dests: "npm",
		cmds: []string{`"C:\Program Files\nodejs\node.exe" "C:\Program Files\nodejs\node_modules\npm\bin\npm-cli.js" ci`, `node.exe server.js`}},
	{name: "python.exe", path: appd + `Programs\Python\Python312\python.exe`, parents: []string{"code.exe", "explorer.exe"}, dests: "pypi",
		cmds: []string{`python.exe -m pip install -r requirements.txt`, `python.exe manage.py runserver`}},
	{name: "OfficeClickToRun.exe", path: pf + `Common Files\microsoft shared\ClickToRun\OfficeClickToRun.exe`, parents: []string{"services.exe"}, system: true, dests: "officecdn",
		cmds: []string{`"C:\Program Files\Common Files\microsoft shared\ClickToRun\OfficeClickToRun.exe" /service`}},
	{name: "backgroundTaskHost.exe", path: sys + `backgroundTaskHost.exe`, parents: []string{"svchost.exe"}, dests: "m365",
		cmds: []string{`"C:\Windows\system32\backgroundTaskHost.exe" -ServerName:BackgroundTaskHost.WebAccountProvider`}},
	{name: "smartscreen.exe", path: sys + `smartscreen.exe`, parents: []string{"svchost.exe"}, dests: "defender",
		cmds: []string{`C:\Windows\System32\smartscreen.exe -Embedding`}},
	{name: "sqlservr.exe", serverOnly: true, path: pf + `Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\Binn\sqlservr.exe`, parents: []string{"services.exe"}, system: true, server: true, dests: "internal",
		cmds: []string{`"C:\Program Files\Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\Binn\sqlservr.exe" -sMSSQLSERVER`}},
	{name: "w3wp.exe", serverOnly: true, path: sys + `inetsrv\w3wp.exe`, parents: []string{"svchost.exe"}, system: true, server: true, dests: "internal",
		cmds: []string{`c:\windows\system32\inetsrv\w3wp.exe -ap "DefaultAppPool" -v "v4.0" -l "webengine4.dll" -a \\.\pipe\iisipm3b0c -h "C:\inetpub\temp\apppools\DefaultAppPool\DefaultAppPool.config" -w "" -m 0`}},
	// Connections Defender could not tie to a process arrive with empty process fields; the
	// notebook's isnotempty(InitiatingProcessFileName) drops them.
	{name: "", path: "", parents: []string{""}, system: true, server: true, dests: "windows", cmds: []string{""}},
	{name: "powershell.exe", path: sys + `WindowsPowerShell\v1.0\powershell.exe`, parents: []string{"svchost.exe", "explorer.exe"}, system: true, server: true, dests: "internal",
		cmds: []string{`powershell.exe -ExecutionPolicy Bypass -File \\contoso.local\NETLOGON\inventory.ps1`, `"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -Command Get-Service`}},
	{name: "MoUsoCoreWorker.exe", path: sys + `MoUsoCoreWorker.exe`, parents: []string{"svchost.exe"}, system: true, server: true, dests: "windows",
		cmds: []string{`C:\Windows\System32\mousocoreworker.exe -Embedding`}},
	{name: "SenseNdr.exe", path: pf + `Windows Defender Advanced Threat Protection\SenseNdr.exe`, parents: []string{"MsSense.exe"}, system: true, server: true, dests: "defender",
		cmds: []string{`"C:\Program Files\Windows Defender Advanced Threat Protection\SenseNdr.exe"`}},
	{name: "Zoom.exe", path: `C:\Users\{user}\AppData\Roaming\Zoom\bin\Zoom.exe`, parents: []string{"explorer.exe"}, dests: "zoom",
		cmds: []string{`"C:\Users\{user}\AppData\Roaming\Zoom\bin\Zoom.exe" "--action=join&confid=dXNzPTEyMzQ1"`}},
	{name: "slack.exe", path: appd + `slack\app-4.41.97\slack.exe`, parents: []string{"explorer.exe"}, dests: "slack",
		cmds: []string{`"C:\Users\{user}\AppData\Local\slack\app-4.41.97\slack.exe" --process-start-args --startup`}},
	{name: "explorer.exe", path: `C:\Windows\explorer.exe`, parents: []string{"userinit.exe"}, dests: "m365",
		cmds: []string{`C:\Windows\Explorer.EXE`}},
	{name: "devenv.exe", path: pf + `Microsoft Visual Studio\2022\Professional\Common7\IDE\devenv.exe`, parents: []string{"explorer.exe"}, dests: "vscode",
		cmds: []string{`"C:\Program Files\Microsoft Visual Studio\2022\Professional\Common7\IDE\devenv.exe"`}},
	{name: "AdobeCollabSync.exe", path: pf + `Adobe\Acrobat DC\Acrobat\AdobeCollabSync.exe`, parents: []string{"Acrobat.exe"}, dests: "adobe",
		cmds: []string{`"C:\Program Files\Adobe\Acrobat DC\Acrobat\AdobeCollabSync.exe" --sync`}},
	{name: "dotnet.exe", path: pf + `dotnet\dotnet.exe`, parents: []string{"devenv.exe", "code.exe"}, dests: "nuget",
		cmds: []string{`"C:\Program Files\dotnet\dotnet.exe" restore`, `dotnet.exe build -c Release`}},
	{name: "CompatTelRunner.exe", path: sys + `CompatTelRunner.exe`, parents: []string{"svchost.exe"}, system: true, dests: "windows",
		cmds: []string{`C:\Windows\system32\compattelrunner.exe -m:appraiser.dll -f:DoScheduledTelemetryRun`}},
}

// vendors feed the long tail: each gives a main binary and, for some, helpers and updaters,
// installed under Program Files. The order is fixed so the tail is the same for every seed.
var vendors = []string{
	"Acrobat", "AdobeARM", "Creative Cloud", "Dropbox", "Box", "atmgr", "CiscoCollabHost", "csc_ui", "RingCentral",
	"Docker Desktop", "Postman", "Notion", "Figma", "Discord", "Spotify", "steam", "EpicGamesLauncher", "NVIDIA Share",
	"RadeonSoftware", "IntelGraphicsSoftware", "RtkAudUService64", "LogiOptionsPlus", "DellSupportAssist", "HPSupportAssistant",
	"LenovoVantage", "JabraDirect", "PlantronicsHub", "FortiClient", "PanGPA", "CSFalconService", "SentinelAgent", "TaniumClient",
	"splunkd", "elastic-agent", "datadog-agent", "Greenshot", "ShareX", "KeePassXC", "Bitwarden", "Grammarly.Desktop",
	"Evernote", "Obsidian", "idea64", "pycharm64", "goland64", "rider64", "clion64", "phpstorm64", "datagrip64", "sublime_text",
	"notepad++", "WinSCP", "putty", "filezilla", "MobaXterm", "Wireshark", "Fiddler", "Insomnia", "packer", "kubectl", "helm",
	"azcopy", "aws", "gcloud", "javaw", "msbuild", "pwsh", "WindowsTerminal", "Snagit32", "Camtasia", "OBS64", "Plex", "AnyDesk",
	"TeamViewer", "RemoteDesktopManager", "mstsc", "msrdc", "Citrix Workspace", "CDViewer", "GlobalProtect", "ZSATunnel", "Netskope",
	"OktaVerify", "DuoDesktop", "Yubico Authenticator", "Signal", "WhatsApp", "Telegram", "Thunderbird", "Brave", "opera", "Ferdium",
	"knime", "PowerBIDesktop", "SSMS", "azuredatastudio", "DBeaver", "GitHubDesktop", "SourceTree", "GitKraken", "Tower", "Fork",
	"rustup", "cargo", "go", "gopls", "java", "gradle", "mvn", "ruby", "php", "perl", "R", "RStudio", "Jupyter", "anaconda-navigator",
	"conda", "MATLAB", "AutoCAD", "Revit", "SketchUp", "Blender", "Unity Hub", "UnrealEditor", "Lightroom", "Photoshop", "Illustrator",
	"InDesign", "AfterFX", "Premiere Pro", "Audition", "XD", "Canva", "Miro", "Loom", "Calendly", "Asana", "Trello", "Jira", "Confluence",
	"Salesforce", "HubSpot", "Zendesk", "Freshdesk", "ServiceNow", "Workday", "SAP GUI", "saplogon", "QuickBooks", "Sage", "Xero",
	"CCleaner", "Malwarebytes", "WinRAR", "PeaZip", "Everything", "PowerToys", "AutoHotkey", "Ditto", "f.lux",
}

// tailSuffixes are the helpers some vendors ship next to their main binary.
var tailSuffixes = []string{"Updater", "Helper", "Agent", "Service", "Sync"}

// tail builds the long tail from vendors: the main binary for each, plus a helper for every
// second vendor and an updater for every third, about 300 names with core.
func tail() []process {
	var out []process
	for i, v := range vendors {
		base := strings.ReplaceAll(v, " ", "")
		dir := pf + v + `\`
		names := []string{base + ".exe"}
		if i%2 == 0 {
			names = append(names, base+tailSuffixes[i%len(tailSuffixes)]+".exe")
		}
		if i%3 == 0 {
			names = append(names, base+"Update.exe")
		}
		for _, n := range names {
			out = append(out, process{
				name: n, path: dir + n, parents: []string{"explorer.exe", "svchost.exe", "services.exe"},
				cmds: []string{`"` + dir + n + `"`, `"` + dir + n + `" --background`}, dests: "saas",
				system: strings.HasSuffix(n, "Update.exe") || strings.HasSuffix(n, "Service.exe") || strings.HasSuffix(n, "Agent.exe"),
			})
		}
	}
	return out
}

// withHashes fills a process's hashes from its path, so a binary has the same hash on every
// device and different binaries differ.
func withHashes(p process) process {
	seed := []byte("kqlhunt:" + strings.ToLower(p.path) + ":" + p.name)
	s1 := sha1.Sum(seed)
	m := md5.Sum(seed)
	s256 := sha256.Sum256(seed)
	p.sha1, p.md5, p.sha256 = hex.EncodeToString(s1[:]), hex.EncodeToString(m[:]), hex.EncodeToString(s256[:])
	return p
}

// workstationSoftware and serverSoftware are the catalogues, made once: every generator shares
// them and none changes them.
var (
	workstationSoftware = sync.OnceValues(func() ([]process, []float64) { return catalogue(false) })
	serverSoftware      = sync.OnceValues(func() ([]process, []float64) { return catalogue(true) })
)

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
