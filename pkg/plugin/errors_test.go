package plugin

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/kqlhunt/anomaly-datasource/pkg/anomaly"
	"github.com/kqlhunt/anomaly-datasource/pkg/azureauth"
	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
	"github.com/kqlhunt/anomaly-datasource/pkg/pivots"
	"github.com/kqlhunt/anomaly-datasource/pkg/querymodel"
	"github.com/kqlhunt/anomaly-datasource/pkg/settings"
)

func TestErrorResponse(t *testing.T) {
	tests := []struct {
		err    error
		status backend.Status
		source backend.ErrorSource
	}{
		{fmt.Errorf("%w: no workspace", settings.ErrInvalid), backend.StatusBadRequest, backend.ErrorSourceDownstream},
		{fmt.Errorf("%w: msi", azureauth.ErrIdentityDisabled), backend.StatusBadRequest, backend.ErrorSourceDownstream},
		{fmt.Errorf("%w: bad", querymodel.ErrInvalid), backend.StatusBadRequest, backend.ErrorSourceDownstream},
		{fmt.Errorf("wrapped: %w", loganalytics.ErrForbidden), backend.StatusForbidden, backend.ErrorSourceDownstream},
		{loganalytics.ErrThrottled, backend.StatusTooManyRequests, backend.ErrorSourceDownstream},
		{loganalytics.ErrTimeout, backend.StatusTimeout, backend.ErrorSourceDownstream},
		{loganalytics.ErrSignIn, backend.StatusUnauthorized, backend.ErrorSourceDownstream},
		{backend.DownstreamError(errors.New("network down")), backend.StatusInternal, backend.ErrorSourceDownstream},
		{errors.New("a bug"), backend.StatusInternal, backend.ErrorSourcePlugin},
		// The source the error was tagged with where it started is kept, whatever its kind.
		{backend.PluginError(fmt.Errorf("%w: the HTTP response was not captured", loganalytics.ErrDecode)), backend.StatusBadGateway, backend.ErrorSourcePlugin},
		{backend.DownstreamError(loganalytics.ErrForbidden), backend.StatusForbidden, backend.ErrorSourceDownstream},
		{fmt.Errorf("%w: bad", anomaly.ErrInvalid), backend.StatusBadRequest, backend.ErrorSourceDownstream},
		{fmt.Errorf("%w: bad", pivots.ErrInvalid), backend.StatusBadRequest, backend.ErrorSourceDownstream},
		// Scoring stopped because the request ended: not the plugin's fault.
		{fmt.Errorf("grow tree 3: %w", context.Canceled), backend.StatusInternal, backend.ErrorSourceDownstream},
		{fmt.Errorf("score: %w", context.DeadlineExceeded), backend.StatusTimeout, backend.ErrorSourceDownstream},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			got := errorResponse(context.Background(), tt.err)
			if got.Status != tt.status || got.ErrorSource != tt.source || !errors.Is(got.Error, tt.err) {
				t.Fatalf("got %d %q %v, want %d %q", got.Status, got.ErrorSource, got.Error, tt.status, tt.source)
			}
		})
	}
}
