import { kqlString, quoteMeta, wellFormed } from './kqlQuote';

// Expected literals written by hand from pkg/macros/quote.go's rules.
describe('kqlString', () => {
  it.each([
    ['plain', '"plain"'],
    ['', '""'],
    ['say "hi"', '"say \\"hi\\""'],
    ["it's", '"it\\\'s"'],
    ['C:\\Temp\\x.exe', '"C:\\\\Temp\\\\x.exe"'],
    ['a\nb\rc\td', '"a\\nb\\rc\\td"'],
    ['") | union *', '"\\") | union *"'],
    ['where', '"where"'],
    ['日本語 ✓ 😀', '"日本語 ✓ 😀"'],
    ['\u0000\u001b', '"\u0000\u001b"'],
    ['lone \uD800 high', '"lone \uFFFD high"'],
    ['lone \uDC00 low', '"lone \uFFFD low"'],
    ['pair \uD83D\uDE00 ok', '"pair \uD83D\uDE00 ok"'],
  ])('quotes %j', (input, want) => {
    expect(kqlString(input)).toBe(want);
  });
});

describe('wellFormed', () => {
  it('replaces only unpaired surrogates', () => {
    expect(wellFormed('\uDC00\uD800\uDC00\uD800')).toBe('\uFFFD\uD800\uDC00\uFFFD');
  });
});

describe('quoteMeta', () => {
  it('escapes what Go regexp.QuoteMeta escapes', () => {
    expect(quoteMeta('a.exe')).toBe('a\\.exe');
    expect(quoteMeta('\\.+*?()|[]{}^$')).toBe('\\\\\\.\\+\\*\\?\\(\\)\\|\\[\\]\\{\\}\\^\\$');
    expect(quoteMeta('plain-name_1 "x"')).toBe('plain-name_1 "x"');
  });
});
