import { parseNumberText, validateQuery, validateSettings, parseMaxSamplesText } from './validation';
import { KqlHuntQuery } from './types';

const anomaly = (q: Partial<KqlHuntQuery>) => validateQuery({ refId: 'A', queryType: 'anomaly', ...q });

describe('parseNumberText', () => {
  it.each([
    ['', undefined],
    ['  ', undefined],
    ['0.05', 0.05],
    ['0.', 0],
    ['.5', 0.5],
    ['1e-2', 0.01],
    ['-3', -3],
    ['auto', 'auto'],
    ['lots', 'lots'],
    ['1,5', '1,5'],
    ['0x10', '0x10'],
  ])('%j -> %j', (text, want) => {
    expect(parseNumberText(text)).toBe(want);
  });
});

describe('validateQuery', () => {
  it('accepts the defaults and every valid value', () => {
    expect(anomaly({})).toEqual({});
    expect(anomaly({ contamination: 'auto', maxSamples: 'auto' })).toEqual({});
    expect(
      anomaly({ contamination: 0.5, nEstimators: 10000, maxSamples: 256, randomState: 4294967295, topN: 1 })
    ).toEqual({});
    expect(anomaly({ maxSamples: 0.25, randomState: 0 })).toEqual({});
    expect(anomaly({ fields: ['A', 'B'], field: '' })).toEqual({});
  });

  it.each([
    [{ contamination: 0.5000001 }, 'contamination', 'contamination 0.5000001 is not valid'],
    [{ contamination: -0.1 }, 'contamination', 'contamination -0.1 is not valid'],
    [{ nEstimators: 0 }, 'nEstimators', 'nEstimators 0 is not valid: use a whole number from 1 to 10000 (default 100)'],
    [{ nEstimators: 'many' }, 'nEstimators', 'nEstimators "many" is not valid'],
    [{ maxSamples: 0 }, 'maxSamples', 'maxSamples 0 is not valid'],
    [{ maxSamples: 'half' }, 'maxSamples', 'maxSamples "half" is not valid'],
    [{ randomState: 4294967296 }, 'randomState', 'randomState 4294967296 is not valid'],
    [{ randomState: 1.5 }, 'randomState', 'randomState 1.5 is not valid'],
    [{ topN: 10001 }, 'topN', 'topN 10001 is not valid'],
    [{ field: ' ' }, 'field', 'field is empty: name the column to score, e.g. "InitiatingProcessFileName"'],
    [{ kql: '' }, 'kql', 'the KQL query is empty'],
    [{ search: { column: '', value: 'x' } }, 'search', 'search needs a column'],
    [{ workspaces: ['ws-name'] }, 'workspaces', 'workspace "ws-name" is not a workspace ID'],
  ])('%j: %s', (q, key, message) => {
    const p = anomaly(q as Partial<KqlHuntQuery>);
    expect(Object.keys(p)).toEqual([key]);
    expect(p[key as keyof typeof p]).toContain(message);
  });

  it('leaves values with a template variable to the backend, after Grafana replaced them', () => {
    expect(anomaly({ workspaces: ['$ws'] })).toEqual({});
    expect(validateQuery({ refId: 'A', queryType: 'pivot', pivot: '$pivot', lookback: '$lookback' }, ['a'])).toEqual(
      {}
    );
  });

  it('checks only what the query type uses', () => {
    expect(validateQuery({ refId: 'A', queryType: 'kql', contamination: 0.9 })).toEqual({});
    expect(validateQuery({ refId: 'A', queryType: 'pivot', pivot: 'p', values: ['x'], kql: '' }, ['p'])).toEqual({});
  });

  it('names the pivots when the pivot is missing or unknown', () => {
    expect(validateQuery({ refId: 'A', queryType: 'pivot' }, ['a', 'b']).pivot).toBe('pivot is not set: use "a", "b"');
    expect(validateQuery({ refId: 'A', queryType: 'pivot', pivot: 'c' }, ['a', 'b']).pivot).toBe(
      'pivot "c" is not known: use "a", "b"'
    );
    expect(validateQuery({ refId: 'A', queryType: 'pivot', pivot: 'p', lookback: '7 days' }, ['p']).lookback).toBe(
      'lookback "7 days" is not a KQL timespan: use e.g. 7d, 12h or 30m'
    );
  });
});

describe('validateSettings', () => {
  const ws = '11111111-2222-3333-4444-555555555555';
  it('accepts a complete configuration and the demo', () => {
    expect(validateSettings({ workspaceId: ws, additionalWorkspaces: [ws], queryTimeoutSeconds: 600 })).toEqual({});
    expect(validateSettings({ demoWorkspace: true })).toEqual({});
  });
  it('checks the timeout even for the demo, and nothing it overrides', () => {
    expect(validateSettings({ demoWorkspace: true, queryTimeoutSeconds: 0, workspaceId: 'x' })).toEqual({
      queryTimeoutSeconds:
        'jsonData.queryTimeoutSeconds is 0: use a whole number of seconds from 1 to 600 (default 180)',
    });
  });
  it('checks endpoints only for custom clouds, as the backend reads them', () => {
    const custom = { workspaceId: ws, azureCredentials: { azureCloud: 'AzureCustomizedCloud' as const } };
    expect(validateSettings({ workspaceId: ws, endpoints: { audience: 'api://x' } })).toEqual({});
    expect(
      validateSettings({
        ...custom,
        endpoints: { logAnalytics: 'https://la/v1', authority: 'https://a/', audience: 'x' },
      })
    ).toEqual({
      audience: 'jsonData.endpoints.audience is not a URL: use an https URL such as https://host:port/',
    });
    expect(validateSettings(custom)).toEqual({
      logAnalytics:
        'the Azure cloud is AzureCustomizedCloud, so jsonData.endpoints.logAnalytics must be set (an https URL)',
      authority: 'the Azure cloud is AzureCustomizedCloud, so jsonData.endpoints.authority must be set (an https URL)',
    });
    expect(
      validateSettings({
        ...custom,
        azureCredentials: { azureCloud: 'AzureCustomizedCloud', authType: 'msi' },
        endpoints: { logAnalytics: 'https://la/v1' },
      })
    ).toEqual({});
  });
});

describe('maxSamples written as a fraction', () => {
  it('keeps "1.0" as text so that it reaches the backend as a fraction, not one row', () => {
    expect(parseMaxSamplesText('1.0')).toBe('1.0');
    expect(parseMaxSamplesText(' 1e0 ')).toBe('1e0');
    expect(parseMaxSamplesText('256')).toBe(256);
    expect(parseMaxSamplesText('0.5')).toBe(0.5);
    expect(parseMaxSamplesText('')).toBeUndefined();
    expect(validateQuery({ refId: 'A', queryType: 'anomaly', maxSamples: '1.0' }).maxSamples).toBeUndefined();
    expect(validateQuery({ refId: 'A', queryType: 'anomaly', maxSamples: '2.0' }).maxSamples).toMatch(
      /maxSamples "2.0" is not valid/
    );
  });
});
