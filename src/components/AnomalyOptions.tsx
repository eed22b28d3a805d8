import React from 'react';
import { Combobox, ComboboxOption, Field, Input, RadioButtonGroup, Stack } from '@grafana/ui';

import { AnomalyOutput, KqlHuntQuery } from '../types';

interface Props {
  query: KqlHuntQuery;
  onChange: (patch: Partial<KqlHuntQuery>, run?: boolean) => void;
  /** Column names of the query's last result, offered for the field and the search column. */
  columns?: string[];
}

/** The fields an anomaly query adds: not columns of the KQL's result. */
const scoreFields = new Set(['Outlier', 'Anomaly', 'Anomaly_Score']);

/** Columns to offer: the last result's, without the score fields, with the current value kept. */
export function columnOptions(columns: string[] | undefined, current?: string): Array<ComboboxOption<string>> {
  const names = (columns ?? []).filter((c) => !scoreFields.has(c));
  if (current && !names.includes(current)) {
    names.unshift(current);
  }
  return names.map((n) => ({ value: n, label: n }));
}

const outputs: Array<ComboboxOption<AnomalyOutput>> = [
  { value: 'rows', label: 'All rows, scored' },
  { value: 'anomalies', label: 'Anomalies only' },
  { value: 'top', label: 'Most anomalous (top N)' },
  { value: 'count', label: 'Anomaly count (for alerts)' },
  { value: 'countByValue', label: 'Anomalies per value' },
  { value: 'series', label: 'Anomalies over time' },
];

/**
 * Parses the contamination box: empty keeps the default, a number is sent as a number, and anything else
 * (including "auto") is sent as typed, so the backend either accepts it or says what to write instead.
 */
export function parseContamination(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') {
    return undefined;
  }
  const n = Number(t);
  return Number.isNaN(n) ? t : n;
}

/** The notebook's scoring options; empty boxes keep the notebook's defaults. */
export function AnomalyOptions({ query, onChange, columns }: Props) {
  return (
    <Stack gap={2} wrap="wrap">
      <Field label="Field" description="Column to label-encode and score">
        <Combobox
          id="query-field"
          width={32}
          createCustomValue
          options={columnOptions(columns, query.field ?? 'InitiatingProcessFileName')}
          value={query.field ?? 'InitiatingProcessFileName'}
          onChange={(v) => onChange({ field: v.value }, true)}
        />
      </Field>
      <Field label="Encoding">
        <RadioButtonGroup<'label' | 'frequency'>
          options={[
            { value: 'label', label: 'Label (notebook)' },
            { value: 'frequency', label: 'Frequency' },
          ]}
          value={query.encoding ?? 'label'}
          onChange={(v) => onChange({ encoding: v }, true)}
        />
      </Field>
      <Field label="Contamination" description='(0, 0.5] or "auto"'>
        <Input
          id="query-contamination"
          width={12}
          value={query.contamination === undefined ? '' : String(query.contamination)}
          placeholder="0.01"
          onChange={(e) => onChange({ contamination: parseContamination(e.currentTarget.value) })}
        />
      </Field>
      <Field label="Output">
        <Combobox
          id="query-output"
          width={32}
          options={outputs}
          value={query.output ?? 'rows'}
          onChange={(v) => onChange({ output: v.value }, true)}
        />
      </Field>
      {query.output === 'top' && (
        <Field label="Top N">
          <Input
            id="query-topn"
            type="number"
            width={10}
            min={1}
            value={query.topN ?? 10}
            onChange={(e) => onChange({ topN: Number(e.currentTarget.value) })}
          />
        </Field>
      )}
      <Field label="Search" description="Keep rows whose column contains this text">
        <Stack gap={1}>
          <Input
            id="query-search-column"
            width={24}
            placeholder="column"
            value={query.search?.column ?? ''}
            onChange={(e) => onChange({ search: { column: e.currentTarget.value, value: query.search?.value ?? '' } })}
          />
          <Input
            id="query-search-value"
            width={24}
            placeholder="text"
            value={query.search?.value ?? ''}
            onChange={(e) => onChange({ search: { column: query.search?.column ?? '', value: e.currentTarget.value } })}
          />
        </Stack>
      </Field>
    </Stack>
  );
}
