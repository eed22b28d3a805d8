package loganalytics_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/kqlhunt/anomaly-datasource/pkg/loganalytics"
	"github.com/kqlhunt/anomaly-datasource/pkg/macros"
)

// How the plugin uses the two packages: expand macros, run the query, and
// map errors once with errors.Is / errors.As.
func Example() {
	cred, err := azidentity.NewClientSecretCredential("tenant", "client", "secret", nil)
	if err != nil {
		return
	}
	client, err := loganalytics.NewClient(cred, loganalytics.ClientOptions{
		Endpoint:      loganalytics.DefaultEndpoint,
		Audience:      loganalytics.DefaultAudience,
		ApplicationID: "kqlhunt",
	})
	if err != nil {
		return
	}
	from, to := time.Now().Add(-24*time.Hour), time.Now()
	kql, err := macros.Expand("DeviceNetworkEvents | where $__timeFilter() | summarize count() by bin(TimeGenerated, $__interval)",
		macros.Env{From: from, To: to, Interval: time.Hour})
	if err != nil {
		return // errors.Is(err, macros.ErrMacro): the user's query text
	}
	res, err := client.Query(context.Background(), loganalytics.Query{
		Workspace: "11111111-2222-3333-4444-555555555555",
		KQL:       kql,
		Timespan:  &loganalytics.TimeRange{From: from, To: to},
		Wait:      180 * time.Second,
	})
	var se *loganalytics.ServiceError
	switch {
	case errors.Is(err, loganalytics.ErrSignIn), errors.Is(err, loganalytics.ErrTimeout):
		fmt.Println(err) // already in words an admin can act on
	case errors.As(err, &se):
		fmt.Println(se.StatusCode, se.Summary())
	case err == nil:
		fmt.Println(len(res.Frames), res.Partial != nil)
	}
}
