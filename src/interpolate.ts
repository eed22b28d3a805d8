import { ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

import { kqlString, quoteMeta, scanLiteral } from './kqlQuote';
import { KqlHuntQuery } from './types';

/**
 * Template variables in a query, as the backend needs them (docs/editors.md, "Variables"):
 *
 * - In `kql`, every value becomes a quoted KQL string literal, and a multi-value or "All" variable a
 *   comma-separated list of literals, ready for `in ($var)` and `$__contains(col, $var)`. Grafana's own
 *   variables written with braces (`${__from}`, `${__interval}`) go in as written when they are a number or a
 *   time span, quoted otherwise. `$__name` is never touched: the backend expands its macros itself, so a
 *   query means the same in a dashboard, in Explore and in an alert rule (which never passes through here).
 *   A dashboard variable inside a KQL string literal ("$v", @"C:\$v") is refused: its value is quoted already
 *   and could end the literal; literals and comments are found as the backend's scanner finds them.
 * - In `field`, `fields`, `values`, `workspaces`, `search`, `pivot` and `lookback`, values go in as they
 *   are (the backend quotes them); in an array key a multi-value variable gives one element per value.
 * - `search.value` with a multi-value variable becomes a regular expression that matches any of the values,
 *   each escaped, in regex mode; text mode has no "or", so it takes one value only.
 *
 * Grafana's default for a multi-value variable, the glob `{a,b}`, never gets through: every replacement
 * here passes a format function. What cannot be interpolated safely is an InterpolationError.
 */

export class InterpolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterpolationError';
  }
}

/** A query key with a variable may expand to at most this many elements (e.g. two variables of 100 values). */
export const MAX_EXPANDED = 10000;

/** What a format function receives about the variable; absent for scoped variables outside dashboards. */
interface VariableInfo {
  name?: string;
  multi?: boolean;
  includeAll?: boolean;
}

type Values = { list: boolean; values: string[] };

function toValues(value: unknown): Values {
  if (Array.isArray(value)) {
    return { list: true, values: value.map((v) => String(v)) };
  }
  return { list: false, values: [value === undefined || value === null ? '' : String(value)] };
}

/** Grafana's variable syntaxes ($var, [[var:fmt]], ${var.path:fmt}), as its template service finds them. */
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

/** A private-use character absent from text, to mark places in Grafana's output unambiguously. */
function sentinel(text: string, skip = ''): string {
  for (let c = 0xe000; c <= 0xf8ff; c++) {
    const ch = String.fromCharCode(c);
    if (!text.includes(ch) && ch !== skip) {
      return ch;
    }
  }
  throw new InterpolationError('the text uses every private-use character; cannot interpolate it safely');
}

const NUMBER_OR_TIMESPAN = /^(-?\d+(\.\d+)?|\d+(\.\d+)?(ms|s|m|h|d))$/;

/** A Grafana built-in (name starting with __) or a scoped variable the template service names not. */
const isGrafanaOwn = (v?: VariableInfo) => !v?.name || v.name.startsWith('__');

function formatKql(value: unknown, variable?: VariableInfo): string {
  const { list, values } = toValues(value);
  if (!list && isGrafanaOwn(variable) && NUMBER_OR_TIMESPAN.test(values[0])) {
    return values[0];
  }
  return values.map(kqlString).join(', ');
}

/** The kql key: quoted literals, the backend's $__ macros left alone. */
export function interpolateKql(kql: string, srv: TemplateSrv, scopedVars?: ScopedVars): string {
  for (const m of kql.matchAll(VARIABLE)) {
    const name = m[2] ?? m[4];
    const fmt = m[3] ?? m[6];
    if (fmt !== undefined && name !== undefined && !name.startsWith('__')) {
      throw new InterpolationError(
        `${m[0]} in the KQL: remove the format (:${fmt}); every value becomes a quoted KQL string and a multi-value variable a list ready for in (...)`
      );
    }
  }
  // String literals are kept as written (see literalVariables); the code between them, comments included,
  // is replaced. Its odd parts are the $__name tokens, kept verbatim for the backend.
  const code = (text: string) =>
    text
      .split(/(\$__\w+)/)
      .map((part, i) => (i % 2 === 1 ? part : srv.replace(part, scopedVars, formatKql)))
      .join('');
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < kql.length;) {
    const lit = scanLiteral(kql, i);
    if (lit === undefined) {
      i++;
      continue;
    }
    if (lit.kind === 'string') {
      out.push(code(kql.slice(start, i)), literalVariables(kql.slice(i, lit.end), srv, scopedVars));
      start = lit.end;
    }
    i = lit.end;
  }
  out.push(code(kql.slice(start)));
  return out.join('');
}

