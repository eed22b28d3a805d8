import React, { useState } from 'react';
import { createRoot } from 'react-dom/client';
import {
  createTheme,
  DataSourceInstanceSettings,
  DataSourceSettings,
  getDefaultTimeRange,
  PluginType,
} from '@grafana/data';
import { setTemplateSrv, TemplateSrv } from '@grafana/runtime';
import { GlobalStyles, ThemeContext } from '@grafana/ui';

import { ConfigEditor } from '../src/components/ConfigEditor';
import { QueryEditor } from '../src/components/QueryEditor';
import { VariableQueryEditor } from '../src/components/VariableQueryEditor';
import { DataSource } from '../src/datasource';
import { plugin } from '../src/module';
import { KqlHuntOptions, KqlHuntQuery, KqlHuntSecureOptions, KqlHuntVariableQuery } from '../src/types';
import { getResource, postResource } from './stubs';

/**
 * The harness page: the plugin's real editors, as Grafana mounts them, with Grafana's dark theme and the
 * backend's resources answered by stubs.ts (after a short delay, as a network would). ?view= picks the
 * editor and ?query= (JSON) the starting query. What the editors hand over is mirrored into the page
 * (#state) and window.harness, for the browser suite to read.
 */

declare global {
  interface Window {
    harness: { changes: unknown[]; runs: number; resourceCalls: string[] };
  }
}
window.harness = { changes: [], runs: 0, resourceCalls: [] };

const params = new URLSearchParams(window.location.search);
const view = params.get('view') ?? 'query';
const initial = JSON.parse(params.get('query') ?? '{}');

const theme = createTheme({ colors: { mode: 'dark' } });

const settings = {
  id: 1,
  uid: 'kqlhunt',
  type: 'kqlhunt-anomaly-datasource',
  name: 'KQL Anomaly Hunting',
  access: 'proxy',
  readOnly: false,
  jsonData: { workspaceId: '11111111-2222-3333-4444-555555555555' },
  meta: {
    id: 'kqlhunt-anomaly-datasource',
    name: 'KQL Anomaly Hunting',
    type: PluginType.datasource,
    module: '',
    baseUrl: '',
    info: {
      author: { name: '' },
      description: '',
      links: [],
      logos: { large: '', small: '' },
      screenshots: [],
      updated: '',
      version: '',
    },
  },
} as unknown as DataSourceInstanceSettings<KqlHuntOptions>;

const datasource = new DataSource(settings);
const delay = () => new Promise((r) => setTimeout(r, 30));
datasource.getResource = async (path: string, p?: Record<string, string>) => {
  window.harness.resourceCalls.push(`GET ${path}`);
  await delay();
  return getResource(path, p) as never;
};
datasource.postResource = async (path: string, body?: unknown) => {
  window.harness.resourceCalls.push(`POST ${path}`);
  await delay();
  return postResource(path, body as { kql?: string }) as never;
};

setTemplateSrv({
  getVariables: () => [{ name: 'process' }, { name: 'device' }],
  replace: (s?: string) => s ?? '',
  containsTemplate: () => false,
  updateTimeRange: () => {},
} as unknown as TemplateSrv);

function State({ value }: { value: unknown }) {
  return (
    <pre id="state" style={{ fontSize: 11, opacity: 0.6, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
      {JSON.stringify({ value, runs: window.harness.runs }, null, 1)}
    </pre>
  );
}

function QueryView() {
  const [query, setQuery] = useState<KqlHuntQuery>({
    refId: 'A',
    ...datasource.getDefaultQuery('explore' as never),
    ...initial,
  });
  const [, setRuns] = useState(0);
  return (
    <>
      <section id="editor">
        <QueryEditor
          datasource={datasource}
          query={query}
          range={getDefaultTimeRange()}
          onChange={(q) => {
            window.harness.changes.push(q);
            setQuery(q);
          }}
          onRunQuery={() => {
            window.harness.runs++;
            setRuns(window.harness.runs);
          }}
        />
      </section>
      <State value={query} />
    </>
  );
}

function VariableView() {
  const [query, setQuery] = useState<KqlHuntVariableQuery>({ refId: 'V', ...initial });
  return (
    <>
      <section id="editor">
        <VariableQueryEditor
          datasource={datasource}
          query={query}
          range={getDefaultTimeRange()}
          onChange={(q) => {
            window.harness.changes.push(q);
            window.harness.runs++;
            setQuery(q);
          }}
          onRunQuery={() => {}}
        />
      </section>
      <State value={query} />
    </>
  );
}

function ConfigView() {
  const [options, setOptions] = useState({
    ...settings,
    jsonData: { ...initial },
    secureJsonFields: {},
  } as unknown as DataSourceSettings<KqlHuntOptions, KqlHuntSecureOptions>);
  return (
    <>
      <section id="editor">
        <ConfigEditor
          options={options}
          onOptionsChange={(o) => {
            window.harness.changes.push(o.jsonData);
            setOptions(o);
          }}
        />
      </section>
      <State value={options.jsonData} />
    </>
  );
}

// The plugin object module.ts exports must hold the same editors mounted here.
if (plugin.components.QueryEditor !== QueryEditor || plugin.components.ConfigEditor !== ConfigEditor) {
  throw new Error('module.ts does not export the editors the harness mounts');
}

function App() {
  return (
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <main style={{ padding: 16, maxWidth: 1200 }} data-view={view}>
        {view === 'config' ? <ConfigView /> : view === 'variable' ? <VariableView /> : <QueryView />}
      </main>
    </ThemeContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
