// The demo page: runs a block with parevm on one thread and on N Web Workers, checks the results
// against each other and against the block's header, and draws the workers' timeline and the
// dependency graph from `stats.parallel` (executeBlock's `trace` option).
//
// `window.parevmDemo` exposes the state and the last result's summary (for the browser test).

import { executeBlock, SharedMemoryUnavailableError } from 'parevm';

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
const demo = { ready: false, running: false, done: false, error: undefined, summary: undefined };
window.parevmDemo = demo;

/** The inputs chosen: a bundled block (fetched) or dropped files. */
let dropped;

const isolated = globalThis.crossOriginIsolated === true;
$('isolation').textContent = isolated
  ? `Cross-origin isolated: shared memory is available, ${navigator.hardwareConcurrency} cores reported.`
  : 'This page is not cross-origin isolated (the server did not send Cross-Origin-Opener-Policy: same-origin and ' +
    'Cross-Origin-Embedder-Policy: require-corp), so threads cannot share memory: only one thread can run.';

for (let t = 1; t <= Math.max(4, navigator.hardwareConcurrency || 1); t++) $('threads').add(new Option(String(t), String(t), t === 2, t === 2));

async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot fetch ${url}: ${response.status}`);
  return response.json();
}

async function bundledInputs({ path, files }) {
  const optional = (name) => (files.includes(name) ? fetchJson(`${path}/${name}`) : undefined);
  const [block, preState, codes, blockHashes] = await Promise.all([
    fetchJson(`${path}/block.json`), fetchJson(`${path}/pre_state.json`), optional('bytecodes.json'), optional('block_hashes.json'),
  ]);
  return { block, preState, codes, blockHashes };
}

async function droppedInputs(files) {
  const byName = new Map([...files].map((f) => [f.name, f]));
  const read = async (name, optional = false) => {
    const file = byName.get(name);
    if (!file) {
      if (optional) return undefined;
      throw new Error(`drop ${name} too (got ${[...byName.keys()].join(', ') || 'nothing'})`);
    }
    try {
      return JSON.parse(await file.text());
    } catch (error) {
      throw new Error(`${name} is not valid JSON: ${error.message}`);
    }
  };
  return { block: await read('block.json'), preState: await read('pre_state.json'), codes: await read('bytecodes.json', true),
    blockHashes: await read('block_hashes.json', true) };
}

const hex = (v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v);
const json = (value) => JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v));

async function sha256(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** What must not depend on the thread count (and what the test compares with Node's result). */
async function summarise(r) {
  return { gasUsed: r.gasUsed.toString(), logsBloom: r.logsBloom, receiptsRoot: r.receiptsRoot, stateDiffHash: r.stateDiffHash,
    receiptsSha256: await sha256(json(r.receipts)), transactions: r.receipts.length };
}

/** Median of a few runs' execution times, and the last result. */
async function timed(inputs, options, runs) {
  const times = [];
  let last;
  for (let i = 0; i < runs; i++) {
    last = await executeBlock({ ...inputs, ...options });
    times.push(last.stats.executionMs);
  }
  times.sort((a, b) => a - b);
  return { ms: times[times.length >> 1], result: last };
}

async function run(options = {}) {
  demo.running = true;
  demo.done = false;
  demo.error = undefined;
  $('error').hidden = true;
  $('single').hidden = true;
  $('run').disabled = true;
  try {
    const inputs = dropped ?? await bundledInputs(blocks[$('block').selectedIndex]);
    const threads = Number($('threads').value);
    $('status').textContent = 'Running on one thread…';
    const single = await timed(inputs, { threads: 1 }, 3);
    $('status').textContent = `Running on ${threads} threads…`;
    const parallel = await timed(inputs, { threads, trace: true, fallback: $('fallback').checked, ...options }, 3);
    const [s, p] = [await summarise(single.result), await summarise(parallel.result)];
    show(inputs.block, single, parallel, s, p);
    demo.summary = p;
    demo.sequentialSummary = s;
    demo.stats = { threads: parallel.result.stats.threads, parallel: parallel.result.stats.parallel && {
      executions: parallel.result.stats.parallel.executions, aborts: parallel.result.stats.parallel.aborts,
      sequentialFallback: parallel.result.stats.parallel.sequentialFallback } };
    demo.warnings = parallel.result.warnings;
    $('status').textContent = `Done: block ${parallel.result.number}, ${parallel.result.receipts.length} transactions.`;
  } catch (error) {
    demo.error = `${error.name}: ${error.message}`;
    $('status').textContent = 'Failed.';
    $('error').textContent = demo.error;
    $('error').hidden = false;
    if (error instanceof SharedMemoryUnavailableError) $('single').hidden = false;
  } finally {
    demo.running = false;
    demo.done = true;
    $('run').disabled = false;
  }
}

function show(block, single, parallel, s, p) {
  const r = parallel.result;
  const checks = [
    ['gas used equals the header', s.gasUsed === BigInt(block.gasUsed).toString()],
    ['logs bloom equals the header', s.logsBloom === block.logsBloom],
    ...(block.receiptsRoot && r.receiptsRoot !== undefined ? [['receipts root equals the header', s.receiptsRoot === block.receiptsRoot]] : []),
    [`${r.stats.threads} threads give the one-thread result byte for byte (receipts, roots, state diff)`, json(s) === json(p)],
  ];
  $('checks').replaceChildren(...checks.map(([text, ok]) => Object.assign(document.createElement('li'), { className: ok ? 'ok' : 'bad', textContent: text })));
  demo.checks = checks.map(([text, ok]) => ({ text, ok }));

  const stats = r.stats.parallel;
  const rows = [
    ['1 thread', `${single.ms.toFixed(2)} ms`],
    [`${r.stats.threads} threads`, `${parallel.ms.toFixed(2)} ms`],
    ['speedup', `${(single.ms / parallel.ms).toFixed(2)}x`],
  ];
  if (stats) {
    rows.push(['executions', `${stats.executions} for ${r.receipts.length} transactions (${stats.aborts} re-executed after a failed validation, ${stats.dependencyWaits} stopped to wait)`]);
    if (stats.sequentialFallback) rows.push(['ran sequentially after all', stats.sequentialFallback]);
  }
  for (const w of r.warnings) rows.push(['warning', w]);
  $('timing').replaceChildren(...rows.map(([k, v]) => {
    const tr = document.createElement('tr');
    tr.append(Object.assign(document.createElement('th'), { textContent: k }), Object.assign(document.createElement('td'), { textContent: v }));
    return tr;
  }));
  drawTimeline(r.stats);
  drawGraph(stats, r);
  $('results').hidden = false;
}

function el(name, attributes, title) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  if (title) e.appendChild(document.createElementNS(SVG, 'title')).textContent = title;
  return e;
}

function drawTimeline(stats) {
  const svg = $('timeline');
  svg.replaceChildren();
  const tasks = stats.timeline ?? [];
  const fallback = stats.parallel?.sequentialFallback;
  if (tasks.length === 0) {
    svg.setAttribute('viewBox', '0 0 1000 40');
    svg.append(el('text', { x: 10, y: 24 }, undefined));
    svg.lastChild.textContent = 'no transactions';
    return;
  }
  const workers = Math.max(...tasks.map((t) => t.worker)) + 1;
  const end = Math.max(...tasks.map((t) => t.endMs));
  const [left, width, row] = [70, 920, 34];
  svg.setAttribute('viewBox', `0 0 1000 ${workers * row + 30}`);
  const x = (ms) => left + (ms / end) * width;
  for (let w = 0; w < workers; w++) {
    svg.append(el('text', { x: 4, y: w * row + 21 }));
    svg.lastChild.textContent = fallback || !stats.parallel ? 'one thread' : `worker ${w + 1}`;
  }
  for (const t of tasks) {
    const kind = t.kind === 'execute' ? (t.conflict ? 'conflict' : t.incarnation > 0 ? 'reexecute' : 'execute') : t.kind;
    const thin = t.kind === 'validate';
    const what = t.kind === 'receipts' ? `receipts of transactions ${t.tx}–${t.tx + t.incarnation - 1}`
      : `transaction ${t.tx}, incarnation ${t.incarnation}: ${kind === 'conflict' ? 'stopped by an estimate' : t.kind === 'validate' ? (t.conflict ? 'validation failed' : 'validated') : 'executed'}`;
    svg.append(el('rect', { class: kind, x: x(t.startMs), y: t.worker * row + (thin ? 20 : 6), width: Math.max(0.6, x(t.endMs) - x(t.startMs)), height: thin ? 8 : 14 },
      `${what} (${t.startMs.toFixed(3)}–${t.endMs.toFixed(3)} ms)`));
  }
  svg.append(el('text', { x: left, y: workers * row + 20 }));
  svg.lastChild.textContent = '0 ms';
  svg.append(el('text', { x: left + width - 50, y: workers * row + 20 }));
  svg.lastChild.textContent = `${end.toFixed(2)} ms`;
}

function drawGraph(stats, r) {
  const svg = $('graph');
  svg.replaceChildren();
  const n = r.receipts.length;
  const edges = stats?.dependencies ?? [];
  const path = new Set(stats?.criticalPath.txs ?? []);
  const critical = new Set();
  const chain = stats?.criticalPath.txs ?? [];
  for (let i = 1; i < chain.length; i++) critical.add(`${chain[i]}-${chain[i - 1]}`);
  const [left, width, base] = [20, 960, 150];
  svg.setAttribute('viewBox', `0 0 1000 ${base + 30}`);
  const x = (i) => left + (n <= 1 ? 0 : (i / (n - 1)) * width);
  for (const [i, j] of edges) {
    const on = critical.has(`${i}-${j}`);
    const span = x(i) - x(j);
    const height = Math.min(base - 10, 8 + span / 2);
    svg.append(el('path', { class: on ? 'arc critical' : 'arc', d: `M ${x(j)} ${base} C ${x(j)} ${base - height}, ${x(i)} ${base - height}, ${x(i)} ${base}` },
      `transaction ${i} read what transaction ${j} wrote`));
  }
  for (let i = 0; i < n; i++) {
    svg.append(el('circle', { class: path.has(i) ? 'node critical' : 'node', cx: x(i), cy: base, r: path.has(i) ? 2.6 : 1.6 },
      `transaction ${i}: ${r.receipts[i].gasUsed} gas`));
  }
  svg.append(el('text', { x: left, y: base + 20 }));
  svg.lastChild.textContent = 'transaction 0';
  svg.append(el('text', { x: left + width - 80, y: base + 20 }));
  svg.lastChild.textContent = `transaction ${n - 1}`;
  const gas = Number(r.gasUsed);
  $('graph-note').textContent = stats
    ? `${edges.length} dependencies among ${n} transactions; the critical path has ${chain.length} transaction(s) and ` +
      `${(100 * (stats.criticalPath.gas / Math.max(1, gas))).toFixed(0)}% of the block's gas, so at most ` +
      `${(gas / Math.max(1, stats.criticalPath.gas)).toFixed(1)}x from parallelism on this block, whatever the threads.`
    : '';
}

// Setup: the bundled blocks, the drop zone, the buttons.
const blocks = await fetchJson('/blocks.json');
for (const b of blocks) $('block').add(new Option(`block ${b.name} (bundled)`, b.path));
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
const useFiles = async (files) => {
  drop.classList.remove('over');
  try {
    dropped = await droppedInputs(files);
    $('status').textContent = `Using the dropped block ${BigInt(dropped.block.number)}.`;
  } catch (error) {
    dropped = undefined;
    $('error').textContent = error.message;
    $('error').hidden = false;
  }
};
drop.addEventListener('drop', (e) => { e.preventDefault(); useFiles(e.dataTransfer.files); });
$('files').addEventListener('change', (e) => useFiles(e.target.files));
$('block').addEventListener('change', () => { dropped = undefined; });
$('run').addEventListener('click', () => run());
$('single').addEventListener('click', () => run({ allowSingleThread: true }));
$('run').disabled = false;
$('status').textContent = 'Ready: pick a block and the threads, then Run.';
demo.ready = true;
