import React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';

import { VariableQueryEditor } from './VariableQueryEditor';
import { fakeDataSource } from '../testing/editors';
import { KqlHuntVariableQuery } from '../types';

jest.mock('./KqlEditor', () => ({
  KqlArea: ({ id, children }: { id: string; children: React.ReactNode }) => <div id={id}>{children}</div>,
  KqlEditor: (p: { value: string; onBlur: (v: string) => void }) => (
    <textarea aria-label="KQL query" defaultValue={p.value} onBlur={(e) => p.onBlur(e.currentTarget.value)} />
  ),
}));

function setup(query: KqlHuntVariableQuery) {
  const onChange = jest.fn();
  render(
    <VariableQueryEditor datasource={fakeDataSource()} query={query} onChange={onChange} onRunQuery={jest.fn()} />
  );
  return onChange;
}

const settle = () => act(async () => {});
const byId = (id: string) => document.querySelector(`#${id}`) as HTMLInputElement;

describe('VariableQueryEditor', () => {
  it('hands over a changed, valid query once per change', async () => {
    const onChange = setup({ refId: 'V', kind: 'anomalousValues' });
    await settle();
    fireEvent.change(byId('variable-contamination'), { target: { value: '0.05' } });
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.blur(byId('variable-contamination'));
    fireEvent.blur(byId('variable-contamination'));
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange.mock.lastCall[0]).toMatchObject({ kind: 'anomalousValues', contamination: 0.05 });
  });

  it('does not hand over an invalid query, and says why', async () => {
    const onChange = setup({ refId: 'V', kind: 'anomalousValues' });
    await settle();
    fireEvent.change(byId('variable-contamination'), { target: { value: '0.7' } });
    fireEvent.blur(byId('variable-contamination'));
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByText(/contamination 0.7 is not valid/)).toBeInTheDocument();
  });

  it('column values need a column before anything runs', async () => {
    const onChange = setup({ refId: 'V', kind: 'anomalousValues' });
    await settle();
    fireEvent.click(screen.getByText('Column values'));
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByText('field is empty: name the column whose values the variable offers')).toBeInTheDocument();
    const field = byId('variable-field');
    fireEvent.focus(field);
    fireEvent.change(field, { target: { value: 'DeviceN' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange.mock.lastCall[0]).toMatchObject({ kind: 'columnValues', field: 'DeviceName' });
  });
});
