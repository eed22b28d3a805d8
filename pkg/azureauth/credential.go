package azureauth

import (
	"errors"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/kqlhunt/anomaly-datasource/pkg/settings"
)

// ErrIdentityDisabled means the datasource asks for an identity the Grafana admin has not enabled.
var ErrIdentityDisabled = errors.New("identity not enabled in Grafana")

// NewCredential builds the azidentity credential the settings ask for. transport may be nil (the
// default HTTP client); tests pass one to reach a local Entra ID stand-in.
func NewCredential(s *settings.Settings, g GrafanaAzure, t Target, transport policy.Transporter) (azcore.TokenCredential, error) {
	opts := azcore.ClientOptions{Transport: transport}
	if t.AuthorityHost != "" {
		opts.Cloud = cloud.Configuration{ActiveDirectoryAuthorityHost: t.AuthorityHost}
	}
	// Instance discovery calls login.microsoftonline.com even for sovereign or private clouds; the
	// authority is already known from the cloud setting, so skip it.
	const noDiscovery = true
	c := s.AzureCredentials
	switch c.AuthType {
	case settings.AuthClientSecret:
		cred, err := azidentity.NewClientSecretCredential(c.TenantID, c.ClientID, s.Secrets.AzureClientSecret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: noDiscovery})
		if err != nil {
			return nil, fmt.Errorf("%w: client secret credential: %s", settings.ErrInvalid, err.Error())
		}
		return cred, nil
	case settings.AuthManagedIdentity:
		if !g.ManagedIdentityEnabled {
			return nil, fmt.Errorf("%w: managed identity authentication is disabled in this Grafana server: an admin must set managed_identity_enabled = true in the [azure] section of grafana.ini and list %s in [azure] forward_settings_to_plugins, or use client secret authentication", ErrIdentityDisabled, pluginID)
		}
		o := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: opts}
		id := c.ClientID
		if id == "" {
			id = g.ManagedIdentityClientID
		}
		if id != "" {
			o.ID = azidentity.ClientID(id)
		}
		return azidentity.NewManagedIdentityCredential(o)
	case settings.AuthWorkloadIdentity:
		if !g.WorkloadIdentityEnabled {
			return nil, fmt.Errorf("%w: workload identity authentication is disabled in this Grafana server: an admin must set workload_identity_enabled = true in the [azure] section of grafana.ini and list %s in [azure] forward_settings_to_plugins, or use client secret authentication", ErrIdentityDisabled, pluginID)
		}
		o := &azidentity.WorkloadIdentityCredentialOptions{
			ClientOptions: opts, DisableInstanceDiscovery: noDiscovery,
			TenantID: firstSet(c.TenantID, g.WorkloadIdentityTenantID), ClientID: firstSet(c.ClientID, g.WorkloadIdentityClientID),
			TokenFilePath: g.WorkloadIdentityToken,
		}
		cred, err := azidentity.NewWorkloadIdentityCredential(o)
		if err != nil {
			return nil, fmt.Errorf("%w: workload identity: %s (Grafana's [azure] workload_identity_tenant_id, workload_identity_client_id and workload_identity_token_file, or the AZURE_* variables, must be set)", settings.ErrInvalid, err.Error())
		}
		return cred, nil
	default:
		return nil, fmt.Errorf("%w: unknown authentication type %q", settings.ErrInvalid, c.AuthType)
	}
}

// pluginID is repeated here (not imported from pkg/plugin) to keep dependencies pointing one way.
const pluginID = "kqlhunt-anomaly-datasource"

func firstSet(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
