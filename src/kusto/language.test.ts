import { firstTable, quoteName, suggestionsAt } from './language';

const ctx = {
  columns: [
    { name: 'RemoteIP', type: 'string' },
    { name: 'Odd name', type: 'long' },
  ],
  variables: ['process'],
};
const labels = (before: string, kind?: string) =>
  suggestionsAt(before, ctx)
    .filter((s) => !kind || s.kind === kind)
    .map((s) => s.label);

describe('suggestionsAt', () => {
  it('offers tables at the start', () => {
    expect(labels('', 'table')).toContain('DeviceNetworkEvents');
    expect(labels('Dev', 'table')).toContain('DeviceNetworkEvents');
  });
  it('offers operators after a pipe, and only them', () => {
    const s = suggestionsAt('DeviceNetworkEvents\n| wh', ctx);
    expect(s.every((x) => x.kind === 'operator')).toBe(true);
    expect(s.map((x) => x.label)).toContain('where');
  });
  it('ranks columns first inside an expression, bracketing names that need it', () => {
    const s = suggestionsAt('T | where Re', ctx);
    expect(s[0].kind).toBe('column');
    expect(s.find((x) => x.label === 'Odd name')?.insertText).toBe("['Odd name']");
    expect(s.map((x) => x.kind)).toEqual(expect.arrayContaining(['function', 'keyword', 'macro']));
    const byRank = [...s].sort((a, b) => a.sortText.localeCompare(b.sortText));
    expect(byRank[0].kind).toBe('column');
  });
  it('offers macros and variables after $', () => {
    const s = suggestionsAt('T | where $__ti', ctx);
    expect(s.map((x) => x.label)).toEqual(expect.arrayContaining(['$__timeFilter', '$__contains', '$process']));
    expect(s.find((x) => x.label === '$__timeFilter')?.insertText).toBe('$__timeFilter(TimeGenerated)');
  });
});

describe('firstTable', () => {
  it.each([
    ['DeviceNetworkEvents | take 1', 'DeviceNetworkEvents'],
    ['// hunt\n  DeviceProcessEvents\n| take 1', 'DeviceProcessEvents'],
    ['let x = 1;\nSigninLogs | take 1', 'SigninLogs'],
    ['union A, B', undefined],
    ['', undefined],
  ])('%j -> %s', (kql, want) => {
    expect(firstTable(kql)).toBe(want);
  });
});

describe('quoteName', () => {
  it.each([
    ['RemoteIP', 'RemoteIP'],
    ['Odd name', "['Odd name']"],
    ["it's", "['it\\'s']"],
  ])('%s', (n, want) => expect(quoteName(n)).toBe(want));
});