/** What a Grafana variable may not hold inside a string literal: anything that could end or escape one. */
const ENDS_LITERAL = /["'\\`\n\r]/;

/**
 * A string literal of the KQL with its variables. A dashboard variable there is refused: its value would
 * go in quoted (a literal inside a literal) or, raw, could end the literal and inject KQL. Grafana's own
 * variables (${__from:date:iso}) go in as written, when their value cannot end the literal. A $ that is no
 * variable Grafana knows ("^\d+$", "$5", $__name) is left as it is.
 */
function literalVariables(literal: string, srv: TemplateSrv, scopedVars?: ScopedVars): string {
  const raw = (value: unknown) => toValues(value).values.join(',');
  const shownLiteral = literal.length > 60 ? `${literal.slice(0, 60)}…` : literal;
  return literal.replace(VARIABLE, (ref: string, v1?: string, v2?: string, _f2?: string, v3?: string) => {
    const name = v1 ?? v2 ?? v3 ?? '';
    if (/^\$__\w+$/.test(ref)) {
      return ref; // the backend's macros, which it does not expand inside a literal either
    }
    let formatted = false;
    const value = srv.replace(ref, scopedVars, (v: unknown) => {
      formatted = true;
      return raw(v);
    });
    if (!formatted && value === ref) {
      return ref; // not a variable Grafana knows
    }
    if (!name.startsWith('__')) {
      throw new InterpolationError(
        `${ref} is inside a string literal (${shownLiteral}): write ${ref} without quotes, e.g. P == ${ref} or strcat("prefix", ${ref}); the plugin quotes each value as a KQL string`
      );
    }
    if (ENDS_LITERAL.test(value)) {
      throw new InterpolationError(
        `${ref} is inside a string literal (${shownLiteral}) and its value holds a quote, backslash or line break: write ${ref} without quotes; the plugin then quotes its value as a KQL string`
      );
    }
    return value;
  });
}

/**
 * One text with variables, inserted raw, as every combination of the values of its multi-value variables
 * (usually one variable, so one element per value). listFormat, when given, renders a whole list instead.
 */
function expand(
  text: string,
  srv: TemplateSrv,
  scopedVars: ScopedVars | undefined,
  listFormat?: (values: string[]) => string
): string[] {
  const open = sentinel(text);
  const close = sentinel(text, open);
  const captured: string[][] = [];
  const out = srv.replace(text, scopedVars, (value: unknown) => {
    const { list, values } = toValues(value);
    captured.push(list && listFormat ? [listFormat(values)] : values);
    return `${open}${captured.length - 1}${close}`;
  });
  let results = [''];
  let last = 0;
  for (const m of out.matchAll(new RegExp(`${open}(\\d+)${close}`, 'g'))) {
    const literal = out.slice(last, m.index);
    const values = captured[Number(m[1])] ?? [];
    results = results.flatMap((r) => values.map((v) => r + literal + v));
    if (results.length > MAX_EXPANDED) {
      throw new InterpolationError(
        `${JSON.stringify(text)} expands to more than ${MAX_EXPANDED} values: select fewer values of its variables`
      );
    }
    last = (m.index ?? 0) + m[0].length;
  }
  const tail = out.slice(last);
  return results.map((r) => r + tail);
}

/** An array key: one element per value of a multi-value variable. */
function expandList(key: string, items: string[], srv: TemplateSrv, scopedVars?: ScopedVars): string[] {
  const out = items.flatMap((item) => expand(item, srv, scopedVars));
  if (out.length > MAX_EXPANDED) {
    throw new InterpolationError(`${key} expands to more than ${MAX_EXPANDED} values: select fewer values`);
  }
  if (items.length > 0 && out.length === 0) {
    throw new InterpolationError(`${key}: ${JSON.stringify(items)} has no value selected: select at least one`);
  }
  return out;
}

/** A key that holds one value: a variable must give exactly one. */
function expandOne(
  key: string,
  text: string,
  srv: TemplateSrv,
  scopedVars: ScopedVars | undefined,
  hint: string,
  listFormat?: (values: string[]) => string
): string {
  const out = expand(text, srv, scopedVars, listFormat);
  if (out.length !== 1) {
    const shown = out.slice(0, 3).map((v) => JSON.stringify(v));
    throw new InterpolationError(
      `${key}: ${JSON.stringify(text)} gives ${out.length} values (${shown.join(', ')}${out.length > 3 ? ', …' : ''}); ${hint}`
    );
  }
  return out[0];
}

/** A regular expression matching any of the values, each taken literally (RE2 syntax, as the backend's). */
export function anyOf(values: string[]): string {
  return values.length === 1 ? quoteMeta(values[0]) : `(?:${values.map(quoteMeta).join('|')})`;
}

/** The query with every variable replaced as the backend needs it. Throws InterpolationError. */
export function interpolateQuery(query: KqlHuntQuery, srv: TemplateSrv, scopedVars?: ScopedVars): KqlHuntQuery {
  const q: KqlHuntQuery = { ...query };
  if (q.kql !== undefined) {
    q.kql = interpolateKql(q.kql, srv, scopedVars);
  }
  if (q.field !== undefined) {
    q.field = expandOne(
      'field',
      q.field,
      srv,
      scopedVars,
      'put a multi-value variable in fields, one column per value'
    );
  }
  if (q.fields !== undefined) {
    q.fields = expandList('fields', q.fields, srv, scopedVars);
  }
  if (q.values !== undefined) {
    q.values = expandList('values', q.values, srv, scopedVars);
  }
  if (q.workspaces !== undefined) {
    q.workspaces = expandList('workspaces', q.workspaces, srv, scopedVars);
  }
  if (q.pivot !== undefined) {
    q.pivot = expandOne('pivot', q.pivot, srv, scopedVars, 'a query runs one pivot');
  }
  if (q.lookback !== undefined) {
    q.lookback = expandOne('lookback', q.lookback, srv, scopedVars, 'a pivot takes one lookback');
  }
  if (q.search !== undefined) {
    const regex = (q.search.mode ?? 'regex') === 'regex';
    q.search = {
      ...q.search,
      column: expandOne('search.column', q.search.column, srv, scopedVars, 'search looks in one column'),
      value: expandOne(
        'search.value',
        q.search.value,
        srv,
        scopedVars,
        'plain-text search matches one value: switch search to regex mode to match any of several',
        regex ? anyOf : undefined
      ),
    };
  }
  return q;
}
