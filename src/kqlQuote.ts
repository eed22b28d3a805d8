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
