import { interpolateQuery, InterpolationError, MAX_EXPANDED } from './interpolate';
import { fakeTemplateSrv, FakeVariable } from './testing/fakeTemplateSrv';
import { KqlHuntQuery } from './types';

const hostile = ['say "hi"', "it's", 'C:\\Temp\\x.exe', 'line1\nline2', '") | union *', 'where', '日本 😀', 'a,b'];

const vars: FakeVariable[] = [
  { name: 'one', current: 'chrome.exe' },
  { name: 'bad', current: '") | union * | where "' },
  { name: 'multi', current: ['a.exe', 'b.exe'], multi: true, options: ['a.exe', 'b.exe', 'c.exe'] },
  { name: 'multi1', current: ['a.exe'], multi: true, options: ['a.exe', 'b.exe'] },
  { name: 'hostile', current: hostile, multi: true, options: hostile },
  { name: 'all', current: '$__all', multi: true, includeAll: true, options: ['x.exe', 'y "z".exe'] },
  { name: 'allCustom', current: '$__all', multi: true, includeAll: true, allValue: 'all', options: ['x.exe'] },
  { name: 'none', current: [], multi: true, options: ['a'] },
  {
    name: 'ws',
    current: ['11111111-2222-3333-4444-555555555555', '66666666-7777-8888-9999-000000000000'],
    multi: true,
  },
  { name: 'col', current: 'DeviceName' },
  { name: 'cols', current: ['DeviceName', 'RemoteIP'], multi: true },
  { name: 'big', current: Array.from({ length: 101 }, (_, i) => `v${i}`), multi: true },
];

const run = (q: Partial<KqlHuntQuery>, scopedVars = {}) =>
  interpolateQuery({ refId: 'A', ...q }, fakeTemplateSrv(vars), scopedVars);

describe('kql', () => {
  it.each([
    ['T | where P == $one', 'T | where P == "chrome.exe"'],
    ['T | where P == ${one}', 'T | where P == "chrome.exe"'],
    ['T | where P == [[one]]', 'T | where P == "chrome.exe"'],
    ['T | where P == $bad', 'T | where P == "\\") | union * | where \\""'],
    ['T | where P in ($multi)', 'T | where P in ("a.exe", "b.exe")'],
    ['T | where P in ($multi1)', 'T | where P in ("a.exe")'],
    ['T | where P in ($all)', 'T | where P in ("x.exe", "y \\"z\\".exe")'],
    [
      'T | where P in ($hostile)',
      'T | where P in ("say \\"hi\\"", "it\\\'s", "C:\\\\Temp\\\\x.exe", "line1\\nline2", "\\") | union *", "where", "日本 😀", "a,b")',
    ],
    ['T | where $__contains(P, $multi)', 'T | where $__contains(P, "a.exe", "b.exe")'],
    ['T | where $__contains(P, $allCustom)', 'T | where $__contains(P, all)'],
    ['T | where $__timeFilter(TimeGenerated) | summarize count() by bin(TimeGenerated, $__interval)', null],
    ['T | where P == $unknown', null],
  ])('%s', (kql, want) => {
    expect(run({ kql }).kql).toBe(want ?? kql);
  });

  it('leaves every $__ name to the backend even when Grafana has a scoped value for it', () => {
    const scoped = { __interval: { text: '1m', value: '1m' }, __interval_ms: { text: '60000', value: '60000' } };
    expect(run({ kql: 'bin(T, $__interval) | x $__interval_ms' }, scoped).kql).toBe(
      'bin(T, $__interval) | x $__interval_ms'
    );
  });

  it('inserts Grafana numbers and time spans written with braces as they are, other built-ins quoted', () => {
    const scoped = {
      __interval: { text: '1m', value: '1m' },
      __from: { text: '', value: 1700000000000 },
      __dashboard: { text: '', value: 'My "board"' },
    };
    expect(run({ kql: 'bin(T, ${__interval}) | where t > ${__from} | extend d = ${__dashboard}' }, scoped).kql).toBe(
      'bin(T, 1m) | where t > 1700000000000 | extend d = "My \\"board\\""'
    );
  });

  it('never lets a glob through, and refuses an explicit format on a dashboard variable', () => {
    const srv = fakeTemplateSrv(vars);
    const out = interpolateQuery({ refId: 'A', kql: 'T | where P in ($multi)' }, srv);
    expect(out.kql).not.toContain('{');
    expect(srv.formats).toEqual([]);
    expect(() => run({ kql: 'T | where P in (${multi:csv})' })).toThrow(
      new InterpolationError(
        '${multi:csv} in the KQL: remove the format (:csv); every value becomes a quoted KQL string and a multi-value variable a list ready for in (...)'
      )
    );
  });
});

