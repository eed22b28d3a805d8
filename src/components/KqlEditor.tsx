import React, { useEffect, useRef } from 'react';
import { CodeEditor, Monaco, monacoTypes } from '@grafana/ui';
import { getTemplateSrv } from '@grafana/runtime';

import { DataSource } from '../datasource';
import { CompletionContext, firstTable, KUSTO, registerKusto, setCompletionContext } from '../kusto/language';
import { Column } from '../types';
import { useResource } from './useResource';

interface Props {
  datasource: DataSource;
  value: string;
  /** The editor lost focus: the KQL is saved (and the query run once, by the run policy). */
  onBlur: (kql: string) => void;
  /** Shift+Enter: save and run now. */
  onRun: (kql: string) => void;
  /** Columns of the query's result (POST fields), completed besides the table's own. */
  resultColumns?: Column[];
  height?: number;
}

/**
 * The KQL box: Grafana's Monaco CodeEditor with Kusto highlighting and completion of tables, the columns of
 * the query's table (GET schema) and result (POST fields), the plugin's macros and common operators.
 */
export function KqlEditor({ datasource, value, onBlur, onRun, resultColumns, height = 200 }: Props) {
  const table = firstTable(value);
  // Not every first word has a schema (a let name, a typo): completion then offers the rest.
  const schema = useResource(table ? () => datasource.tableSchema(table).catch(() => []) : undefined, [
    datasource,
    table,
  ]);
  const seen = new Set<string>();
  const columns = [...(resultColumns ?? []), ...(schema.value ?? [])].filter(
    (c) => !seen.has(c.name) && !!seen.add(c.name)
  );
  const variables = getTemplateSrv()
    .getVariables()
    .map((v) => v.name);

  // Monaco calls back long after render: it reads the latest context and run handler through refs.
  const ctx = useRef<CompletionContext>({ columns: [], variables: [] });
  const run = useRef(onRun);
  useEffect(() => {
    ctx.current = { columns, variables };
    run.current = onRun;
  });
  const modelUri = useRef<string>();
  useEffect(
    () => () => {
      if (modelUri.current) {
        setCompletionContext(modelUri.current, undefined);
      }
    },
    []
  );

  const onMount = (editor: monacoTypes.editor.IStandaloneCodeEditor, monaco: Monaco) => {
    const uri = editor.getModel()?.uri.toString();
    if (uri) {
      modelUri.current = uri;
      setCompletionContext(uri, () => ctx.current);
    }
    editor.addAction({
      id: 'kqlhunt.run',
      label: 'Run query',
      keybindings: [monaco.KeyMod.Shift | monaco.KeyCode.Enter],
      run: (e) => run.current(e.getValue()),
    });
  };

  return (
    <CodeEditor
      value={value}
      language={KUSTO}
      height={height}
      showLineNumbers
      showMiniMap={false}
      onBeforeEditorMount={registerKusto}
      onEditorDidMount={onMount}
      onBlur={onBlur}
      monacoOptions={{ ariaLabel: 'KQL query', wordWrap: 'on', scrollBeyondLastLine: false, fontSize: 13 }}
    />
  );
}

/**
 * The KQL editor's place in a Field: Field hands its child invalid/disabled props, which a plain div would
 * pass to the DOM; this takes the id the label points at and nothing else.
 */
export function KqlArea({ id, children }: { id: string; children: React.ReactNode }) {
  return <div id={id}>{children}</div>;
}
