// Package querymodel parses the one query object every editor, dashboard and alert rule sends
// (docs/query-model.md). It is the wire model: it reads the JSON once, fills missing keys from the
// defaults of the packages that own them (anomaly.NotebookOptions, iforest.DefaultConfig,
// pivots.DefaultLookback), checks what only the wire can get wrong (a string where a number is
// expected, an unknown query type), and hands each domain package its own option type, validated by
// that package (anomaly.Options.Validate, pivots.Request.Validate). No domain package imports this
// one. A key that is present but wrong is an error that names it and says what to use instead.
package querymodel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/kqlhunt/anomaly-datasource/pkg/anomaly"
	"github.com/kqlhunt/anomaly-datasource/pkg/pivots"
)

// Query types.
const (
	TypeKQL     = "kql"
	TypeAnomaly = "anomaly"
	TypePivot   = "pivot"
)

// Time range modes.
const (
	// TimeRangeDashboard sends Grafana's time range as the request timespan.
	TimeRangeDashboard = "dashboard"
	// TimeRangeQuery sends no timespan: the KQL's own time filter rules.
	TimeRangeQuery = "query"
)

// NotebookKQL is the notebook's DeviceNetworkEvents query, as the notebook writes it: the last day.
const NotebookKQL = `DeviceNetworkEvents
| where TimeGenerated >= ago(1d)
| where isnotempty(InitiatingProcessFileName)
| where ActionType == "ConnectionSuccess"
| where RemoteIPType == "Public"
| where RemoteIP matches regex @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$"
| project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`

// Aggregate modes of an anomaly query.
const (
	// AggregateAuto fetches the rows, and lets the service count instead when it truncates them.
	AggregateAuto = "auto"
	// AggregateNever always scores the rows returned.
	AggregateNever = "never"
	// AggregateAlways always lets the service count (summarize count() by the fields).
	AggregateAlways = "always"
)

// DefaultKQL is the query of a query object without "kql": the notebook's, with Grafana's time
// filter in place of its ago(1d), so that the dashboard's range rules (a "Last 24 hours" dashboard
// is the notebook's day) instead of silently cutting a "Last 7 days" panel to one day.
const DefaultKQL = `DeviceNetworkEvents
| where $__timeFilter(TimeGenerated)
| where isnotempty(InitiatingProcessFileName)
| where ActionType == "ConnectionSuccess"
| where RemoteIPType == "Public"
| where RemoteIP matches regex @"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$"
| project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`

// ErrInvalid marks a query the user must fix.
var ErrInvalid = errors.New("invalid query")

// search is the wire form of the notebook's table search.
type search struct {
	Column string `json:"column"`
	Value  string `json:"value"`
	Mode   string `json:"mode"`
}

// Query is a parsed query with defaults applied.
type Query struct {
	QueryType     string
	KQL           string
	TimeRangeMode string
	// Workspaces overrides the datasource's workspaces when not empty.
	Workspaces []string
	// ValuesOf is, for a kql query with output "values" (a template variable), the column whose
	// distinct values are listed.
	ValuesOf string
	// Aggregate says when an anomaly query lets Log Analytics count: AggregateAuto (default),
	// AggregateNever or AggregateAlways.
	Aggregate string

	// Anomaly is the anomaly settings, also read by pivot queries without values (they pivot on the
	// same query's anomalies).
	Anomaly anomaly.Options
	Pivot   pivots.Request
}

// wire is the JSON as sent; pointers and raw messages tell "absent" from "zero".
type wire struct {
	QueryType     *string         `json:"queryType"`
	KQL           *string         `json:"kql"`
	TimeRangeMode *string         `json:"timeRangeMode"`
	Workspaces    []string        `json:"workspaces"`
	Field         *string         `json:"field"`
	Fields        []string        `json:"fields"`
	Encoding      *string         `json:"encoding"`
	Contamination json.RawMessage `json:"contamination"`
	NEstimators   json.RawMessage `json:"nEstimators"`
	MaxSamples    json.RawMessage `json:"maxSamples"`
	RandomState   json.RawMessage `json:"randomState"`
	Output        *string         `json:"output"`
	TopN          json.RawMessage `json:"topN"`
	Search        *search         `json:"search"`
	RowOrder      *string         `json:"rowOrder"`
	Aggregate     *string         `json:"aggregate"`
	Pivot         *string         `json:"pivot"`
	Values        []string        `json:"values"`
	Lookback      *string         `json:"lookback"`
}

