package anomaly

import (
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// maxBuckets bounds the series: a one-second interval over a month would otherwise make millions
// of points. Past it the interval is widened, with a notice.
const maxBuckets = 10000

// autoIntervals are the buckets picked when no interval is given: the smallest giving at most
// about 100 buckets.
var autoIntervals = []time.Duration{
	time.Second, 5 * time.Second, 10 * time.Second, 30 * time.Second, time.Minute, 5 * time.Minute,
	10 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour, 3 * time.Hour, 6 * time.Hour,
	12 * time.Hour, 24 * time.Hour, 7 * 24 * time.Hour,
}

// series counts flagged rows per time bucket of the time column timeName, or with "" of the
// frame's first time column (the rows' own; counts name their bucket). Buckets start at
// multiples of the interval counted from 0001-01-01 UTC, as KQL's bin() does. Rows with no time
// are left out, with a notice.
func series(scored *data.Frame, sc scores, rows []int, interval time.Duration, timeName string) (*data.Frame, error) {
	var tf *data.Field
	for _, f := range scored.Fields {
		if t := f.Type(); (t == data.FieldTypeTime || t == data.FieldTypeNullableTime) && (timeName == "" || f.Name == timeName) {
			tf = f
			break
		}
	}
	if tf == nil && timeName != "" {
		return nil, fmt.Errorf("%w: %w: the series output bins %s and the counts have no such time column", ErrInvalid, ErrNoColumn, timeName)
	}
	if tf == nil {
		return nil, fmt.Errorf("%w: %w: the series output needs a time column and the query's results have none; project one, e.g. TimeGenerated", ErrInvalid, ErrNoColumn)
	}
	at := valueAt[time.Time](tf)
	var lo, hi time.Time
	seen, untimed := false, 0
	eachRow(tf.Len(), rows, func(i int) {
		t, miss := at(i)
		switch {
		case miss:
			untimed++
		case !seen:
			lo, hi, seen = t, t, true
		case t.Before(lo):
			lo = t
		case t.After(hi):
			hi = t
		}
	})
	if seen && !lo.Add(hi.Sub(lo)).Equal(hi) { // Sub saturates past about 292 years
		return nil, fmt.Errorf("%w: the rows' times span %s to %s, more than the 292 years a time series can cover; filter %s to a narrower range",
			ErrInvalid, lo.UTC().Format(time.RFC3339), hi.UTC().Format(time.RFC3339), tf.Name)
	}
	out := &data.Frame{Name: scored.Name, RefID: scored.RefID, Meta: derivedMeta(scored.Meta, data.FrameTypeTimeSeriesWide)}
	if interval <= 0 {
		interval = AutoInterval(hi.Sub(lo))
	}
	var times []time.Time
	var counts []int64
	if seen {
		start, end := lo.UTC().Truncate(interval), hi.UTC().Truncate(interval)
		if n := end.Sub(start)/interval + 1; n > maxBuckets {
			wider := interval * ((n + maxBuckets - 3) / (maxBuckets - 2)) // re-aligned, the span can touch one more bucket
			out.Meta.Notices = append(out.Meta.Notices, data.Notice{Severity: data.NoticeSeverityInfo,
				Text: fmt.Sprintf("The interval %s would make %d points; using %s instead.", interval, n, wider)})
			interval = wider
			start, end = lo.UTC().Truncate(interval), hi.UTC().Truncate(interval)
		}
		nb := int(end.Sub(start)/interval) + 1
		times, counts = make([]time.Time, nb), make([]int64, nb)
		for k := range times {
			times[k] = start.Add(time.Duration(k) * interval)
		}
		eachRow(tf.Len(), rows, func(i int) {
			if t, miss := at(i); !miss && sc.flagged(i) {
				counts[int(t.UTC().Truncate(interval).Sub(start)/interval)] += sc.weight(i)
			}
		})
	}
	if untimed > 0 {
		out.Meta.Notices = append(out.Meta.Notices, data.Notice{Severity: data.NoticeSeverityWarning,
			Text: fmt.Sprintf("%d rows have no %s and are not in the series.", untimed, tf.Name)})
	}
	out.Fields = []*data.Field{data.NewField("Time", nil, times), data.NewField("Anomalies", nil, counts)}
	if times == nil {
		out.Fields = []*data.Field{data.NewField("Time", nil, []time.Time{}), data.NewField("Anomalies", nil, []int64{})}
	}
	return out, nil
}

// AutoInterval is the series' bucket when no interval is given: the smallest of a few round
// intervals giving fewer than 100 buckets over span.
func AutoInterval(span time.Duration) time.Duration {
	for _, d := range autoIntervals {
		if span/d < 100 {
			return d
		}
	}
	return autoIntervals[len(autoIntervals)-1]
}
