package loganalytics

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/egress"
	"github.com/kqlhunt/anomaly-datasource/pkg/membudget"
)

// Public cloud defaults, used when ClientOptions leaves them empty.
const (
	DefaultEndpoint = "https://api.loganalytics.io/v1"
	DefaultAudience = "https://api.loganalytics.io"
)

// MaxWait is the longest server-side wait Log Analytics accepts (Prefer: wait=600).
const MaxWait = 600 * time.Second

// Querier runs one KQL query. The plugin depends on this interface, not on
// *Client, so its tests can use a fake.
type Querier interface {
	Query(ctx context.Context, q Query) (*Result, error)
}

var _ Querier = (*Client)(nil)

// TimeRange is a closed time interval sent as the query's timespan.
type TimeRange struct {
	From, To time.Time
}

// String formats the range as the service's ISO 8601 interval, in UTC with
// full precision (azquery.NewTimeInterval drops fractional seconds, which
// would cut up to a second off the dashboard's range).
func (r TimeRange) String() string {
	return r.From.UTC().Format(time.RFC3339Nano) + "/" + r.To.UTC().Format(time.RFC3339Nano)
}

// Query is one request to the service.
type Query struct {
	Workspace            string     // primary workspace id (a GUID)
	KQL                  string     // macros already expanded
	Timespan             *TimeRange // nil: no timespan, the KQL's own filters rule
	AdditionalWorkspaces []string   // further workspaces queried in the same request
	// Wait is sent as Prefer: wait=N (seconds, rounded up, at most 600) and
	// is also the deadline of the whole call, retries included (both shortened
	// by Due). Zero: no Prefer wait and no deadline beyond ctx's.
	Wait time.Duration
	// Due, with Wait, is when the answer this query is part of is due: a panel that takes several
	// queries (counts mode) has queryTimeoutSeconds for all of them, not for each. The call's
	// deadline and Prefer: wait are then what is left until Due when that is less than Wait, and a
	// query due already is a timeout without a request. A timeout still reports Wait, the setting.
	Due        time.Time
	Statistics bool // ask for include-statistics; returned in Result.Statistics
}

// Result is one successful answer. Its frames' memory is booked against the client's budget
// until Release.
type Result struct {
	// Frames holds one frame per table, the primary result first, with
	// Meta.ExecutedQueryString set and a *FrameMeta in Meta.Custom. A partial
	// error is also a warning notice on Frames[0].
	Frames data.Frames
	// Partial is the error of an answer that still carried rows (HTTP 200
	// with an error object, truncation included); nil otherwise.
	Partial *ServiceError
	// Statistics is the service's statistics JSON when Query.Statistics was set.
	Statistics []byte

	meter *meter
}

// Release gives the result's memory back to the client's budget: call it once the frames are no
// longer used (sent to Grafana, or scored and dropped). It may be called more than once, and on
// a nil Result. A result never released is released when its frames' fields are garbage
// collected, so a forgotten Release delays the budget but does not leak it.
func (r *Result) Release() {
	if r != nil && r.meter != nil {
		r.meter.release()
	}
}

// ClientOptions configures a Client. The zero value talks to the public
// cloud with azcore's default retries.
type ClientOptions struct {
	Endpoint      string             // e.g. https://api.loganalytics.io/v1 or https://host:port/v1
	Audience      string             // token audience, e.g. https://api.loganalytics.io ("/.default" is added)
	Transport     policy.Transporter // optional: an *http.Client for tests or a custom CA
	Retry         policy.RetryOptions
	ApplicationID string // prefixed to the User-Agent (at most 24 characters, spaces become '/')
	// Budget is the process's result memory budget, shared by every client of the process: each
	// answer is booked against it as it is decoded, until Result.Release. Nil: no limit.
	Budget *membudget.Budget
}

// Client queries Log Analytics. It holds no global state and is safe for
// concurrent use; the token cache lives in the client, so keep one per
// datasource instance.
type Client struct {
	logs   *azquery.LogsClient
	budget *membudget.Budget
}

