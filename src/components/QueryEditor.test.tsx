import React from 'react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';

import { LastRun, QueryEditor } from './QueryEditor';
import { QUERY_DEFAULTS } from '../defaults';
import { fakeDataSource, Host } from '../testing/editors';
import { KqlHuntQuery } from '../types';

// Monaco does not run in jsdom: a textarea with the same contract (blur saves, Shift+Enter runs). The real
// editor is exercised in the browser suite (browser/).
jest.mock('./KqlEditor', () => ({
  KqlArea: ({ id, children }: { id: string; children: React.ReactNode }) => <div id={id}>{children}</div>,
  KqlEditor: (p: { value: string; onBlur: (v: string) => void; onRun: (v: string) => void }) => (
    <textarea
      aria-label="KQL query"
      defaultValue={p.value}
      onBlur={(e) => p.onBlur(e.currentTarget.value)}
      onKeyDown={(e) => e.shiftKey && e.key === 'Enter' && p.onRun(e.currentTarget.value)}
    />
  ),
}));

/** Lets the resource promises settle. */
const settle = () => act(async () => {});

async function setup(initial: Partial<KqlHuntQuery>, demo = false) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const datasource = fakeDataSource(demo);
  render(
    <Host
      initial={{ refId: 'A', ...initial }}
      onChange={onChange}
      onRunQuery={onRunQuery}
      datasource={datasource}
      Editor={QueryEditor}
    />
  );
  const last = () => onChange.mock.lastCall?.[0] as KqlHuntQuery;
  await settle();
  return { onChange, onRunQuery, datasource, last };
}

const byId = (id: string) => document.querySelector(`#${id}`) as HTMLInputElement;

describe('field picker, with the keyboard', () => {
  const type = async (text: string) => {
    const input = byId('query-fields');
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: text } });
    return input;
  };

  it.each([
    ['Remote', [], 'RemoteIP'],
    ['Name', [], 'DeviceName'],
    ['Name', ['ArrowDown'], 'InitiatingProcessAccountName'],
    ['Name', ['ArrowDown', 'ArrowDown', 'ArrowUp'], 'InitiatingProcessAccountName'],
  ])('typing %j then %j and Enter picks %s, once', async (text, arrows, want) => {
    const { onChange, onRunQuery, last } = await setup({ queryType: 'anomaly', field: '' });
    await settle();
    const input = await type(text);
    for (const key of arrows) {
      fireEvent.keyDown(input, { key });
    }
    onChange.mockClear();
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(last()).toMatchObject({ field: want });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('Tab picks the highlighted match too', async () => {
    const { onChange, last } = await setup({ queryType: 'anomaly', field: '' });
    await settle();
    const input = await type('Port');
    onChange.mockClear();
    fireEvent.keyDown(input, { key: 'Tab' });
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(last()).toMatchObject({ field: 'RemotePort' });
  });

  it('a second pick scores several fields; a name not in the list is taken as typed', async () => {
    const { last } = await setup({ queryType: 'anomaly' });
    await settle();
    let input = await type('Remote');
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(last()).toMatchObject({ fields: ['InitiatingProcessFileName', 'RemoteIP'], field: undefined });
    input = await type('MyColumn');
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(last().fields).toEqual(['InitiatingProcessFileName', 'RemoteIP', 'MyColumn']);
  });

  it('fields are offered from POST fields with the query, its mode, workspaces and range', async () => {
    const { datasource } = await setup({ queryType: 'anomaly', kql: 'T | take 1', timeRangeMode: 'query' });
    await settle();
    expect(datasource.queryFields).toHaveBeenCalledWith(
      expect.objectContaining({ kql: 'T | take 1', timeRangeMode: 'query', workspaces: [] })
    );
  });
});

