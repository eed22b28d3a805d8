import React, { useRef, useState } from 'react';
import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { EditorField, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { RadioButtonGroup } from '@grafana/ui';

import { DataSource } from '../datasource';
import { normalizeQuery, QUERY_DEFAULTS } from '../defaults';
import { KqlHuntOptions, KqlHuntQuery, KqlHuntVariableQuery, VariableKind } from '../types';
import { validateQuery } from '../validation';
import { variableToQuery } from '../variables';
import { AdvancedOptions } from './AdvancedOptions';
import { FieldPicker } from './FieldPicker';
import { KqlArea, KqlEditor } from './KqlEditor';
import { NumberBox } from './NumberBox';
import { rangeBody } from '../resources';
import { useResource } from './useResource';
import { useRunPolicy } from './useRunPolicy';

type Props = QueryEditorProps<DataSource, KqlHuntQuery, KqlHuntOptions, KqlHuntVariableQuery>;

const KINDS: Array<SelectableValue<VariableKind>> = [
  {
    value: 'anomalousValues',
    label: 'Anomalous values',
    description: "The field's values flagged by the forest, most anomalous first",
  },
  { value: 'columnValues', label: 'Column values', description: "The distinct values of a column of the KQL's result" },
];

/** The problems of a variable's query: the query's own, and a field to take the values from. */
export function variableProblems(v: KqlHuntVariableQuery) {
  const problems = validateQuery(variableToQuery(v));
  if ((v.field ?? (v.kind === 'columnValues' ? '' : QUERY_DEFAULTS.field)).trim() === '') {
    problems.field = 'field is empty: name the column whose values the variable offers';
  }
  return problems;
}

/**
 * A variable's query. Grafana refreshes the variable on every onChange, so a change is handed over only
 * when committed (blur or pick) and valid, once, as in the query editor.
 */
export function VariableQueryEditor({ query, onChange, datasource, range }: Props) {
  const [draft, setDraft] = useState<KqlHuntVariableQuery>({
    kind: 'anomalousValues',
    kql: QUERY_DEFAULTS.kql,
    ...normalizeQuery(query),
  });
  const latest = useRef(draft);
  const kind = draft.kind ?? 'anomalousValues';
  const problems = variableProblems(draft);
  // The policy's "run" is handing the variable its new query; the draft plays the query.
  const policy = useRunPolicy(
    draft as KqlHuntQuery,
    (q) => {
      latest.current = q as KqlHuntVariableQuery;
      setDraft(q as KqlHuntVariableQuery);
    },
    () => {
      if (Object.keys(variableProblems(latest.current)).length === 0) {
        onChange(latest.current);
      }
    }
  );
  const kql = draft.kql ?? QUERY_DEFAULTS.kql;
  const mode = draft.timeRangeMode ?? QUERY_DEFAULTS.timeRangeMode;
  const fields = useResource(
    kql.trim() === ''
      ? undefined
      : () =>
          datasource.queryFields({
            kql,
            timeRangeMode: mode,
            workspaces: draft.workspaces ?? [],
            ...rangeBody(range),
          }),
    [datasource, kql, mode, `${range?.raw.from}|${range?.raw.to}`]
  );
  const field = draft.field ?? (kind === 'anomalousValues' ? QUERY_DEFAULTS.field : undefined);

  return (
    <EditorRows>
      <EditorRow>
        <EditorField label="Values" htmlFor="variable-kind">
          <RadioButtonGroup<VariableKind>
            id="variable-kind"
            aria-label="Variable values"
            options={KINDS}
            value={kind}
            onChange={(k) => policy.commit({ kind: k } as Partial<KqlHuntQuery>)}
          />
        </EditorField>
        <EditorField
          label="Field"
          htmlFor="variable-field"
          invalid={!!problems.field || !!fields.error}
          error={problems.field ?? (fields.error && `Columns of the query could not be read: ${fields.error}`)}
        >
          <FieldPicker
            inputId="variable-field"
            columns={fields.value ?? []}
            loading={fields.loading}
            value={field}
            invalid={!!problems.field}
            onChange={(f) => policy.commit({ field: f ?? '' })}
          />
        </EditorField>
        {kind === 'anomalousValues' ? (
          <EditorField
            label="Contamination"
            htmlFor="variable-contamination"
            invalid={!!problems.contamination}
            error={problems.contamination}
          >
            <NumberBox
              id="variable-contamination"
              value={draft.contamination}
              placeholder={String(QUERY_DEFAULTS.contamination)}
              invalid={!!problems.contamination}
              onChange={(v) => policy.change({ contamination: v })}
              onBlur={() => policy.commit()}
            />
          </EditorField>
        ) : (
          <></>
        )}
      </EditorRow>
      {kind === 'anomalousValues' && (
        <AdvancedOptions query={draft as KqlHuntQuery} policy={policy} problems={problems} />
      )}
      <EditorField label="KQL" htmlFor="variable-kql" invalid={!!problems.kql} error={problems.kql}>
        <KqlArea id="variable-kql">
          <KqlEditor
            datasource={datasource}
            value={kql}
            height={140}
            resultColumns={fields.value}
            onBlur={(v) => policy.commit(v === kql ? undefined : { kql: v })}
            onRun={(v) => policy.runNow({ kql: v })}
          />
        </KqlArea>
      </EditorField>
    </EditorRows>
  );
}