// NewClient builds a Client. cred may be nil (a demo or test service that
// needs no token): then no Authorization header is sent at all. With a
// credential the endpoint must be https, because azcore refuses to send a
// bearer token over plain http.
func NewClient(cred azcore.TokenCredential, opts ClientOptions) (*Client, error) {
	if opts.Endpoint == "" {
		opts.Endpoint = DefaultEndpoint
	}
	if opts.Audience == "" {
		opts.Audience = DefaultAudience
	}
	u, err := url.Parse(opts.Endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, backend.PluginError(fmt.Errorf("log analytics endpoint %q is not an absolute http(s) URL", opts.Endpoint))
	}
	if cred != nil && u.Scheme != "https" {
		return nil, backend.PluginError(fmt.Errorf("log analytics endpoint %q must use https to send credentials", opts.Endpoint))
	}
	if cred != nil {
		if v := reflect.ValueOf(cred); v.Kind() == reflect.Pointer && v.IsNil() {
			// A typed nil would pass the nil check above and panic in GetToken.
			return nil, backend.PluginError(fmt.Errorf("the credential is a nil %T", cred))
		}
		cred = signInCredential{cred}
	}
	co := azquery.LogsClientOptions{ClientOptions: azcore.ClientOptions{
		Cloud: cloud.Configuration{Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			azquery.ServiceNameLogs: {Endpoint: strings.TrimSuffix(opts.Endpoint, "/"), Audience: strings.TrimSuffix(opts.Audience, "/")},
		}},
		Retry:           opts.Retry,
		Telemetry:       policy.TelemetryOptions{ApplicationID: opts.ApplicationID},
		Transport:       guardTransport{next: transport(opts.Transport)},
		PerCallPolicies: []policy.Policy{streamPolicy{}},
	}}
	logs, err := azquery.NewLogsClient(cred, &co)
	if err != nil {
		return nil, backend.PluginError(fmt.Errorf("create log analytics client: %w", err))
	}
	return &Client{logs: logs, budget: opts.Budget}, nil
}

// transport is t, or the process's default HTTP client when t is nil: azcore would use its own
// default (not exported), and guardTransport needs one to wrap. It is shared, as azcore's is, so
// datasource instances share one connection pool.
func transport(t policy.Transporter) policy.Transporter {
	if t != nil {
		return t
	}
	return defaultTransport()
}

// defaultTransport is like azcore's default client: net/http's defaults (proxy from the
// environment, HTTP/2, idle connection limits) with TLS 1.2 at least.
var defaultTransport = sync.OnceValue(func() policy.Transporter {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: tr}
})

// Query runs q. Errors are tagged with their Grafana error source
// (backend.ErrorWithSource) and wrap this package's sentinels.
func (c *Client) Query(ctx context.Context, q Query) (*Result, error) {
	if strings.TrimSpace(q.Workspace) == "" {
		return nil, backend.PluginError(fmt.Errorf("%w: no workspace id", ErrInvalidQuery))
	}
	if strings.TrimSpace(q.KQL) == "" {
		return nil, backend.PluginError(fmt.Errorf("%w: the KQL is empty", ErrInvalidQuery))
	}
	body := azquery.Body{Query: &q.KQL}
	timespan := ""
	if q.Timespan != nil {
		timespan = q.Timespan.String()
		ti := azquery.TimeInterval(timespan)
		body.Timespan = &ti
	}
	for i := range q.AdditionalWorkspaces {
		body.AdditionalWorkspaces = append(body.AdditionalWorkspaces, &q.AdditionalWorkspaces[i])
	}
	wait := q.Wait
	if !q.Due.IsZero() && wait > 0 {
		left := time.Until(q.Due)
		if left <= 0 {
			return nil, backend.DownstreamError(&TimeoutError{After: q.Wait})
		}
		wait = min(wait, left)
	}
	var qopts *azquery.LogsClientQueryWorkspaceOptions
	if wait > 0 || q.Statistics {
		lo := &azquery.LogsQueryOptions{}
		if q.Statistics {
			lo.Statistics = &q.Statistics
		}
		if wait > 0 {
			n := waitSeconds(wait)
			lo.Wait = &n
		}
		qopts = &azquery.LogsClientQueryWorkspaceOptions{Options: lo}
	}

	callCtx := ctx
	if wait > 0 {
		var cancel context.CancelFunc
		callCtx, cancel = context.WithTimeout(ctx, wait)
		defer cancel()
	}
	c2 := &call{meter: newMeter(callCtx, c.budget)}
	callCtx = context.WithValue(callCtx, callKey{}, c2)

	// azquery runs the pipeline (retries, token, telemetry, the service's errors); streamPolicy
	// decodes the rows as they arrive and hands azquery an empty document.
	_, err := c.logs.QueryWorkspace(callCtx, q.Workspace, body, qopts)
	if err != nil {
		c2.meter.release()
		return nil, classify(ctx, callCtx, q.Wait, c2, err)
	}
	if c2.answer == nil {
		c2.meter.release()
		return nil, backend.PluginError(fmt.Errorf("%w: the answer was not decoded", ErrDecode))
	}
	res := &Result{Statistics: c2.answer.statistics, meter: c2.meter}
	if c2.answer.err != nil {
		res.Partial = serviceError(http.StatusOK, c2.answer.err, c2.requestID)
	}
	res.Frames = toFrames(c2.answer, q, timespan, res.Partial)
	c2.answer = nil
	c2.meter.releaseWhenCollected(res.Frames)
	return res, nil
}

