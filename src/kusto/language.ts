import type { Monaco, monacoTypes } from '@grafana/ui';

import { Column } from '../types';
import { FUNCTIONS, KEYWORDS, MACROS, OPERATORS, TABLES } from './vocabulary';

/**
 * Monaco's id for the language registered here. Not "kusto": Grafana shares one Monaco among all
 * plugins, and Azure Monitor and Azure Data Explorer register "kusto" with their own language service,
 * which this plugin must neither replace nor feed.
 */
export const KUSTO = 'kqlhunt-kql';

/** What one editor knows when it completes: the columns of its query's table and result, and variables. */
export interface CompletionContext {
  columns: Column[];
  variables: string[];
}

/** A completion before Monaco's types: what kind of word, what to show and insert, how high to rank it. */
export interface Suggestion {
  kind: 'operator' | 'keyword' | 'function' | 'table' | 'column' | 'macro' | 'variable';
  label: string;
  insertText: string;
  detail?: string;
  sortText: string;
}

/**
 * Where the cursor is, read from the text before it: after a pipe come operators; at the start, a table;
 * a word starting with $ wants macros and variables; anywhere else, columns rank first.
 */
export function suggestionsAt(before: string, ctx: CompletionContext): Suggestion[] {
  const word = /[$\w-]*$/.exec(before)?.[0] ?? '';
  const head = before.slice(0, before.length - word.length).replace(/\/\/[^\n]*/g, '');
  const prev = head.trimEnd().slice(-1);
  const out: Suggestion[] = [];
  const add = (kind: Suggestion['kind'], rank: number, items: Array<Omit<Suggestion, 'kind' | 'sortText'>>) => {
    for (const it of items) {
      out.push({ kind, sortText: `${rank}${it.label.toLowerCase()}`, ...it });
    }
  };
  const plain = (words: string[]) => words.map((w) => ({ label: w, insertText: w }));
  if (word.startsWith('$')) {
    add(
      'macro',
      0,
      MACROS.map((m) => ({ label: m.name, insertText: m.insert, detail: m.doc }))
    );
    add('variable', 1, plain(ctx.variables.map((v) => `$${v}`)));
    return out;
  }
  if (head.trim() === '') {
    add('table', 0, plain(TABLES));
    add('keyword', 1, plain(['let', 'union', 'datatable']));
    return out;
  }
  const columns = ctx.columns.map((c) => ({ label: c.name, insertText: quoteName(c.name), detail: c.type }));
  if (prev === '|') {
    add('operator', 0, plain(OPERATORS));
    return out;
  }
  add('column', 0, columns);
  add('function', 1, plain(FUNCTIONS));
  add('keyword', 2, plain(KEYWORDS));
  add(
    'macro',
    3,
    MACROS.map((m) => ({ label: m.name, insertText: m.insert, detail: m.doc }))
  );
  return out;
}

/** A column name as KQL needs it: bare when it is an identifier, else ['bracketed']. */
export function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

/** The table a query starts from (its first word, after comments and let statements), if any. */
export function firstTable(kql: string): string | undefined {
  const body = kql
    .replace(/\/\/[^\n]*/g, '')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '' && !/^let\b/.test(s));
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\b/.exec(body[body.length - 1] ?? '');
  return m && !['union', 'datatable', 'print', 'range', 'search', 'find'].includes(m[1]) ? m[1] : undefined;
}

const hyphenated = OPERATORS.filter((o) => o.includes('-'));

