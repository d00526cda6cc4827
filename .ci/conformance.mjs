// Runs a parevm conformance command with --json and fails if it does worse than the baseline in
// .ci/baseline.json (minimum passed, maximum failed, per command).
import { readFileSync } from 'node:fs';
import { main } from '../build/src/cli.js';

const [command, ...args] = process.argv.slice(2);
const baseline = JSON.parse(readFileSync(new URL('./baseline.json', import.meta.url), 'utf8'))[command];
const lines = [];
const status = await main([command, ...args, '--json'], (line) => lines.push(line));
if (status === 2) process.exit(2);
const report = JSON.parse(lines.join('\n'));
for (const f of report.failures) console.log(`FAIL ${f.file} ${f.test} ${f.fork}: ${f.detail}`);
console.log(`${command}: ${report.passed} passed, ${report.failed} failed, skipped ${JSON.stringify(report.skipped)}`);
console.log(`baseline: at least ${baseline.minPassed} passed, at most ${baseline.maxFailed} failed`);
if (report.passed < baseline.minPassed || report.failed > baseline.maxFailed) {
  console.log(`${command}: below the baseline`);
  process.exit(1);
}
