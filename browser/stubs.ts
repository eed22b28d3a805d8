import { Column, PivotInfo, WorkspacesResponse } from '../src/types';

/**
 * The backend's resources as the harness answers them: the demo table's schema (pkg/sampledata/schema.go),
 * the notebook query's result columns, two workspaces and the three pivots. Shapes as in the contract.
 */

const t = (type: string, ...names: string[]): Column[] => names.map((name) => ({ name, type }));

export const SCHEMA: Column[] = [
  ...t('datetime', 'TimeGenerated', 'Timestamp'),
  ...t('string', 'DeviceId', 'DeviceName', 'ActionType', 'LocalIP'),
  ...t('int', 'LocalPort'),
  ...t('string', 'LocalIPType', 'RemoteIP'),
  ...t('int', 'RemotePort'),
  ...t('string', 'RemoteIPType', 'RemoteUrl', 'Protocol', 'InitiatingProcessFileName', 'InitiatingProcessFolderPath'),
  ...t('string', 'InitiatingProcessCommandLine', 'InitiatingProcessParentFileName', 'InitiatingProcessAccountName'),
  ...t('string', 'InitiatingProcessAccountDomain', 'InitiatingProcessSHA1', 'InitiatingProcessMD5'),
  ...t('string', 'InitiatingProcessSHA256'),
  ...t('long', 'InitiatingProcessId', 'InitiatingProcessParentId'),
  ...t('datetime', 'InitiatingProcessCreationTime'),
  ...t('string', 'InitiatingProcessIntegrityLevel', 'InitiatingProcessTokenElevation'),
  ...t('dynamic', 'AdditionalFields'),
  ...t('long', 'ReportId'),
  ...t('string', 'TenantId', 'Type', 'SourceSystem'),
];

export const NOTEBOOK_FIELDS: Column[] = [
  ...t('datetime', 'TimeGenerated'),
  ...t('string', 'DeviceName', 'InitiatingProcessAccountName', 'InitiatingProcessFileName', 'LocalIP', 'RemoteIP'),
  ...t('int', 'RemotePort'),
];

export const WORKSPACES: WorkspacesResponse = {
  default: '11111111-2222-3333-4444-555555555555',
  additional: ['66666666-7777-8888-9999-000000000000'],
  demo: false,
};

export const PIVOTS: PivotInfo[] = [
  {
    name: 'parent-process',
    title: 'Parent process',
    description: 'Connections whose initiating process has a different parent',
    column: 'InitiatingProcessFileName',
  },
  {
    name: 'temp-folder',
    title: 'Temp folder',
    description: 'Processes started from a folder whose path contains "temp"',
    column: 'InitiatingProcessFileName',
  },
  {
    name: 'cmd-powershell',
    title: 'cmd / PowerShell',
    description: 'Command lines that call cmd or PowerShell',
    column: 'InitiatingProcessFileName',
  },
];

/** GET resources by path. */
export function getResource(path: string, params?: Record<string, string>): unknown {
  switch (path) {
    case 'workspaces':
      return WORKSPACES;
    case 'schema':
      if (params?.table !== 'DeviceNetworkEvents') {
        throw { status: 404, data: { error: `table ${JSON.stringify(params?.table)} is not in the workspace` } };
      }
      return { table: params.table, columns: SCHEMA };
    case 'pivots':
      return { pivots: PIVOTS };
  }
  throw { status: 404, data: { error: `no resource ${path}` } };
}

/** POST fields: the notebook's columns for any query with a project, the whole schema otherwise. */
export function postResource(path: string, body: { kql?: string }): unknown {
  if (path !== 'fields') {
    throw { status: 404, data: { error: `no resource ${path}` } };
  }
  return { columns: /\|\s*project\b/.test(body.kql ?? '') ? NOTEBOOK_FIELDS : SCHEMA };
}
