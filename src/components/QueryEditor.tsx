import React from 'react';
import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { Field, Input, RadioButtonGroup, Stack, TextArea } from '@grafana/ui';

import { DataSource } from '../datasource';
import { AnomalyOptions } from './AnomalyOptions';
import { PivotOptions } from './PivotOptions';
import { KqlHuntOptions, KqlHuntQuery, NOTEBOOK_KQL, QueryType, TimeRangeMode } from '../types';

type Props = QueryEditorProps<DataSource, KqlHuntQuery, KqlHuntOptions>;

const queryTypes: Array<SelectableValue<QueryType>> = [
  { value: 'kql', label: 'KQL' },
  { value: 'anomaly', label: 'Anomalies' },
  { value: 'pivot', label: 'Pivot' },
];

const timeRangeModes: Array<SelectableValue<TimeRangeMode>> = [
  { value: 'dashboard', label: 'Dashboard', description: "Send the dashboard's time range" },
  { value: 'query', label: 'Query', description: "Only the KQL's own time filter" },
];

/** Query type, time range mode and workspaces; the anomaly or pivot options; then the KQL. */
export function QueryEditor({ query, onChange, onRunQuery, data }: Props) {
  const columns = data?.series[0]?.fields.map((f) => f.name);
  const update = (patch: Partial<KqlHuntQuery>, run = false) => {
    onChange({ ...query, ...patch });
    if (run) {
      onRunQuery();
    }
  };

  return (
    <Stack direction="column" gap={1}>
      <Stack gap={2}>
        <Field label="Query type">
          <RadioButtonGroup
            options={queryTypes}
            value={query.queryType ?? 'kql'}
            onChange={(v) => update({ queryType: v }, true)}
          />
        </Field>
        <Field label="Time range">
          <RadioButtonGroup
            options={timeRangeModes}
            value={query.timeRangeMode ?? 'dashboard'}
            onChange={(v) => update({ timeRangeMode: v }, true)}
          />
        </Field>
        <Field label="Workspaces" description="Optional, comma separated; default: the datasource's">
          <Input
            id="query-workspaces"
            width={40}
            value={(query.workspaces ?? []).join(', ')}
            onChange={(e) =>
              update({
                workspaces: e.currentTarget.value
                  .split(',')
                  .map((w) => w.trim())
                  .filter((w) => w !== ''),
              })
            }
            onBlur={onRunQuery}
          />
        </Field>
      </Stack>
      {query.queryType === 'anomaly' && <AnomalyOptions query={query} onChange={update} columns={columns} />}
      {query.queryType === 'pivot' && <PivotOptions query={query} onChange={update} />}
      {(query.queryType !== 'pivot' || !query.values?.length) && (
        <Field label="KQL">
          <TextArea
            id="query-kql"
            aria-label="KQL query"
            rows={8}
            value={query.kql ?? NOTEBOOK_KQL}
            onChange={(e) => update({ kql: e.currentTarget.value })}
            onBlur={onRunQuery}
          />
        </Field>
      )}
    </Stack>
  );
}
