// Uniswap V2 swap blocks for the benchmarks: `swaps` transactions, each a trader of its own swapping
// exact tokens through UniswapV2Router02 (`swapExactTokensForTokens`), over `pairs` pairs (one pair:
// every swap reads and writes its reserves, a hot spot; many pairs: independent but for the router).
//
// The contracts are Uniswap's own builds, from their npm packages' artifacts (@uniswap/v2-core 1.0.1:
// UniswapV2Pair; @uniswap/v2-periphery 1.1.0-beta.0: UniswapV2Router02; both GPL-3.0-or-later, dev
// dependencies of the benchmarks only, never shipped). The tokens are OpenZeppelin's ERC20 (as the
// `erc20` generator's). Nothing is deployed by a transaction: the pre-state holds the runtime codes
// and the storage a deployment and liquidity would have left:
// - each pair at the address the router computes (CREATE2 from the factory, the sorted tokens and the
//   pair's init code hash, which the router embeds): token0 (slot 6), token1 (7), the reserves and
//   timestamp packed in slot 8, `unlocked` (12) = 1, and its token balances equal to the reserves;
// - the router's immutables (`factory`, `WETH`) written into its runtime code where its artifact's
//   `immutableReferences` say (the factory is declared first: the lower AST id);
// - each trader's token balance, and its allowance to the router.

import { createRequire } from 'node:module';
import { bytesToHex, concatBytes, hexToBytes, keccak256 } from '../src/bytes.js';
import type { ExecuteBlockOptions, PreState, RpcTransaction } from '../src/block/types.js';
import { ERC20_RUNTIME } from '../src/generate/erc20.js';
import { GENERATED_ENV, generatedTx } from '../src/generate/index.js';

const require = createRequire(import.meta.url);

interface Artifact {
  evm: { bytecode: { object: string }; deployedBytecode: { object: string; immutableReferences?: Record<string, { start: number; length: number }[]> } };
}

const PAIR = require('@uniswap/v2-core/build/UniswapV2Pair.json') as Artifact;
const ROUTER = require('@uniswap/v2-periphery/build/UniswapV2Router02.json') as Artifact;

const { number: NUMBER, timestamp: TIMESTAMP, baseFee: BASE_FEE } = GENERATED_ENV;
const RESERVE = 10n ** 24n;
const AMOUNT_IN = 10n ** 18n;
const FUNDS = 10n ** 21n;

const hex = (v: bigint): string => '0x' + v.toString(16);
const word = (v: bigint): string => v.toString(16).padStart(64, '0');

function addressOf(role: string, i: number): string {
  return bytesToHex(keccak256(new TextEncoder().encode(`parevm:uniswap:${role}:${i}`)).subarray(12));
}

/** keccak256(pad32(key) ++ pad32(slot)): a Solidity mapping's slot for `key`. */
function mapping(key: string | bigint, slot: bigint): bigint {
  const k = typeof key === 'bigint' ? word(key) : key.slice(2).padStart(64, '0');
  return BigInt(bytesToHex(keccak256(hexToBytes('0x' + k + word(slot)))));
}

function selector(signature: string): string {
  return bytesToHex(keccak256(new TextEncoder().encode(signature)).subarray(0, 4));
}

/** The router's runtime code with its immutables (factory, WETH) written in. */
function routerCode(factory: string, weth: string): string {
  const code = hexToBytes('0x' + ROUTER.evm.deployedBytecode.object);
  const references = ROUTER.evm.deployedBytecode.immutableReferences ?? {};
  const ids = Object.keys(references).map(Number).sort((a, b) => a - b);
  if (ids.length !== 2) throw new Error(`UniswapV2Router02 artifact: expected 2 immutables, found ${ids.length}`);
  ids.forEach((id, k) => {
    const value = hexToBytes('0x' + (k === 0 ? factory : weth).slice(2).padStart(64, '0'));
    for (const { start, length } of references[id]) code.set(value.subarray(32 - length), start);
  });
  return bytesToHex(code);
}

