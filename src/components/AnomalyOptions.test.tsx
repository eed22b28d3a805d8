import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import { QueryEditor } from './QueryEditor';
import { columnOptions, parseContamination } from './AnomalyOptions';
import { DataSource } from '../datasource';

const ds = {} as DataSource;

describe('parseContamination', () => {
  it.each([
    ['', undefined],
    ['  ', undefined],
    ['0.05', 0.05],
    ['auto', 'auto'],
    ['lots', 'lots'],
  ])('%p -> %p', (input, want) => {
    expect(parseContamination(input)).toBe(want);
  });
});

describe('columnOptions', () => {
  it('offers the result columns without the score fields and keeps the current field', () => {
    expect(columnOptions(['DeviceName', 'Outlier', 'Anomaly', 'Anomaly_Score', 'RemoteIP'], 'Custom')).toEqual([
      { value: 'Custom', label: 'Custom' },
      { value: 'DeviceName', label: 'DeviceName' },
      { value: 'RemoteIP', label: 'RemoteIP' },
    ]);
    expect(columnOptions(undefined, 'InitiatingProcessFileName')).toEqual([
      { value: 'InitiatingProcessFileName', label: 'InitiatingProcessFileName' },
    ]);
  });
});

describe('anomaly options', () => {
  it('are shown for anomaly queries only', () => {
    const { rerender } = render(
      <QueryEditor
        datasource={ds}
        query={{ refId: 'A', queryType: 'kql' }}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    expect(document.querySelector('#query-field')).toBeNull();
    rerender(
      <QueryEditor
        datasource={ds}
        query={{ refId: 'A', queryType: 'anomaly' }}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    expect(document.querySelector('#query-field')).not.toBeNull();
  });

  it('write the contract keys', () => {
    const onChange = jest.fn();
    const onRun = jest.fn();
    const query = { refId: 'A', queryType: 'anomaly' as const };
    render(<QueryEditor datasource={ds} query={query} onChange={onChange} onRunQuery={onRun} />);
    fireEvent.change(document.querySelector('#query-contamination')!, { target: { value: '0.02' } });
    expect(onChange).toHaveBeenLastCalledWith({ ...query, contamination: 0.02 });
    fireEvent.click(screen.getByText('Frequency'));
    expect(onChange).toHaveBeenLastCalledWith({ ...query, encoding: 'frequency' });
    expect(onRun).toHaveBeenCalled();
    fireEvent.change(document.querySelector('#query-search-value')!, { target: { value: 'chrome' } });
    expect(onChange).toHaveBeenLastCalledWith({ ...query, search: { column: '', value: 'chrome' } });
  });
});

describe('pivot options', () => {
  it('choose a pivot, take process names, and hide the KQL when names are given', () => {
    const onChange = jest.fn();
    const query = { refId: 'A', queryType: 'pivot' as const };
    const { rerender } = render(
      <QueryEditor datasource={ds} query={query} onChange={onChange} onRunQuery={jest.fn()} />
    );
    fireEvent.click(screen.getByText('Temp folder'));
    expect(onChange).toHaveBeenLastCalledWith({ ...query, pivot: 'temp-folder' });
    fireEvent.change(document.querySelector('#query-values')!, { target: { value: 'a.exe, b.exe,' } });
    expect(onChange).toHaveBeenLastCalledWith({ ...query, values: ['a.exe', 'b.exe'] });
    expect(screen.queryByLabelText('KQL query')).not.toBeNull();
    rerender(
      <QueryEditor datasource={ds} query={{ ...query, values: ['a.exe'] }} onChange={onChange} onRunQuery={jest.fn()} />
    );
    expect(screen.queryByLabelText('KQL query')).toBeNull();
  });
});
