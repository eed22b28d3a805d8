package anomaly

import "github.com/kqlhunt/anomaly-datasource/pkg/iforest"

// Aggregates: what the forest was fitted on.
const (
	// AggregateRows: the rows the query returned.
	AggregateRows = "rows"
	// AggregateCounts: the number of rows of each distinct value (a `summarize count() by` answer),
	// which is the canonical order's exact answer on those rows.
	AggregateCounts = "counts"
)

// Row orders, as the query model names iforest's.
const (
	RowOrderCanonical  = "canonical"
	RowOrderAsReturned = "asReturned"
)

// RowOrders maps the query model's names to iforest's row orders.
var RowOrders = map[string]iforest.RowOrder{RowOrderCanonical: iforest.Canonical, RowOrderAsReturned: iforest.AsReturned}

// Meta is the Custom metadata of every scored frame and of the outputs made from it: how it was
// scored, so a panel, an alert and a hunter can tell. Source is the metadata of the frame that was
// scored (the query's), kept as it was.
type Meta struct {
	// RowOrder is "canonical" or "asReturned".
	RowOrder string `json:"rowOrder"`
	// Aggregate is "rows" or "counts".
	Aggregate string `json:"aggregate"`
	// CountField is the field holding each row's number of rows, for counts.
	CountField string `json:"countField,omitempty"`
	Source     any    `json:"source,omitempty"`
}

// scoredMeta is the metadata of a frame scored as opts says, on rows or counts; source is the
// scored frame's own Custom metadata.
func scoredMeta(source any, opts Options, aggregate, countField string) *Meta {
	m := &Meta{RowOrder: opts.Forest.RowOrder.String(), Aggregate: aggregate, CountField: countField, Source: source}
	if aggregate == AggregateCounts {
		m.RowOrder = RowOrderCanonical // counts have no row order: they are the canonical order's answer
	}
	return m
}
