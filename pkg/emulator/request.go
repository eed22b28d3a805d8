package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Request is one query as the service receives it, parsed for the Executor.
type Request struct {
	// Workspace is the workspace id from the URL path.
	Workspace string
	// Workspaces are the body's additional workspaces (a cross-workspace query).
	Workspaces []string
	Query      string
	// Timespan is the body's raw timespan; Start and End are its parsed bounds (zero when there
	// is no timespan). Start is inclusive, End exclusive, as the service applies them.
	Timespan   string
	Start, End time.Time
	// Wait is the client's Prefer: wait=N (0 when absent); the handler already applies it as
	// the context deadline.
	Wait time.Duration
	// Prefer holds every preference of the Prefer header, e.g. "include-statistics" → "true".
	Prefer map[string]string
	// Header is a copy of the request headers (Authorization removed; see Token).
	Header http.Header
	// Token is the bearer token, "" when none was sent.
	Token string
}

// HasTimespan reports whether the request restricts the query to a time range.
func (r Request) HasTimespan() bool { return !r.Start.IsZero() || !r.End.IsZero() }

// AllWorkspaces is the path's workspace followed by the additional ones, without duplicates.
func (r Request) AllWorkspaces() []string {
	out := []string{r.Workspace}
	seen := map[string]bool{strings.ToLower(r.Workspace): true}
	for _, w := range r.Workspaces {
		if k := strings.ToLower(w); !seen[k] {
			seen[k] = true
			out = append(out, w)
		}
	}
	return out
}

// parsePrefer splits a Prefer header ("include-statistics=true,wait=5") into its preferences.
// Several Prefer headers are merged.
func parsePrefer(values []string) map[string]string {
	m := map[string]string{}
	for _, v := range values {
		for _, p := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
			k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
			k = strings.ToLower(strings.TrimSpace(k))
			if k != "" {
				m[k] = strings.Trim(strings.TrimSpace(val), `"`)
			}
		}
	}
	return m
}

// parseWait reads Prefer: wait=N. The service caps it at 600 s.
func parseWait(prefer map[string]string) (time.Duration, error) {
	v, ok := prefer["wait"]
	if !ok {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("invalid Prefer wait value %q", v)
	}
	if n > 600 {
		n = 600
	}
	return time.Duration(n) * time.Second, nil
}

// ParseTimespan reads an ISO 8601 interval as the service accepts it: "start/end",
// "start/duration", "duration/end", or a lone duration meaning the last d before now.
// Durations are ISO 8601 (PT12H, P1D, P1DT2H30M, P2W, P1Y2M); years and months count on the calendar.
func ParseTimespan(s string, now time.Time) (start, end time.Time, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, time.Time{}, errors.New("empty timespan")
	}
	a, b, two := strings.Cut(s, "/")
	if !two {
		d, err := parseISODuration(a)
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		return d.before(now), now, nil
	}
	if isDuration(a) && isDuration(b) {
		return time.Time{}, time.Time{}, fmt.Errorf("timespan %q has two durations", s)
	}
	switch {
	case isDuration(a):
		d, err := parseISODuration(a)
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		if end, err = parseISOTime(b); err != nil {
			return time.Time{}, time.Time{}, err
		}
		return d.before(end), end, nil
	case isDuration(b):
		d, err := parseISODuration(b)
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		if start, err = parseISOTime(a); err != nil {
			return time.Time{}, time.Time{}, err
		}
		return start, d.after(start), nil
	}
	if start, err = parseISOTime(a); err != nil {
		return time.Time{}, time.Time{}, err
	}
	if end, err = parseISOTime(b); err != nil {
		return time.Time{}, time.Time{}, err
	}
	if end.Before(start) {
		return time.Time{}, time.Time{}, fmt.Errorf("timespan %q ends before it starts", s)
	}
	return start, end, nil
}

func isDuration(s string) bool {
	s = strings.TrimPrefix(strings.TrimSpace(s), "-")
	return len(s) > 0 && (s[0] == 'P' || s[0] == 'p')
}

var isoTimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.9999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseISOTime reads an ISO 8601 instant; without a zone it is UTC, as for the service.
func parseISOTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range isoTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid ISO 8601 time %q", s)
}

// isoDuration keeps calendar parts apart from the fixed part so P1M means one calendar month.
type isoDuration struct {
	years, months, days int
	fixed               time.Duration
}

func (d isoDuration) before(t time.Time) time.Time {
	return t.AddDate(-d.years, -d.months, -d.days).Add(-d.fixed)
}

func (d isoDuration) after(t time.Time) time.Time {
	return t.AddDate(d.years, d.months, d.days).Add(d.fixed)
}

// parseISODuration reads PnYnMnWnDTnHnMnS (fractions allowed on the smallest unit given).
func parseISODuration(s string) (isoDuration, error) {
	var d isoDuration
	orig := s
	s = strings.ToUpper(strings.TrimSpace(s))
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return d, fmt.Errorf("invalid ISO 8601 duration %q", orig)
	}
	s = s[1:]
	inTime, timeUnits := false, false
	seen := map[string]bool{}
	for len(s) > 0 {
		if s[0] == 'T' {
			if inTime {
				return d, fmt.Errorf("invalid ISO 8601 duration %q", orig)
			}
			inTime = true
			s = s[1:]
			continue
		}
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == ',') {
			i++
		}
		if i == 0 || i == len(s) {
			return d, fmt.Errorf("invalid ISO 8601 duration %q", orig)
		}
		num, err := strconv.ParseFloat(strings.ReplaceAll(s[:i], ",", "."), 64)
		if err != nil || num > 1e6 {
			return d, fmt.Errorf("invalid ISO 8601 duration %q", orig)
		}
		unit := s[i]
		s = s[i+1:]
		timeUnits = timeUnits || inTime
		key := fmt.Sprint(inTime, unit)
		if seen[key] {
			return d, fmt.Errorf("invalid ISO 8601 duration %q: a unit appears twice", orig)
		}
		seen[key] = true
		whole := int(num)
		switch {
		case !inTime && unit == 'Y':
			d.years += whole
		case !inTime && unit == 'M':
			d.months += whole
		case !inTime && unit == 'W':
			d.days += 7 * whole
			d.fixed += time.Duration((num - float64(whole)) * 7 * float64(24*time.Hour))
		case !inTime && unit == 'D':
			d.days += whole
			d.fixed += time.Duration((num - float64(whole)) * float64(24*time.Hour))
		case inTime && unit == 'H':
			d.fixed += time.Duration(num * float64(time.Hour))
		case inTime && unit == 'M':
			d.fixed += time.Duration(num * float64(time.Minute))
		case inTime && unit == 'S':
			d.fixed += time.Duration(num * float64(time.Second))
		default:
			return d, fmt.Errorf("invalid ISO 8601 duration %q", orig)
		}
	}
	if inTime && !timeUnits {
		return d, fmt.Errorf("invalid ISO 8601 duration %q", orig)
	}
	if d.fixed < 0 || d.fixed > 200*365*24*time.Hour {
		return d, fmt.Errorf("ISO 8601 duration %q is too long", orig)
	}
	return d, nil
}
