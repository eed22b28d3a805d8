package plugin

import (
	"errors"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kqlhunt/anomaly-datasource/pkg/azureauth"
	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
	"github.com/kqlhunt/anomaly-datasource/pkg/macros"
	"github.com/kqlhunt/anomaly-datasource/pkg/querymodel"
	"github.com/kqlhunt/anomaly-datasource/pkg/settings"
)

// statuses maps each kind of failure to the status Grafana shows. The error's own text already says
// what went wrong in the words of whoever found it (settings, the query parser, the service).
var statuses = []struct {
	kind   error
	status backend.Status
}{
	{settings.ErrInvalid, backend.StatusBadRequest},
	{azureauth.ErrIdentityDisabled, backend.StatusBadRequest},
	{querymodel.ErrInvalid, backend.StatusBadRequest},
	{macros.ErrMacro, backend.StatusBadRequest},
	{loganalytics.ErrInvalidQuery, backend.StatusBadRequest},
	{iforest.ErrInvalidConfig, backend.StatusBadRequest},
	{iforest.ErrInvalidInput, backend.StatusBadRequest},
	{loganalytics.ErrBadRequest, backend.StatusBadRequest},
	{loganalytics.ErrResultTooLarge, backend.StatusBadRequest},
	{loganalytics.ErrSignIn, backend.StatusUnauthorized},
	{loganalytics.ErrUnauthorized, backend.StatusUnauthorized},
	{loganalytics.ErrForbidden, backend.StatusForbidden},
	{loganalytics.ErrNotFound, backend.StatusNotFound},
	{loganalytics.ErrThrottled, backend.StatusTooManyRequests},
	{loganalytics.ErrTimeout, backend.StatusTimeout},
	{loganalytics.ErrUnavailable, backend.StatusBadGateway},
	{loganalytics.ErrDecode, backend.StatusBadGateway},
}

// errorResponse is the one place errors become a query's response. Problems the user or admin can fix
// (settings, query, the service's answer) are downstream errors; anything else is the plugin's fault.
func errorResponse(err error) backend.DataResponse {
	status := backend.StatusInternal
	for _, s := range statuses {
		if errors.Is(err, s.kind) {
			status = s.status
			break
		}
	}
	source := backend.ErrorSourcePlugin
	if status != backend.StatusInternal || backend.IsDownstreamError(err) {
		source = backend.ErrorSourceDownstream
	}
	return backend.DataResponse{Status: status, Error: err, ErrorSource: source}
}
