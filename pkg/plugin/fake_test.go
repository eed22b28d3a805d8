package plugin

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
	"github.com/kqlhunt/anomaly-datasource/pkg/macros"
)

// fakeQuerier stands in for Log Analytics in the glue's tests: it records every query and answers
// from a fixed table of process connections (fixture), so tests can compute expected answers
// independently. A pivot's KQL (an `in (...)` list) gets the fixture's rows of the listed values.
type fakeQuerier struct {
	mu      sync.Mutex
	queries []loganalytics.Query
	// fail, when set, is returned for every query.
	fail error
}

var _ loganalytics.Querier = (*fakeQuerier)(nil)

func (f *fakeQuerier) Query(_ context.Context, q loganalytics.Query) (*loganalytics.Result, error) {
	f.mu.Lock()
	f.queries = append(f.queries, q)
	f.mu.Unlock()
	if f.fail != nil {
		return nil, f.fail
	}
	var frame *data.Frame
	switch {
	case strings.HasPrefix(q.KQL, "print "):
		frame = data.NewFrame("PrimaryResult", data.NewField("HealthCheck", nil, []string{"ok"}))
	case strings.HasSuffix(q.KQL, " | take 0"):
		frame = fixture(func(int) bool { return false })
		frame.Meta = &data.FrameMeta{ExecutedQueryString: q.KQL, Custom: &loganalytics.FrameMeta{ColumnTypes: []string{"datetime", "string", "string", "long"}}}
		return &loganalytics.Result{Frames: data.Frames{frame}}, nil
	case strings.HasSuffix(q.KQL, "| getschema"):
		frame = data.NewFrame("PrimaryResult",
			data.NewField("ColumnName", nil, []string{"TimeGenerated", "DeviceName", "InitiatingProcessFileName", "RemotePort"}),
			data.NewField("ColumnOrdinal", nil, []int32{0, 1, 2, 3}),
			data.NewField("DataType", nil, []string{"System.DateTime", "System.String", "System.String", "System.Int64"}),
			data.NewField("ColumnType", nil, []string{"datetime", "string", "string", "long"}))
	case strings.Contains(q.KQL, " in ("):
		frame = fixture(func(i int) bool { return strings.Contains(q.KQL, macros.QuoteString(fixtureProcess(i))) })
	default:
		frame = fixture(func(int) bool { return true })
	}
	frame.Meta = &data.FrameMeta{ExecutedQueryString: q.KQL}
	return &loganalytics.Result{Frames: data.Frames{frame}}, nil
}

func (f *fakeQuerier) last() loganalytics.Query {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.queries[len(f.queries)-1]
}

// fixtureRows is the fixture's size: enough for a forest, small enough for readable goldens.
const fixtureRows = 120

var fixtureStart = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// fixtureProcess is row i's process: four common ones, and two rare ones the forest isolates.
func fixtureProcess(i int) string {
	switch i {
	case 17:
		return "3f7c2a9e.exe"
	case 70, 71:
		return "AcroRd32Update.exe"
	}
	return []string{"chrome.exe", "msedge.exe", "svchost.exe", "Teams.exe"}[i%4]
}

// fixture is the rows keep selects, in row order.
func fixture(keep func(i int) bool) *data.Frame {
	var times []time.Time
	var devices, procs []string
	var ports []int64
	for i := 0; i < fixtureRows; i++ {
		if !keep(i) {
			continue
		}
		times = append(times, fixtureStart.Add(time.Duration(i)*time.Minute))
		devices = append(devices, fmt.Sprintf("ws-%02d", i%3+1))
		procs = append(procs, fixtureProcess(i))
		ports = append(ports, int64([]int{443, 80, 8443}[i%3]))
	}
	return data.NewFrame("PrimaryResult",
		data.NewField("TimeGenerated", nil, times),
		data.NewField("DeviceName", nil, devices),
		data.NewField("InitiatingProcessFileName", nil, procs),
		data.NewField("RemotePort", nil, ports),
	)
}