// Parse reads a query object. Keys of other query types are read too (a pivot takes the anomaly
// settings of the same query), but only checked when the query's type uses them.
func Parse(raw []byte) (*Query, error) {
	var w wire
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &w); err != nil {
			return nil, invalid("the query is not a valid query object: %s", jsonProblem(err))
		}
	}
	q := &Query{
		QueryType:     orDefault(w.QueryType, TypeKQL),
		KQL:           orDefault(w.KQL, DefaultKQL),
		TimeRangeMode: orDefault(w.TimeRangeMode, TimeRangeDashboard),
	}
	switch q.QueryType {
	case TypeKQL, TypeAnomaly, TypePivot:
	default:
		return nil, invalid("queryType %q is not known: use %q, %q or %q", q.QueryType, TypeKQL, TypeAnomaly, TypePivot)
	}
	q.Aggregate = orDefault(w.Aggregate, AggregateAuto)
	switch q.Aggregate {
	case AggregateAuto, AggregateNever, AggregateAlways:
	default:
		if q.QueryType == TypeAnomaly {
			return nil, invalid("aggregate %q is not known: use %q (count in Log Analytics when it truncates the rows), %q or %q", q.Aggregate, AggregateAuto, AggregateNever, AggregateAlways)
		}
	}
	switch q.TimeRangeMode {
	case TimeRangeDashboard, TimeRangeQuery:
	default:
		return nil, invalid("timeRangeMode %q is not known: use %q (send the dashboard's time range) or %q (the KQL's own time filter)", q.TimeRangeMode, TimeRangeDashboard, TimeRangeQuery)
	}
	if q.QueryType != TypePivot && strings.TrimSpace(q.KQL) == "" {
		return nil, invalid("the KQL query is empty: write a query, e.g. DeviceNetworkEvents | take 10")
	}
	for _, ws := range w.Workspaces {
		if ws = strings.TrimSpace(ws); ws != "" {
			q.Workspaces = append(q.Workspaces, ws)
		}
	}
	q.Pivot = parsePivot(&w)
	// The anomaly keys count for an anomaly query and for a pivot that finds its values by scoring
	// (no values given); elsewhere they are leftovers of the editor, not errors.
	scores := q.QueryType == TypeAnomaly || q.QueryType == TypePivot && len(q.Pivot.Values) == 0
	var err error
	if q.Anomaly, err = parseAnomaly(&w); err != nil && scores {
		return nil, err
	}
	switch q.QueryType {
	case TypeKQL:
		q.ValuesOf, err = kqlOutput(&w)
	case TypeAnomaly:
		err = withQueryKey(q.Anomaly.Validate(), &w)
	case TypePivot:
		err = q.Pivot.Validate()
		if err == nil && len(q.Pivot.Values) == 0 {
			err = withQueryKey(q.Anomaly.Validate(), &w)
		}
	}
	if err != nil {
		return nil, err
	}
	return q, nil
}

func orDefault(p *string, def string) string {
	if p == nil {
		return def
	}
	return strings.TrimSpace(*p)
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return fmt.Sprintf("%q must be a %s, not a %s", typeErr.Field, typeErr.Type, typeErr.Value)
	}
	return err.Error()
}

// kqlOutput reads a kql query's output: "values" with a field lists that column's distinct values;
// any other output is an anomaly key, ignored like the others (an editor keeps them when the query
// type changes).
func kqlOutput(w *wire) (string, error) {
	if w.Output == nil || strings.TrimSpace(*w.Output) != anomaly.OutputValues {
		return "", nil
	}
	if w.Field == nil || strings.TrimSpace(*w.Field) == "" {
		return "", invalid("output %q needs field: the column whose distinct values to list", anomaly.OutputValues)
	}
	return strings.TrimSpace(*w.Field), nil
}
