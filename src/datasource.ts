import {
  CoreApp,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceInstanceSettings,
  LoadingState,
  ScopedVars,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv, toDataQueryError } from '@grafana/runtime';
import { Observable, of } from 'rxjs';

import { EDITOR_DEFAULT_QUERY, normalizeQuery } from './defaults';
import { interpolateQuery, InterpolationError } from './interpolate';
import { FieldsRequest, getPivots, getSchema, getWorkspaces, postFields } from './resources';
import { Column, KqlHuntOptions, KqlHuntQuery, PivotInfo, WorkspacesResponse } from './types';
import { KqlHuntVariableSupport } from './variables';

export class DataSource extends DataSourceWithBackend<KqlHuntQuery, KqlHuntOptions> {
  /** True for the built-in demo workspace: the editors then hide what it ignores (workspaces). */
  readonly demo: boolean;
  private pivots?: Promise<PivotInfo[]>;
  private workspaces?: Promise<WorkspacesResponse>;
  private readonly schemas = new Map<string, Promise<Column[]>>();

  constructor(instanceSettings: DataSourceInstanceSettings<KqlHuntOptions>) {
    super(instanceSettings);
    this.demo = !!instanceSettings.jsonData?.demoWorkspace;
    this.variables = new KqlHuntVariableSupport(this);
  }

  getDefaultQuery(_: CoreApp): Partial<KqlHuntQuery> {
    return EDITOR_DEFAULT_QUERY;
  }

  /** See src/interpolate.ts for what each key becomes; a null key is absent, as the backend reads it. */
  applyTemplateVariables(query: KqlHuntQuery, scopedVars: ScopedVars): KqlHuntQuery {
    return interpolateQuery(normalizeQuery(query), getTemplateSrv(), scopedVars);
  }

  /** Used when a dashboard query is opened in Explore. */
  interpolateVariablesInQueries(queries: KqlHuntQuery[], scopedVars: ScopedVars): KqlHuntQuery[] {
    return queries.map((q) => ({ ...this.applyTemplateVariables(q, scopedVars), datasource: this.getRef() }));
  }

  /**
   * The backend query; a variable that cannot be interpolated safely becomes the panel's error (with what
   * to change) instead of an exception in Grafana's query runner.
   */
  query(request: DataQueryRequest<KqlHuntQuery>): Observable<DataQueryResponse> {
    try {
      return super.query(request);
    } catch (err) {
      if (err instanceof InterpolationError) {
        return of({ data: [], state: LoadingState.Error, errors: [toDataQueryError(err)] });
      }
      throw err;
    }
  }

  filterQuery(query: KqlHuntQuery): boolean {
    return !query.hide;
  }

  /** GET pivots, once per datasource instance (the list is embedded in the backend). */
  listPivots(): Promise<PivotInfo[]> {
    this.pivots ??= getPivots(this).catch((e) => {
      this.pivots = undefined;
      throw e;
    });
    return this.pivots;
  }

  /** GET workspaces, once per datasource instance. */
  listWorkspaces(): Promise<WorkspacesResponse> {
    this.workspaces ??= getWorkspaces(this).catch((e) => {
      this.workspaces = undefined;
      throw e;
    });
    return this.workspaces;
  }

  /** GET schema for one table, cached per table; failures are not cached. */
  tableSchema(table: string): Promise<Column[]> {
    let p = this.schemas.get(table);
    if (!p) {
      p = getSchema(this, table).catch((e) => {
        this.schemas.delete(table);
        throw e;
      });
      this.schemas.set(table, p);
    }
    return p;
  }

  /**
   * POST fields: the columns of a query's result, without its rows (KQL getschema in the backend). The KQL
   * and workspaces are interpolated first, as a run would send them.
   */
  async queryFields(req: FieldsRequest, scopedVars: ScopedVars = {}): Promise<Column[]> {
    const q = this.applyTemplateVariables({ refId: 'fields', kql: req.kql, workspaces: req.workspaces }, scopedVars);
    return postFields(this, { ...req, kql: q.kql ?? '', workspaces: q.workspaces ?? [] });
  }
}
