import { LIMITS, QUERY_DEFAULTS, Range } from './defaults';
import { KqlHuntOptions, KqlHuntQuery } from './types';

/**
 * Checks made in the editors, worded as the backend words them (pkg/querymodel, pkg/settings), so a
 * message reads the same before a run and after one. The backend stays the authority: it checks again.
 */

/** A problem per query key the editor shows it under. */
export type QueryProblems = Partial<
  Record<
    | 'kql'
    | 'field'
    | 'contamination'
    | 'nEstimators'
    | 'maxSamples'
    | 'randomState'
    | 'topN'
    | 'search'
    | 'pivot'
    | 'lookback'
    | 'workspaces',
    string
  >
>;

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const TIMESPAN = /^[0-9]+(\.[0-9]+)?(d|h|m|s|ms|microsecond|tick)$/;

/** Values with a template variable are checked by the backend once Grafana has replaced it. */
const hasVariable = (s: string) => s.includes('$');

/** Go's %s of the JSON value: numbers as written, strings quoted. */
const shown = (v: number | string) => (typeof v === 'number' ? String(v) : JSON.stringify(v));

/**
 * Reads a number box: empty text is "absent" (the default applies), a number becomes a number, and any
 * other text is kept as typed so that the editor can say what is wrong with it.
 */
export function parseNumberText(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') {
    return undefined;
  }
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) ? Number(t) : t;
}

/**
 * maxSamples as typed: like parseNumberText, except that a whole number written as a fraction ("1.0",
 * "1e0") stays text. JSON has one number type and JavaScript writes 1.0 as 1, which the backend reads
 * as one row per tree (scikit-learn's int); the text "1.0" is the fraction, all the rows.
 */
export function parseMaxSamplesText(text: string): number | string | undefined {
  const v = parseNumberText(text);
  if (typeof v === 'number' && Number.isInteger(v) && /[.eE]/.test(text)) {
    return text.trim();
  }
  return v;
}

export function isGuid(s: string): boolean {
  return GUID.test(s);
}

/** A query's workspace: a GUID, or a template variable that Grafana replaces before the backend checks it. */
export function workspaceProblem(w: string): string | undefined {
  return isGuid(w) || hasVariable(w) ? undefined : notGuid(w);
}

function notGuid(w: string): string {
  return `workspace ${JSON.stringify(w.slice(0, 80))} is not a workspace ID: use the workspace's GUID (e.g. 11111111-2222-3333-4444-555555555555), not its name or resource ID`;
}

function contaminationProblem(v: number | string | undefined): string | undefined {
  if (v === undefined || v === 'auto') {
    return undefined;
  }
  const { min, max } = LIMITS.contamination;
  if (typeof v === 'number' && v > min && v <= max) {
    return undefined;
  }
  return `contamination ${shown(v)} is not valid: use "auto" or a number in (${min}, ${max}], e.g. ${QUERY_DEFAULTS.contamination}`;
}

function intProblem(name: string, v: number | string | undefined, def: number, r: Range): string | undefined {
  if (v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= r.min && v <= r.max)) {
    return undefined;
  }
  return `${name} ${shown(v)} is not valid: use a whole number from ${r.min} to ${r.max} (default ${def})`;
}

/** The largest row count the backend takes for maxSamples (Go's math.MaxInt32, pkg/querymodel parseMaxSamples). */
export const MAX_SAMPLES_COUNT = 2147483647;

/** A number as JSON writes it: the form the backend reads a maxSamples text in. */
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/;

