/**
 * KQL string literals, by the rules of pkg/macros/quote.go: double quotes; \\ \" \' \n \r \t escaped;
 * every other character as is. JavaScript strings cannot hold invalid UTF-8, but they can hold lone
 * surrogates, which have no UTF-8 form: they become U+FFFD, as Go's strings.ToValidUTF8 makes of bad bytes.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** s without lone surrogates: each becomes U+FFFD. */
export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD');
}

/** s as a double-quoted KQL string literal that the service decodes back to s. */
export function kqlString(s: string): string {
  return '"' + wellFormed(s).replace(/[\\"'\n\r\t]/g, (c) => ESCAPES[c]) + '"';
}

/**
 * s with every regular-expression metacharacter escaped, as Go's regexp.QuoteMeta does, so that the
 * backend's RE2 matches s literally.
 */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** A string literal or a comment in KQL text: where it ends (exclusive) and which it is. */
export interface KqlLiteral {
  end: number;
  kind: 'string' | 'comment';
}

/**
 * The string literal or comment that starts at kql[i], read exactly as the backend's scanner reads it
 * (pkg/kql/scanliteral.go, which pkg/macros uses to step over literals), or undefined when none starts
 * there: '...' and "..." (a backslash escapes the next character; an unterminated one stops at the line's
 * end), @'...' and @"..." (no escapes, a doubled quote stands for one), ```...``` (to the next ```, or the
 * end), and // to the end of the line. An obfuscated h"..." is the literal after the h. Delimiters are
 * ASCII, so reading UTF-16 units finds the same boundaries as Go's bytes.
 */
export function scanLiteral(kql: string, i: number): KqlLiteral | undefined {
  const c = kql[i];
  if (c === '/' && kql[i + 1] === '/') {
    const j = kql.indexOf('\n', i);
    return { end: j < 0 ? kql.length : j, kind: 'comment' };
  }
  if (c === '"' || c === "'") {
    let j = i + 1;
    while (j < kql.length && kql[j] !== '\n') {
      if (kql[j] === c) {
        return { end: j + 1, kind: 'string' };
      }
      j += kql[j] === '\\' ? 2 : 1;
    }
    return { end: Math.min(j, kql.length), kind: 'string' };
  }
  if (c === '@' && (kql[i + 1] === '"' || kql[i + 1] === "'")) {
    const q = kql[i + 1];
    for (let j = i + 2; ;) {
      const k = kql.indexOf(q, j);
      if (k < 0) {
        return { end: kql.length, kind: 'string' };
      }
      if (kql[k + 1] !== q) {
        return { end: k + 1, kind: 'string' };
      }
      j = k + 2;
    }
  }
  if (kql.startsWith('```', i)) {
    const k = kql.indexOf('```', i + 3);
    return { end: k < 0 ? kql.length : k + 3, kind: 'string' };
  }
  return undefined;
}
