package querymodel

import "strings"

// The notebook's three saved pivots on the anomalous processes.
const (
	PivotParentProcess = "parent-process"
	PivotTempFolder    = "temp-folder"
	PivotCmdPowerShell = "cmd-powershell"
)

// Pivot holds a pivot query's settings.
type Pivot struct {
	Name string
	// Values are the process names to pivot on; empty means the anomalies of this query's anomaly settings.
	Values []string
	// Lookback is a KQL timespan literal, default 7d as in the notebook.
	Lookback string
}

func parsePivot(w *wire, check bool) (Pivot, error) {
	p := Pivot{Name: orDefault(w.Pivot, ""), Lookback: orDefault(w.Lookback, "7d")}
	for _, v := range w.Values {
		if v = strings.TrimSpace(v); v != "" {
			p.Values = append(p.Values, v)
		}
	}
	if !check {
		return p, nil
	}
	switch p.Name {
	case PivotParentProcess, PivotTempFolder, PivotCmdPowerShell:
	case "":
		return p, invalid("pivot is not set: use %q, %q or %q", PivotParentProcess, PivotTempFolder, PivotCmdPowerShell)
	default:
		return p, invalid("pivot %q is not known: use %q, %q or %q", p.Name, PivotParentProcess, PivotTempFolder, PivotCmdPowerShell)
	}
	if !timespanPattern.MatchString(p.Lookback) {
		return p, invalid("lookback %q is not a KQL timespan: use e.g. 7d, 12h or 30m", p.Lookback)
	}
	return p, nil
}
