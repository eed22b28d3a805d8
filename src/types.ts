import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

/** Query types; the backend treats a query without queryType as "kql". */
export type QueryType = 'kql' | 'anomaly' | 'pivot';
export type TimeRangeMode = 'dashboard' | 'query';
export type Encoding = 'label' | 'frequency';
export type AnomalyOutput =
  'rows' | 'anomalies' | 'top' | 'count' | 'countByValue' | 'series' | 'values' | 'anomaliesByValue';
export type RowOrder = 'canonical' | 'asReturned';
export type Aggregate = 'auto' | 'never' | 'always';
export type SearchMode = 'regex' | 'text';

/** The notebook's table search: rows whose column matches the value. */
export interface Search {
  column: string;
  value: string;
  /** "regex" (default): the notebook's case-sensitive pandas str.contains; "text": plain, case-insensitive. */
  mode?: SearchMode;
}

/** The query object shared by editors, dashboards and alert rules (docs/query-model.md). */
export interface KqlHuntQuery extends DataQuery {
  queryType?: QueryType;
  kql?: string;
  timeRangeMode?: TimeRangeMode;
  workspaces?: string[];
  field?: string;
  fields?: string[];
  encoding?: Encoding;
  /**
   * A number in (0, 0.5] or "auto". Numeric keys hold a string only while the editor shows text that is not
   * a number: the editor then names the problem and does not run the query (src/validation.ts).
   */
  contamination?: number | string;
  nEstimators?: number | string;
  /** "auto", a whole number of rows, or a fraction in (0, 1]. */
  maxSamples?: number | string;
  randomState?: number | string;
  output?: AnomalyOutput;
  topN?: number | string;
  search?: Search;
  /** A pivot name from GET pivots. */
  pivot?: string;
  values?: string[];
  lookback?: string;
  rowOrder?: RowOrder;
  aggregate?: Aggregate;
}

/** The two kinds of template variable this datasource offers. */
export type VariableKind = 'anomalousValues' | 'columnValues';

/**
 * A variable's saved query: its kind, the KQL and the field, and (for anomalousValues) the anomaly options.
 * It is turned into a KqlHuntQuery with output "values" when the variable refreshes.
 */
export interface KqlHuntVariableQuery extends Omit<KqlHuntQuery, 'queryType' | 'output' | 'search' | 'pivot'> {
  kind?: VariableKind;
}

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
  /** Seconds, 1 to 600; text only while the config editor shows something that is not a number. */
  queryTimeoutSeconds?: number | string;
  demoWorkspace?: boolean;
}

/** secureJsonData: sent to the backend, never back to the browser. */
export interface KqlHuntSecureOptions {
  azureClientSecret?: string;
}

/** A column of a table or of a query's result, with its KQL type. */
export interface Column {
  name: string;
  type: string;
}

/** GET workspaces. */
export interface WorkspacesResponse {
  default: string;
  additional: string[];
  demo: boolean;
}

/** One entry of GET pivots. */
export interface PivotInfo {
  name: string;
  title: string;
  description: string;
  column: string;
}