// waitSeconds rounds d up to whole seconds within [1, 600].
func waitSeconds(d time.Duration) int {
	n := int(math.Ceil(d.Seconds()))
	return max(1, min(n, int(MaxWait/time.Second)))
}

// classify turns a failed call into this package's error types, tagged
// with the Grafana error source. parent is the caller's context, callCtx the
// one carrying the Wait deadline; c the call's state.
func classify(parent, callCtx context.Context, wait time.Duration, c *call, err error) error {
	var signIn *SignInError
	var respErr *azcore.ResponseError
	var tooLarge *TooLargeError
	switch {
	case parent.Err() != nil:
		// The caller gave up (Grafana cancelled the request, or its own
		// deadline passed): not our timeout to report.
		return backend.DownstreamError(fmt.Errorf("query cancelled: %w", parent.Err()))
	case callCtx.Err() != nil && errors.Is(callCtx.Err(), context.DeadlineExceeded):
		if dialErr := c.unreachable(); dialErr != nil {
			// Every attempt failed to connect and the deadline ended the retries: say what
			// happened, not "timed out".
			return backend.DownstreamError(fmt.Errorf("cannot reach Log Analytics: %w", dialErr))
		}
		return backend.DownstreamError(&TimeoutError{After: wait})
	case errors.As(err, &signIn):
		return backend.DownstreamError(signIn)
	case errors.Is(err, egress.ErrRefused):
		// The endpoint policy refused the connection: the datasource's settings name a host the
		// Grafana admin has not approved. The refusal's own text says which and who can approve it.
		return backend.DownstreamError(err)
	case errors.As(err, &tooLarge), errors.Is(err, ErrDecode):
		// Too large for the budget, or a 200 answer that is not the service's wire format.
		return backend.DownstreamError(err)
	case errors.As(err, &respErr) && respErr.RawResponse != nil:
		body, _ := runtime.Payload(respErr.RawResponse)
		se := serviceErrorFromResponse(respErr.RawResponse, body, respErr.ErrorCode)
		return backend.NewErrorWithSource(se, backend.ErrorSourceFromHTTPStatus(se.StatusCode))
	case backend.IsDownstreamHTTPError(err) || c.unreachable() != nil:
		// Connection refused, DNS, TLS, EOF: the service could not be reached.
		return backend.DownstreamError(fmt.Errorf("cannot reach Log Analytics: %w", err))
	default:
		return backend.PluginError(fmt.Errorf("log analytics query: %w", err))
	}
}

// unreachable is the last attempt's transport error when no attempt got an answer, unless that
// error was only the deadline or a cancellation.
func (c *call) unreachable() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.attempts == 0 || c.dialErr == nil || errors.Is(c.dialErr, context.DeadlineExceeded) || errors.Is(c.dialErr, context.Canceled) {
		return nil
	}
	return c.dialErr
}
