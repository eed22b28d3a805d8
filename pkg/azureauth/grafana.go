package azureauth

import (
	"context"
	"os"
	"strconv"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Names under which Grafana forwards its [azure] settings to plugins listed in
// [azure] forward_settings_to_plugins: in the request's Grafana config and in the environment.
const (
	envManagedIdentityEnabled   = "GFAZPL_MANAGED_IDENTITY_ENABLED"
	envManagedIdentityClientID  = "GFAZPL_MANAGED_IDENTITY_CLIENT_ID"
	envWorkloadIdentityEnabled  = "GFAZPL_WORKLOAD_IDENTITY_ENABLED"
	envWorkloadIdentityTenantID = "GFAZPL_WORKLOAD_IDENTITY_TENANT_ID"
	envWorkloadIdentityClientID = "GFAZPL_WORKLOAD_IDENTITY_CLIENT_ID"
	envWorkloadIdentityToken    = "GFAZPL_WORKLOAD_IDENTITY_TOKEN_FILE"
)

// GrafanaAzure is what the Grafana admin allows: the server's managed or workload identity.
type GrafanaAzure struct {
	ManagedIdentityEnabled   bool
	ManagedIdentityClientID  string
	WorkloadIdentityEnabled  bool
	WorkloadIdentityTenantID string
	WorkloadIdentityClientID string
	WorkloadIdentityToken    string
}

// FromContext reads Grafana's Azure settings from the request's Grafana config, falling back to the
// plugin process's environment (older Grafana versions only set the environment).
func FromContext(ctx context.Context) GrafanaAzure {
	cfg := backend.GrafanaConfigFromContext(ctx)
	get := func(key string) string {
		if cfg != nil {
			if v := cfg.Get(key); v != "" {
				return v
			}
		}
		return os.Getenv(key)
	}
	return GrafanaAzure{
		ManagedIdentityEnabled:   isTrue(get(envManagedIdentityEnabled)),
		ManagedIdentityClientID:  get(envManagedIdentityClientID),
		WorkloadIdentityEnabled:  isTrue(get(envWorkloadIdentityEnabled)),
		WorkloadIdentityTenantID: get(envWorkloadIdentityTenantID),
		WorkloadIdentityClientID: get(envWorkloadIdentityClientID),
		WorkloadIdentityToken:    get(envWorkloadIdentityToken),
	}
}

func isTrue(s string) bool {
	b, err := strconv.ParseBool(s)
	return err == nil && b
}
