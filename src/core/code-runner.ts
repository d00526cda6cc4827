// Runs bytecode in a small, fixed world: a funded sender, the accounts a caller deploys, one block.
// The unit tests and the interpreter benchmark use it; it executes real transactions through the core.

import { Core, type CoreResult, type StoreAccount } from './core.js';
import { writeBlock, writeTx, type BlockEnv, type TxInput } from './inputs.js';
import { Fork } from '../fork/forks.js';
import { rulesForFork } from '../fork/rules.js';
import { bytesToHex } from '../bytes.js';

/** The sender every call comes from. */
export const RUNNER_SENDER = Uint8Array.from({ length: 20 }, (_, i) => (i === 0 ? 0x5e : i === 19 ? 0x01 : 0));
/** The default block: coinbase 0xc0…, number 1000, timestamp 10^9, gas limit 2^62. */
export const RUNNER_COINBASE = Uint8Array.from({ length: 20 }, (_, i) => (i === 0 ? 0xc0 : 0));

export interface RunnerAccount {
  balance?: bigint;
  nonce?: bigint;
  code?: Uint8Array;
  storage?: Iterable<[bigint, bigint]>;
}

export interface CallOptions {
  data?: Uint8Array;
  value?: bigint;
  gasLimit?: bigint;
  /** Contract creation with `data` as initcode (ignores `to`). */
  create?: boolean;
}

export class CodeRunner {
  private readonly accounts = new Map<string, { address: Uint8Array } & RunnerAccount>();
  private nonce = 0n;
  private block = 0;
  private env: BlockEnv;

  constructor(readonly core: Core, readonly fork: Fork = Fork.Cancun, env: Partial<BlockEnv> = {}) {
    this.env = {
      coinbase: RUNNER_COINBASE, number: 1000n, timestamp: 1_000_000_000n, gasLimit: 1n << 62n, baseFee: 7n,
      prevRandao: 0x1234n, blobBaseFee: 1n, chainId: 1n, blockHashes: [], ...env,
    };
  }

  /** Creates a runner on a fresh memory. */
  static async create(fork = Fork.Cancun, env: Partial<BlockEnv> = {}): Promise<CodeRunner> {
    return new CodeRunner(await Core.create(), fork, env);
  }

  /** Declares an account of the world (applied at the next `reset`). */
  set(address: Uint8Array, account: RunnerAccount): this {
    this.accounts.set(bytesToHex(address), { address, ...account });
    return this;
  }

  /** Rebuilds the world: the declared accounts and the sender with 10^30 wei. */
  reset(): this {
    const core = this.core;
    core.resetState();
    core.putAccount(RUNNER_SENDER, 10n ** 30n, 0n, 0, []);
    for (const a of this.accounts.values()) {
      core.putAccount(a.address, a.balance ?? 0n, a.nonce ?? 0n, core.putCode(a.code ?? new Uint8Array(0)), a.storage ?? []);
    }
    const rules = rulesForFork(this.fork);
    core.configure(this.fork, rules.eips);
    this.block = writeBlock(core, this.env);
    core.setBlock(this.block);
    this.nonce = 0n;
    return this;
  }

  /** Writes a transaction from the sender (valid for the world as it is now); returns its struct. */
  prepare(to: Uint8Array | undefined, options: CallOptions = {}): number {
    const tx: TxInput = {
      type: 2, from: RUNNER_SENDER, to: options.create ? undefined : to, value: options.value ?? 0n,
      gasLimit: options.gasLimit ?? 30_000_000n, nonce: this.nonce, gasPrice: 7n, maxPriorityFeePerGas: 0n,
      maxFeePerBlobGas: 0n, data: options.data ?? new Uint8Array(0), accessList: [], blobVersionedHashes: [],
    };
    if (this.fork < Fork.London) tx.type = 0;
    return writeTx(this.core, tx, this.env.gasLimit);
  }

  /** Executes a prepared transaction and commits it; throws if it is invalid. */
  run(tx: number): CoreResult {
    const validity = this.core.execute(tx);
    if (validity !== 0) throw new Error(`runner transaction invalid: code ${validity}`);
    const result = this.core.result();
    this.core.commit();
    this.nonce++;
    return result;
  }

  /** Calls `to` (or creates) and commits: prepare + run. */
  call(to: Uint8Array | undefined, options: CallOptions = {}): CoreResult {
    return this.run(this.prepare(to, options));
  }

  /** An account of the store as it is now. */
  account(address: Uint8Array): StoreAccount | undefined {
    const hex = bytesToHex(address);
    for (const a of this.core.accounts()) if (bytesToHex(a.address) === hex) return a;
    return undefined;
  }
}
