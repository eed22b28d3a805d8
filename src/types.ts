import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

/** Query types; the backend treats a query without queryType as "kql". */
export type QueryType = 'kql' | 'anomaly' | 'pivot';
export type TimeRangeMode = 'dashboard' | 'query';
export type PivotName = 'parent-process' | 'temp-folder' | 'cmd-powershell';
export type AnomalyOutput = 'rows' | 'anomalies' | 'top' | 'count' | 'countByValue' | 'series';

/** The notebook's DeviceNetworkEvents query, the default for kql and anomaly queries. */
export const NOTEBOOK_KQL = `DeviceNetworkEvents
| where TimeGenerated >= ago(1d)
| where isnotempty(InitiatingProcessFileName)
| where ActionType == "ConnectionSuccess"
| where RemoteIPType == "Public"
| where RemoteIP matches regex @"^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$"
| project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`;

/** The query object shared by editors, dashboards and alert rules (the query-model contract). */
export interface KqlHuntQuery extends DataQuery {
  queryType?: QueryType;
  kql?: string;
  timeRangeMode?: TimeRangeMode;
  workspaces?: string[];
  field?: string;
  fields?: string[];
  encoding?: 'label' | 'frequency';
  /** A number in (0, 0.5] or "auto"; other text reaches the backend, which explains what to write. */
  contamination?: number | string;
  nEstimators?: number;
  maxSamples?: number | 'auto';
  randomState?: number;
  output?: AnomalyOutput;
  topN?: number;
  search?: { column: string; value: string };
  pivot?: PivotName;
  values?: string[];
  lookback?: string;
}

export const DEFAULT_QUERY: Partial<KqlHuntQuery> = {
  queryType: 'kql',
  kql: NOTEBOOK_KQL,
  timeRangeMode: 'dashboard',
};

export type AuthType = 'clientsecret' | 'msi' | 'workloadidentity';
export type AzureCloud = 'AzureCloud' | 'AzureChinaCloud' | 'AzureUSGovernment' | 'AzureCustomizedCloud';

/** jsonData, in the layout of Grafana's own Azure datasources. */
export interface KqlHuntOptions extends DataSourceJsonData {
  azureCredentials?: {
    authType?: AuthType;
    azureCloud?: AzureCloud;
    tenantId?: string;
    clientId?: string;
  };
  workspaceId?: string;
  additionalWorkspaces?: string[];
  endpoints?: { logAnalytics?: string; authority?: string; audience?: string };
  queryTimeoutSeconds?: number;
  demoWorkspace?: boolean;
}

/** secureJsonData: sent to the backend, never back to the browser. */
export interface KqlHuntSecureOptions {
  azureClientSecret?: string;
}
