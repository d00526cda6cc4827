// The browser demo (examples/browser/) in a real Chromium, driven by playwright-core: the bundled
// block on 2 Web Workers must pass its header checks and equal Node's result byte for byte, the
// pictures must render, and a page that is not cross-origin isolated must say so and run on one
// thread when asked. Needs Debian's chromium (.ci/run installs it and sets PAREVM_REQUIRE_BROWSER);
// skipped where it is missing otherwise.
// A screenshot of the page is kept in build/artifacts/.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { executeBlock } from '../../src/block/execute.js';
import { readBlockInputs } from '../../src/block/files.js';
import { closePools } from '../../src/block/parallel.js';

const CHROMIUM = process.env.PAREVM_CHROMIUM ?? '/usr/bin/chromium';
const root = new URL('../../../', import.meta.url);
const artifacts = fileURLToPath(new URL('build/artifacts/', root));

interface Server { url: string; close(): Promise<void> }
const { startServer } = await import(new URL('examples/browser/serve.mjs', root).href) as {
  startServer(options: { port: number; isolation: boolean; quiet: boolean }): Promise<Server>;
};

interface Summary { gasUsed: string; logsBloom: string; receiptsRoot?: string; stateDiffHash: string; receiptsSha256: string; transactions: number }
interface DemoState {
  ready: boolean; running: boolean; done: boolean; error?: string; summary?: Summary; checks?: { text: string; ok: boolean }[];
  stats?: { threads: number }; warnings?: string[];
}

after(closePools);

/** Node's result for the bundled block, summarised as the page summarises its own. */
async function nodeSummary(): Promise<Summary> {
  const r = await executeBlock({ ...readBlockInputs(fileURLToPath(new URL('data/blocks/19932148', root))), threads: 2 });
  const json = JSON.stringify(r.receipts, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
  return { gasUsed: r.gasUsed.toString(), logsBloom: r.logsBloom, receiptsRoot: r.receiptsRoot, stateDiffHash: r.stateDiffHash,
    receiptsSha256: createHash('sha256').update(json).digest('hex'), transactions: r.receipts.length };
}

async function openDemo(browser: Browser, isolation: boolean): Promise<{ page: Page; server: Server; errors: string[] }> {
  const server = await startServer({ port: 0, isolation, quiet: true });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server.url);
  await page.waitForFunction(() => (window as unknown as { parevmDemo?: DemoState }).parevmDemo?.ready === true, null, { timeout: 60_000 });
  return { page, server, errors };
}

/** Clicks `button` and waits for the run it starts to end; returns the page's state. */
async function runOn(page: Page, button: string): Promise<DemoState> {
  await page.evaluate(() => { (window as unknown as { parevmDemo: DemoState }).parevmDemo.done = false; });
  await page.click(button);
  await page.waitForFunction(() => (window as unknown as { parevmDemo: DemoState }).parevmDemo.done, null, { timeout: 120_000 });
  return page.evaluate(() => (window as unknown as { parevmDemo: DemoState }).parevmDemo);
}

test('the browser demo runs the bundled block on 2 workers and equals Node byte for byte', { timeout: 300_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    const missing = `no Chromium at ${CHROMIUM} (apt-get install chromium, or set PAREVM_CHROMIUM)`;
    if (process.env.PAREVM_REQUIRE_BROWSER) assert.fail(missing);
    return t.skip(missing);
  }
  const expected = await nodeSummary();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    // Cross-origin isolated: 2 threads.
    const { page, server, errors } = await openDemo(browser, true);
    try {
      assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), true);
      await page.selectOption('#threads', '2');
      const state = await runOn(page, '#run');
      assert.equal(state.error, undefined);
      assert.equal(state.stats?.threads, 2);
      assert.ok(state.checks && state.checks.length === 4 && state.checks.every((c) => c.ok), JSON.stringify(state.checks));
      assert.deepEqual(state.summary, expected);
      // The pictures: a bar per task (at least one per transaction) and a node per transaction.
      assert.ok(await page.locator('#timeline rect').count() >= expected.transactions);
      assert.equal(await page.locator('#graph circle').count(), expected.transactions);
      assert.ok(await page.locator('#graph path.critical').count() > 0);
      assert.match(await page.locator('#checks').innerText(), /receipts root equals the header/);
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: `${artifacts}browser-demo.png`, fullPage: true });
      // The same block given as files (as a user drops them), on 3 workers.
      const dir = fileURLToPath(new URL('data/blocks/19932148/', root));
      await page.setInputFiles('#files', ['block.json', 'pre_state.json', 'bytecodes.json'].map((f) => dir + f));
      await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('dropped block 19932148'));
      await page.selectOption('#threads', '3');
      const dropped = await runOn(page, '#run');
      assert.equal(dropped.error, undefined);
      assert.equal(dropped.stats?.threads, 3);
      assert.ok(dropped.checks?.every((c) => c.ok), JSON.stringify(dropped.checks));
      assert.deepEqual(dropped.summary, expected);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
      await server.close();
    }

    // Not isolated: a clear error for 2 threads, then one thread when the user allows it.
    const plain = await openDemo(browser, false);
    try {
      assert.equal(await plain.page.evaluate(() => globalThis.crossOriginIsolated), false);
      assert.match(await plain.page.locator('#isolation').innerText(), /not cross-origin isolated/);
      await plain.page.selectOption('#threads', '2');
      const failed = await runOn(plain.page, '#run');
      assert.match(failed.error ?? '', /^SharedMemoryUnavailableError: threads: 2 needs memory shared between threads/);
      assert.match(await plain.page.locator('#error').innerText(), /Cross-Origin-Embedder-Policy: require-corp/);
      assert.equal(await plain.page.locator('#single').isVisible(), true);
      const single = await runOn(plain.page, '#single');
      assert.equal(single.error, undefined);
      assert.equal(single.stats?.threads, 1);
      assert.match(single.warnings?.[0] ?? '', /ran on 1 thread instead of 2/);
      assert.ok(single.checks?.every((c) => c.ok), JSON.stringify(single.checks));
      assert.deepEqual(single.summary, expected);
      assert.deepEqual(plain.errors, []);
    } finally {
      await plain.page.close();
      await plain.server.close();
    }
  } finally {
    await browser.close();
  }
});