describe('kql string literals', () => {
  const inject = ' or true | union SigninLogs | where true or ';
  const srv = () => fakeTemplateSrv([...vars, { name: 'v', current: inject }]);
  const kqlOf = (kql: string, scopedVars = {}) => interpolateQuery({ refId: 'A', kql }, srv(), scopedVars).kql;

  it.each([
    ['T | where P == "$v"', '"$v"'],
    ['T | where P == @"C:\\Users\\$v"', '@"C:\\Users\\$v"'],
    ["T | where P == '$v'", "'$v'"],
    ["T | where P == @'${v}'", "@'${v}'"],
    ['T | where P == h"[[v]]"', '"[[v]]"'],
    ['T | where P == "a \\" $v"', '"a \\" $v"'],
    ['T | where P == "it\'s $v"', '"it\'s $v"'],
    ['T | where P == @"say ""hi"" $v"', '@"say ""hi"" $v"'],
    ['T | where P == ```\n$v\n```', '```\n$v\n```'],
    ['T | where P has "x" or Q == "$multi"', '"$multi"'],
    ['T | where P == "$allCustom"', '"$allCustom"'],
  ])('refuses a variable inside a literal: %s', (kql, literal) => {
    const ref = literal.match(/\$\{?\w+\}?|\[\[\w+\]\]/)![0];
    expect(() => kqlOf(kql)).toThrow(
      new InterpolationError(
        `${ref} is inside a string literal (${literal}): write ${ref} without quotes, e.g. P == ${ref} or strcat("prefix", ${ref}); the plugin quotes each value as a KQL string`
      )
    );
  });

  it('a scoped (repeat) variable inside a literal is refused too', () => {
    expect(() => kqlOf('T | where P == "$host"', { host: { text: 'h', value: 'h' } })).toThrow(
      '$host is inside a string literal ("$host")'
    );
  });

  it('replaces variables outside literals, next to literals that look like variables', () => {
    expect(kqlOf('T | where P == $v and Q == "$5 \\"$" and R matches regex @"^\\d+$" and S == "$unknown"')).toBe(
      `T | where P == "${inject.replace(/"/g, '\\"')}" and Q == "$5 \\"$" and R matches regex @"^\\d+$" and S == "$unknown"`
    );
    expect(kqlOf('T | where P == "$__timeFrom" | where Q == $one')).toBe(
      'T | where P == "$__timeFrom" | where Q == "chrome.exe"'
    );
  });

  it('a quote inside a comment does not start a literal, and a literal ends at its line', () => {
    expect(kqlOf("T // it's $one\n| where P == $one")).toBe('T // it\'s "chrome.exe"\n| where P == "chrome.exe"');
    expect(() => kqlOf('T | where P == "x\n| where Q == $one')).not.toThrow();
    expect(() => kqlOf('T | where P == "x\\\n$one"')).toThrow('$one is inside a string literal');
  });

  it("takes Grafana's own variables inside a literal as written, when they cannot end it", () => {
    const scoped = { __from: { text: '', value: 1700000000000 }, __dashboard: { text: '', value: 'My "board"' } };
    expect(kqlOf('T | where t > todatetime("${__from}")', scoped)).toBe('T | where t > todatetime("1700000000000")');
    expect(() => kqlOf('T | extend d = "${__dashboard}"', scoped)).toThrow(
      '${__dashboard} is inside a string literal ("${__dashboard}") and its value holds a quote, backslash or line break'
    );
  });
});

