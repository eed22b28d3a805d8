package plugin

import (
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/anomaly"
	"github.com/kqlhunt/anomaly-datasource/pkg/pivots"
	"github.com/kqlhunt/anomaly-datasource/pkg/querymodel"
)

// dsRef is the datasource a link's query runs on: the one that answered.
type dsRef struct {
	UID, Name string
}

func datasourceRef(pc backend.PluginContext) dsRef {
	if s := pc.DataSourceInstanceSettings; s != nil {
		return dsRef{UID: s.UID, Name: s.Name}
	}
	return dsRef{}
}

// linkedOutputs are the anomaly outputs whose rows carry values a hunter pivots on.
var linkedOutputs = map[string]bool{
	anomaly.OutputRows: true, anomaly.OutputAnomalies: true, anomaly.OutputTop: true, anomaly.OutputCountByValue: true,
}

// addPivotLinks gives the field each pivot matches on (InitiatingProcessFileName for the notebook's)
// one internal data link per pivot: clicking a value opens Explore with that pivot on that exact
// value, on the same datasource, over the pivot's default lookback.
func addPivotLinks(frames data.Frames, q *querymodel.Query, ds dsRef) {
	if q.QueryType != querymodel.TypeAnomaly || !linkedOutputs[q.Anomaly.Output] || ds.UID == "" {
		return
	}
	for _, f := range frames {
		for _, pv := range pivots.All() {
			field, _ := f.FieldByName(pv.Column)
			if field == nil {
				continue
			}
			if field.Config == nil {
				field.Config = &data.FieldConfig{}
			}
			field.Config.Links = append(field.Config.Links, data.DataLink{
				Title: pv.Title,
				Internal: &data.InternalDataLink{
					DatasourceUID: ds.UID, DatasourceName: ds.Name,
					Query: map[string]any{
						"refId": "A", "datasource": map[string]string{"type": ID, "uid": ds.UID},
						"queryType": querymodel.TypePivot, "pivot": pv.Name, "values": []string{"${__value.raw}"},
						"lookback": pivots.DefaultLookback, "timeRangeMode": querymodel.TimeRangeQuery,
					},
				},
			})
		}
	}
}
