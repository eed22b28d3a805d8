package main

import (
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Exit codes: the command's contract with scripts, also printed by -help.
const (
	exitOK = 0
	// exitFailed: the datasource refused the query (its message says which key is wrong) or the
	// service failed (sign-in, permissions, an unreachable workspace, a timeout).
	exitFailed = 1
	// exitUsage: the command line, or a file it names, is wrong.
	exitUsage = 2
	// exitInterrupted: SIGINT or SIGTERM stopped the query.
	exitInterrupted = 130
)

// Output formats.
const (
	formatTable = "table"
	formatCSV   = "csv"
	formatJSON  = "json"
)

// options are the parsed command line.
type options struct {
	queryFile string
	kql       string
	queryType string
	field     string
	contam    string
	output    string
	topN      int
	pivot     string
	values    []string
	lookback  string
	since     time.Duration
	from, to  string
	interval  time.Duration
	format    string
	// width is the table's width in columns: widthAuto for the terminal's, 0 for no limit.
	width    int
	settings string
	dsName   string
	quiet    bool
	// set holds the names of the flags given on the command line.
	set map[string]bool
}

// widthAuto means the terminal's width when standard output is one, no limit otherwise.
const widthAuto = -1

type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// durationFlag takes Go durations and days as KQL writes them: 90m, 24h, 7d, 1d12h.
type durationFlag struct{ d *time.Duration }

func (f durationFlag) String() string {
	if f.d == nil || *f.d == 0 {
		return ""
	}
	s := f.d.String()
	s, _ = strings.CutSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// widthFlag is -width: a number of columns, or widthAuto (printed as nothing).
type widthFlag struct{ w *int }

func (f widthFlag) String() string {
	if f.w == nil || *f.w == widthAuto {
		return ""
	}
	return strconv.Itoa(*f.w)
}

func (f widthFlag) Set(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return fmt.Errorf("%q: use a number of columns, or 0 for no limit", v)
	}
	*f.w = n
	return nil
}

func (f durationFlag) Set(v string) error {
	d, err := parseDuration(v)
	if err != nil {
		return err
	}
	*f.d = d
	return nil
}

var daysPrefix = regexp.MustCompile(`^(\d+)d(.*)$`)

func parseDuration(s string) (time.Duration, error) {
	var days time.Duration
	if m := daysPrefix.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n > 365*100 {
			return 0, fmt.Errorf("%q: too many days", s)
		}
		days, s = time.Duration(n)*24*time.Hour, m[2]
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration: write e.g. 90m, 24h, 7d or 1d12h", s)
	}
	return days + d, nil
}

const usageHead = `Usage: hunt [flags]

Runs one query of the KQL Anomaly Hunting datasource, through the same code Grafana runs, and
prints the answer. Without flags: the notebook's analysis of the built-in demo workspace (the last
24 hours of DeviceNetworkEvents scored by the isolation forest; the anomalous connections, most
anomalous first, with Outlier, Anomaly and Anomaly_Score).

Without -json the query is an anomaly query (output anomalies), a pivot query with -pivot, or what
-type says; with -json the file is the query model as a panel sends it (docs/query-model.md), and
the flags given replace its keys.

Flags:
`

const usageTail = `
Exit codes:
  0    the answer was printed (warnings, such as a truncated result, go to standard error)
  1    the datasource refused the query (its message names the key to fix) or the service failed
       (sign-in, permissions, an unreachable workspace, a timeout)
  2    the command line, or a file it names (-json, -settings, -kql @file), is wrong
  130  interrupted (SIGINT or SIGTERM)

Examples:
  hunt                                          the notebook's anomalies in the demo workspace
  hunt -output top -top 20 -format csv          the 20 most anomalous connections, as CSV
  hunt -output countByValue -since 7d           per process: rows, anomalies and score, last 7 days
  hunt -pivot temp-folder                       the temp-folder pivot on the day's anomalous processes
  hunt -pivot parent-process -values AcroRd32Update.exe
  hunt -type kql -kql 'DeviceNetworkEvents | summarize count() by ActionType'
  hunt -settings provisioning/datasources/datasources.yml -datasource kqlhunt-sentinel
`

// usageError is a command line the flag package accepted but that makes no sense; run prints it
// (the flag package prints its own errors).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func badUsage(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

func parseFlags(args []string, stderr io.Writer) (options, error) {
	o := options{since: 24 * time.Hour, width: widthAuto, set: map[string]bool{}}
	fs := flag.NewFlagSet("hunt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageHead)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), usageTail)
	}
	var values listFlag
	fs.StringVar(&o.queryFile, "json", "", "query model `file` (a JSON object as a panel sends it; - reads standard input)")
	fs.StringVar(&o.queryType, "type", "", "query type: kql, anomaly or pivot (default anomaly, or pivot with -pivot)")
	fs.StringVar(&o.kql, "kql", "", "the KQL, or @file to read it from a file (default: the notebook's DeviceNetworkEvents query)")
	fs.StringVar(&o.field, "field", "", "the column(s) to score, comma-separated (default InitiatingProcessFileName)")
	fs.StringVar(&o.contam, "contamination", "", "share of rows flagged, in (0, 0.5], or auto (default 0.01)")
	fs.StringVar(&o.output, "output", "", "anomaly output: rows, anomalies, top, count, countByValue, series, anomaliesByValue or values (default anomalies)")
	fs.IntVar(&o.topN, "top", 0, "rows of the top output (default 10; implies -output top)")
	fs.StringVar(&o.pivot, "pivot", "", "run a pivot: parent-process, temp-folder or cmd-powershell")
	fs.Var(&values, "values", "process names to pivot on, comma-separated or repeated (default: the query's anomalous processes)")
	fs.StringVar(&o.lookback, "lookback", "", "the pivots' lookback, a KQL timespan (default 7d)")
	fs.Var(durationFlag{&o.since}, "since", "time range: the last `duration` (90m, 24h, 7d)")
	fs.StringVar(&o.from, "from", "", "time range start, RFC 3339 (2024-05-01T00:00:00Z) or a date (2024-05-01, UTC); instead of -since")
	fs.StringVar(&o.to, "to", "", "time range end, like -from (default now)")
	fs.Var(durationFlag{&o.interval}, "interval", "Grafana's interval ($__interval, the series output's bucket) (default: the range / 100, rounded)")
	fs.StringVar(&o.format, "format", formatTable, "output: table, csv or json")
	fs.Var(widthFlag{&o.width}, "width", "table width in columns (default: the terminal's; 0: no limit)")
	fs.StringVar(&o.settings, "settings", "", "a provisioning `file` (datasources.yml) for a real workspace; $VARS expand from the environment as in Grafana")
	fs.StringVar(&o.dsName, "datasource", "", "which datasource of the -settings file (name or uid), when it has several")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress on standard error")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, badUsage("unexpected arguments %q: every option is a flag", fs.Args())
	}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	o.values = values
	switch o.format {
	case formatTable, formatCSV, formatJSON:
	default:
		return o, badUsage("-format %q: use table, csv or json", o.format)
	}
	if o.set["since"] && o.set["from"] {
		return o, badUsage("-since and -from both set the start: use one")
	}
	if o.set["since"] && o.since <= 0 {
		return o, badUsage("-since must be longer than 0")
	}
	if o.set["top"] && o.topN <= 0 {
		return o, badUsage("-top %d: use a number of rows", o.topN)
	}
	if o.set["datasource"] && !o.set["settings"] {
		return o, badUsage("-datasource picks a datasource of a -settings file: give the file too")
	}
	return o, nil
}
