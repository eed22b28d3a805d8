import { DataQueryRequest, DataQueryResponse, DataSourceInstanceSettings, LoadingState } from '@grafana/data';
import { setTemplateSrv } from '@grafana/runtime';
import { firstValueFrom, Observable } from 'rxjs';

import { DataSource } from './datasource';
import { fakeTemplateSrv } from './testing/fakeTemplateSrv';
import { KqlHuntOptions, KqlHuntQuery } from './types';

function datasource(jsonData: KqlHuntOptions = {}) {
  return new DataSource({
    id: 1,
    uid: 'ds',
    type: 'kqlhunt-anomaly-datasource',
    name: 'KQL',
    jsonData,
    meta: {},
    access: 'proxy',
    readOnly: false,
  } as unknown as DataSourceInstanceSettings<KqlHuntOptions>);
}

beforeEach(() => {
  setTemplateSrv(
    fakeTemplateSrv([
      { name: 'process', current: ['a.exe', 'b "c".exe'], multi: true },
      { name: 'col', current: ['A', 'B'], multi: true },
    ])
  );
});

describe('DataSource', () => {
  it('interpolates every key as the backend needs it', () => {
    const q = datasource().applyTemplateVariables(
      {
        refId: 'A',
        kql: 'T | where P in ($process)',
        values: ['$process'],
        search: { column: 'P', value: '$process' },
      },
      {}
    );
    expect(q.kql).toBe('T | where P in ("a.exe", "b \\"c\\".exe")');
    expect(q.values).toEqual(['a.exe', 'b "c".exe']);
    expect(q.search?.value).toBe('(?:a\\.exe|b "c"\\.exe)');
  });

  it('a variable that cannot be interpolated is the panel error, not an exception', async () => {
    const request = {
      targets: [{ refId: 'A', queryType: 'anomaly', field: '$col' }],
      scopedVars: {},
    } as unknown as DataQueryRequest<KqlHuntQuery>;
    const res = await firstValueFrom(datasource().query(request) as Observable<DataQueryResponse>);
    expect(res.state).toBe(LoadingState.Error);
    expect(res.errors?.[0].message).toBe(
      'field: "$col" gives 2 values ("A", "B"); put a multi-value variable in fields, one column per value'
    );
  });

  it('reads null keys as absent, as the backend does, instead of failing the request', () => {
    const q = datasource().applyTemplateVariables(
      {
        refId: 'A',
        queryType: 'anomaly',
        kql: null,
        field: null,
        fields: ['$col', null],
        values: null,
        workspaces: null,
        search: { column: null, value: null, mode: null },
        pivot: null,
        lookback: null,
        contamination: null,
        topN: null,
      } as unknown as KqlHuntQuery,
      {}
    );
    expect(q).toEqual({ refId: 'A', queryType: 'anomaly', fields: ['A', 'B', ''], search: { column: '', value: '' } });
  });

  it('a search without a column (older saved queries) interpolates, leaving the check to the backend', () => {
    const q = datasource().applyTemplateVariables(
      { refId: 'A', queryType: 'anomaly', search: { value: '$process' } } as unknown as KqlHuntQuery,
      {}
    );
    expect(q.search).toEqual({ column: '', value: '(?:a\\.exe|b "c"\\.exe)' });
  });

  it('POST fields gets the interpolated KQL', async () => {
    const ds = datasource();
    const post = jest.spyOn(ds, 'postResource').mockResolvedValue({ columns: [{ name: 'P', type: 'string' }] });
    const cols = await ds.queryFields({
      kql: 'T | where P in ($process)',
      timeRangeMode: 'dashboard',
      workspaces: [],
      from: '1',
      to: '2',
    });
    expect(cols).toEqual([{ name: 'P', type: 'string' }]);
    expect(post).toHaveBeenCalledWith('fields', {
      kql: 'T | where P in ("a.exe", "b \\"c\\".exe")',
      timeRangeMode: 'dashboard',
      workspaces: [],
      from: '1',
      to: '2',
    });
  });

  it('asks GET pivots once, and again after a failure', async () => {
    const ds = datasource();
    const get = jest
      .spyOn(ds, 'getResource')
      .mockRejectedValueOnce({ status: 500, data: { error: 'boom' } })
      .mockResolvedValue({ pivots: [{ name: 'p', title: 'P', description: 'd', column: 'C' }] });
    await expect(ds.listPivots()).rejects.toThrow('boom');
    expect(await ds.listPivots()).toEqual([{ name: 'p', title: 'P', description: 'd', column: 'C' }]);
    await ds.listPivots();
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('knows the demo workspace from its settings', () => {
    expect(datasource({ demoWorkspace: true }).demo).toBe(true);
    expect(datasource().demo).toBe(false);
  });

  it('starts new queries on Anomalies with the default KQL', () => {
    expect(datasource().getDefaultQuery('explore' as never)).toMatchObject({ queryType: 'anomaly' });
  });
});
