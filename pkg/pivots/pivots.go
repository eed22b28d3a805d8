package pivots

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/kqlhunt/anomaly-datasource/pkg/macros"
	"github.com/kqlhunt/anomaly-datasource/pkg/querymodel"
)

// MaxValues caps the in (...) list. A forest flags about 1% of rows, which on real workspaces is
// tens of processes, not thousands; a list past this is almost certainly a mistake (a field with
// one value per row), and the service limits the query text anyway.
const MaxValues = 1000

// DefaultLookback is the notebook's ago(7d).
const DefaultLookback = "7d"

// ErrNoValues means there is nothing to pivot on; it wraps querymodel.ErrInvalid.
var ErrNoValues = fmt.Errorf("%w: no anomalous processes to pivot on: run the anomaly query first or pass values", querymodel.ErrInvalid)

// lookbackPattern is the set of KQL timespan literals querymodel accepts for "lookback"; checked
// again here because Build may be called with values that did not come through querymodel.
var lookbackPattern = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?(d|h|m|s|ms|microsecond|tick)$`)

// The notebook's lines, shared by the three pivots. The first line's list is filled in by Build.
const (
	head   = "DeviceNetworkEvents\n| where InitiatingProcessFileName in (%s)\n| where TimeGenerated >= ago(%s)\n"
	common = `| where isnotempty(InitiatingProcessFileName)
| where ActionType == "ConnectionSuccess"
| where RemoteIPType == "Public"
| where RemoteIP matches regex @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$"
`
)

// tails are each pivot's own filter and projection, as the notebook writes them.
var tails = map[string]string{
	querymodel.PivotParentProcess: `| where InitiatingProcessParentFileName != InitiatingProcessFileName
| project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessParentFileName, InitiatingProcessFileName, InitiatingProcessSHA1`,
	querymodel.PivotTempFolder: `| where InitiatingProcessFolderPath contains_cs "temp"
| project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFolderPath, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`,
	querymodel.PivotCmdPowerShell: `| where InitiatingProcessCommandLine has_any ("cmd", "powershell", "ps.exe", "cmd.exe")
| project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`,
}

// Names lists the pivots Build knows, in the notebook's order.
func Names() []string {
	return []string{querymodel.PivotParentProcess, querymodel.PivotTempFolder, querymodel.PivotCmdPowerShell}
}

// Build returns the named pivot's KQL for values over the lookback (a KQL timespan such as 7d;
// empty means DefaultLookback). Values are used as given (no trimming: a process name is compared
// exactly, as the notebook's == would), empty strings and repeats are dropped, and the first
// occurrence's order is kept. Errors wrap querymodel.ErrInvalid: an unknown name, no values
// (ErrNoValues), more than MaxValues distinct values, or a lookback that is not a timespan.
func Build(name string, values []string, lookback string) (string, error) {
	tail, ok := tails[name]
	if !ok {
		return "", invalid("pivot %q is not known: use %q, %q or %q", name, querymodel.PivotParentProcess, querymodel.PivotTempFolder, querymodel.PivotCmdPowerShell)
	}
	if lookback == "" {
		lookback = DefaultLookback
	}
	if !lookbackPattern.MatchString(lookback) {
		return "", invalid("lookback %q is not a KQL timespan: use e.g. 7d, 12h or 30m", lookback)
	}
	list, err := quotedList(values)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(head, list, lookback) + common + tail, nil
}

// quotedList writes the distinct non-empty values as "a", "b", ... with every value quoted by
// macros.QuoteString, the one place that knows KQL's escapes.
func quotedList(values []string) (string, error) {
	seen := make(map[string]bool, len(values))
	var b strings.Builder
	n := 0
	for _, v := range values {
		if v == "" || seen[v] {
			continue
		}
		seen[v] = true
		if n++; n > MaxValues {
			return "", invalid("too many values to pivot on (more than %d): narrow the anomaly query or pass fewer values", MaxValues)
		}
		if n > 1 {
			b.WriteString(", ")
		}
		b.WriteString(macros.QuoteString(v))
	}
	if n == 0 {
		return "", ErrNoValues
	}
	return b.String(), nil
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", querymodel.ErrInvalid, fmt.Sprintf(format, args...))
}
