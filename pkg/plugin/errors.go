package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/kqlhunt/anomaly-datasource/pkg/anomaly"
	"github.com/kqlhunt/anomaly-datasource/pkg/azureauth"
	"github.com/kqlhunt/anomaly-datasource/pkg/iforest"
	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
	"github.com/kqlhunt/anomaly-datasource/pkg/macros"
	"github.com/kqlhunt/anomaly-datasource/pkg/pivots"
	"github.com/kqlhunt/anomaly-datasource/pkg/querymodel"
	"github.com/kqlhunt/anomaly-datasource/pkg/settings"
)

// kinds maps each kind of failure to the status Grafana shows and, for Save & test, what an admin
// should check. The error's own text already says what went wrong in the words of whoever found it
// (settings, the query parser, the service); the advice is added in front of it for health checks.
var kinds = []struct {
	kind   error
	status backend.Status
	advice string
}{
	{settings.ErrInvalid, backend.StatusBadRequest, ""},
	{azureauth.ErrIdentityDisabled, backend.StatusBadRequest, ""},
	{querymodel.ErrInvalid, backend.StatusBadRequest, ""},
	{anomaly.ErrInvalid, backend.StatusBadRequest, ""},
	{pivots.ErrInvalid, backend.StatusBadRequest, ""},
	{macros.ErrMacro, backend.StatusBadRequest, ""},
	{loganalytics.ErrInvalidQuery, backend.StatusBadRequest, ""},
	{iforest.ErrInvalidConfig, backend.StatusBadRequest, ""},
	{iforest.ErrInvalidInput, backend.StatusBadRequest, ""},
	{loganalytics.ErrBadRequest, backend.StatusBadRequest, ""},
	{loganalytics.ErrResultTooLarge, backend.StatusBadRequest, ""},
	{loganalytics.ErrSignIn, backend.StatusUnauthorized, "Sign-in to Microsoft Entra ID failed: check the tenant ID, client ID and client secret (and that the secret has not expired)."},
	{loganalytics.ErrUnauthorized, backend.StatusUnauthorized, "No permission to query the workspace: give the identity the Log Analytics Reader role on it."},
	{loganalytics.ErrForbidden, backend.StatusForbidden, "No permission to query the workspace: give the identity the Log Analytics Reader role on it."},
	{loganalytics.ErrNotFound, backend.StatusNotFound, "Workspace not found: check jsonData.workspaceId is the workspace's GUID (Workspace ID) and the cloud is right."},
	{loganalytics.ErrThrottled, backend.StatusTooManyRequests, ""},
	{loganalytics.ErrTimeout, backend.StatusTimeout, ""},
	{context.DeadlineExceeded, backend.StatusTimeout, ""}, // Grafana's own deadline, seen by scoring
	{loganalytics.ErrUnavailable, backend.StatusBadGateway, ""},
	{loganalytics.ErrDecode, backend.StatusBadGateway, ""},
}

// failure is how one error is reported, whatever asked: a query, Save & test or a resource.
type failure struct {
	status backend.Status
	source backend.ErrorSource
	advice string
}

// classify is the one place errors become a status, an error source and advice. The status comes
// from the first kind the error wraps (StatusInternal for none). The source is the one the error
// was tagged with where it started (backend.DownstreamError, PluginError), when it was; otherwise
// problems the user or admin can fix (a known kind) are downstream, anything else the plugin's.
func classify(err error) failure {
	f := failure{status: backend.StatusInternal}
	for _, k := range kinds {
		if errors.Is(err, k.kind) {
			f.status, f.advice = k.status, k.advice
			break
		}
	}
	var tagged backend.ErrorWithSource
	switch {
	case errors.As(err, &tagged):
		f.source = tagged.ErrorSource()
	case errors.Is(err, context.Canceled):
		// Whoever asked went away (a closed tab, a newer refresh, a failed chunked stream): no
		// answer is read, and it is not the plugin's fault.
		f.source = backend.ErrorSourceDownstream
	case f.status != backend.StatusInternal:
		f.source = backend.ErrorSourceDownstream
	default:
		f.source = backend.ErrorSourcePlugin
	}
	return f
}

// logFault logs what is the plugin's own fault (a bug, not a bad query), with the request's
// logger. Messages are the errors' own texts, which never hold secrets.
func logFault(ctx context.Context, what string, err error, f failure) {
	if f.source == backend.ErrorSourcePlugin {
		log.DefaultLogger.FromContext(ctx).Error(what+" failed", "error", err.Error(), "status", int(f.status))
	}
}

// errorResponse is a query's response for err.
func errorResponse(ctx context.Context, err error) backend.DataResponse {
	f := classify(err)
	logFault(ctx, "query", err, f)
	return backend.DataResponse{Status: f.status, Error: err, ErrorSource: f.source}
}

// unhealthy is Save & test's answer for err: the advice, then the error's own words.
func unhealthy(ctx context.Context, err error) *backend.CheckHealthResult {
	f := classify(err)
	logFault(ctx, "health check", err, f)
	msg := err.Error()
	if f.advice != "" {
		msg = f.advice + " " + msg
	} else if f.status != backend.StatusBadRequest {
		msg = "The test query failed: " + msg
	}
	return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: msg}
}

// writeError answers a resource request with err's status and {"error": message}.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	f := classify(err)
	logFault(r.Context(), fmt.Sprintf("resource %s", r.URL.Path), err, f)
	writeJSON(w, int(f.status), map[string]string{"error": err.Error()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
