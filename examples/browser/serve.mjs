#!/usr/bin/env node
// A small static server for the browser demo (examples/browser/index.html), run from a built
// checkout: `node examples/browser/serve.mjs [--port 8080] [--no-isolation]`.
//
// It sends the two headers that make the page cross-origin isolated (shared memory and so threads
// need them): Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp;
// --no-isolation leaves them out, to see how parevm reports their absence. Like a bundler's dev
// server, it rewrites bare module specifiers ('@noble/curves/…', the package's own '#platform') in
// the JavaScript it serves to URLs, so that the page and its workers load parevm's build unbundled.

import { createServer } from 'node:http';
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const page = join(root, 'examples', 'browser');
/** What the server shows: the demo, parevm's build, its dependencies and the bundled blocks. */
const SERVED = ['build/src', 'build/parevm.wasm', 'build/parevm-unshared.wasm', 'node_modules', 'data/blocks', 'examples/browser'];
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css', '.map': 'application/json',
};
const PACKAGE = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));

/** The URL a bare specifier resolves to: the package's own imports under the browser condition, else Node's resolution. */
function resolveBare(specifier) {
  if (specifier.startsWith('#')) {
    const target = PACKAGE.imports?.[specifier];
    return target ? '/' + (target.browser ?? target.default).replace(/^\.\//, '') : undefined;
  }
  try {
    const file = fileURLToPath(import.meta.resolve(specifier));
    return '/' + relative(root, file).split(sep).join('/');
  } catch {
    return undefined;
  }
}

const BARE = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"./][^'"]*)\2/g;

/** JavaScript with its bare specifiers replaced by URLs (node: built-ins are left: the browser build never loads them). */
function rewriteImports(source) {
  return source.replace(BARE, (whole, lead, quote, specifier) => {
    if (specifier.startsWith('node:')) return whole;
    const url = resolveBare(specifier);
    return url ? `${lead}${quote}${url}${quote}` : whole;
  });
}

/**
 * A CommonJS file (a package without "type": "module" that assigns module.exports and has no import
 * or export statement) as an ES module whose default export is module.exports: what bundlers do for
 * the few such dependencies (eventemitter3, behind its own ESM wrapper).
 */
async function commonJsAsModule(file, source) {
  if (!file.includes(`${sep}node_modules${sep}`) || !/\bmodule\.exports\b/.test(source) || /^\s*(import|export)\b/m.test(source)) return source;
  return `const module = { exports: {} }; const exports = module.exports;\n${source}\nexport default module.exports;\n`;
}

/** The bundled blocks (directories of data/blocks with a block.json) and their files, for the page's list. */
async function blockList() {
  const dir = join(root, 'data', 'blocks');
  const names = await readdir(dir).catch(() => []);
  const blocks = [];
  for (const name of names.sort()) {
    const files = await readdir(join(dir, name)).catch(() => []);
    if (files.includes('block.json')) blocks.push({ name, path: `/data/blocks/${name}`, files: files.filter((f) => f.endsWith('.json')) });
  }
  return blocks;
}

/** Starts the server; resolves with its URL and a close function. */
export async function startServer({ port = 8080, host = '127.0.0.1', isolation = true, quiet = false } = {}) {
  const server = createServer(async (request, response) => {
    const headers = isolation
      ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' }
      : {};
    const send = (status, type, body) => {
      response.writeHead(status, { ...headers, 'Content-Type': type, 'Cache-Control': 'no-store' });
      response.end(body);
    };
    try {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
      if (path === '/') return send(200, TYPES['.html'], await readFile(join(page, 'index.html')));
      if (path === '/blocks.json') return send(200, TYPES['.json'], JSON.stringify(await blockList()));
      const file = normalize(join(root, path));
      const inside = relative(root, file).split(sep).join('/');
      if (inside.startsWith('..') || !SERVED.some((s) => inside === s || inside.startsWith(s + '/'))) return send(404, 'text/plain', `not served: ${path}`);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) return send(404, 'text/plain', `not found: ${path}`);
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      const body = await readFile(file);
      if (!type.startsWith('text/javascript')) return send(200, type, body);
      return send(200, type, rewriteImports(await commonJsAsModule(file, body.toString('utf8'))));
    } catch (error) {
      return send(500, 'text/plain', String(error));
    }
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const url = `http://${host}:${server.address().port}/`;
  if (!quiet) console.log(`parevm browser demo at ${url}${isolation ? '' : ' (not cross-origin isolated)'}`);
  return { url, close: () => new Promise((resolve) => server.close(resolve)) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const portAt = args.indexOf('--port');
  await startServer({ port: portAt >= 0 ? Number(args[portAt + 1]) : 8080, isolation: !args.includes('--no-isolation') });
}
