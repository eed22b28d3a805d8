package anomaly

import (
	"errors"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
)

// Sentinel errors. ErrInvalid marks everything the user must fix in the query (an option, a column
// the query names but its results lack); too few rows is data the forest cannot fit
// (iforest.ErrInvalidInput). Forest settings out of range also wrap iforest.ErrInvalidConfig.
var (
	// ErrInvalid: an option or column the user must fix; the message says what.
	ErrInvalid = errors.New("invalid anomaly query")
	// ErrNoColumn: a field, search column or time column is not in the frame.
	ErrNoColumn = errors.New("column not found")
	// ErrTooFewRows: fewer than two rows, which no isolation forest can fit.
	ErrTooFewRows = errors.New("too few rows to score")
	// ErrNotScored: Shape or AnomalousValues got a frame without the Anomaly and Anomaly_Score fields.
	ErrNotScored = errors.New("frame is not scored")
)

// columnError names the missing column and lists the frame's, so the fix is one look away.
func columnError(what, name string, frame *data.Frame) error {
	cols := make([]string, len(frame.Fields))
	for i, f := range frame.Fields {
		cols[i] = f.Name
	}
	list := "none"
	if len(cols) > 0 {
		list = strings.Join(cols, ", ")
	}
	return fmt.Errorf("%w: %w: %s %q is not in the query's results; its columns are: %s", ErrInvalid, ErrNoColumn, what, name, list)
}

func tooFewRows(n int) error {
	return fmt.Errorf("%w: %w: the isolation forest needs at least 2 rows and the query returned %d; widen the time range or the query", iforest.ErrInvalidInput, ErrTooFewRows, n)
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}
