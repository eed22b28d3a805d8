import React from 'react';
import { SelectableValue } from '@grafana/data';
import { EditorField, EditorRow } from '@grafana/plugin-ui';
// See FieldPicker.tsx for why Select rather than Combobox.
import { Input, RadioButtonGroup, Select } from '@grafana/ui';

import { QUERY_DEFAULTS } from '../defaults';
import { AnomalyOutput, Column, Encoding, KqlHuntQuery, SearchMode } from '../types';
import { QueryProblems } from '../validation';
import { AdvancedOptions } from './AdvancedOptions';
import { FieldPicker, MultiFieldPicker } from './FieldPicker';
import { NumberBox } from './NumberBox';
import { RunPolicy } from './useRunPolicy';

interface Props {
  query: KqlHuntQuery;
  policy: RunPolicy;
  problems: QueryProblems;
  /** Columns of the query's result (POST fields). */
  columns: Column[];
  columnsLoading: boolean;
  columnsError?: string;
}

export const OUTPUTS: Array<SelectableValue<AnomalyOutput>> = [
  { value: 'rows', label: 'All rows, scored', description: 'Every row with Outlier, Anomaly and Anomaly_Score' },
  { value: 'anomalies', label: 'Anomalies only', description: 'Flagged rows, most anomalous first' },
  { value: 'top', label: 'Most anomalous (top N)', description: 'The N most anomalous rows' },
  { value: 'count', label: 'Anomaly count', description: 'One number, Anomalies' },
  { value: 'countByValue', label: 'Anomalies per value', description: 'Rows, anomalies and score per value' },
  { value: 'series', label: 'Anomalies over time', description: 'A time series of flagged rows' },
  { value: 'anomaliesByValue', label: 'Per value, for alert rules', description: 'One alert instance per value' },
  { value: 'values', label: 'Anomalous values', description: 'One string field: what a variable offers' },
];

const ENCODINGS: Array<SelectableValue<Encoding>> = [
  { value: 'label', label: 'Label (notebook)', description: "The notebook's LabelEncoder: sorted values numbered" },
  { value: 'frequency', label: 'Frequency', description: "A value's count among the rows: rare values isolate" },
];

const SEARCH_MODES: Array<SelectableValue<SearchMode>> = [
  { value: 'regex', label: 'Regex', description: "The notebook's search: a case-sensitive regular expression" },
  { value: 'text', label: 'Text', description: 'Plain text, case-insensitive' },
];

/** The fields scored: fields when several, else field, else the notebook's. */
export function scoredFields(q: KqlHuntQuery): string[] {
  return q.fields?.length ? q.fields : [q.field ?? QUERY_DEFAULTS.field];
}

/** The keys for a new selection: one field goes to field (the contract's usual form), several to fields. */
export function fieldsPatch(picked: string[]): Partial<KqlHuntQuery> {
  return picked.length > 1 ? { fields: picked, field: undefined } : { field: picked[0] ?? '', fields: undefined };
}

/** The notebook's scoring options: what to score, how many to flag, what to return, and the table search. */
export function AnomalyOptions({ query, policy, problems, columns, columnsLoading, columnsError }: Props) {
  const output = query.output ?? QUERY_DEFAULTS.output;
  const search = query.search ?? { column: '', value: '' };
  return (
    <>
      <EditorRow>
        <EditorField
          label="Fields"
          htmlFor="query-fields"
          tooltip="The columns to encode and score; several are scored together. Offered from the query's result columns."
          invalid={!!problems.field || !!columnsError}
          error={problems.field ?? (columnsError && `Columns of the query could not be read: ${columnsError}`)}
        >
          <MultiFieldPicker
            inputId="query-fields"
            columns={columns}
            loading={columnsLoading}
            values={scoredFields(query)}
            invalid={!!problems.field}
            onChange={(picked) => policy.commit(fieldsPatch(picked))}
          />
        </EditorField>
        <EditorField label="Encoding" htmlFor="query-encoding">
          <RadioButtonGroup<Encoding>
            id="query-encoding"
            aria-label="Encoding"
            options={ENCODINGS}
            value={query.encoding ?? QUERY_DEFAULTS.encoding}
            onChange={(v) => policy.commit({ encoding: v })}
          />
        </EditorField>
        <EditorField
          label="Contamination"
          htmlFor="query-contamination"
          tooltip='Share of rows flagged, in (0, 0.5], or "auto" (scikit-learn offset -0.5).'
          invalid={!!problems.contamination}
          error={problems.contamination}
        >
          <NumberBox
            id="query-contamination"
            value={query.contamination}
            placeholder={String(QUERY_DEFAULTS.contamination)}
            invalid={!!problems.contamination}
            onChange={(v) => policy.change({ contamination: v })}
            onBlur={() => policy.commit()}
          />
        </EditorField>
        <EditorField label="Output" htmlFor="query-output">
          {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
          <Select<AnomalyOutput>
            inputId="query-output"
            width={30}
            options={OUTPUTS}
            value={output}
            onChange={(v) => policy.commit({ output: v.value })}
          />
        </EditorField>
        {output === 'top' ? (
          <EditorField label="Top N" htmlFor="query-topn" invalid={!!problems.topN} error={problems.topN}>
            <NumberBox
              id="query-topn"
              width={10}
              value={query.topN}
              placeholder={String(QUERY_DEFAULTS.topN)}
              invalid={!!problems.topN}
              onChange={(v) => policy.change({ topN: v })}
              onBlur={() => policy.commit()}
            />
          </EditorField>
        ) : (
          <></>
        )}
      </EditorRow>
      <EditorRow>
        <EditorField
          label="Search column"
          htmlFor="query-search-column"
          optional
          invalid={!!problems.search}
          error={problems.search}
        >
          <FieldPicker
            inputId="query-search-column"
            columns={columns}
            loading={columnsLoading}
            value={search.column || undefined}
            clearable
            width={30}
            invalid={!!problems.search}
            onChange={(column) =>
              policy.commit({ search: column || search.value ? { ...search, column: column ?? '' } : undefined })
            }
          />
        </EditorField>
        <EditorField label="Search for" htmlFor="query-search-value" optional>
          <Input
            id="query-search-value"
            width={30}
            placeholder={search.mode === 'text' ? 'text' : 'regular expression'}
            value={search.value}
            onChange={(e) => {
              const value = e.currentTarget.value;
              policy.change({ search: value || search.column ? { ...search, value } : undefined });
            }}
            onBlur={() => policy.commit()}
          />
        </EditorField>
        <EditorField label="Match" htmlFor="query-search-mode">
          <RadioButtonGroup<SearchMode>
            id="query-search-mode"
            aria-label="Search match"
            options={SEARCH_MODES}
            value={search.mode ?? QUERY_DEFAULTS.searchMode}
            onChange={(mode) => policy.commit({ search: { ...search, mode } })}
          />
        </EditorField>
      </EditorRow>
      <AdvancedOptions query={query} policy={policy} problems={problems} />
    </>
  );
}
