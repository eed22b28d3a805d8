package emulator

import (
	"net/http"
	"sync"

	"github.com/kqlhunt/anomaly-datasource/pkg/kql"
	"github.com/kqlhunt/anomaly-datasource/pkg/sampledata"
)

// DemoRows is the size of the demo workspace's generated table: large enough for the notebook's
// forest to find the planted intrusions (see pkg/sampledata/SCENARIO.md), small enough to
// generate in about a second.
const DemoRows = 200000

// NewDemoHandler is the plugin's built-in demo workspace: the Log Analytics API over the KQL
// engine and a generated DeviceNetworkEvents table (cfg; zero Rows means DemoRows, zero Seed is
// used as is, zero Now means the time of the first query). The table is generated on the first
// request, not at start-up, and every workspace id answers with it. No token is checked. Serve it
// in memory with Transport:
//
//	client, _ := azquery.NewLogsClient(nil, &azquery.LogsClientOptions{ClientOptions: azcore.ClientOptions{
//		Cloud:     cloud.Configuration{Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
//			azquery.ServiceNameLogs: {Endpoint: "https://demo.loganalytics.invalid/v1", Audience: "https://api.loganalytics.io"}}},
//		Transport: &emulator.Transport{Handler: emulator.NewDemoHandler(sampledata.Config{Seed: 42})},
//	}})
func NewDemoHandler(cfg sampledata.Config, opts ...Option) http.Handler {
	if cfg.Rows <= 0 {
		cfg.Rows = DemoRows
	}
	d := &demo{cfg: cfg, opts: opts}
	return d
}

type demo struct {
	cfg  sampledata.Config
	opts []Option
	once sync.Once
	h    http.Handler
}

func (d *demo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.once.Do(func() {
		tables := []*kql.Table{sampledata.Generate(d.cfg)}
		d.h = NewLogAnalyticsHandler(NewEngineExecutor(tables...), d.opts...)
	})
	d.h.ServeHTTP(w, r)
}
