package egress

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"sync"
)

// Use says what one transport is for: the datasource setting its requests come from, and how its
// refusals are to be recognised by the caller.
type Use struct {
	// Setting names the datasource setting in every refusal, e.g. "jsonData.endpoints.authority".
	Setting string
	// ApprovedHostsOnly refuses any request whose host is not in the allow list (by name or literal,
	// with its port), whatever its address: for the server's own identities, whose tokens and
	// federated credentials must reach only hosts the admin approved (the built-in clouds' hosts are
	// in the list the plugin builds).
	ApprovedHostsOnly bool
	// Kind, if set, is wrapped by every refusal besides ErrRefused: the caller's own "fix your
	// settings" sentinel, so its error mapping needs no knowledge of this package.
	Kind error
}

// Transport sends one datasource's requests through the policy. Its Do method makes it an azcore
// policy.Transporter (the interface is structural; this package does not import azcore).
type Transport struct {
	policy *Policy
	use    Use
}

// Transport returns a transport for an editor-facing endpoint: dials are checked and redirects are
// refused. Transports of one policy share its connection pool.
func (p *Policy) Transport(u Use) *Transport {
	return &Transport{policy: p, use: u}
}

// ServerClient returns a client for an endpoint the server's environment chose, never the editor:
// the managed identity endpoint (IMDS on 169.254.169.254, App Service's IDENTITY_ENDPOINT on
// loopback). Addresses are not checked; redirects are still refused, because the identity
// endpoint's secret header (X-IDENTITY-HEADER) would follow one. It is an *http.Client because
// azidentity requires one for Service Fabric's managed identity (it pins that endpoint's
// certificate on a copy of the client).
func (p *Policy) ServerClient() *http.Client {
	return &http.Client{Transport: p.server, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		from := via[len(via)-1].URL
		status := 0
		if req.Response != nil {
			status = req.Response.StatusCode
		}
		return &RefusedError{Host: from.Host, Redirect: redirectTarget(from, req.URL.String()), RedirectStatus: status, hint: p.opts.Hint}
	}}
}

// Do sends req without following redirects: a 3xx answer with a Location is a *RefusedError that
// names the target. A refused connection is a *RefusedError too, reported to any Watch on the
// request's context.
func (t *Transport) Do(req *http.Request) (*http.Response, error) {
	if t.use.ApprovedHostsOnly && !t.policy.allow.AllowsHost(req.URL.Hostname(), urlPort(req.URL)) {
		return nil, t.refuse(req.Context(), &RefusedError{Host: req.URL.Host, NotApproved: true})
	}
	resp, err := t.policy.checked.RoundTrip(req)
	if err != nil {
		if r, ok := asRefusal(err); ok {
			return nil, t.refuse(req.Context(), r)
		}
		return nil, err
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 && resp.Header.Get("Location") != "" {
		target := redirectTarget(req.URL, resp.Header.Get("Location"))
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
		return nil, t.refuse(req.Context(), &RefusedError{Host: req.URL.Host, Redirect: target, RedirectStatus: resp.StatusCode})
	}
	return resp, nil
}

func (t *Transport) refuse(ctx context.Context, r *RefusedError) error {
	r = r.in(t.use, t.policy.opts.Hint)
	if w, ok := ctx.Value(watchKey{}).(*watch); ok {
		w.record(r)
	}
	return r
}

// redirectTarget is the Location resolved against the request, without its query (which may carry
// anything) and cut to a readable length.
func redirectTarget(base *url.URL, location string) string {
	u, err := base.Parse(location)
	if err != nil {
		return truncate(location, 120)
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return truncate(u.String(), 200)
}

type watchKey struct{}

type watch struct {
	mu  sync.Mutex
	err *RefusedError
}

func (w *watch) record(r *RefusedError) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = r
	}
}

// Watch returns a context under which every Transport records its first refusal, and a function that
// returns it (nil if none). A caller whose library flattens errors into text (MSAL turns a transport
// error into "server response error:\n ...") gets the refusal back intact this way.
func Watch(ctx context.Context) (context.Context, func() error) {
	w := &watch{}
	return context.WithValue(ctx, watchKey{}, w), func() error {
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.err == nil {
			return nil
		}
		return w.err
	}
}
