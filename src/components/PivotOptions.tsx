import React from 'react';
import { Field, Input, RadioButtonGroup, Stack } from '@grafana/ui';

import { KqlHuntQuery, PivotName } from '../types';

interface Props {
  query: KqlHuntQuery;
  onChange: (patch: Partial<KqlHuntQuery>, run?: boolean) => void;
}

const pivots: Array<{ value: PivotName; label: string; description: string }> = [
  { value: 'parent-process', label: 'Parent process', description: 'Parent differs from the process' },
  { value: 'temp-folder', label: 'Temp folder', description: 'Started from a folder containing "temp"' },
  { value: 'cmd-powershell', label: 'cmd / PowerShell', description: 'Command line has cmd or powershell' },
];

/** The notebook's three saved pivots; without process names they pivot on this query's anomalies. */
export function PivotOptions({ query, onChange }: Props) {
  return (
    <Stack gap={2} wrap="wrap">
      <Field label="Pivot">
        <RadioButtonGroup options={pivots} value={query.pivot} onChange={(v) => onChange({ pivot: v }, true)} />
      </Field>
      <Field label="Processes" description="Comma separated; empty: the anomalies of the KQL below">
        <Input
          id="query-values"
          width={40}
          value={(query.values ?? []).join(', ')}
          onChange={(e) =>
            onChange({
              values: e.currentTarget.value
                .split(',')
                .map((v) => v.trim())
                .filter((v) => v !== ''),
            })
          }
        />
      </Field>
      <Field label="Lookback" description="KQL timespan">
        <Input
          id="query-lookback"
          width={10}
          value={query.lookback ?? ''}
          placeholder="7d"
          onChange={(e) => onChange({ lookback: e.currentTarget.value.trim() || undefined })}
        />
      </Field>
    </Stack>
  );
}
