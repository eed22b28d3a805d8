// Bundles the harness page (browser/harness.tsx: the real editors with Grafana's UI, React and Monaco,
// which Grafana would provide at run time) and Monaco's editor worker, with esbuild, into browser/dist.
import * as esbuild from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export async function build() {
  await esbuild.build({
    absWorkingDir: join(here, '..'),
    entryPoints: {
      harness: 'browser/harness.tsx',
      'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
    },
    outdir: 'browser/dist',
    bundle: true,
    format: 'iife',
    target: 'chrome110',
    jsx: 'automatic',
    logLevel: 'warning',
    sourcemap: false,
    // Development React: its warnings reach the console, which the suite requires to stay clean.
    define: { 'process.env.NODE_ENV': '"development"', global: 'window' },
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file', '.png': 'file' },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build();
}
