import React from 'react';
import { fireEvent, render } from '@testing-library/react';
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

describe('ConfigEditor', () => {
  it('writes the workspace id into jsonData.workspaceId', () => {
    const onChange = jest.fn();
    render(<ConfigEditor options={settings({})} onOptionsChange={onChange} />);
    fireEvent.change(document.querySelector('#config-workspace')!, {
      target: { value: ' 11111111-2222-3333-4444-555555555555 ' },
    });
    expect(onChange).toHaveBeenCalledWith(
      expect.objectContaining({ jsonData: { workspaceId: '11111111-2222-3333-4444-555555555555' } })
    );
  });

  it('writes the tenant into jsonData.azureCredentials and the secret into secureJsonData only', () => {
    const onChange = jest.fn();
    render(
      <ConfigEditor options={settings({ azureCredentials: { authType: 'clientsecret' } })} onOptionsChange={onChange} />
    );
    fireEvent.change(document.querySelector('#config-tenant')!, { target: { value: 'tenant-1' } });
    expect(onChange.mock.calls[0][0].jsonData.azureCredentials).toEqual({
      authType: 'clientsecret',
      tenantId: 'tenant-1',
    });
    fireEvent.change(document.querySelector('#config-secret')!, { target: { value: 's3cret' } });
    const withSecret = onChange.mock.calls[1][0];
    expect(withSecret.secureJsonData).toEqual({ azureClientSecret: 's3cret' });
    expect(JSON.stringify(withSecret.jsonData)).not.toContain('s3cret');
  });

  it('hides authentication for the demo workspace', () => {
    render(<ConfigEditor options={settings({ demoWorkspace: true })} onOptionsChange={jest.fn()} />);
    expect(document.querySelector('#config-tenant')).toBeNull();
    expect(document.querySelector('#config-secret')).toBeNull();
  });

  it('shows the endpoints only for custom clouds', () => {
    const { rerender } = render(<ConfigEditor options={settings({})} onOptionsChange={jest.fn()} />);
    expect(document.querySelector('#config-endpoint')).toBeNull();
    rerender(
      <ConfigEditor
        options={settings({ azureCredentials: { azureCloud: 'AzureCustomizedCloud' } })}
        onOptionsChange={jest.fn()}
      />
    );
    expect(document.querySelector('#config-endpoint')).not.toBeNull();
  });
});
