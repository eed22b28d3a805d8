package azureauth

import (
	"fmt"
	"os"
	"sync"

	"github.com/kqlhunt/anomaly-datasource/pkg/egress"
	"github.com/kqlhunt/anomaly-datasource/pkg/settings"
)

// approvalHint ends every message about a refused endpoint: who can approve a host, and how it reaches
// the plugin (since Grafana 12.4 a plugin process gets the host's environment only when
// forward_host_env_vars lists it).
const approvalHint = "the Grafana server admin approves hosts in the plugin process's environment variable " +
	egress.EnvAllowedHosts + " (comma-separated host names or IP addresses, optionally with :port), which Grafana 12.4 and later passes to the plugin only with [plugins] forward_host_env_vars = " + pluginID

// NewPolicy builds the outbound policy from the admin's allow list (the value of
// KQLHUNT_ALLOWED_ENDPOINT_HOSTS) and the built-in clouds' hosts. A malformed list is an error
// (wrapping settings.ErrInvalid) that every non-demo datasource reports: a typo must neither open nor
// silently close a host.
func NewPolicy(allowed string, opts egress.Options) (*egress.Policy, error) {
	list, err := egress.ParseAllowList(allowed)
	if err != nil {
		return nil, fmt.Errorf("%w: %s (set by the Grafana server admin in the plugin process's environment)", settings.ErrInvalid, err.Error())
	}
	if opts.Hint == "" {
		opts.Hint = approvalHint
	}
	return egress.New(list.With(builtinHosts()...), opts), nil
}

// ProcessPolicy is NewPolicy on the process's environment, built on first use and shared by every
// datasource: the variable is process configuration (Grafana restarts the plugin when its
// environment changes), and the policy holds the process's one connection pool, as
// http.DefaultTransport would.
var ProcessPolicy = sync.OnceValues(func() (*egress.Policy, error) {
	return NewPolicy(os.Getenv(egress.EnvAllowedHosts), egress.Options{})
})