/** A block of `swaps` Uniswap V2 swaps over `pairs` pairs, in the fixture layout executeBlock takes. */
export function uniswapBlock(swaps: number, pairs: number): Omit<ExecuteBlockOptions, 'threads'> {
  const factory = addressOf('factory', 0);
  const router = addressOf('router', 0);
  const weth = addressOf('weth', 0);
  const initCodeHash = bytesToHex(keccak256(hexToBytes('0x' + PAIR.evm.bytecode.object)));
  if (!ROUTER.evm.deployedBytecode.object.includes(initCodeHash.slice(2))) throw new Error('UniswapV2Router02 does not embed the pair artifact\'s init code hash');
  const preState: PreState = {};
  const codes: Record<string, string> = {};
  const codeHash = (code: string): string => {
    const hash = bytesToHex(keccak256(hexToBytes(code)));
    codes[hash] = code;
    return hash;
  };
  const tokenHash = codeHash(ERC20_RUNTIME);
  const pairHash = codeHash('0x' + PAIR.evm.deployedBytecode.object);
  preState[router] = { balance: '0x0', nonce: 1, code_hash: codeHash(routerCode(factory, weth)), storage: {} };
  const tokens: string[] = [];
  const tokenStorage = (token: string): Record<string, string> => preState[token]!.storage!;
  for (let i = 0; i < 2 * pairs; i++) {
    const token = addressOf('token', i);
    tokens.push(token);
    preState[token] = { balance: '0x0', nonce: 1, code_hash: tokenHash, storage: { [hex(2n)]: hex(RESERVE * 4n * BigInt(swaps + 1)) } };
  }
  const pairAddresses: string[] = [];
  for (let k = 0; k < pairs; k++) {
    const [token0, token1] = [tokens[2 * k], tokens[2 * k + 1]].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    const salt = keccak256(hexToBytes(token0 + token1.slice(2)));
    const pair = bytesToHex(keccak256(concatBytes(hexToBytes('0xff'), hexToBytes(factory), salt, hexToBytes(initCodeHash))).subarray(12));
    pairAddresses.push(pair);
    preState[pair] = {
      balance: '0x0', nonce: 1, code_hash: pairHash, storage: {
        [hex(5n)]: factory, [hex(6n)]: token0, [hex(7n)]: token1,
        [hex(8n)]: hex(RESERVE | (RESERVE << 112n) | ((TIMESTAMP - 100n) << 224n)), [hex(12n)]: '0x1',
      },
    };
    tokenStorage(token0)[hex(mapping(pair, 0n))] = hex(RESERVE);
    tokenStorage(token1)[hex(mapping(pair, 0n))] = hex(RESERVE);
  }
  const swap = selector('swapExactTokensForTokens(uint256,uint256,address[],address,uint256)');
  const transactions: RpcTransaction[] = [];
  for (let i = 0; i < swaps; i++) {
    const trader = addressOf('trader', i);
    const k = i % pairs;
    const [tokenIn, tokenOut] = i % 2 === 0 ? [tokens[2 * k], tokens[2 * k + 1]] : [tokens[2 * k + 1], tokens[2 * k]];
    preState[trader] = { balance: hex(FUNDS), nonce: 0, storage: {} };
    tokenStorage(tokenIn)[hex(mapping(trader, 0n))] = hex(AMOUNT_IN);
    tokenStorage(tokenIn)[hex(mapping(router, mapping(trader, 1n)))] = hex(AMOUNT_IN);
    const input = swap + word(AMOUNT_IN) + word(0n) + word(0xa0n) + word(BigInt(trader)) + word(TIMESTAMP + 3600n) +
      word(2n) + word(BigInt(tokenIn)) + word(BigInt(tokenOut));
    transactions.push(generatedTx(trader, 0, router, 0n, 250_000n, input));
  }
  const block = {
    number: hex(NUMBER), miner: addressOf('miner', 0), timestamp: hex(TIMESTAMP), gasLimit: hex(BigInt(swaps) * 250_000n + 30_000_000n),
    difficulty: '0x0', mixHash: bytesToHex(keccak256(new TextEncoder().encode('parevm:uniswap:randao'))), baseFeePerGas: hex(BASE_FEE),
    excessBlobGas: '0x0', blobGasUsed: '0x0', withdrawals: [], uncles: [], transactions,
  };
  return { block, preState, codes };
}
