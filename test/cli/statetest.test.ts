import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli.js';

const fixtures = fileURLToPath(new URL('../../../test/fixtures/statetests', import.meta.url));

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

test('statetest passes every bundled Ethereum state test', async () => {
  const { code, out } = await cli('statetest', fixtures);
  const last = out.at(-1) ?? '';
  const m = /^(\d+) passed, (\d+) failed$/.exec(last);
  assert.ok(m, `closing line: ${last}`);
  assert.equal(m[2], '0', out.join('\n'));
  assert.ok(Number(m[1]) > 300, `only ${m[1]} cases ran`);
  assert.equal(code, 0);
});

test('statetest --fork selects one fork and --json reports counts', async () => {
  const { code, out } = await cli('statetest', join(fixtures, 'stExample'), '--fork', 'Cancun', '--json');
  const report = JSON.parse(out.join('\n'));
  assert.equal(report.failed, 0);
  assert.ok(report.passed > 0);
  assert.equal(code, 0);
});

test('a wrong expected state root is reported as a failure', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parevm-'));
  const file = join(dir, 'broken.json');
  const json = JSON.parse(readFileSync(join(fixtures, 'stExample/add11_yml.json'), 'utf8'));
  const test0 = Object.values(json)[0] as { post: Record<string, { hash: string }[]> };
  test0.post.Cancun[0].hash = '0x' + '11'.repeat(32);
  writeFileSync(file, JSON.stringify(json));
  const { code, out } = await cli('statetest', file, '--fork', 'Cancun');
  assert.equal(code, 1);
  assert.match(out[0], /^FAIL .*broken\.json add11.* Cancun\[d0,g0,v0\]: state root 0x[0-9a-f]{64}, expected 0x1111/);
  assert.match(out.at(-1)!, /^0 passed, 1 failed$/);
});

test('bad input gets a one-line error and exit status 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parevm-'));
  writeFileSync(join(dir, 'not-json.json'), '{ nope');
  writeFileSync(join(dir, 'other.json'), '{"a": 1}');
  const cases: [string[], RegExp][] = [
    [['statetest', join(dir, 'missing.json')], /cannot read .*missing\.json: ENOENT/],
    [['statetest', join(dir, 'not-json.json')], /not-json\.json: not valid JSON/],
    [['statetest', join(dir, 'other.json')], /other\.json: not a state test/],
    [['statetest', fixtures, '--fork', 'Osaka'], /unknown fork "Osaka"; known: Frontier/],
    [['statetest'], /needs at least one file/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['statetest', fixtures, '--threads', '2'], /statetest: unknown option --threads; known: --fork, --json/],
    [['run', '--thread', '2'], /run: unknown option --thread; known: --prestate/],
    [['generate', 'erc20', '--txs'], /--txs needs a value/],
  ];
  for (const [argv, message] of cases) {
    const { code, err } = await cli(...argv);
    assert.equal(code, 2, argv.join(' '));
    assert.match(err[0], message);
  }
});

test('--help after a command prints the usage instead of running it', async () => {
  for (const argv of [['run', '--help'], ['statetest', '-h'], ['generate', 'erc20', '--help']]) {
    const { code, out } = await cli(...argv);
    assert.equal(code, 0, argv.join(' '));
    assert.match(out[0], /^usage: parevm <command>/);
  }
});
