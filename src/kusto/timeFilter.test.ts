import { ownTimeFilter } from './timeFilter';
import { QUERY_DEFAULTS } from '../defaults';

describe('ownTimeFilter', () => {
  it.each([
    ['T | where TimeGenerated >= ago(1d)', 'TimeGenerated >='],
    ['T | where Timestamp > ago(1h)', 'ago('],
    ['T | where TimeGenerated between (datetime(2024-01-01) .. datetime(2024-01-02))', 'TimeGenerated between'],
    ['T | where TimeGenerated !between (a .. b)', 'TimeGenerated !between'],
    ['T | where datetime(2024-01-01) < TimeGenerated', '< TimeGenerated'],
  ])('finds %s', (kql, want) => {
    expect(ownTimeFilter(kql)).toBe(want);
  });

  it.each([
    [QUERY_DEFAULTS.kql],
    ['T | where $__timeFilter(TimeGenerated)'],
    ['T | where $__timeFilter()'],
    ['T | where TimeGenerated between ($__timeFrom .. $__timeTo)'.replace('TimeGenerated between', 'x between')],
    ['T // where TimeGenerated > ago(1d)\n| take 1'],
    ['T | where Msg == "TimeGenerated > ago(1d)"'],
    ['T | where Msg has @"ago(2d)"'],
  ])('finds none in %s', (kql) => {
    expect(ownTimeFilter(kql)).toBeUndefined();
  });
});