function maxSamplesProblem(v: number | string | undefined): string | undefined {
  const hint = 'use "auto", a whole number of rows (e.g. 256) or a fraction in (0, 1]';
  if (v === undefined) {
    return undefined;
  }
  // As the backend reads it: text is trimmed and is "auto" or a number as JSON writes one; a number, or
  // such text, without a fractional part or exponent is a row count, any other a fraction in (0, 1], as
  // scikit-learn reads int and float ("1.0" is how a whole-valued fraction survives JSON).
  let written: string;
  if (typeof v === 'string') {
    written = v.trim();
    if (written === 'auto') {
      return undefined;
    }
    if (!JSON_NUMBER.test(written)) {
      return `maxSamples ${shown(v)} is not valid: ${hint}`;
    }
  } else if (Number.isFinite(v)) {
    written = JSON.stringify(v);
  } else {
    return `maxSamples ${shown(v)} is not valid: ${hint}`;
  }
  const n = Number(written);
  if (!/[.eE]/.test(written)) {
    return n >= 1 && n <= MAX_SAMPLES_COUNT
      ? undefined
      : `maxSamples ${shown(v)} is not valid: ${hint}; a row count is at least 1 and at most ${MAX_SAMPLES_COUNT}`;
  }
  return n > 0 && n <= 1 ? undefined : `maxSamples ${shown(v)} is not valid: ${hint}`;
}

/** The keys of the anomaly options; a pivot without values scores with them (see anomalyProblems). */
const ANOMALY_KEYS = ['field', 'contamination', 'nEstimators', 'maxSamples', 'randomState', 'topN', 'search'] as const;

/**
 * The problems of the anomaly options, which a pivot without values scores with to find its values: the
 * Pivot view shows them, since their inputs are in the Anomalies view.
 */
export function anomalyProblems(p: QueryProblems): string[] {
  return ANOMALY_KEYS.flatMap((k) => (p[k] ? [p[k]] : []));
}

/** Every problem of a query that the backend would refuse, or that leaves it incomplete. */
export function validateQuery(q: KqlHuntQuery, pivotNames: string[] = []): QueryProblems {
  const p: QueryProblems = {};
  const type = q.queryType ?? QUERY_DEFAULTS.queryType;
  if (type !== 'pivot' || !q.values?.length) {
    if ((q.kql ?? QUERY_DEFAULTS.kql).trim() === '') {
      p.kql = 'the KQL query is empty: write a query, e.g. DeviceNetworkEvents | take 10';
    }
  }
  const bad = (q.workspaces ?? []).map(workspaceProblem).find((m) => m !== undefined);
  if (bad) {
    p.workspaces = bad;
  }
  if (type === 'kql') {
    return p;
  }
  // A pivot on given values does not score: the backend checks only its pivot keys.
  const scores = type !== 'pivot' || !q.values?.length;
  const set = (key: keyof QueryProblems, m: string | undefined) => {
    if (m) {
      p[key] = m;
    }
  };
  if (scores) {
    const fields = q.fields?.length ? q.fields : [q.field ?? QUERY_DEFAULTS.field];
    if (fields.some((f) => f.trim() === '')) {
      p.field = `field is empty: name the column to score, e.g. ${JSON.stringify(QUERY_DEFAULTS.field)}`;
    }
    set('contamination', contaminationProblem(q.contamination));
    set('nEstimators', intProblem('nEstimators', q.nEstimators, QUERY_DEFAULTS.nEstimators, LIMITS.nEstimators));
    set('maxSamples', maxSamplesProblem(q.maxSamples));
    set('randomState', intProblem('randomState', q.randomState, QUERY_DEFAULTS.randomState, LIMITS.randomState));
    set('topN', intProblem('topN', q.topN, QUERY_DEFAULTS.topN, LIMITS.topN));
    if (q.search && q.search.value !== '' && q.search.column.trim() === '') {
      p.search = 'search needs a column: set search.column to the column to search in';
    }
  }
  if (type === 'pivot') {
    const names = pivotNames.map((n) => JSON.stringify(n)).join(', ');
    const pivot = (q.pivot ?? '').trim();
    if (pivot === '') {
      p.pivot = `pivot is not set: use ${names || 'a pivot from the list'}`;
    } else if (pivotNames.length > 0 && !pivotNames.includes(pivot) && !hasVariable(pivot)) {
      p.pivot = `pivot ${JSON.stringify(pivot)} is not known: use ${names}`;
    }
    const lookback = (q.lookback ?? QUERY_DEFAULTS.lookback).trim();
    if (!TIMESPAN.test(lookback) && !hasVariable(lookback)) {
      p.lookback = `lookback ${JSON.stringify(lookback)} is not a KQL timespan: use e.g. 7d, 12h or 30m`;
    }
  }
  return p;
}

