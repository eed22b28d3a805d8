import { anomalyProblems, parseNumberText, validateQuery, validateSettings, parseMaxSamplesText } from './validation';
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

  it('a pivot on given values checks only its pivot keys; without values, the anomaly keys too', () => {
    const hidden = { queryType: 'pivot' as const, pivot: 'p', contamination: 0.9, field: '', maxSamples: 0 };
    expect(validateQuery({ refId: 'A', ...hidden, values: ['x.exe'] }, ['p'])).toEqual({});
    const p = validateQuery({ refId: 'A', ...hidden }, ['p']);
    expect(anomalyProblems(p)).toEqual([
      'field is empty: name the column to score, e.g. "InitiatingProcessFileName"',
      'contamination 0.9 is not valid: use "auto" or a number in (0, 0.5], e.g. 0.01',
      'maxSamples 0 is not valid: use "auto", a whole number of rows (e.g. 256) or a fraction in (0, 1]; a row count is at least 1 and at most 2147483647',
    ]);
    expect(validateQuery({ refId: 'A', ...hidden, values: ['x.exe'], lookback: '7 days' }, ['p'])).toEqual({
      lookback: 'lookback "7 days" is not a KQL timespan: use e.g. 7d, 12h or 30m',
    });
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
  it('checks the timeout and the workspaces even for the demo, as Save & test does, and nothing else', () => {
    expect(
      validateSettings({
        demoWorkspace: true,
        queryTimeoutSeconds: 0,
        workspaceId: 'x',
        additionalWorkspaces: ['y'],
        azureCredentials: { azureCloud: 'AzureCustomizedCloud' },
      })
    ).toEqual({
      queryTimeoutSeconds:
        'jsonData.queryTimeoutSeconds is 0: use a whole number of seconds from 1 to 600 (default 180)',
      workspaceId:
        'workspace "x" is not a workspace ID: use the workspace\'s GUID (e.g. 11111111-2222-3333-4444-555555555555), not its name or resource ID',
      additionalWorkspaces:
        'workspace "y" is not a workspace ID: use the workspace\'s GUID (e.g. 11111111-2222-3333-4444-555555555555), not its name or resource ID',
    });
    expect(validateSettings({ demoWorkspace: true, workspaceId: ' ', additionalWorkspaces: [' '] })).toEqual({});
    expect(validateSettings({ demoWorkspace: true, workspaceId: ws })).toEqual({});
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

describe('maxSamples as the backend reads it (parseMaxSamples)', () => {
  const problem = (maxSamples: number | string) => anomaly({ maxSamples }).maxSamples;
  it.each([256, 1, 2147483647, 0.5, 1e-3, 'auto', ' auto ', '256', ' 256 ', '1.0', '0.5', '1e-3', '5e-1'])(
    '%j is valid',
    (v) => {
      expect(problem(v)).toBeUndefined();
    }
  );
  it.each([
    [2147483648, 'maxSamples 2147483648 is not valid', 'a row count is at least 1 and at most 2147483647'],
    ['2147483648', 'maxSamples "2147483648" is not valid', 'at most 2147483647'],
    [0, 'maxSamples 0 is not valid', 'a row count is at least 1'],
    [-5, 'maxSamples -5 is not valid', 'a row count is at least 1'],
    ['0', 'maxSamples "0" is not valid', 'a row count is at least 1'],
    [1.5, 'maxSamples 1.5 is not valid', 'a fraction in (0, 1]'],
    ['2.0', 'maxSamples "2.0" is not valid', 'a fraction in (0, 1]'],
    ['1e3', 'maxSamples "1e3" is not valid', 'a fraction in (0, 1]'],
    ['', 'maxSamples "" is not valid', 'use "auto"'],
    ['Auto', 'maxSamples "Auto" is not valid', 'use "auto"'],
    ['.5', 'maxSamples ".5" is not valid', 'use "auto"'],
    ['+5', 'maxSamples "+5" is not valid', 'use "auto"'],
    ['0x10', 'maxSamples "0x10" is not valid', 'use "auto"'],
    ['Infinity', 'maxSamples "Infinity" is not valid', 'use "auto"'],
    [Infinity, 'maxSamples Infinity is not valid', 'use "auto"'],
  ])('%j is not: %s', (v, start, rule) => {
    expect(problem(v)).toMatch(new RegExp('^' + start.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    expect(problem(v)).toContain(rule);
  });
});
