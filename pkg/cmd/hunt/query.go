package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/kqlhunt/anomaly-datasource/pkg/anomaly"
	"github.com/kqlhunt/anomaly-datasource/pkg/querymodel"
)

// buildModel is the query object the datasource gets: the -json file's, or the command's default
// (an anomaly query with output anomalies, or a pivot), with the keys the flags set replaced. The
// values are not checked here: the datasource checks them as it checks a panel's, and says which
// key is wrong.
func buildModel(o options, stdin io.Reader) (map[string]any, error) {
	model := map[string]any{}
	if o.queryFile != "" {
		raw, err := readInput(o.queryFile, stdin)
		if err != nil {
			return nil, fmt.Errorf("-json: %w", err)
		}
		if err := json.Unmarshal(raw, &model); err != nil || model == nil {
			return nil, fmt.Errorf("-json %s: not a JSON object (the query model as a panel sends it, e.g. {\"queryType\": \"anomaly\", \"output\": \"top\"})", o.queryFile)
		}
	}
	switch {
	case o.set["type"]:
		model["queryType"] = o.queryType
	case o.set["pivot"]:
		model["queryType"] = querymodel.TypePivot
	case o.queryFile == "":
		model["queryType"] = querymodel.TypeAnomaly
	}
	if o.set["kql"] {
		kql := o.kql
		if path, ok := strings.CutPrefix(kql, "@"); ok {
			raw, err := readInput(path, stdin)
			if err != nil {
				return nil, fmt.Errorf("-kql: %w", err)
			}
			kql = string(raw)
		}
		model["kql"] = kql
	}
	if o.set["field"] {
		delete(model, "field")
		delete(model, "fields")
		var fields []string
		for _, f := range strings.Split(o.field, ",") {
			if f = strings.TrimSpace(f); f != "" {
				fields = append(fields, f)
			}
		}
		if len(fields) == 1 {
			model["field"] = fields[0]
		} else {
			model["fields"] = fields
		}
	}
	if o.set["contamination"] {
		if v, err := strconv.ParseFloat(o.contam, 64); err == nil {
			model["contamination"] = v
		} else {
			model["contamination"] = o.contam // "auto", or a mistake the datasource names
		}
	}
	switch {
	case o.set["output"]:
		model["output"] = o.output
	case o.set["top"]:
		model["output"] = anomaly.OutputTop
	case o.queryFile == "" && model["queryType"] == querymodel.TypeAnomaly:
		model["output"] = anomaly.OutputAnomalies
	}
	if o.set["top"] {
		model["topN"] = o.topN
	}
	if o.set["pivot"] {
		model["pivot"] = o.pivot
	}
	if o.set["values"] {
		model["values"] = o.values
	}
	if o.set["lookback"] {
		model["lookback"] = o.lookback
	}
	return model, nil
}

// readInput reads a file, or standard input for "-".
func readInput(path string, stdin io.Reader) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(io.LimitReader(stdin, maxInput))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxInput))
}

// maxInput bounds a query file: a query model or a KQL query is a few kilobytes.
const maxInput = 1 << 20

// timeRange is the query's time range ("the dashboard's"): -from/-to, or the last -since.
func timeRange(o options, now time.Time) (from, to time.Time, err error) {
	to = now
	if o.to != "" {
		if to, err = parseTime(o.to); err != nil {
			return from, to, fmt.Errorf("-to: %w", err)
		}
	}
	from = to.Add(-o.since)
	if o.from != "" {
		if from, err = parseTime(o.from); err != nil {
			return from, to, fmt.Errorf("-from: %w", err)
		}
	}
	if !from.Before(to) {
		return from, to, fmt.Errorf("the time range %s to %s is empty: the start must come before the end", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	return from, to, nil
}

func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a time: write RFC 3339 (2024-05-01T13:00:00Z) or a date (2024-05-01, UTC)", s)
}

// niceIntervals are the intervals Grafana-like rounding picks from.
var niceIntervals = []time.Duration{
	time.Second, 5 * time.Second, 10 * time.Second, 30 * time.Second,
	time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour, 7 * 24 * time.Hour,
}

// maxDataPoints is what a Grafana panel of average width asks for.
const maxDataPoints = 100

// interval is -interval, or the range divided into maxDataPoints, rounded up to a nice interval.
func interval(o options, from, to time.Time) time.Duration {
	if o.interval > 0 {
		return o.interval
	}
	raw := to.Sub(from) / maxDataPoints
	for _, n := range niceIntervals {
		if n >= raw {
			return n
		}
	}
	return niceIntervals[len(niceIntervals)-1]
}
