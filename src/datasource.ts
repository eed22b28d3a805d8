import { CoreApp, DataSourceInstanceSettings, ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';

import { DEFAULT_QUERY, KqlHuntOptions, KqlHuntQuery } from './types';

/** Quotes a value as a KQL string literal, escaping backslashes and quotes. */
export function kqlString(value: string): string {
  return "'" + value.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}

/**
 * Formats template variables for KQL: a single value is inserted as it is (the query's author placed it),
 * several values become quoted KQL strings joined by commas, ready for `in (...)` and `$__contains`.
 */
export function formatVariable(value: string | string[], variable?: { multi?: boolean; includeAll?: boolean }): string {
  if (Array.isArray(value)) {
    return value.map(kqlString).join(',');
  }
  if (variable?.multi || variable?.includeAll) {
    return kqlString(value);
  }
  return value;
}

export class DataSource extends DataSourceWithBackend<KqlHuntQuery, KqlHuntOptions> {
  constructor(instanceSettings: DataSourceInstanceSettings<KqlHuntOptions>) {
    super(instanceSettings);
  }

  getDefaultQuery(_: CoreApp): Partial<KqlHuntQuery> {
    return DEFAULT_QUERY;
  }

  applyTemplateVariables(query: KqlHuntQuery, scopedVars: ScopedVars): KqlHuntQuery {
    const srv = getTemplateSrv();
    return {
      ...query,
      kql: query.kql === undefined ? undefined : srv.replace(query.kql, scopedVars, formatVariable),
      workspaces: query.workspaces?.map((w) => srv.replace(w, scopedVars)),
      values: query.values?.map((v) => srv.replace(v, scopedVars)),
      search: query.search && {
        column: srv.replace(query.search.column, scopedVars),
        value: srv.replace(query.search.value, scopedVars),
      },
    };
  }

  filterQuery(query: KqlHuntQuery): boolean {
    return !query.hide;
  }
}