describe('one run policy', () => {
  it('typing never runs; leaving the box runs once; leaving it again does not', async () => {
    const { onChange, onRunQuery, last } = await setup({ queryType: 'anomaly' });
    await settle();
    const box = byId('query-contamination');
    for (const v of ['0', '0.', '0.0', '0.05']) {
      fireEvent.change(box, { target: { value: v } });
    }
    expect(onChange).toHaveBeenCalledTimes(4);
    expect(box.value).toBe('0.05');
    expect(last().contamination).toBe(0.05);
    expect(onRunQuery).not.toHaveBeenCalled();
    fireEvent.blur(box);
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    fireEvent.blur(box);
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('a pick runs once', async () => {
    const { onRunQuery, last } = await setup({ queryType: 'anomaly' });
    await settle();
    fireEvent.click(screen.getByText('Frequency'));
    expect(last().encoding).toBe('frequency');
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('the KQL runs on blur when changed, and on Shift+Enter even unchanged', async () => {
    const { onRunQuery, last } = await setup({ queryType: 'kql' });
    const kql = screen.getByLabelText('KQL query');
    fireEvent.blur(kql);
    expect(onRunQuery).not.toHaveBeenCalled();
    fireEvent.change(kql, { target: { value: 'T | take 5' } });
    fireEvent.blur(kql);
    expect(last().kql).toBe('T | take 5');
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(kql, { key: 'Enter', shiftKey: true });
    expect(onRunQuery).toHaveBeenCalledTimes(2);
  });

  it('an empty KQL is not run and says why', async () => {
    const { onRunQuery } = await setup({ queryType: 'kql' });
    const kql = screen.getByLabelText('KQL query');
    fireEvent.change(kql, { target: { value: '  ' } });
    fireEvent.blur(kql);
    fireEvent.keyDown(kql, { key: 'Enter', shiftKey: true });
    expect(onRunQuery).not.toHaveBeenCalled();
    expect(
      screen.getByText('the KQL query is empty: write a query, e.g. DeviceNetworkEvents | take 10')
    ).toBeInTheDocument();
  });

  it('switching to Pivot picks a pivot and runs a complete query once', async () => {
    const { onRunQuery, last } = await setup({ queryType: 'anomaly' });
    await settle();
    fireEvent.click(screen.getByText('Pivot'));
    expect(last()).toMatchObject({ queryType: 'pivot', pivot: 'parent-process' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    await settle();
    expect(screen.queryByText(/pivot is not set/)).toBeNull();
  });
});

describe('validation in place', () => {
  it.each([
    ['query-contamination', '0.7', 'contamination 0.7 is not valid: use "auto" or a number in (0, 0.5], e.g. 0.01'],
    ['query-contamination', 'lots', 'contamination "lots" is not valid: use "auto" or a number in (0, 0.5], e.g. 0.01'],
    ['query-contamination', '0', 'contamination 0 is not valid: use "auto" or a number in (0, 0.5], e.g. 0.01'],
    ['query-topn', '0', 'topN 0 is not valid: use a whole number from 1 to 10000 (default 10)'],
    ['query-topn', '2.5', 'topN 2.5 is not valid: use a whole number from 1 to 10000 (default 10)'],
    ['query-nestimators', '10001', 'nEstimators 10001 is not valid: use a whole number from 1 to 10000 (default 100)'],
    [
      'query-maxsamples',
      '1.5',
      'maxSamples 1.5 is not valid: use "auto", a whole number of rows (e.g. 256) or a fraction in (0, 1]',
    ],
    ['query-randomstate', '-1', 'randomState -1 is not valid: use a whole number from 0 to 4294967295 (default 42)'],
  ])('%s = %j: %s, and the query does not run', async (id, value, message) => {
    const { onRunQuery } = await setup({ queryType: 'anomaly', output: 'top' });
    await settle();
    if (!byId(id)) {
      fireEvent.click(screen.getByText('Forest and rows'));
    }
    fireEvent.change(byId(id), { target: { value } });
    fireEvent.blur(byId(id));
    expect(screen.getByText(message)).toBeInTheDocument();
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('"auto" is a valid contamination, kept as the string', async () => {
    const { onRunQuery, last } = await setup({ queryType: 'anomaly' });
    await settle();
    fireEvent.change(byId('query-contamination'), { target: { value: 'auto' } });
    fireEvent.blur(byId('query-contamination'));
    expect(last().contamination).toBe('auto');
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('a cleared Top N is absent (the default), not 0', async () => {
    const { onRunQuery, last } = await setup({ queryType: 'anomaly', output: 'top', topN: 5 });
    await settle();
    fireEvent.change(byId('query-topn'), { target: { value: '' } });
    fireEvent.blur(byId('query-topn'));
    expect(last().topN).toBeUndefined();
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('a lookback that is not a timespan', async () => {
    const { onRunQuery } = await setup({ queryType: 'pivot', pivot: 'temp-folder' });
    await settle();
    fireEvent.change(byId('query-lookback'), { target: { value: '7 days' } });
    fireEvent.blur(byId('query-lookback'));
    expect(screen.getByText('lookback "7 days" is not a KQL timespan: use e.g. 7d, 12h or 30m')).toBeInTheDocument();
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('a workspace that is not a GUID', async () => {
    const { onRunQuery } = await setup({ queryType: 'kql' });
    await settle();
    const input = byId('query-workspaces');
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: 'not-a-guid' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByText(/workspace "not-a-guid" is not a workspace ID/)).toBeInTheDocument();
    expect(onRunQuery).not.toHaveBeenCalled();
  });
});

describe('workspaces', () => {
  it('offers the datasource workspaces and writes the picked ones', async () => {
    const { last, onRunQuery } = await setup({ queryType: 'kql' });
    await settle();
    const input = byId('query-workspaces');
    fireEvent.focus(input);
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(last().workspaces).toEqual(['66666666-7777-8888-9999-000000000000']);
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('are hidden for the demo workspace, which ignores them', async () => {
    const { datasource } = await setup({ queryType: 'kql' }, true);
    await settle();
    expect(byId('query-workspaces')).toBeNull();
    expect(datasource.listWorkspaces).not.toHaveBeenCalled();
  });
});

describe('time filter hint', () => {
  const title = 'This KQL has its own time filter';
  it('shows when the KQL filters time itself in Dashboard mode', async () => {
    await setup({ queryType: 'kql', kql: 'T | where TimeGenerated >= ago(1d)' });
    expect(screen.getByText(title)).toBeInTheDocument();
  });
  it('not for the default KQL, nor in Query mode', async () => {
    await setup({ queryType: 'kql', kql: QUERY_DEFAULTS.kql });
    expect(screen.queryByText(title)).toBeNull();
  });
  it('not in Query mode', async () => {
    await setup({ queryType: 'kql', kql: 'T | where TimeGenerated >= ago(1d)', timeRangeMode: 'query' });
    expect(screen.queryByText(title)).toBeNull();
  });
});

describe('pivot', () => {
  it('lists GET pivots and takes values with commas as tags', async () => {
    const { last, onRunQuery } = await setup({ queryType: 'pivot', pivot: 'parent-process' });
    await settle();
    const values = byId('query-values');
    fireEvent.change(values, { target: { value: 'Acme, Inc. updater.exe' } });
    fireEvent.keyDown(values, { key: 'Enter' });
    expect(last().values).toEqual(['Acme, Inc. updater.exe']);
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    // Process names longer than 50 characters (TagsInput's limit) are taken too.
    const long = 'Contoso.Enterprise.Endpoint.Telemetry.Uploader.Service.exe';
    fireEvent.change(values, { target: { value: long } });
    fireEvent.keyDown(values, { key: 'Enter' });
    expect(last().values).toEqual(['Acme, Inc. updater.exe', long]);
    fireEvent.keyDown(values, { key: 'Backspace' });
    expect(last().values).toEqual(['Acme, Inc. updater.exe']);
    expect(onRunQuery).toHaveBeenCalledTimes(3);
    expect(screen.queryByLabelText('KQL query')).toBeNull();
    const pivot = byId('query-pivot');
    fireEvent.focus(pivot);
    fireEvent.keyDown(pivot, { key: 'ArrowDown' });
    const menu = await screen.findByLabelText('Select options menu');
    fireEvent.click(within(menu).getByText('Temp folder'));
    expect(last().pivot).toBe('temp-folder');
    expect(onRunQuery).toHaveBeenCalledTimes(4);
  });
});

describe('advanced options', () => {
  it('are collapsed, and rowOrder and aggregate explain themselves', async () => {
    const { last } = await setup({ queryType: 'anomaly' });
    await settle();
    expect(byId('query-nestimators')).toBeNull();
    fireEvent.click(screen.getByText('Forest and rows'));
    expect(byId('query-nestimators')).not.toBeNull();
    expect(screen.getByText(/never on the order Log Analytics returns them in/)).toBeInTheDocument();
    fireEvent.click(screen.getByText('Always'));
    expect(last().aggregate).toBe('always');
    await waitFor(() => expect(screen.getByText(/score the counts/)).toBeInTheDocument());
  });
});

describe('last run', () => {
  it('shows how the backend scored the last result, from the frame meta', async () => {
    const { rerender } = render(<LastRun meta={{ rowOrder: 'canonical', aggregate: 'counts' }} />);
    expect(
      screen.getByText('Last run: rows scored in canonical order, from counts made by Log Analytics.')
    ).toBeInTheDocument();
    rerender(<LastRun meta={{ rowOrder: 'asReturned' }} />);
    expect(screen.getByText('Last run: rows scored in the order returned.')).toBeInTheDocument();
    rerender(<LastRun meta={undefined} />);
    expect(screen.queryByText(/Last run/)).toBeNull();
  });
});

describe('search', () => {
  it('a changed search value runs the query once, on blur', async () => {
    const { onRunQuery, last } = await setup({ queryType: 'anomaly', search: { column: 'DeviceName', value: 'a' } });
    await settle();
    const box = byId('query-search-value');
    fireEvent.change(box, { target: { value: 'b' } });
    expect(onRunQuery).not.toHaveBeenCalled();
    fireEvent.blur(box);
    expect(last().search).toEqual({ column: 'DeviceName', value: 'b' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    fireEvent.blur(box);
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });
});

describe('a saved query with null keys', () => {
  const nulls = {
    kql: null,
    field: null,
    fields: null,
    values: null,
    workspaces: null,
    search: { column: null, value: 'x', mode: null },
    pivot: null,
    lookback: null,
    contamination: null,
    nEstimators: null,
    maxSamples: null,
    randomState: null,
    topN: null,
    output: null,
  } as unknown as Partial<KqlHuntQuery>;

  it('renders, reading null as absent: the search without a column says so, nothing else', async () => {
    const { onRunQuery } = await setup({ queryType: 'anomaly', ...nulls });
    await settle();
    expect(screen.getByText('search needs a column: set search.column to the column to search in')).toBeInTheDocument();
    expect(screen.queryByText(/null/)).toBeNull();
    expect(byId('query-contamination').value).toBe('');
    fireEvent.click(screen.getByText('Frequency'));
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('a null contamination is the default, not "null is not valid", and the query runs', async () => {
    const { onRunQuery, last } = await setup({ queryType: 'anomaly', contamination: null } as unknown as KqlHuntQuery);
    await settle();
    expect(screen.queryByText(/is not valid/)).toBeNull();
    fireEvent.click(screen.getByText('Frequency'));
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    expect(last()).not.toHaveProperty('contamination');
  });
});

describe('switching the query type', () => {
  it('to KQL drops the hidden output "values", which the backend would honour there', async () => {
    const { last, onRunQuery } = await setup({ queryType: 'anomaly', output: 'values', field: 'RemoteIP' });
    await settle();
    fireEvent.click(within(screen.getByRole('radiogroup', { name: 'Query type' })).getByText('KQL'));
    expect(last().queryType).toBe('kql');
    expect(last().output).toBeUndefined();
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('keeps an output the backend ignores on kql, for a switch back', async () => {
    const { last } = await setup({ queryType: 'anomaly', output: 'top' });
    await settle();
    fireEvent.click(within(screen.getByRole('radiogroup', { name: 'Query type' })).getByText('KQL'));
    expect(last()).toMatchObject({ queryType: 'kql', output: 'top' });
    fireEvent.click(screen.getByText('Anomalies'));
    expect(last()).toMatchObject({ queryType: 'anomaly', output: 'top' });
  });
});

describe('pivot and the anomaly options', () => {
  const message = 'contamination 0.9 is not valid: use "auto" or a number in (0, 0.5], e.g. 0.01';

  it('without values, shows the anomaly options that stop it, and does not run', async () => {
    const { onRunQuery } = await setup({ queryType: 'pivot', pivot: 'parent-process', contamination: 0.9, field: '' });
    await settle();
    expect(screen.getByText('The anomaly options stop this pivot from running')).toBeInTheDocument();
    expect(screen.getByText(new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))).toBeInTheDocument();
    expect(screen.getByText(/field is empty: name the column to score/)).toBeInTheDocument();
    const lookback = byId('query-lookback');
    fireEvent.change(lookback, { target: { value: '3d' } });
    fireEvent.blur(lookback);
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('with values, ignores them, as the backend does, and runs', async () => {
    const { onRunQuery } = await setup({
      queryType: 'pivot',
      pivot: 'parent-process',
      values: ['x.exe'],
      contamination: 0.9,
      field: '',
    });
    await settle();
    expect(screen.queryByText('The anomaly options stop this pivot from running')).toBeNull();
    const lookback = byId('query-lookback');
    fireEvent.change(lookback, { target: { value: '3d' } });
    fireEvent.blur(lookback);
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });
});
