package plugin

import (
	"errors"

	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
)

// newDemoQuerier is wired to the built-in emulator once it lands.
func newDemoQuerier() (loganalytics.Querier, error) {
	return nil, errors.New("the built-in demo workspace is not available yet")
}
