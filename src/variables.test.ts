import { variableToQuery } from './variables';

describe('variableToQuery', () => {
  it('anomalousValues: an anomaly query with output values and its options', () => {
    expect(
      variableToQuery({
        refId: 'V',
        kind: 'anomalousValues',
        kql: 'T',
        field: 'P',
        contamination: 0.05,
        nEstimators: 50,
      })
    ).toEqual({
      refId: 'V',
      queryType: 'anomaly',
      output: 'values',
      kql: 'T',
      field: 'P',
      contamination: 0.05,
      nEstimators: 50,
    });
  });
  it('a variable saved without a kind is anomalousValues', () => {
    expect(variableToQuery({ refId: 'V', kql: 'T' })).toEqual({
      refId: 'V',
      queryType: 'anomaly',
      output: 'values',
      kql: 'T',
    });
  });
  it('columnValues: a kql query with output values, the field, and no anomaly options', () => {
    expect(
      variableToQuery({
        refId: 'V',
        kind: 'columnValues',
        kql: 'T',
        field: 'DeviceName',
        contamination: 0.05,
        workspaces: ['w'],
      })
    ).toEqual({
      refId: 'V',
      queryType: 'kql',
      output: 'values',
      kql: 'T',
      field: 'DeviceName',
      timeRangeMode: undefined,
      workspaces: ['w'],
    });
  });
});
