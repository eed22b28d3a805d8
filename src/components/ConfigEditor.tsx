import React from 'react';
import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Combobox, ComboboxOption, Field, FieldSet, Input, InlineSwitch, SecretInput } from '@grafana/ui';

import { AuthType, AzureCloud, KqlHuntOptions, KqlHuntSecureOptions } from '../types';

type Props = DataSourcePluginOptionsEditorProps<KqlHuntOptions, KqlHuntSecureOptions>;

const authTypes: Array<ComboboxOption<AuthType>> = [
  { value: 'clientsecret', label: 'App registration (client secret)' },
  { value: 'msi', label: 'Managed identity' },
  { value: 'workloadidentity', label: 'Workload identity' },
];

const clouds: Array<ComboboxOption<AzureCloud>> = [
  { value: 'AzureCloud', label: 'Azure' },
  { value: 'AzureChinaCloud', label: 'Azure China' },
  { value: 'AzureUSGovernment', label: 'Azure US Government' },
  { value: 'AzureCustomizedCloud', label: 'Custom endpoints' },
];

/** Settings in the layout of Grafana's Azure datasources; the built-in demo workspace needs none of them. */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const jsonData = options.jsonData;
  const creds = jsonData.azureCredentials ?? {};
  const authType = creds.authType ?? 'clientsecret';
  const cloud = creds.azureCloud ?? 'AzureCloud';

  const setJson = (patch: Partial<KqlHuntOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });
  const setCreds = (patch: Partial<NonNullable<KqlHuntOptions['azureCredentials']>>) =>
    setJson({ azureCredentials: { ...creds, ...patch } });
  const setEndpoints = (patch: Partial<NonNullable<KqlHuntOptions['endpoints']>>) =>
    setJson({ endpoints: { ...jsonData.endpoints, ...patch } });

  return (
    <>
      <FieldSet label="Workspace">
        <Field
          label="Built-in demo workspace"
          description="Query the plugin's own Log Analytics emulator over sample DeviceNetworkEvents: no Azure needed."
        >
          <InlineSwitch
            id="config-demo"
            value={!!jsonData.demoWorkspace}
            onChange={(e) => setJson({ demoWorkspace: e.currentTarget.checked })}
          />
        </Field>
        <Field label="Workspace ID" description="The Log Analytics workspace GUID (Workspace ID on its overview page).">
          <Input
            id="config-workspace"
            width={48}
            value={jsonData.workspaceId ?? ''}
            placeholder="xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
            onChange={(e) => setJson({ workspaceId: e.currentTarget.value.trim() })}
          />
        </Field>
        <Field
          label="Additional workspaces"
          description="Optional, comma separated: one query across several workspaces."
        >
          <Input
            id="config-additional-workspaces"
            width={48}
            value={(jsonData.additionalWorkspaces ?? []).join(', ')}
            onChange={(e) =>
              setJson({
                additionalWorkspaces: e.currentTarget.value
                  .split(',')
                  .map((w) => w.trim())
                  .filter((w) => w !== ''),
              })
            }
          />
        </Field>
        <Field label="Query timeout (seconds)" description="Sent as Prefer: wait=N; 1 to 600, default 180.">
          <Input
            id="config-timeout"
            type="number"
            width={12}
            min={1}
            max={600}
            value={jsonData.queryTimeoutSeconds ?? ''}
            placeholder="180"
            onChange={(e) => {
              const v = e.currentTarget.value;
              setJson({ queryTimeoutSeconds: v === '' ? undefined : Number(v) });
            }}
          />
        </Field>
      </FieldSet>
      {!jsonData.demoWorkspace && (
        <FieldSet label="Authentication">
          <Field label="Azure cloud">
            <Combobox
              id="config-cloud"
              width={48}
              options={clouds}
              value={cloud}
              onChange={(v) => setCreds({ azureCloud: v.value })}
            />
          </Field>
          {cloud === 'AzureCustomizedCloud' && (
            <>
              <Field label="Log Analytics endpoint" description="https://host:port/v1">
                <Input
                  id="config-endpoint"
                  width={48}
                  value={jsonData.endpoints?.logAnalytics ?? ''}
                  onChange={(e) => setEndpoints({ logAnalytics: e.currentTarget.value.trim() })}
                />
              </Field>
              <Field label="Authority" description="The Entra ID authority host, https://host:port/">
                <Input
                  id="config-authority"
                  width={48}
                  value={jsonData.endpoints?.authority ?? ''}
                  onChange={(e) => setEndpoints({ authority: e.currentTarget.value.trim() })}
                />
              </Field>
            </>
          )}
          <Field label="Authentication">
            <Combobox
              id="config-auth-type"
              width={48}
              options={authTypes}
              value={authType}
              onChange={(v) => setCreds({ authType: v.value })}
            />
          </Field>
          {authType !== 'msi' && (
            <Field label="Directory (tenant) ID">
              <Input
                id="config-tenant"
                width={48}
                value={creds.tenantId ?? ''}
                onChange={(e) => setCreds({ tenantId: e.currentTarget.value.trim() })}
              />
            </Field>
          )}
          <Field label="Application (client) ID">
            <Input
              id="config-client"
              width={48}
              value={creds.clientId ?? ''}
              onChange={(e) => setCreds({ clientId: e.currentTarget.value.trim() })}
            />
          </Field>
          {authType === 'clientsecret' && (
            <Field label="Client secret">
              <SecretInput
                id="config-secret"
                width={48}
                isConfigured={!!options.secureJsonFields?.azureClientSecret}
                value={options.secureJsonData?.azureClientSecret ?? ''}
                onChange={(e) =>
                  onOptionsChange({
                    ...options,
                    secureJsonData: { ...options.secureJsonData, azureClientSecret: e.currentTarget.value },
                  })
                }
                onReset={() =>
                  onOptionsChange({
                    ...options,
                    secureJsonFields: { ...options.secureJsonFields, azureClientSecret: false },
                    secureJsonData: { ...options.secureJsonData, azureClientSecret: '' },
                  })
                }
              />
            </Field>
          )}
        </FieldSet>
      )}
    </>
  );
}
