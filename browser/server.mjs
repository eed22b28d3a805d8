// A static server for the harness on 127.0.0.1 (a free port): the page, its bundle, and the icons
// @grafana/ui fetches from Grafana's public folder. Every request it cannot answer is recorded, so the
// suite can fail on a missing file instead of rendering a broken editor.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, '..', 'node_modules');
/** The unicons icon set Grafana serves, unpacked by scripts/test-browser.sh (see UNICONS there). */
export const UNICONS = join(here, '.cache', 'unicons', 'svg', 'line');
const roots = [
  ['/dist/', join(here, 'dist')],
  ['/public/build/img/icons/unicons/', UNICONS],
  ['/public/build/img/', join(modules, '@grafana', 'ui', 'dist', 'public', 'img')],
];
/** Grafana's font files, by the names its global styles ask for, from the same fonts on npm (Fontsource). */
const fonts = {
  'Inter-Regular.woff2': 'inter/files/inter-latin-400-normal.woff2',
  'Inter-Italic.woff2': 'inter/files/inter-latin-400-italic.woff2',
  'Inter-Medium.woff2': 'inter/files/inter-latin-500-normal.woff2',
  'Inter-MediumItalic.woff2': 'inter/files/inter-latin-500-italic.woff2',
  'Inter-SemiBold.woff2': 'inter/files/inter-latin-600-normal.woff2',
  'Inter-Bold.woff2': 'inter/files/inter-latin-700-normal.woff2',
};
const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Resolves a URL path under a root, refusing anything that climbs out of it. */
function resolve(path) {
  if (path === '/' || path === '/index.html') {
    return join(here, 'index.html');
  }
  if (path.startsWith('/public/fonts/inter/')) {
    const f = fonts[path.slice('/public/fonts/inter/'.length)];
    return f && join(modules, '@fontsource', f);
  }
  if (path.startsWith('/public/fonts/roboto/')) {
    // Grafana's code font is Roboto Mono, under a Google Fonts file name.
    return join(modules, '@fontsource', 'roboto-mono', 'files', 'roboto-mono-latin-400-normal.woff2');
  }
  for (const [prefix, dir] of roots) {
    if (path.startsWith(prefix)) {
      const file = normalize(join(dir, decodeURIComponent(path.slice(prefix.length))));
      return file.startsWith(dir) ? file : undefined;
    }
  }
  return undefined;
}

export async function serve() {
  const missing = [];
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    const file = resolve(path);
    try {
      if (!file) {
        throw new Error('outside');
      }
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      missing.push(path);
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, missing, close: () => new Promise((ok) => server.close(ok)) };
}
