package anomaly

import (
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/framerows"
)

// takeRows returns a frame of frame's rows at idx, in idx's order, with its own copy of Meta.
func takeRows(frame *data.Frame, idx []int) *data.Frame {
	return &data.Frame{Name: frame.Name, RefID: frame.RefID, Meta: cloneMeta(frame.Meta), Fields: framerows.Take(frame.Fields, idx)}
}
