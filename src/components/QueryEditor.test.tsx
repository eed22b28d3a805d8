import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import { QueryEditor } from './QueryEditor';
import { DataSource } from '../datasource';
import { KqlHuntQuery, NOTEBOOK_KQL } from '../types';

const ds = {} as DataSource;

describe('QueryEditor', () => {
  it('shows the notebook query by default and edits kql', () => {
    const onChange = jest.fn();
    const query: KqlHuntQuery = { refId: 'A' };
    render(<QueryEditor datasource={ds} query={query} onChange={onChange} onRunQuery={jest.fn()} />);
    const area = screen.getByLabelText('KQL query') as HTMLTextAreaElement;
    expect(area.value).toBe(NOTEBOOK_KQL);
    fireEvent.change(area, { target: { value: 'DeviceNetworkEvents | take 5' } });
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', kql: 'DeviceNetworkEvents | take 5' });
  });

  it('switches the time range mode and runs the query', () => {
    const onChange = jest.fn();
    const onRun = jest.fn();
    render(<QueryEditor datasource={ds} query={{ refId: 'A' }} onChange={onChange} onRunQuery={onRun} />);
    fireEvent.click(screen.getByText('Query'));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', timeRangeMode: 'query' });
    expect(onRun).toHaveBeenCalled();
  });

  it('splits workspaces on commas', () => {
    const onChange = jest.fn();
    render(<QueryEditor datasource={ds} query={{ refId: 'A' }} onChange={onChange} onRunQuery={jest.fn()} />);
    fireEvent.change(document.querySelector('#query-workspaces')!, { target: { value: 'a, b,,' } });
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', workspaces: ['a', 'b'] });
  });
});
