import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { DataSourceSettings } from '@grafana/data';

import { ConfigEditor } from './ConfigEditor';
import { KqlHuntOptions, KqlHuntSecureOptions } from '../types';

function settings(jsonData: KqlHuntOptions): DataSourceSettings<KqlHuntOptions, KqlHuntSecureOptions> {
  const s = {
    id: 1,
    uid: 'x',
    orgId: 1,
    name: 'KQL Anomaly Hunting',
    type: 'kqlhunt-anomaly-datasource',
    typeName: '',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData,
    secureJsonFields: {},
    readOnly: false,
    withCredentials: false,
  };
  return s as DataSourceSettings<KqlHuntOptions, KqlHuntSecureOptions>;
}

/** The editor as Grafana hosts it: the settings it is given are the ones it last changed. */
function Host({ initial, spy }: { initial: KqlHuntOptions; spy?: jest.Mock }) {
  const [opts, setOpts] = React.useState(settings(initial));
  return (
    <ConfigEditor
      options={opts}
      onOptionsChange={(o) => {
        spy?.(o);
        setOpts(o);
      }}
    />
  );
}

const input = (id: string) => document.querySelector(`#${id}`) as HTMLInputElement;

describe('ConfigEditor', () => {
  it('writes the workspace id into jsonData.workspaceId', () => {
    const onChange = jest.fn();
    render(<ConfigEditor options={settings({})} onOptionsChange={onChange} />);
    fireEvent.change(input('config-workspace'), { target: { value: ' 11111111-2222-3333-4444-555555555555 ' } });
    expect(onChange).toHaveBeenCalledWith(
      expect.objectContaining({ jsonData: { workspaceId: '11111111-2222-3333-4444-555555555555' } })
    );
  });

  it('writes the tenant into jsonData.azureCredentials and the secret into secureJsonData only', () => {
    const onChange = jest.fn();
    render(
      <ConfigEditor options={settings({ azureCredentials: { authType: 'clientsecret' } })} onOptionsChange={onChange} />
    );
    fireEvent.change(input('config-tenant'), { target: { value: 'tenant-1' } });
    expect(onChange.mock.calls[0][0].jsonData.azureCredentials).toEqual({
      authType: 'clientsecret',
      tenantId: 'tenant-1',
    });
    fireEvent.change(input('config-secret'), { target: { value: 's3cret' } });
    const withSecret = onChange.mock.calls[1][0];
    expect(withSecret.secureJsonData).toEqual({ azureClientSecret: 's3cret' });
    expect(JSON.stringify(withSecret.jsonData)).not.toContain('s3cret');
  });

  it('the demo switch hides the workspace and every credential, and keeps the timeout', () => {
    render(<ConfigEditor options={settings({ demoWorkspace: true })} onOptionsChange={jest.fn()} />);
    for (const id of [
      'config-workspace',
      'config-additional-workspaces',
      'config-tenant',
      'config-secret',
      'config-cloud',
      'config-audience',
    ]) {
      expect(input(id)).toBeNull();
    }
    expect(input('config-timeout')).not.toBeNull();
  });

  it.each(['AzureCloud', 'AzureChinaCloud', 'AzureUSGovernment'] as const)(
    'the endpoints and the audience, which the backend reads only for custom clouds, are hidden for %s',
    (azureCloud) => {
      render(
        <ConfigEditor
          options={settings({ azureCredentials: { azureCloud }, endpoints: { audience: 'https://aud.example' } })}
          onOptionsChange={jest.fn()}
        />
      );
      expect(input('config-endpoint')).toBeNull();
      expect(input('config-audience')).toBeNull();
      expect(screen.queryByText('Token audience')).toBeNull();
    }
  );

  it('the demo keeps showing a workspace ID that Save & test would refuse, with its message', () => {
    const message = `workspace "my-workspace" is not a workspace ID: use the workspace's GUID (e.g. 11111111-2222-3333-4444-555555555555), not its name or resource ID`;
    render(<Host initial={{ workspaceId: 'my-workspace' }} />);
    fireEvent.click(input('config-demo'));
    expect(input('config-workspace')).not.toBeNull();
    expect(screen.getByText(message)).toBeInTheDocument();
    expect(input('config-tenant')).toBeNull();
    fireEvent.change(input('config-workspace'), { target: { value: '' } });
    expect(input('config-workspace')).toBeNull();
    expect(screen.queryByText(message)).toBeNull();
  });

  it('the demo shows an additional workspace that is not a GUID, and hides valid ones', () => {
    const ws = '11111111-2222-3333-4444-555555555555';
    const { rerender } = render(
      <ConfigEditor
        options={settings({ demoWorkspace: true, workspaceId: ws, additionalWorkspaces: ['extra'] })}
        onOptionsChange={jest.fn()}
      />
    );
    expect(screen.getByText(/workspace "extra" is not a workspace ID/)).toBeInTheDocument();
    rerender(
      <ConfigEditor
        options={settings({ demoWorkspace: true, workspaceId: ws, additionalWorkspaces: [ws] })}
        onOptionsChange={jest.fn()}
      />
    );
    expect(input('config-workspace')).toBeNull();
    expect(input('config-additional-workspaces')).toBeNull();
  });

  it('shows the endpoints and the audience for custom clouds', () => {
    const { rerender } = render(<ConfigEditor options={settings({})} onOptionsChange={jest.fn()} />);
    expect(input('config-endpoint')).toBeNull();
    expect(input('config-audience')).toBeNull();
    rerender(
      <ConfigEditor
        options={settings({ azureCredentials: { azureCloud: 'AzureCustomizedCloud' } })}
        onOptionsChange={jest.fn()}
      />
    );
    expect(input('config-endpoint')).not.toBeNull();
    expect(input('config-audience')).not.toBeNull();
  });

  it('writes the audience into jsonData.endpoints.audience', () => {
    const spy = jest.fn();
    render(<Host initial={{ azureCredentials: { azureCloud: 'AzureCustomizedCloud' } }} spy={spy} />);
    fireEvent.change(input('config-audience'), { target: { value: 'https://aud.example' } });
    expect(spy).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: expect.objectContaining({ endpoints: { audience: 'https://aud.example' } }) })
    );
  });

  it.each([
    [
      'config-workspace',
      'not-a-guid',
      `workspace "not-a-guid" is not a workspace ID: use the workspace's GUID (e.g. 11111111-2222-3333-4444-555555555555), not its name or resource ID`,
    ],
    [
      'config-workspace',
      '',
      "no default workspace: set jsonData.workspaceId to the Log Analytics workspace ID (a GUID, shown as 'Workspace ID' on the workspace's overview page)",
    ],
    [
      'config-timeout',
      '900',
      'jsonData.queryTimeoutSeconds is 900: use a whole number of seconds from 1 to 600 (default 180)',
    ],
    [
      'config-timeout',
      'soon',
      'jsonData.queryTimeoutSeconds is soon: use a whole number of seconds from 1 to 600 (default 180)',
    ],
  ])('%s = %j: shows the backend message once the field is left', (id, value, message) => {
    render(<Host initial={{ workspaceId: '11111111-2222-3333-4444-555555555555' }} />);
    fireEvent.change(input(id), { target: { value } });
    expect(screen.queryByText(message)).toBeNull();
    fireEvent.blur(input(id));
    expect(screen.getByText(message)).toBeInTheDocument();
  });

  it('takes an additional workspace with Enter, and names one that is not a GUID', () => {
    const spy = jest.fn();
    render(<Host initial={{ workspaceId: '11111111-2222-3333-4444-555555555555' }} spy={spy} />);
    fireEvent.change(input('config-additional-workspaces'), { target: { value: 'my-workspace' } });
    fireEvent.keyDown(input('config-additional-workspaces'), { key: 'Enter' });
    expect(spy.mock.lastCall[0].jsonData.additionalWorkspaces).toEqual(['my-workspace']);
    expect(screen.getByText(/workspace "my-workspace" is not a workspace ID/)).toBeInTheDocument();
  });

  it('an https endpoint is required for a custom cloud', () => {
    render(
      <Host
        initial={{
          workspaceId: '11111111-2222-3333-4444-555555555555',
          azureCredentials: { azureCloud: 'AzureCustomizedCloud' },
        }}
      />
    );
    fireEvent.change(input('config-endpoint'), { target: { value: 'http://la.local/v1' } });
    fireEvent.blur(input('config-endpoint'));
    expect(
      screen.getByText(
        'jsonData.endpoints.logAnalytics must use https (Azure sends credentials only over TLS), not "http"'
      )
    ).toBeInTheDocument();
  });
});