describe('raw keys', () => {
  it('field takes one value, raw', () => {
    expect(run({ field: '$col' }).field).toBe('DeviceName');
    expect(run({ field: '$bad' }).field).toBe('") | union * | where "');
    expect(() => run({ field: '$cols' })).toThrow(
      'field: "$cols" gives 2 values ("DeviceName", "RemoteIP"); put a multi-value variable in fields, one column per value'
    );
  });

  it.each(['fields', 'values', 'workspaces'] as const)(
    '%s expands a multi-value variable to one element per value',
    (key) => {
      expect(run({ [key]: ['$one'] })[key]).toEqual(['chrome.exe']);
      expect(run({ [key]: ['$multi', 'literal'] })[key]).toEqual(['a.exe', 'b.exe', 'literal']);
      expect(run({ [key]: ['$hostile'] })[key]).toEqual(hostile);
      expect(run({ [key]: ['$all'] })[key]).toEqual(['x.exe', 'y "z".exe']);
      expect(run({ [key]: ['$allCustom'] })[key]).toEqual(['all']);
      expect(run({ [key]: ['pre-${multi}-post'] })[key]).toEqual(['pre-a.exe-post', 'pre-b.exe-post']);
      expect(run({ [key]: ['$multi/$cols'] })[key]).toEqual([
        'a.exe/DeviceName',
        'a.exe/RemoteIP',
        'b.exe/DeviceName',
        'b.exe/RemoteIP',
      ]);
      expect(() => run({ [key]: ['$none'] })).toThrow(`${key}: ["$none"] has no value selected: select at least one`);
    }
  );

  it('workspaces expand too', () => {
    expect(run({ workspaces: ['$ws'] }).workspaces).toEqual([
      '11111111-2222-3333-4444-555555555555',
      '66666666-7777-8888-9999-000000000000',
    ]);
  });

  it('bounds the expansion', () => {
    expect(() => run({ values: ['$big-$big'] })).toThrow(`expands to more than ${MAX_EXPANDED} values`);
  });

  it('a private-use character in the text does not confuse the expansion', () => {
    expect(run({ values: ['\uE000$multi\uE001'] }).values).toEqual(['\uE000a.exe\uE001', '\uE000b.exe\uE001']);
  });

  it('pivot and lookback take one value', () => {
    expect(run({ pivot: '$one', lookback: '${one}' })).toMatchObject({ pivot: 'chrome.exe', lookback: 'chrome.exe' });
    expect(() => run({ pivot: '$multi' })).toThrow('pivot: "$multi" gives 2 values');
  });
});

describe('search', () => {
  it('column takes one value', () => {
    expect(run({ search: { column: '$col', value: 'x' } }).search).toEqual({ column: 'DeviceName', value: 'x' });
    expect(() => run({ search: { column: '$cols', value: 'x' } })).toThrow('search.column');
  });
  it('a single-value variable is the value as typed (a regex in regex mode)', () => {
    expect(run({ search: { column: 'P', value: '$one' } }).search?.value).toBe('chrome.exe');
    expect(run({ search: { column: 'P', value: '$one', mode: 'text' } }).search?.value).toBe('chrome.exe');
  });
  it('a multi-value variable in regex mode matches any of its values literally', () => {
    expect(run({ search: { column: 'P', value: '$multi' } }).search?.value).toBe('(?:a\\.exe|b\\.exe)');
    expect(run({ search: { column: 'P', value: '$multi1', mode: 'regex' } }).search?.value).toBe('a\\.exe');
    expect(run({ search: { column: 'P', value: '$all' } }).search?.value).toBe('(?:x\\.exe|y "z"\\.exe)');
    expect(run({ search: { column: 'P', value: '$hostile' } }).search?.value).toBe(
      '(?:say "hi"|it\'s|C:\\\\Temp\\\\x\\.exe|line1\nline2|"\\) \\| union \\*|where|日本 😀|a,b)'
    );
  });
  it('text mode takes one value of a multi-value variable', () => {
    expect(run({ search: { column: 'P', value: '$multi1', mode: 'text' } }).search?.value).toBe('a.exe');
    expect(() => run({ search: { column: 'P', value: '$multi', mode: 'text' } })).toThrow(
      'plain-text search matches one value: switch search to regex mode to match any of several'
    );
  });
});

describe('other keys', () => {
  it('pass unchanged', () => {
    const q = { contamination: 0.05, nEstimators: 10, output: 'top' as const, topN: 3, hide: false };
    expect(run(q)).toEqual({ refId: 'A', ...q });
  });
});
