import { CustomVariableSupport, DataQueryRequest, DataQueryResponse } from '@grafana/data';
import { Observable } from 'rxjs';

import type { DataSource } from './datasource';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import { KqlHuntQuery, KqlHuntVariableQuery } from './types';

/**
 * The query a variable runs: its options are the first string field of the answer (Grafana's rule), which
 * the backend fills with the anomalous values, most anomalous first, or a column's distinct values.
 */
export function variableToQuery(v: KqlHuntVariableQuery): KqlHuntQuery {
  const { kind, ...rest } = v;
  if (kind === 'columnValues') {
    const { refId, kql, field, timeRangeMode, workspaces } = rest;
    return { refId, queryType: 'kql', output: 'values', kql, field, timeRangeMode, workspaces };
  }
  return { ...rest, queryType: 'anomaly', output: 'values' };
}

export class KqlHuntVariableSupport extends CustomVariableSupport<DataSource, KqlHuntVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<KqlHuntVariableQuery>): Observable<DataQueryResponse> {
    const targets = request.targets.map(variableToQuery);
    return this.datasource.query({ ...request, targets });
  }
}
