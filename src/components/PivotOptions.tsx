import React from 'react';
import { SelectableValue } from '@grafana/data';
import { EditorField, EditorRow } from '@grafana/plugin-ui';
// See FieldPicker.tsx for why Select rather than Combobox.
import { Alert, Input, MultiSelect, Select, Text } from '@grafana/ui';

import { QUERY_DEFAULTS } from '../defaults';
import { KqlHuntQuery, PivotInfo } from '../types';
import { anomalyProblems, QueryProblems } from '../validation';
import { RunPolicy } from './useRunPolicy';

interface Props {
  query: KqlHuntQuery;
  policy: RunPolicy;
  problems: QueryProblems;
  pivots: PivotInfo[];
  pivotsLoading: boolean;
  pivotsError?: string;
}

/**
 * The notebook's pivots, listed by GET pivots; values typed one by one (a name may hold commas); without
 * names the pivot runs on the anomalies of the KQL below, scored with the anomaly options.
 */
export function PivotOptions({ query, policy, problems, pivots, pivotsLoading, pivotsError }: Props) {
  const options: Array<SelectableValue<string>> = pivots.map((p) => ({
    value: p.name,
    label: p.title,
    description: p.column ? `${p.description} (on ${p.column})` : p.description,
  }));
  if (query.pivot && !pivots.some((p) => p.name === query.pivot)) {
    options.unshift({ value: query.pivot, label: query.pivot });
  }
  const chosen = pivots.find((p) => p.name === query.pivot);
  // Only a pivot without values has them (validateQuery): its values are the anomalies.
  const scoring = anomalyProblems(problems);
  return (
    <EditorRow>
      <EditorField
        label="Pivot"
        htmlFor="query-pivot"
        invalid={!!problems.pivot || !!pivotsError}
        error={problems.pivot ?? (pivotsError && `The pivots could not be listed: ${pivotsError}`)}
      >
        {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
        <Select<string>
          inputId="query-pivot"
          width={36}
          options={options}
          isLoading={pivotsLoading}
          value={query.pivot ?? null}
          allowCustomValue
          onChange={(v) => policy.commit({ pivot: v.value })}
        />
      </EditorField>
      <EditorField
        label={chosen?.column ? `Values of ${chosen.column}` : 'Process names'}
        htmlFor="query-values"
        tooltip="Each value is matched exactly. Empty: the anomalous values of the KQL below."
        optional
      >
        {/* A multi-select of typed values rather than TagsInput, which refuses values over 50 characters. */}
        {/* eslint-disable-next-line @typescript-eslint/no-deprecated */}
        <MultiSelect<string>
          inputId="query-values"
          width={40}
          options={(query.values ?? []).map((v) => ({ value: v, label: v }))}
          value={query.values ?? []}
          allowCustomValue
          placeholder="Type a name, Enter to add"
          noOptionsMessage="Type a name, Enter to add"
          onChange={(picked: Array<SelectableValue<string>>) => {
            const values = picked.map((p) => p.value ?? '').filter((v) => v !== '');
            policy.commit({ values: values.length ? values : undefined });
          }}
        />
      </EditorField>
      <EditorField
        label="Lookback"
        htmlFor="query-lookback"
        tooltip="How far back the pivot looks: a KQL timespan such as 7d, 12h or 30m."
        invalid={!!problems.lookback}
        error={problems.lookback}
      >
        <Input
          id="query-lookback"
          width={10}
          value={query.lookback ?? ''}
          placeholder={QUERY_DEFAULTS.lookback}
          invalid={!!problems.lookback}
          onChange={(e) => policy.change({ lookback: e.currentTarget.value.trim() || undefined })}
          onBlur={() => policy.commit()}
        />
      </EditorField>
      {query.values?.length ? (
        <Text variant="bodySmall" color="secondary">
          Pivoting on the names given; the KQL is not used.
        </Text>
      ) : (
        <Text variant="bodySmall" color="secondary">
          Pivoting on the anomalies of the KQL below, scored with the anomaly options.
        </Text>
      )}
      {scoring.length > 0 && (
        <Alert severity="error" title="The anomaly options stop this pivot from running">
          {`It scores the KQL's rows with them to find the values: fix them in the Anomalies view, or give the values to pivot on. ${scoring.join('; ')}`}
        </Alert>
      )}
    </EditorRow>
  );
}
