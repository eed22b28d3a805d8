import React, { useState } from 'react';
import { css } from '@emotion/css';
import { DataSourcePluginOptionsEditorProps, SelectableValue } from '@grafana/data';
import { ConfigSection, ConfigSubSection } from '@grafana/plugin-ui';
// See FieldPicker.tsx for why Select rather than Combobox.
import { Divider, InlineField, InlineSwitch, Input, SecretInput, Select, TagsInput } from '@grafana/ui';

import { LIMITS } from '../defaults';
import { AuthType, AzureCloud, KqlHuntOptions, KqlHuntSecureOptions } from '../types';
import { SettingsProblems, validateSettings } from '../validation';
import { NumberBox } from './NumberBox';

type Props = DataSourcePluginOptionsEditorProps<KqlHuntOptions, KqlHuntSecureOptions>;

const AUTH_TYPES: Array<SelectableValue<AuthType>> = [
  { value: 'clientsecret', label: 'App registration (client secret)' },
  { value: 'msi', label: 'Managed identity' },
  { value: 'workloadidentity', label: 'Workload identity' },
];

const CLOUDS: Array<SelectableValue<AzureCloud>> = [
  { value: 'AzureCloud', label: 'Azure' },
  { value: 'AzureChinaCloud', label: 'Azure China' },
  { value: 'AzureUSGovernment', label: 'Azure US Government' },
  { value: 'AzureCustomizedCloud', label: 'Custom endpoints' },
];

const LABEL_WIDTH = 24;
const INPUT_WIDTH = 38;

/** An inline field's message wraps within the input's width instead of running off narrow screens. */
const messageStyle = css({
  display: 'inline-block',
  verticalAlign: 'top',
  // The input's width, less the message's icon and padding.
  maxWidth: `${INPUT_WIDTH * 8 - 48}px`,
  whiteSpace: 'normal',
});

