import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { after } from 'node:test';
import { main } from '../../src/cli.js';
import { closePools } from '../../src/block/parallel.js';

after(closePools);

const fixtures = fileURLToPath(new URL('../../../test/fixtures', import.meta.url));

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

test('run with no arguments executes the bundled block and checks its header', async () => {
  const { code, out } = await cli('run');
  assert.equal(code, 0, out.join('\n'));
  assert.match(out[0], /^block 19932148 \(Cancun\): 227 transactions, 14,378,808 gas$/);
  assert.ok(out.some((l) => /^ {2}✓ gasUsed/.test(l)));
  assert.ok(out.some((l) => /^ {2}✓ logsBloom/.test(l)));
  assert.ok(out.some((l) => /^ {2}✓ receiptsRoot {2}0x[0-9a-f]{64}$/.test(l)));
});

test('run on 2 threads reports the parallel run and its costs', async () => {
  const { code, out } = await cli('run', '--threads', '2', '--no-fallback');
  assert.equal(code, 0, out.join('\n'));
  assert.ok(out.some((l) => /^ {2}parallel: \d+ executions for 227 transactions/.test(l)), out.join('\n'));
  assert.ok(out.some((l) => /^ {2}cost \(warm runs\): [\d.]+ ms of wall time on 2 threads, [\d.]+ ms of CPU in tasks, [\d.]+ ms of it re-executing; 1 thread took [\d.]+ ms: (saved|lost) [\d.]+ ms \(\d+%\)$/.test(l)), out.join('\n'));
  assert.ok(out.some((l) => /^ {2}modelled .*: 2 threads [\d.]+x, 4 threads [\d.]+x, 8 threads [\d.]+x, 16 threads [\d.]+x, 32 threads [\d.]+x$/.test(l)), out.join('\n'));
});

test('run --json reports the fields machines read', async () => {
  const { code, out } = await cli('run', join(fixtures, 'mainnet/blocks/1796867'), '--json', '--threads', '1');
  assert.equal(code, 0);
  const r = JSON.parse(out.join('\n'));
  assert.equal(r.number, 1796867);
  assert.equal(r.fork, 'Homestead');
  assert.equal(r.txCount, 49);
  assert.equal(r.threads, 1);
  assert.deepEqual(r.checks, { gasUsed: true, logsBloom: true, receiptsRoot: null });
  assert.equal(typeof r.wallMs, 'number');
  assert.match(r.stateDiffHash, /^0x[0-9a-f]{64}$/);
});

test('run exits 1 when a header check fails, 2 on bad input', async () => {
  const badDir = join(fixtures, 'mainnet/blocks/46147');
  const { code, err } = await cli('run', join(badDir, 'block.json'));
  assert.equal(code, 2);
  assert.match(err[0], /is a block file: give its pre-state with --prestate FILE/);
  const missing = await cli('run', join(fixtures, 'nope'));
  assert.equal(missing.code, 2);
  assert.match(missing.err[0], /cannot read .*nope: no such file or directory/);
});

test('blocktest passes the bundled blockchain tests', async () => {
  const { code, out } = await cli('blocktest', join(fixtures, 'blocktests'));
  assert.equal(code, 0, out.join('\n'));
  const m = /^(\d+) passed, 0 failed$/.exec(out.at(-1)!);
  assert.ok(m && Number(m[1]) >= 8, out.at(-1));
});
