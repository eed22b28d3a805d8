package loganalytics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/kqlhunt/anomaly-datasource/pkg/egress"
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
	// is also the deadline of the whole call, retries included. Zero: no
	// Prefer wait and no deadline beyond ctx's.
	Wait       time.Duration
	Statistics bool // ask for include-statistics; returned in Result.Statistics
}

// Result is one successful answer.
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
}

// ClientOptions configures a Client. The zero value talks to the public
// cloud with azcore's default retries.
type ClientOptions struct {
	Endpoint      string             // e.g. https://api.loganalytics.io/v1 or https://host:port/v1
	Audience      string             // token audience, e.g. https://api.loganalytics.io ("/.default" is added)
	Transport     policy.Transporter // optional: an *http.Client for tests or a custom CA
	Retry         policy.RetryOptions
	ApplicationID string // prefixed to the User-Agent (at most 24 characters, spaces become '/')
}

// Client queries Log Analytics. It holds no global state and is safe for
// concurrent use; the token cache lives in the client, so keep one per
// datasource instance.
type Client struct {
	logs *azquery.LogsClient
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
		Retry:     opts.Retry,
		Telemetry: policy.TelemetryOptions{ApplicationID: opts.ApplicationID},
		Transport: opts.Transport,
	}}
	logs, err := azquery.NewLogsClient(cred, &co)
	if err != nil {
		return nil, backend.PluginError(fmt.Errorf("create log analytics client: %w", err))
	}
	return &Client{logs: logs}, nil
}

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
	var qopts *azquery.LogsClientQueryWorkspaceOptions
	if q.Wait > 0 || q.Statistics {
		lo := &azquery.LogsQueryOptions{}
		if q.Statistics {
			lo.Statistics = &q.Statistics
		}
		if q.Wait > 0 {
			n := waitSeconds(q.Wait)
			lo.Wait = &n
		}
		qopts = &azquery.LogsClientQueryWorkspaceOptions{Options: lo}
	}

	callCtx := ctx
	if q.Wait > 0 {
		var cancel context.CancelFunc
		callCtx, cancel = context.WithTimeout(ctx, q.Wait)
		defer cancel()
	}
	var raw *http.Response
	callCtx = policy.WithCaptureResponse(callCtx, &raw)

	// azquery's own decoding of the rows is discarded: it goes through
	// float64. Its call still runs the pipeline (retries, token, telemetry).
	_, err := c.logs.QueryWorkspace(callCtx, q.Workspace, body, qopts)
	if err != nil {
		return nil, classify(ctx, callCtx, q.Wait, raw, err)
	}
	if raw == nil {
		return nil, backend.PluginError(fmt.Errorf("%w: the HTTP response was not captured", ErrDecode))
	}
	payload, err := runtime.Payload(raw)
	if err != nil {
		return nil, backend.DownstreamError(fmt.Errorf("%w: %v", ErrDecode, err))
	}
	wr, err := decodeResponse(payload)
	if err != nil {
		return nil, backend.DownstreamError(err)
	}
	res := &Result{Statistics: wr.Statistics}
	if wr.Error != nil {
		res.Partial = serviceError(http.StatusOK, wr.Error, raw.Header.Get("x-ms-request-id"))
	}
	res.Frames, err = toFrames(wr, q, timespan, res.Partial)
	if err != nil {
		// The service's answer does not match its own column types.
		return nil, backend.DownstreamError(err)
	}
	return res, nil
}

// waitSeconds rounds d up to whole seconds within [1, 600].
func waitSeconds(d time.Duration) int {
	n := int(math.Ceil(d.Seconds()))
	return max(1, min(n, int(MaxWait/time.Second)))
}

// classify turns a failed call into this package's error types, tagged
// with the Grafana error source. parent is the caller's context, call the
// one carrying the Wait deadline; raw the last HTTP response, if any.
func classify(parent, call context.Context, wait time.Duration, raw *http.Response, err error) error {
	var signIn *SignInError
	var respErr *azcore.ResponseError
	switch {
	case parent.Err() != nil:
		// The caller gave up (Grafana cancelled the request, or its own
		// deadline passed): not our timeout to report.
		return backend.DownstreamError(fmt.Errorf("query cancelled: %w", parent.Err()))
	case call.Err() != nil && errors.Is(call.Err(), context.DeadlineExceeded):
		return backend.DownstreamError(&TimeoutError{After: wait})
	case errors.As(err, &signIn):
		return backend.DownstreamError(signIn)
	case errors.Is(err, egress.ErrRefused):
		// The endpoint policy refused the connection: the datasource's settings name a host the
		// Grafana admin has not approved. The refusal's own text says which and who can approve it.
		return backend.DownstreamError(err)
	case errors.As(err, &respErr) && respErr.RawResponse != nil:
		body, _ := runtime.Payload(respErr.RawResponse)
		se := serviceErrorFromResponse(respErr.RawResponse, body, respErr.ErrorCode)
		return backend.NewErrorWithSource(se, backend.ErrorSourceFromHTTPStatus(se.StatusCode))
	case raw != nil && raw.StatusCode == http.StatusOK:
		// azquery could not decode a 200 answer: the service sent something
		// that is not its wire format.
		return backend.DownstreamError(fmt.Errorf("%w: %v", ErrDecode, err))
	case backend.IsDownstreamHTTPError(err):
		// Connection refused, DNS, TLS, EOF: the service could not be reached.
		return backend.DownstreamError(fmt.Errorf("cannot reach Log Analytics: %w", err))
	default:
		return backend.PluginError(fmt.Errorf("log analytics query: %w", err))
	}
}