/**
 * Settings in the layout of Grafana's Azure datasources. Each problem shows under its field, in the words
 * Save & test would use, once the field has been left; the demo switch hides every setting it overrides,
 * except a workspace ID that Save & test would still refuse.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const jsonData = options.jsonData;
  const creds = jsonData.azureCredentials ?? {};
  const authType = creds.authType ?? 'clientsecret';
  const cloud = creds.azureCloud ?? 'AzureCloud';
  const demo = !!jsonData.demoWorkspace;
  const [touched, setTouched] = useState<Set<keyof SettingsProblems>>(new Set());
  const touch = (k: keyof SettingsProblems) => setTouched((t) => new Set(t).add(k));
  const all = validateSettings(jsonData);
  // The demo hides the workspaces, but Save & test still refuses one that is not a GUID (pkg/settings): such
  // a field stays shown, with its message at once, so that it can be fixed or cleared.
  const badWorkspace = demo && (!!all.workspaceId || !!all.additionalWorkspaces);
  const problem = (k: keyof SettingsProblems) => (touched.has(k) || badWorkspace ? all[k] : undefined);

  const setJson = (patch: Partial<KqlHuntOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });
  const setCreds = (patch: Partial<NonNullable<KqlHuntOptions['azureCredentials']>>) =>
    setJson({ azureCredentials: { ...creds, ...patch } });
  const setEndpoints = (patch: Partial<NonNullable<KqlHuntOptions['endpoints']>>) =>
    setJson({ endpoints: { ...jsonData.endpoints, ...patch } });
  const field = (k: keyof SettingsProblems) => {
    const message = problem(k);
    return { invalid: !!message, error: message && <span className={messageStyle}>{message}</span> };
  };

  return (
    <>
      <ConfigSection
        title="Workspace"
        description="The Log Analytics workspace to query, or the plugin's built-in demo workspace."
      >
        <InlineField
          label="Built-in demo workspace"
          labelWidth={LABEL_WIDTH}
          htmlFor="config-demo"
          tooltip="Query the plugin's own Log Analytics emulator over sample DeviceNetworkEvents: no Azure, no credentials. Hides the settings it overrides."
        >
          <InlineSwitch
            id="config-demo"
            value={demo}
            onChange={(e) => setJson({ demoWorkspace: e.currentTarget.checked })}
          />
        </InlineField>
        {(!demo || badWorkspace) && (
          <>
            <InlineField
              label="Workspace ID"
              labelWidth={LABEL_WIDTH}
              htmlFor="config-workspace"
              tooltip="The workspace GUID: Workspace ID on the workspace's overview page."
              {...field('workspaceId')}
            >
              <Input
                id="config-workspace"
                width={INPUT_WIDTH}
                value={jsonData.workspaceId ?? ''}
                placeholder="xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
                onChange={(e) => setJson({ workspaceId: e.currentTarget.value.trim() })}
                onBlur={() => touch('workspaceId')}
              />
            </InlineField>
            <InlineField
              label="Additional workspaces"
              labelWidth={LABEL_WIDTH}
              htmlFor="config-additional-workspaces"
              tooltip="Optional GUIDs: every query then spans all of them. Enter adds one."
              {...field('additionalWorkspaces')}
            >
              <TagsInput
                id="config-additional-workspaces"
                width={INPUT_WIDTH}
                tags={jsonData.additionalWorkspaces ?? []}
                placeholder="GUID, Enter to add"
                addOnBlur
                onChange={(w) => {
                  touch('additionalWorkspaces');
                  setJson({ additionalWorkspaces: w.map((x) => x.trim()).filter((x) => x !== '') });
                }}
              />
            </InlineField>
          </>
        )}
        <InlineField
          label="Query timeout (seconds)"
          labelWidth={LABEL_WIDTH}
          htmlFor="config-timeout"
          tooltip={`The time a query's requests to Log Analytics have, all of them together (each sent with what is left as Prefer: wait=N and its deadline); ${LIMITS.queryTimeoutSeconds.min} to ${LIMITS.queryTimeoutSeconds.max}.`}
          {...field('queryTimeoutSeconds')}
        >
          <NumberBox
            id="config-timeout"
            width={12}
            value={jsonData.queryTimeoutSeconds}
            placeholder={String(LIMITS.queryTimeoutSeconds.default)}
            invalid={!!problem('queryTimeoutSeconds')}
            onChange={(v) => setJson({ queryTimeoutSeconds: v })}
            onBlur={() => touch('queryTimeoutSeconds')}
          />
        </InlineField>
      </ConfigSection>
      {!demo && (
        <>
          <Divider />
          <ConfigSection title="Authentication" description="How the plugin signs in to Azure.">
            <InlineField label="Azure cloud" labelWidth={LABEL_WIDTH} htmlFor="config-cloud">
              {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
              <Select<AzureCloud>
                inputId="config-cloud"
                width={INPUT_WIDTH}
                options={CLOUDS}
                value={cloud}
                onChange={(v) => setCreds({ azureCloud: v.value })}
              />
            </InlineField>
            <InlineField label="Authentication" labelWidth={LABEL_WIDTH} htmlFor="config-auth-type">
              {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
              <Select<AuthType>
                inputId="config-auth-type"
                width={INPUT_WIDTH}
                options={AUTH_TYPES}
                value={authType}
                onChange={(v) => setCreds({ authType: v.value })}
              />
            </InlineField>
            {authType !== 'msi' && (
              <InlineField label="Directory (tenant) ID" labelWidth={LABEL_WIDTH} htmlFor="config-tenant">
                <Input
                  id="config-tenant"
                  width={INPUT_WIDTH}
                  value={creds.tenantId ?? ''}
                  onChange={(e) => setCreds({ tenantId: e.currentTarget.value.trim() })}
                />
              </InlineField>
            )}
            <InlineField
              label="Application (client) ID"
              labelWidth={LABEL_WIDTH}
              htmlFor="config-client"
              tooltip={authType === 'clientsecret' ? undefined : 'Optional: picks a user-assigned identity.'}
            >
              <Input
                id="config-client"
                width={INPUT_WIDTH}
                value={creds.clientId ?? ''}
                onChange={(e) => setCreds({ clientId: e.currentTarget.value.trim() })}
              />
            </InlineField>
            {authType === 'clientsecret' && (
              <InlineField label="Client secret" labelWidth={LABEL_WIDTH} htmlFor="config-secret">
                <SecretInput
                  id="config-secret"
                  width={INPUT_WIDTH}
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
              </InlineField>
            )}
            {cloud === 'AzureCustomizedCloud' && (
              <ConfigSubSection
                title="Endpoints"
                description="Only for sovereign or private clouds and stand-ins; the built-in clouds use Azure's."
              >
                <InlineField
                  label="Log Analytics endpoint"
                  labelWidth={LABEL_WIDTH}
                  htmlFor="config-endpoint"
                  tooltip="The query API base including /v1."
                  {...field('logAnalytics')}
                >
                  <Input
                    id="config-endpoint"
                    width={INPUT_WIDTH}
                    placeholder="https://host:port/v1"
                    value={jsonData.endpoints?.logAnalytics ?? ''}
                    onChange={(e) => setEndpoints({ logAnalytics: e.currentTarget.value.trim() })}
                    onBlur={() => touch('logAnalytics')}
                  />
                </InlineField>
                {authType !== 'msi' && (
                  <InlineField
                    label="Authority"
                    labelWidth={LABEL_WIDTH}
                    htmlFor="config-authority"
                    tooltip="The Entra ID authority host."
                    {...field('authority')}
                  >
                    <Input
                      id="config-authority"
                      width={INPUT_WIDTH}
                      placeholder="https://host:port/"
                      value={jsonData.endpoints?.authority ?? ''}
                      onChange={(e) => setEndpoints({ authority: e.currentTarget.value.trim() })}
                      onBlur={() => touch('authority')}
                    />
                  </InlineField>
                )}
                {/* Read only for the custom cloud (pkg/azureauth ResolveTarget); the others have their own. */}
                <InlineField
                  label="Token audience"
                  labelWidth={LABEL_WIDTH}
                  htmlFor="config-audience"
                  tooltip="Optional: the audience of the access token; default https://api.loganalytics.io."
                  {...field('audience')}
                >
                  <Input
                    id="config-audience"
                    width={INPUT_WIDTH}
                    placeholder="https://api.loganalytics.io"
                    value={jsonData.endpoints?.audience ?? ''}
                    onChange={(e) => setEndpoints({ audience: e.currentTarget.value.trim() })}
                    onBlur={() => touch('audience')}
                  />
                </InlineField>
              </ConfigSubSection>
            )}
          </ConfigSection>
        </>
      )}
    </>
  );
}
