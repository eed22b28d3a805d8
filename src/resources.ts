import { Column, PivotInfo, WorkspacesResponse } from './types';

/**
 * The backend's resources for the editors (pkg/plugin/resources.go), typed and checked: an answer of the
 * wrong shape is an error that says which resource misbehaved, never a half-filled picker.
 */

/** What the editors need from the datasource: the two calls DataSourceWithBackend provides. */
export interface ResourceClient {
  getResource(path: string, params?: Record<string, string>): Promise<unknown>;
  postResource(path: string, body?: unknown): Promise<unknown>;
}

/**
 * Body of POST fields: the query whose result columns are wanted, and the dashboard range in epoch
 * milliseconds (without one, the backend takes the last day).
 */
export interface FieldsRequest {
  kql: string;
  timeRangeMode: string;
  workspaces: string[];
  from?: string;
  to?: string;
}

/** The range keys of a FieldsRequest: present only when the editor has a time range. */
export function rangeBody(range?: { from: { valueOf(): number }; to: { valueOf(): number } }) {
  return range ? { from: String(range.from.valueOf()), to: String(range.to.valueOf()) } : {};
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isString = (v: unknown): v is string => typeof v === 'string';

/** The message of a failed resource call: the backend's {"error": ...}, else the HTTP status. */
export function resourceError(err: unknown): string {
  if (isObject(err)) {
    const data = err.data;
    if (isObject(data) && isString(data.error) && data.error !== '') {
      return data.error;
    }
    if (isObject(data) && isString(data.message) && data.message !== '') {
      return data.message;
    }
    if (typeof err.status === 'number') {
      return `HTTP ${err.status}${isString(err.statusText) && err.statusText ? ' ' + err.statusText : ''}`;
    }
    if (isString(err.message)) {
      return err.message;
    }
  }
  return String(err);
}

function columns(resource: string, v: unknown): Column[] {
  if (!isObject(v) || !Array.isArray(v.columns)) {
    throw new Error(`${resource}: the answer has no columns list`);
  }
  return v.columns.map((c) => {
    if (!isObject(c) || !isString(c.name) || !isString(c.type)) {
      throw new Error(`${resource}: a column is not {"name", "type"}`);
    }
    return { name: c.name, type: c.type };
  });
}

async function call<T>(what: string, p: Promise<unknown>, parse: (v: unknown) => T): Promise<T> {
  let v: unknown;
  try {
    v = await p;
  } catch (err) {
    throw new Error(resourceError(err));
  }
  return parse(v);
}

export function getWorkspaces(c: ResourceClient): Promise<WorkspacesResponse> {
  return call('GET workspaces', c.getResource('workspaces'), (v) => {
    if (!isObject(v) || !isString(v.default) || !Array.isArray(v.additional) || !v.additional.every(isString)) {
      throw new Error('GET workspaces: the answer is not {"default", "additional", "demo"}');
    }
    return { default: v.default, additional: v.additional, demo: v.demo === true };
  });
}

export function getSchema(c: ResourceClient, table: string): Promise<Column[]> {
  return call('GET schema', c.getResource('schema', { table }), (v) => columns('GET schema', v));
}

export function postFields(c: ResourceClient, req: FieldsRequest): Promise<Column[]> {
  return call('POST fields', c.postResource('fields', req), (v) => columns('POST fields', v));
}

export function getPivots(c: ResourceClient): Promise<PivotInfo[]> {
  return call('GET pivots', c.getResource('pivots'), (v) => {
    if (!isObject(v) || !Array.isArray(v.pivots)) {
      throw new Error('GET pivots: the answer has no pivots list');
    }
    return v.pivots.map((p) => {
      if (!isObject(p) || !isString(p.name)) {
        throw new Error('GET pivots: a pivot has no name');
      }
      const s = (k: string) => (isString(p[k]) ? (p[k] as string) : '');
      return { name: p.name, title: s('title') || p.name, description: s('description'), column: s('column') };
    });
  });
}
