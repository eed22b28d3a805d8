import { KqlHuntQuery } from './types';

/**
 * The value of each query key when it is absent, exactly as the backend applies it. Go writes the same
 * values to pkg/querymodel/testdata/defaults.json, and src/defaults.test.ts fails when the two differ, so
 * neither side can change a default alone.
 */
export const QUERY_DEFAULTS = {
  queryType: 'kql',
  kql: `DeviceNetworkEvents
| where $__timeFilter(TimeGenerated)
| where isnotempty(InitiatingProcessFileName)
| where ActionType == "ConnectionSuccess"
| where RemoteIPType == "Public"
| where RemoteIP matches regex @"^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$"
| project TimeGenerated, DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, LocalIP, RemoteIP, RemotePort`,
  timeRangeMode: 'dashboard',
  field: 'InitiatingProcessFileName',
  encoding: 'label',
  contamination: 0.01,
  nEstimators: 100,
  maxSamples: 'auto',
  randomState: 42,
  output: 'rows',
  topN: 10,
  lookback: '7d',
  rowOrder: 'canonical',
  aggregate: 'auto',
  searchMode: 'regex',
} as const;

/** An inclusive (or, with minExclusive, left-open) range of a number the backend accepts. */
export interface Range {
  min: number;
  max: number;
  minExclusive?: boolean;
  default?: number;
}

/** The backend's bounds, checked against the same JSON file as QUERY_DEFAULTS. */
export const LIMITS = {
  contamination: { min: 0, minExclusive: true, max: 0.5 },
  nEstimators: { min: 1, max: 10000 },
  topN: { min: 1, max: 10000 },
  randomState: { min: 0, max: 4294967295 },
  queryTimeoutSeconds: { min: 1, max: 600, default: 180 },
} satisfies Record<string, Range>;

/** The pivot chosen when a query switches to Pivot before GET pivots has answered. */
export const FALLBACK_PIVOT = 'parent-process';

/**
 * What a new query in the editor starts with. The editor starts on Anomalies, the plugin's reason to be
 * (docs/query-model.md); every other key is left out so that the backend's default applies.
 */
export const EDITOR_DEFAULT_QUERY: Partial<KqlHuntQuery> = {
  queryType: 'anomaly',
  kql: QUERY_DEFAULTS.kql,
  timeRangeMode: QUERY_DEFAULTS.timeRangeMode,
};

/**
 * The query with null read as absent, as the backend reads it (pkg/querymodel: a null key takes its
 * default): older or hand-written saved queries may hold null for any key. A null inside a list is the
 * empty string, and search, when present, has a column and a value ("" when null or missing), as Go
 * decodes them. Every reader of a saved query (the editors, applyTemplateVariables) starts from this.
 */
export function normalizeQuery<T extends Partial<KqlHuntQuery>>(query: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === null) {
      continue;
    }
    out[key] = Array.isArray(value) ? value.map((v) => v ?? '') : value;
  }
  const search = query.search as Record<string, unknown> | null | undefined;
  if (search) {
    const { column, value, mode } = search;
    out.search = { column: column ?? '', value: value ?? '', ...(mode === null || mode === undefined ? {} : { mode }) };
  }
  return out as T;
}
