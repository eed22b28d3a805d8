import React from 'react';
import { SelectableValue } from '@grafana/data';
// See FieldPicker.tsx for why Select rather than Combobox.
import { MultiSelect } from '@grafana/ui';

import { WorkspacesResponse } from '../types';

interface Props {
  inputId: string;
  value: string[];
  known?: WorkspacesResponse;
  loading: boolean;
  invalid?: boolean;
  onChange: (v: string[]) => void;
}

/** Workspaces for one query: the datasource's (GET workspaces) or any GUID typed in; empty means the datasource's. */
export function WorkspacePicker({ inputId, value, known, loading, invalid, onChange }: Props) {
  const options: Array<SelectableValue<string>> = [];
  if (known) {
    options.push({ value: known.default, label: known.default, description: 'default' });
    options.push(...known.additional.map((w) => ({ value: w, label: w, description: 'additional' })));
  }
  for (const w of value) {
    if (!options.some((o) => o.value === w)) {
      options.push({ value: w, label: w });
    }
  }
  return (
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    <MultiSelect<string>
      inputId={inputId}
      width={46}
      options={options}
      value={value}
      allowCustomValue
      isLoading={loading}
      invalid={invalid}
      placeholder="The datasource's workspaces"
      onChange={(picked: Array<SelectableValue<string>>) =>
        onChange(picked.map((p) => (p.value ?? '').trim()).filter((w) => w !== ''))
      }
    />
  );
}
