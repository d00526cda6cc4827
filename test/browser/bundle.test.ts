// A bundler targeting browsers (esbuild with the "browser" condition) takes the browser platform
// module through package.json's `#platform` import and none of the Node-only code (piscina, node:).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('../../src/index.js', import.meta.url));

test('bundling for the browser leaves out the Node platform and piscina', async () => {
  const result = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', conditions: ['browser'], write: false,
    metafile: true, logLevel: 'silent' });
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.some((i) => i.endsWith('build/src/platform/browser.js')), 'the browser platform module is in');
  assert.ok(inputs.some((i) => i.endsWith('build/src/pool/web.js')), 'the Web Worker pool is in');
  for (const out of ['platform/node.js', 'pool/node.js', 'node_modules/piscina']) {
    assert.ok(!inputs.some((i) => i.includes(out)), `${out} is left out`);
  }
  const code = result.outputFiles[0].text;
  assert.doesNotMatch(code, /from ["']node:|import\(["']node:/);
  // The worker script and the wasm are found next to the module, the way bundlers recognise.
  assert.match(code, /new Worker\(new URL\("\.\.\/parallel\/web-worker\.js", import\.meta\.url\)/);
  assert.match(code, /new URL\("\.\.\/\.\.\/parevm\.wasm", import\.meta\.url\)/);
});
