/**
 * Finds a time filter written in the KQL itself (ago(...), between, a comparison on TimeGenerated), so the
 * editor can say that, with the dashboard's time range also sent, the service applies both and the
 * narrower one wins: "Last 7 days" over a query with ago(1d) shows one day.
 */

/** Comments, string literals and the plugin's own time macros say nothing about a filter of the query's own. */
function strip(kql: string): string {
  return kql
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/@"[^"]*"|@'[^']*'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""')
    .replace(/\$__time(Filter|From|To)\b(\([^)]*\))?/g, ' ');
}

const PATTERNS: RegExp[] = [
  /\bago\s*\(/,
  /\bTimeGenerated\s+!?between\b/,
  /\bTimeGenerated\s*(>=|<=|>|<|==)/,
  /(>=|<=|>|<|==)\s*TimeGenerated\b/,
];

/** The first own time filter in kql, as written (e.g. "ago("), or undefined. */
export function ownTimeFilter(kql: string): string | undefined {
  const text = strip(kql);
  const found = PATTERNS.map((p) => p.exec(text))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => a.index - b.index)[0];
  return found?.[0].replace(/\s+/g, ' ');
}