/** A problem per setting the config editor shows it under. */
export type SettingsProblems = Partial<
  Record<
    'workspaceId' | 'additionalWorkspaces' | 'queryTimeoutSeconds' | 'logAnalytics' | 'authority' | 'audience',
    string
  >
>;

function httpsProblem(name: string, raw: string | undefined, required: boolean): string | undefined {
  const v = (raw ?? '').trim();
  if (v === '') {
    return required ? `the Azure cloud is AzureCustomizedCloud, so ${name} must be set (an https URL)` : undefined;
  }
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return `${name} is not a URL: use an https URL such as https://host:port/`;
  }
  if (u.host === '') {
    return `${name} is not a URL: use an https URL such as https://host:port/`;
  }
  if (u.protocol !== 'https:') {
    return `${name} must use https (Azure sends credentials only over TLS), not ${JSON.stringify(u.protocol.replace(/:$/, ''))}`;
  }
  return undefined;
}

/**
 * The settings the backend's Save & test would refuse, shown as they are typed. A missing workspace is
 * only reported once the admin has left the field (see ConfigEditor), not on an empty new datasource.
 */
export function validateSettings(j: KqlHuntOptions): SettingsProblems {
  const p: SettingsProblems = {};
  const t = j.queryTimeoutSeconds;
  const r = LIMITS.queryTimeoutSeconds;
  if (t !== undefined && !(typeof t === 'number' && Number.isInteger(t) && t >= r.min && t <= r.max)) {
    p.queryTimeoutSeconds = `jsonData.queryTimeoutSeconds is ${String(t).slice(0, 20)}: use a whole number of seconds from ${r.min} to ${r.max} (default ${r.default})`;
  }
  // As the backend: the workspaces are checked even for the demo, which only supplies a missing default.
  const ws = (j.workspaceId ?? '').trim();
  if (ws === '' && !j.demoWorkspace) {
    p.workspaceId =
      "no default workspace: set jsonData.workspaceId to the Log Analytics workspace ID (a GUID, shown as 'Workspace ID' on the workspace's overview page)";
  } else if (ws !== '' && !isGuid(ws)) {
    p.workspaceId = notGuid(ws);
  }
  const extra = (j.additionalWorkspaces ?? []).map((w) => w.trim()).find((w) => w !== '' && !isGuid(w));
  if (extra !== undefined) {
    p.additionalWorkspaces = notGuid(extra);
  }
  if (j.demoWorkspace) {
    return p; // the demo needs no credentials and no endpoints
  }
  // As the backend: endpoints are read, and so checked, only for custom endpoints.
  if (j.azureCredentials?.azureCloud === 'AzureCustomizedCloud') {
    const set = (key: keyof SettingsProblems, m: string | undefined) => {
      if (m) {
        p[key] = m;
      }
    };
    set('logAnalytics', httpsProblem('jsonData.endpoints.logAnalytics', j.endpoints?.logAnalytics, true));
    if (j.azureCredentials.authType !== 'msi') {
      set('authority', httpsProblem('jsonData.endpoints.authority', j.endpoints?.authority, true));
    }
    set('audience', httpsProblem('jsonData.endpoints.audience', j.endpoints?.audience, false));
  }
  return p;
}

/** True when nothing stops the query from running. */
export function isRunnable(p: QueryProblems): boolean {
  return Object.keys(p).length === 0;
}
