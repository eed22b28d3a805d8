import React from 'react';
import { SelectableValue } from '@grafana/data';
// Select and MultiSelect rather than Combobox: @grafana/ui 12.4's Combobox picks the row of the unfiltered
// list on Enter and fires onChange up to three times per mouse pick (docs/editors.md); react-select's
// keyboard path (filter, arrows, Enter, Tab) is correct and fires once.
import { MultiSelect, Select } from '@grafana/ui';

import { Column } from '../types';

interface Props {
  inputId: string;
  /** The columns offered; values not among them (typed, or from a variable) are kept and shown. */
  columns: Column[];
  loading?: boolean;
  invalid?: boolean;
  placeholder?: string;
  width?: number;
}

function options(columns: Column[], current: string[]): Array<SelectableValue<string>> {
  const names = new Set(columns.map((c) => c.name));
  const extra = current.filter((c) => c !== '' && !names.has(c)).map((c) => ({ value: c, label: c }));
  return [...extra, ...columns.map((c) => ({ value: c.name, label: c.name, description: c.type }))];
}

/** Several columns: pick from the query's result or type a name (Enter adds it). One change per pick. */
export function MultiFieldPicker({
  inputId,
  columns,
  values,
  onChange,
  loading,
  invalid,
  placeholder,
  width = 40,
}: Props & { values: string[]; onChange: (v: string[]) => void }) {
  return (
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    <MultiSelect<string>
      inputId={inputId}
      width={width}
      options={options(columns, values)}
      value={values.filter((v) => v !== '')}
      allowCustomValue
      isLoading={loading}
      invalid={invalid}
      placeholder={placeholder ?? 'Pick or type a column'}
      onChange={(picked: Array<SelectableValue<string>>) =>
        onChange(picked.map((p) => p.value ?? '').filter((v) => v !== ''))
      }
    />
  );
}

/** One column: pick from the query's result or type a name. */
export function FieldPicker({
  inputId,
  columns,
  value,
  onChange,
  loading,
  invalid,
  placeholder,
  width = 32,
  clearable,
}: Props & { value?: string; onChange: (v: string | undefined) => void; clearable?: boolean }) {
  return (
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    <Select<string>
      inputId={inputId}
      width={width}
      options={options(columns, value ? [value] : [])}
      value={value || null}
      allowCustomValue
      isClearable={clearable}
      isLoading={loading}
      invalid={invalid}
      placeholder={placeholder ?? 'Pick or type a column'}
      onChange={(picked: SelectableValue<string> | null) => onChange(picked?.value || undefined)}
    />
  );
}
