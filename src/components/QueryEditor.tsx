import React, { useMemo } from 'react';
import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { EditorField, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { Alert, RadioButtonGroup, Text } from '@grafana/ui';

import { DataSource } from '../datasource';
import { FALLBACK_PIVOT, normalizeQuery, QUERY_DEFAULTS } from '../defaults';
import { ownTimeFilter } from '../kusto/timeFilter';
import { KqlHuntOptions, KqlHuntQuery, QueryType, TimeRangeMode } from '../types';
import { validateQuery } from '../validation';
import { AnomalyOptions } from './AnomalyOptions';
import { KqlArea, KqlEditor } from './KqlEditor';
import { PivotOptions } from './PivotOptions';
import { rangeBody } from '../resources';
import { useResource } from './useResource';
import { useRunPolicy } from './useRunPolicy';
import { WorkspacePicker } from './WorkspacePicker';

type Props = QueryEditorProps<DataSource, KqlHuntQuery, KqlHuntOptions>;

const QUERY_TYPES: Array<SelectableValue<QueryType>> = [
  { value: 'kql', label: 'KQL', description: 'Run the KQL as written' },
  { value: 'anomaly', label: 'Anomalies', description: "Score the KQL's rows with the notebook's isolation forest" },
  { value: 'pivot', label: 'Pivot', description: "One of the notebook's pivots on chosen or anomalous values" },
];

const TIME_RANGE_MODES: Array<SelectableValue<TimeRangeMode>> = [
  { value: 'dashboard', label: 'Dashboard', description: "Send the dashboard's time range with the query" },
  { value: 'query', label: 'Query', description: "Send none: the KQL's own time filter rules" },
];

/**
 * The query editor: type, time range and workspaces; the anomaly or pivot options; then the KQL. Every
 * change runs the query once, on blur or pick, and only when the query is complete and valid
 * (useRunPolicy); problems are shown under the input they concern, in the backend's words.
 */
export function QueryEditor({ query: saved, onChange, onRunQuery, datasource, range, data }: Props) {
  // A saved query may hold null for a key: read it as absent, as the backend does.
  const query = useMemo(() => normalizeQuery(saved), [saved]);
  const type = query.queryType ?? QUERY_DEFAULTS.queryType;
  // Listed for every type (once per datasource), so that switching to Pivot can pick the first one.
  const pivots = useResource(() => datasource.listPivots(), [datasource]);
  const pivotNames = (pivots.value ?? []).map((p) => p.name);
  const policy = useRunPolicy(query, onChange, onRunQuery, pivotNames);
  const problems = validateQuery(query, pivotNames);
  const workspaces = useResource(datasource.demo ? undefined : () => datasource.listWorkspaces(), [datasource]);

  const kql = query.kql ?? QUERY_DEFAULTS.kql;
  const mode = query.timeRangeMode ?? QUERY_DEFAULTS.timeRangeMode;
  const rangeKey = `${range?.raw.from}|${range?.raw.to}`;
  const wantsColumns = type === 'anomaly' && !problems.kql;
  const fields = useResource(
    wantsColumns
      ? () =>
          datasource.queryFields({
            kql,
            timeRangeMode: mode,
            workspaces: query.workspaces ?? [],
            ...rangeBody(range),
          })
      : undefined,
    // The range's raw text ("now-7d"), so that a refresh of a relative range does not ask again.
    [datasource, kql, mode, JSON.stringify(query.workspaces ?? []), rangeKey]
  );

  const ownFilter = mode === 'dashboard' ? ownTimeFilter(kql) : undefined;
  const showKql = type !== 'pivot' || !query.values?.length;

  const setType = (t: QueryType) => {
    // Pivot needs a pivot: pick one, so that switching runs a complete query.
    const pivot = t === 'pivot' && !query.pivot ? (pivotNames[0] ?? FALLBACK_PIVOT) : query.pivot;
    // The KQL view offers no output, but the backend honours "values" on a kql query (a column's distinct
    // values, as a variable lists them): drop it. Other outputs are ignored there, like the other anomaly
    // keys, and kept for a switch back.
    const output = t === 'kql' && query.output === 'values' ? undefined : query.output;
    policy.commit({ queryType: t, pivot, output });
  };

  return (
    <EditorRows>
      <EditorRow>
        <EditorField label="Query type" htmlFor="query-type">
          <RadioButtonGroup<QueryType>
            id="query-type"
            aria-label="Query type"
            options={QUERY_TYPES}
            value={type}
            onChange={setType}
          />
        </EditorField>
        <EditorField label="Time range" htmlFor="query-time-range">
          <RadioButtonGroup<TimeRangeMode>
            id="query-time-range"
            aria-label="Time range"
            options={TIME_RANGE_MODES}
            value={mode}
            onChange={(v) => policy.commit({ timeRangeMode: v })}
          />
        </EditorField>
        {datasource.demo ? (
          <></>
        ) : (
          <EditorField
            label="Workspaces"
            htmlFor="query-workspaces"
            optional
            tooltip="Workspace GUIDs for this query; empty: the datasource's."
            invalid={!!problems.workspaces || !!workspaces.error}
            error={problems.workspaces ?? (workspaces.error && `Workspaces could not be listed: ${workspaces.error}`)}
          >
            <WorkspacePicker
              inputId="query-workspaces"
              value={query.workspaces ?? []}
              known={workspaces.value}
              loading={workspaces.loading}
              invalid={!!problems.workspaces}
              onChange={(w) => policy.commit({ workspaces: w.length ? w : undefined })}
            />
          </EditorField>
        )}
      </EditorRow>
      {type === 'anomaly' && (
        <AnomalyOptions
          query={query}
          policy={policy}
          problems={problems}
          columns={fields.value ?? []}
          columnsLoading={fields.loading}
          columnsError={fields.error}
        />
      )}
      {type === 'anomaly' && <LastRun meta={data?.series[0]?.meta?.custom} />}
      {type === 'pivot' && (
        <PivotOptions
          query={query}
          policy={policy}
          problems={problems}
          pivots={pivots.value ?? []}
          pivotsLoading={pivots.loading}
          pivotsError={pivots.error}
        />
      )}
      {showKql && (
        <EditorField
          label="KQL"
          htmlFor="query-kql"
          tooltip="Shift+Enter runs the query. Macros: $__timeFilter(col), $__timeFrom, $__timeTo, $__interval, $__contains(col, $var)."
          invalid={!!problems.kql}
          error={problems.kql}
        >
          <KqlArea id="query-kql">
            {ownFilter && (
              <Alert severity="info" title="This KQL has its own time filter" bottomSpacing={1}>
                {`It filters on time itself (${ownFilter}…) while the time range is Dashboard: the service applies both, so the narrower one wins. Use $__timeFilter(TimeGenerated) to follow the dashboard, or set the time range to Query.`}
              </Alert>
            )}
            <KqlEditor
              datasource={datasource}
              value={kql}
              resultColumns={fields.value}
              onBlur={(v) => policy.commit(v === kql ? undefined : { kql: v })}
              onRun={(v) => policy.runNow({ kql: v })}
            />
          </KqlArea>
        </EditorField>
      )}
    </EditorRows>
  );
}

const ROW_ORDER_SHOWN: Record<string, string> = {
  canonical: 'rows scored in canonical order',
  asReturned: 'rows scored in the order returned',
};
const AGGREGATE_SHOWN: Record<string, string> = {
  rows: 'from the rows',
  counts: 'from counts made by Log Analytics',
};

/** How the backend scored the last result (frame meta.custom.rowOrder / aggregate), for display only. */
export function LastRun({ meta }: { meta?: Record<string, unknown> }) {
  const order = typeof meta?.rowOrder === 'string' ? (ROW_ORDER_SHOWN[meta.rowOrder] ?? meta.rowOrder) : undefined;
  const agg =
    typeof meta?.aggregate === 'string'
      ? (AGGREGATE_SHOWN[meta.aggregate] ?? `aggregate: ${meta.aggregate}`)
      : undefined;
  if (!order && !agg) {
    return null;
  }
  return (
    <Text variant="bodySmall" color="secondary">
      {`Last run: ${[order, agg].filter(Boolean).join(', ')}.`}
    </Text>
  );
}
