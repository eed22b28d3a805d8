import React from 'react';

import { DataSource } from '../datasource';
import { Column, KqlHuntQuery, PivotInfo, WorkspacesResponse } from '../types';

/** The columns POST fields answers for the notebook's query, in its order. */
export const NOTEBOOK_COLUMNS: Column[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'DeviceName', type: 'string' },
  { name: 'InitiatingProcessAccountName', type: 'string' },
  { name: 'InitiatingProcessFileName', type: 'string' },
  { name: 'LocalIP', type: 'string' },
  { name: 'RemoteIP', type: 'string' },
  { name: 'RemotePort', type: 'int' },
];

export const PIVOTS: PivotInfo[] = [
  {
    name: 'parent-process',
    title: 'Parent process',
    description: 'Parent differs',
    column: 'InitiatingProcessFileName',
  },
  { name: 'temp-folder', title: 'Temp folder', description: 'From a temp folder', column: 'InitiatingProcessFileName' },
  { name: 'cmd-powershell', title: 'cmd / PowerShell', description: 'Shells', column: 'InitiatingProcessFileName' },
];

export const WORKSPACES: WorkspacesResponse = {
  default: '11111111-2222-3333-4444-555555555555',
  additional: ['66666666-7777-8888-9999-000000000000'],
  demo: false,
};

/** A datasource whose resources answer at once from the constants above. */
export function fakeDataSource(demo = false): DataSource {
  return {
    demo,
    listPivots: jest.fn(async () => PIVOTS),
    listWorkspaces: jest.fn(async () => WORKSPACES),
    tableSchema: jest.fn(async () => NOTEBOOK_COLUMNS),
    queryFields: jest.fn(async () => NOTEBOOK_COLUMNS),
  } as unknown as DataSource;
}

/**
 * Hosts an editor as Grafana does: the query it gets is the one it last changed, and every change and run
 * is recorded for the test to count.
 */
export function Host({
  initial,
  onChange,
  onRunQuery,
  datasource,
  Editor,
}: {
  initial: KqlHuntQuery;
  onChange: jest.Mock;
  onRunQuery: jest.Mock;
  datasource: DataSource;
  Editor: React.ComponentType<any>;
}) {
  const [query, setQuery] = React.useState(initial);
  return (
    <Editor
      datasource={datasource}
      query={query}
      onChange={(q: KqlHuntQuery) => {
        onChange(q);
        setQuery(q);
      }}
      onRunQuery={onRunQuery}
    />
  );
}