/** A Monarch grammar: enough for colours that help read a hunt (words, strings, numbers, macros, comments). */
const grammar: monacoTypes.languages.IMonarchLanguage = {
  defaultToken: '',
  keywords: [...OPERATORS.filter((o) => !o.includes(' ')), 'sort', 'order', ...KEYWORDS],
  functions: FUNCTIONS,
  tokenizer: {
    root: [
      [/\/\/.*$/, 'comment'],
      [/\$__\w+/, 'variable.predefined'],
      [/\$\w+|\$\{[^}]*\}|\[\[[^\]]*\]\]/, 'variable'],
      [new RegExp(`(${hyphenated.join('|')})\\b`), 'keyword'],
      [/[@]"/, { token: 'string', next: '@verbatimDouble' }],
      [/[@]'/, { token: 'string', next: '@verbatimSingle' }],
      [/"/, { token: 'string', next: '@double' }],
      [/'/, { token: 'string', next: '@single' }],
      [/\d+(\.\d+)?(ms|microsecond|tick|d|h|m|s)?\b/, 'number'],
      [/[A-Za-z_]\w*/, { cases: { '@keywords': 'keyword', '@functions': 'predefined', '@default': 'identifier' } }],
      [/\|/, 'delimiter'],
      [/[=><!~+\-*/%]+/, 'operator'],
      [/[()[\]{},;.]/, 'delimiter'],
    ],
    double: [
      [/[^\\"]+/, 'string'],
      [/\\./, 'string.escape'],
      [/"/, { token: 'string', next: '@pop' }],
    ],
    single: [
      [/[^\\']+/, 'string'],
      [/\\./, 'string.escape'],
      [/'/, { token: 'string', next: '@pop' }],
    ],
    verbatimDouble: [
      [/[^"]+/, 'string'],
      [/"/, { token: 'string', next: '@pop' }],
    ],
    verbatimSingle: [
      [/[^']+/, 'string'],
      [/'/, { token: 'string', next: '@pop' }],
    ],
  },
};

/** Completion context per editor model (an editor registers its own on mount, removes it on unmount). */
const contexts = new Map<string, () => CompletionContext>();
const registered = new WeakSet<object>();

export function setCompletionContext(modelUri: string, get: (() => CompletionContext) | undefined) {
  if (get) {
    contexts.set(modelUri, get);
  } else {
    contexts.delete(modelUri);
  }
}

/** Registers the kusto language once per Monaco instance: grammar, word rules and the completion provider. */
export function registerKusto(monaco: Monaco) {
  if (registered.has(monaco)) {
    return;
  }
  registered.add(monaco);
  if (!monaco.languages.getLanguages().some((l) => l.id === KUSTO)) {
    monaco.languages.register({ id: KUSTO });
  }
  monaco.languages.setMonarchTokensProvider(KUSTO, grammar);
  monaco.languages.setLanguageConfiguration(KUSTO, {
    comments: { lineComment: '//' },
    brackets: [
      ['(', ')'],
      ['[', ']'],
      ['{', '}'],
    ],
    autoClosingPairs: [
      { open: '(', close: ')' },
      { open: '[', close: ']' },
      { open: '"', close: '"', notIn: ['string'] },
      { open: "'", close: "'", notIn: ['string'] },
    ],
    wordPattern: /(-?\d*\.\d\w*)|([$\w][\w-]*)/g,
  });
  const kinds = monaco.languages.CompletionItemKind;
  const kindOf: Record<Suggestion['kind'], monacoTypes.languages.CompletionItemKind> = {
    operator: kinds.Keyword,
    keyword: kinds.Keyword,
    function: kinds.Function,
    table: kinds.Class,
    column: kinds.Field,
    macro: kinds.Snippet,
    variable: kinds.Variable,
  };
  monaco.languages.registerCompletionItemProvider(KUSTO, {
    triggerCharacters: ['$'],
    provideCompletionItems(model, position) {
      const ctx = contexts.get(model.uri.toString());
      if (!ctx) {
        return { suggestions: [] };
      }
      const before = model.getValueInRange({
        startLineNumber: 1,
        startColumn: 1,
        endLineNumber: position.lineNumber,
        endColumn: position.column,
      });
      const word = /[$\w-]*$/.exec(before)?.[0] ?? '';
      const range = {
        startLineNumber: position.lineNumber,
        endLineNumber: position.lineNumber,
        startColumn: position.column - word.length,
        endColumn: position.column,
      };
      return {
        suggestions: suggestionsAt(before, ctx()).map((s) => ({
          label: s.label,
          kind: kindOf[s.kind],
          insertText: s.insertText,
          detail: s.detail ?? s.kind,
          sortText: s.sortText,
          range,
        })),
      };
    },
  });
}
