package macros

import (
	"strconv"
	"strings"
	"time"
)

// DefaultTimeColumn is the column $__timeFilter() filters on when none is
// given: the ingestion time column every Log Analytics table has.
const DefaultTimeColumn = "TimeGenerated"

// Datetime returns t as a KQL datetime literal in UTC with at most seven
// fractional digits (KQL's 100 ns resolution), e.g. datetime(2024-05-01T00:00:00Z).
func Datetime(t time.Time) string {
	return "datetime(" + t.UTC().Format("2006-01-02T15:04:05.9999999Z") + ")"
}

// Timespan returns d as a KQL timespan literal in the largest unit that
// represents it exactly: 1d, 1h, 30m, 15s, 250ms, 10microsecond, or ticks
// (100 ns) as a last resort; negative durations keep their sign.
func Timespan(d time.Duration) string {
	units := []struct {
		size time.Duration
		name string
	}{
		{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"},
		{time.Millisecond, "ms"}, {time.Microsecond, "microsecond"}, {100 * time.Nanosecond, "tick"},
	}
	if d == 0 {
		return "0s"
	}
	for _, u := range units {
		if d%u.size == 0 {
			return strconv.FormatInt(int64(d/u.size), 10) + u.name
		}
	}
	// Below KQL's resolution: round to the nearest tick.
	return strconv.FormatInt(int64(d.Round(100*time.Nanosecond)/(100*time.Nanosecond)), 10) + "tick"
}

func needRange(c call, env Env) error {
	if env.From.IsZero() || env.To.IsZero() {
		return c.errorf("needs the query's time range, which was not given")
	}
	return nil
}

func noArgs(c call) error {
	if len(c.args) > 1 || (len(c.args) == 1 && strings.TrimSpace(c.args[0]) != "") {
		return c.errorf("takes no arguments")
	}
	return nil
}

// expandTimeFilter writes ['col'] >= datetime(from) and ['col'] <= datetime(to).
func expandTimeFilter(c call, env Env) (string, error) {
	col := DefaultTimeColumn
	switch {
	case len(c.args) > 1:
		return "", c.errorf("takes at most one argument, the time column (default %s)", DefaultTimeColumn)
	case len(c.args) == 1 && strings.TrimSpace(c.args[0]) != "":
		var err error
		if col, err = parseColumn(c, c.args[0]); err != nil {
			return "", err
		}
	}
	if err := needRange(c, env); err != nil {
		return "", err
	}
	q := QuoteIdentifier(col)
	return q + " >= " + Datetime(env.From) + " and " + q + " <= " + Datetime(env.To), nil
}

func expandTimeFrom(c call, env Env) (string, error) {
	if err := noArgs(c); err != nil {
		return "", err
	}
	if err := needRange(c, env); err != nil {
		return "", err
	}
	return Datetime(env.From), nil
}

func expandTimeTo(c call, env Env) (string, error) {
	if err := noArgs(c); err != nil {
		return "", err
	}
	if err := needRange(c, env); err != nil {
		return "", err
	}
	return Datetime(env.To), nil
}

func expandInterval(c call, env Env) (string, error) {
	if err := noArgs(c); err != nil {
		return "", err
	}
	if env.Interval <= 0 {
		return "", c.errorf("needs the query's interval, which was not given")
	}
	return Timespan(env.Interval), nil
}

func expandIntervalMs(c call, env Env) (string, error) {
	if err := noArgs(c); err != nil {
		return "", err
	}
	if env.Interval <= 0 {
		return "", c.errorf("needs the query's interval, which was not given")
	}
	return strconv.FormatInt(env.Interval.Milliseconds(), 10), nil
}
