package plugin

import (
	"context"
	"encoding/json"
	"runtime"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kqlhunt/anomaly-datasource/pkg/demo"
	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
	"github.com/kqlhunt/anomaly-datasource/pkg/membudget"
)

// A request's results leave the process's result budget once it is answered: while its frames
// are still held (in the response, so the collector cannot be what freed them).
func TestQueryDataReleasesItsResults(t *testing.T) {
	budget, err := membudget.New(256 << 20)
	if err != nil {
		t.Fatal(err)
	}
	d := newDatasource(context.Background(), Deps{Demo: demo.New(), ResultBudget: budget},
		backend.DataSourceInstanceSettings{JSONData: []byte(`{"demoWorkspace":true}`)})
	if d.configErr != nil {
		t.Fatal(d.configErr)
	}
	model, _ := json.Marshal(map[string]any{"queryType": "kql", "kql": "DeviceNetworkEvents | take 2000", "timeRangeMode": "query"})
	during := int64(0)
	d.querier = observingQuerier{d.querier, func() { during = max(during, budget.InUse()) }}
	res, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{RefID: "A", JSON: model}}})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Responses["A"]
	if r.Error != nil || len(r.Frames) == 0 || r.Frames[0].Rows() != 2000 {
		t.Fatalf("response %+v", r)
	}
	if during == 0 {
		t.Fatal("the result was never booked against the budget")
	}
	if got := budget.InUse(); got != 0 {
		t.Errorf("%d bytes still booked after the request was answered (%d while it ran)", got, during)
	}
	runtime.KeepAlive(res)
}

// observingQuerier calls seen after each query, while its result is still held.
type observingQuerier struct {
	loganalytics.Querier
	seen func()
}

func (o observingQuerier) Query(ctx context.Context, q loganalytics.Query) (*loganalytics.Result, error) {
	res, err := o.Querier.Query(ctx, q)
	o.seen()
	return res, err
}
