package querymodel

import (
	"strings"

	"github.com/kqlhunt/anomaly-datasource/pkg/pivots"
)

// parsePivot reads the pivot keys. Values are kept exactly as sent: a process name with a space
// is another process.
func parsePivot(w *wire) pivots.Request {
	r := pivots.Request{Lookback: pivots.DefaultLookback, Values: w.Values}
	if w.Pivot != nil {
		r.Name = strings.TrimSpace(*w.Pivot)
	}
	if w.Lookback != nil {
		r.Lookback = strings.TrimSpace(*w.Lookback)
	}
	return r
}
