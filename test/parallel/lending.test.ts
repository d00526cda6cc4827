// The lending workload (bench/lending.ts): an Aave V2 market deployed by transactions, then a price drop
// and a cascade of liquidations. Every liquidation succeeds and pays what Aave's rules say; parallel
// equals sequential on one market (one chain through shared reserves) and on several; @ethereumjs/vm
// agrees.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { executeBlock } from '../../src/block/execute.js';
import { closePools } from '../../src/block/parallel.js';
import { bytesToHex, keccak256 } from '../../src/bytes.js';
import { lendingBlock } from '../../bench/lending.js';
import { EthereumjsRpcBlock } from '../../bench/engines/ethereumjs-rpc.js';

after(closePools);

const outcome = (r: Awaited<ReturnType<typeof executeBlock>>): string =>
  JSON.stringify({ receipts: r.receipts, receiptsRoot: r.receiptsRoot, stateDiffHash: r.stateDiffHash }, (_, v) => (typeof v === 'bigint' ? v.toString() : v));

const LIQUIDATION_CALL = bytesToHex(keccak256(new TextEncoder().encode('LiquidationCall(address,address,address,uint256,uint256,address,bool)')));

test('a liquidation cascade on Aave V2: every borrower is liquidated for half its debt plus the 5% bonus; parallel equals sequential', async () => {
  for (const markets of [1, 4]) {
    const liquidations = 60;
    const inputs = await lendingBlock(liquidations, markets);
    const txs = inputs.block.transactions;
    assert.equal(txs.length, markets + liquidations, 'the price drops, then the liquidations');
    const sequential = await executeBlock({ ...inputs, threads: 1 });
    assert.ok(sequential.receipts.every((r) => r.status === 1), `${markets} market(s): every transaction succeeds`);
    const pool = txs[markets].to!;
    const liquidated = new Set<string>();
    for (const receipt of sequential.receipts.slice(markets)) {
      const log = receipt.logs.find((l) => l.address === pool && l.topics[0] === LIQUIDATION_CALL);
      assert.ok(log, 'the pool logs the liquidation');
      liquidated.add(log.topics[3]);
      const debtCovered = BigInt(log.data.slice(0, 66));
      const collateralTaken = BigInt('0x' + log.data.slice(66, 130));
      assert.ok(debtCovered > 0n);
      // Collateral at 0.85 ETH, debt at 1/2000 ETH, a 5% bonus.
      const expected = Number(debtCovered) * (1 / 2000 / 0.85) * 1.05;
      assert.ok(Math.abs(Number(collateralTaken) / expected - 1) < 1e-9, `collateral taken ${collateralTaken} vs ${expected}`);
    }
    assert.equal(liquidated.size, liquidations, 'each borrower once');
    for (const threads of [2, 3]) {
      const parallel = await executeBlock({ ...inputs, threads, fallback: false });
      assert.equal(outcome(parallel), outcome(sequential), `${markets} market(s), ${threads} threads`);
    }
    const p = (await executeBlock({ ...inputs, threads: 2, fallback: false })).stats.parallel!;
    if (markets === 1) assert.ok(p.criticalPath.txs.length > liquidations / 2, 'one market: the liquidations form one chain through its reserves');
  }
});

test('@ethereumjs/vm runs the lending block to the same gas, receipts root and bloom', async () => {
  const inputs = await lendingBlock(20, 2);
  const parevm = await executeBlock({ ...inputs, threads: 1 });
  const engine = new EthereumjsRpcBlock(inputs, 'lending');
  await engine.load();
  const ethereumjs = await engine.run();
  assert.equal(ethereumjs.gasUsed, parevm.gasUsed);
  assert.equal(ethereumjs.receiptsRoot, parevm.receiptsRoot);
  assert.equal(ethereumjs.logsBloom, parevm.logsBloom);
});
