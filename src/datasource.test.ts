import { formatVariable, kqlString } from './datasource';

describe('kqlString', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it\\'s'"],
    ['C:\\Temp\\x.exe', "'C:\\\\Temp\\\\x.exe'"],
    ["\\'", "'\\\\\\''"],
  ])('quotes %s', (input, want) => {
    expect(kqlString(input)).toBe(want);
  });
});

describe('formatVariable', () => {
  it('leaves a single value as the author placed it', () => {
    expect(formatVariable('chrome.exe')).toBe('chrome.exe');
  });
  it('quotes each of several values for in (...) and $__contains', () => {
    expect(formatVariable(['a.exe', "b'.exe"])).toBe("'a.exe','b\\'.exe'");
  });
  it('quotes a single value of a multi-value variable', () => {
    expect(formatVariable('a.exe', { multi: true })).toBe("'a.exe'");
  });
});
