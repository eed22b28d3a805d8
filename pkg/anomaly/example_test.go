package anomaly_test

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/anomaly"
	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
	"github.com/kqlhunt/anomaly-datasource/pkg/pivots"
	"github.com/kqlhunt/anomaly-datasource/pkg/querymodel"
)

// How the plugin answers anomaly and pivot queries: run the query's KQL, score its primary frame,
// and for a pivot without values, pivot on the anomalies of the same query's anomaly settings.
func Example() {
	var querier loganalytics.Querier // the datasource's client
	var dq backend.DataQuery         // one query of a QueryDataRequest
	q, err := querymodel.Parse(dq.JSON)
	if err != nil {
		return
	}
	run := func(kql string) (*data.Frame, error) {
		res, err := querier.Query(context.Background(), loganalytics.Query{Workspace: "...", KQL: kql})
		if err != nil {
			return nil, err
		}
		return res.Frames[0], nil
	}
	switch q.QueryType {
	case querymodel.TypeAnomaly:
		frame, err := run(q.KQL)
		if err != nil {
			return
		}
		// Every output (rows, anomalies, top, count, countByValue, series) and the search.
		out, err := anomaly.Pipeline{Options: q.Anomaly, Interval: dq.Interval}.Run(frame)
		_, _ = out, err
	case querymodel.TypePivot:
		values := q.Pivot.Values
		if len(values) == 0 {
			frame, err := run(q.KQL)
			if err != nil {
				return
			}
			scored, err := anomaly.ScoreRows(frame, q.Anomaly)
			if err != nil {
				return
			}
			values = anomaly.AnomalousValues(scored, q.Anomaly.Fields[0])
		}
		kql, err := pivots.Build(q.Pivot.Name, values, q.Pivot.Lookback) // ErrNoValues when nothing was flagged
		if err != nil {
			return
		}
		frame, err := run(kql)
		_, _ = frame, err
	}
}
