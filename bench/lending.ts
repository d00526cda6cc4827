// A lending market's liquidation cascade for the benchmarks: Aave V2 (its own build, from the npm
// package @aave/protocol-v2 1.0.1, AGPL-3.0, a dev dependency of the benchmarks and tests only, never
// shipped). A price drop of the collateral makes every borrower's position unhealthy; the block is the
// oracle's price update followed by one liquidation a borrower, each by a liquidator of its own
// (`liquidationCall` for the most the close factor allows). Every liquidation updates the indexes,
// rates and token supplies of its market's two reserves: with one market the block is one long chain
// through shared reserves, the hot spot of a real cascade; with several, as many chains interleaved.
//
// The market is deployed the way Aave's own scripts deploy it, by transactions: the tokens (Aave's
// MintableERC20 mocks), the addresses provider, the libraries linked into LendingPool, the pool and
// configurator behind their proxies, the price and rate oracles, the collateral manager, the aToken and
// debt token implementations, `initReserve` and the reserves' configuration; then a supplier deposits
// the debt asset, and each borrower mints collateral, deposits it and borrows 75% of its value
// (liquidation threshold 82.5%); each liquidator mints the debt asset and approves the pool. These
// set-up blocks run on parevm (one thread), their state changes folding into the pre-state of the next;
// a day passes before the cascade, so interest has accrued. Every set-up transaction must succeed.

import { createRequire } from 'node:module';
import { executeBlock } from '../src/block/execute.js';
import type { ExecuteBlockOptions, PreState, RpcBlock, RpcTransaction } from '../src/block/types.js';
import { bytesToHex, hexToBytes, keccak256 } from '../src/bytes.js';
import { GENERATED_ENV, generatedTx, random as seeded } from '../src/generate/index.js';
import { encodeUint, rlpEncode } from '../src/rlp.js';

type Inputs = Omit<ExecuteBlockOptions, 'threads'>;

const require = createRequire(import.meta.url);

interface Artifact {
  contractName: string;
  bytecode: string;
  linkReferences: Record<string, Record<string, { start: number; length: number }[]>>;
}

const ARTIFACTS = '@aave/protocol-v2/artifacts/contracts/';
const artifact = (path: string): Artifact => require(ARTIFACTS + path) as Artifact;

const FUNDS = 10n ** 24n;
const MAX_UINT = (1n << 256n) - 1n;
const WAD = 10n ** 18n;
const RAY = 10n ** 27n;
/** Collateral price (in ETH, as Aave's oracle quotes) before and after the drop; the debt asset's. */
const COLLATERAL_PRICE = WAD;
const DROPPED_PRICE = (WAD * 85n) / 100n;
const DEBT_PRICE = WAD / 2000n;
/** Transactions a set-up block holds. */
const SETUP_BLOCK_TXS = 400;

const hex = (v: bigint): string => '0x' + v.toString(16);
const word = (v: bigint): string => v.toString(16).padStart(64, '0');

function addressOf(role: string, i: number): string {
  return bytesToHex(keccak256(new TextEncoder().encode(`parevm:lending:${role}:${i}`)).subarray(12));
}

/** The address CREATE gives the `nonce`-th creation of `sender`. */
function createdAddress(sender: string, nonce: number): string {
  return bytesToHex(keccak256(rlpEncode([hexToBytes(sender), encodeUint(nonce)])).subarray(12));
}

type Value = bigint | string | boolean;

/** ABI encoding of the static types (address, uintN, bool) and `string`. */
function encodeArgs(types: string[], values: Value[]): string {
  if (types.length !== values.length) throw new Error(`ABI: ${types.length} types, ${values.length} values`);
  let head = '';
  let tail = '';
  types.forEach((type, i) => {
    const value = values[i];
    if (type === 'string') {
      const bytes = new TextEncoder().encode(value as string);
      head += word(BigInt(32 * types.length + tail.length / 2));
      tail += word(BigInt(bytes.length)) + bytesToHex(bytes).slice(2).padEnd(Math.ceil(bytes.length / 32) * 64, '0');
    } else if (type === 'address') head += (value as string).slice(2).padStart(64, '0');
    else if (type === 'bool') head += word(value ? 1n : 0n);
    else if (/^uint\d+$/.test(type)) head += word(value as bigint);
    else throw new Error(`ABI: type ${type} is not supported here`);
  });
  return head + tail;
}

/** Calldata of `signature` (e.g. `deposit(address,uint256,address,uint16)`) with `values`. */
function calldata(signature: string, ...values: Value[]): string {
  const types = signature.slice(signature.indexOf('(') + 1, -1).split(',').filter((t) => t !== '');
  return bytesToHex(keccak256(new TextEncoder().encode(signature)).subarray(0, 4)) + encodeArgs(types, values);
}

/** An artifact's creation code with its libraries' addresses written in. */
function linked(a: Artifact, libraries: Record<string, string> = {}): string {
  // The placeholders (`__$…$__`) are not hex: write the addresses into the text.
  let code = a.bytecode;
  for (const references of Object.values(a.linkReferences)) {
    for (const [name, places] of Object.entries(references)) {
      const address = libraries[name];
      if (address === undefined) throw new Error(`${a.contractName}: library ${name} is not deployed`);
      for (const { start } of places) code = code.slice(0, 2 + 2 * start) + address.slice(2) + code.slice(2 + 2 * start + 40);
    }
  }
  return bytesToHex(hexToBytes(code, `${a.contractName}'s linked code`));
}

/** A chain that runs its set-up blocks on parevm, its state folding into the next block's pre-state. */
class SetupChain {
  readonly preState: PreState = {};
  private readonly nonces = new Map<string, number>();
  private pending: { tx: RpcTransaction; what: string }[] = [];
  number = GENERATED_ENV.number;
  timestamp = GENERATED_ENV.timestamp;

  fund(address: string): void {
    this.preState[address] = { balance: hex(FUNDS), nonce: 0, storage: {} };
    this.nonces.set(address, 0);
  }

  private send(from: string, to: string | null, input: string, gas: bigint, what: string): number {
    const nonce = this.nonces.get(from);
    if (nonce === undefined) throw new Error(`lending set-up: ${from} is not funded`);
    this.nonces.set(from, nonce + 1);
    this.pending.push({ what, tx: generatedTx(from, nonce, to, 0n, gas, input) });
    return nonce;
  }

  /** Deploys `code` (creation code and encoded constructor arguments); its address. */
  deploy(from: string, code: string, what: string): string {
    return createdAddress(from, this.send(from, null, code, 8_000_000n, `deploy ${what}`));
  }

  call(from: string, to: string, input: string, what: string, gas = 1_500_000n): void {
    this.send(from, to, input, gas, what);
  }

  /** Runs the pending transactions in blocks of SETUP_BLOCK_TXS; every one must succeed. */
  async mine(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, SETUP_BLOCK_TXS);
      const transactions = batch.map((p) => p.tx);
      const result = await executeBlock({ block: this.header(transactions), preState: this.preState, threads: 1 });
      result.receipts.forEach((receipt, i) => {
        if (receipt.status !== 1) throw new Error(`lending set-up block ${this.number}: "${batch[i].what}" failed`);
      });
      for (const diff of result.stateDiff) {
        if (!diff.exists) {
          delete this.preState[diff.address];
          continue;
        }
        const account = (this.preState[diff.address] ??= { storage: {} });
        account.balance = hex(diff.balance);
        account.nonce = Number(diff.nonce);
        if (diff.code !== undefined) account.code = diff.code;
        const storage = (account.storage ??= {});
        for (const [slot, value] of Object.entries(diff.storage)) {
          if (value === 0n) delete storage[slot];
          else storage[slot] = hex(value);
        }
      }
      this.number += 1n;
      this.timestamp += 12n;
    }
  }

  header(transactions: RpcTransaction[]): RpcBlock {
    const gas = transactions.reduce((sum, tx) => sum + BigInt(tx.gas ?? 0), 0n);
    return {
      number: hex(this.number), miner: addressOf('miner', 0), timestamp: hex(this.timestamp), gasLimit: hex(gas + 30_000_000n),
      difficulty: '0x0', mixHash: bytesToHex(keccak256(new TextEncoder().encode('parevm:lending:randao'))), baseFeePerGas: hex(GENERATED_ENV.baseFee),
      excessBlobGas: '0x0', blobGasUsed: '0x0', withdrawals: [], uncles: [], transactions,
    };
  }
}

/** Deploys an Aave V2 market with `markets` (collateral, debt) pairs of reserves; the pool's and the tokens' addresses. */
async function deployAave(chain: SetupChain, admin: string, markets: number): Promise<{ pool: string; oracle: string; collaterals: string[]; debts: string[] }> {
  const token = artifact('mocks/tokens/MintableERC20.sol/MintableERC20.json');
  const collaterals: string[] = [];
  const debts: string[] = [];
  for (let k = 0; k < markets; k++) {
    collaterals.push(chain.deploy(admin, linked(token) + encodeArgs(['string', 'string', 'uint8'], [`Collateral ${k}`, `COL${k}`, 18n]), `COL${k}`));
    debts.push(chain.deploy(admin, linked(token) + encodeArgs(['string', 'string', 'uint8'], [`Debt ${k}`, `DEBT${k}`, 18n]), `DEBT${k}`));
  }
  const provider = chain.deploy(admin, linked(artifact('protocol/configuration/LendingPoolAddressesProvider.sol/LendingPoolAddressesProvider.json')) +
    encodeArgs(['string'], ['parevm']), 'LendingPoolAddressesProvider');
  chain.call(admin, provider, calldata('setPoolAdmin(address)', admin), 'setPoolAdmin');
  chain.call(admin, provider, calldata('setEmergencyAdmin(address)', admin), 'setEmergencyAdmin');
  const reserveLogic = chain.deploy(admin, linked(artifact('protocol/libraries/logic/ReserveLogic.sol/ReserveLogic.json')), 'ReserveLogic');
  const genericLogic = chain.deploy(admin, linked(artifact('protocol/libraries/logic/GenericLogic.sol/GenericLogic.json')), 'GenericLogic');
  const validationLogic = chain.deploy(admin, linked(artifact('protocol/libraries/logic/ValidationLogic.sol/ValidationLogic.json'), { GenericLogic: genericLogic }), 'ValidationLogic');
  const poolImpl = chain.deploy(admin, linked(artifact('protocol/lendingpool/LendingPool.sol/LendingPool.json'), { ReserveLogic: reserveLogic, ValidationLogic: validationLogic }), 'LendingPool');
  // The provider creates the pool's proxy, then the configurator's: its first two creations.
  chain.call(admin, provider, calldata('setLendingPoolImpl(address)', poolImpl), 'setLendingPoolImpl', 3_000_000n);
  const pool = createdAddress(provider, 1);
  const configuratorImpl = chain.deploy(admin, linked(artifact('protocol/lendingpool/LendingPoolConfigurator.sol/LendingPoolConfigurator.json')), 'LendingPoolConfigurator');
  chain.call(admin, provider, calldata('setLendingPoolConfiguratorImpl(address)', configuratorImpl), 'setLendingPoolConfiguratorImpl', 3_000_000n);
  const configurator = createdAddress(provider, 2);
  const oracle = chain.deploy(admin, linked(artifact('mocks/oracle/PriceOracle.sol/PriceOracle.json')), 'PriceOracle');
  chain.call(admin, provider, calldata('setPriceOracle(address)', oracle), 'setPriceOracle');
  const rateOracle = chain.deploy(admin, linked(artifact('mocks/oracle/LendingRateOracle.sol/LendingRateOracle.json')), 'LendingRateOracle');
  chain.call(admin, provider, calldata('setLendingRateOracle(address)', rateOracle), 'setLendingRateOracle');
  const collateralManager = chain.deploy(admin, linked(artifact('protocol/lendingpool/LendingPoolCollateralManager.sol/LendingPoolCollateralManager.json')), 'LendingPoolCollateralManager');
  chain.call(admin, provider, calldata('setLendingPoolCollateralManager(address)', collateralManager), 'setLendingPoolCollateralManager');
  // Aave's rate strategy: 80% optimal utilisation, 0% base, 4% and 75% variable slopes, 2% and 75% stable.
  const strategy = chain.deploy(admin, linked(artifact('protocol/lendingpool/DefaultReserveInterestRateStrategy.sol/DefaultReserveInterestRateStrategy.json')) +
    encodeArgs(['address', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256', 'uint256'], [provider, RAY * 8n / 10n, 0n, RAY * 4n / 100n, RAY * 75n / 100n, RAY * 2n / 100n, RAY * 75n / 100n]),
    'DefaultReserveInterestRateStrategy');
  const treasury = addressOf('treasury', 0);
  for (const asset of [...collaterals, ...debts]) {
    const name = asset.slice(0, 10);
    const aToken = chain.deploy(admin, linked(artifact('protocol/tokenization/AToken.sol/AToken.json')) +
      encodeArgs(['address', 'address', 'address', 'string', 'string', 'address'], [pool, asset, treasury, `Aave ${name}`, `a${name}`, '0x' + '0'.repeat(40)]), `AToken of ${asset}`);
    const debtArgs = encodeArgs(['address', 'address', 'string', 'string', 'address'], [pool, asset, `Debt ${name}`, `d${name}`, '0x' + '0'.repeat(40)]);
    const stableDebt = chain.deploy(admin, linked(artifact('protocol/tokenization/StableDebtToken.sol/StableDebtToken.json')) + debtArgs, `StableDebtToken of ${asset}`);
    const variableDebt = chain.deploy(admin, linked(artifact('protocol/tokenization/VariableDebtToken.sol/VariableDebtToken.json')) + debtArgs, `VariableDebtToken of ${asset}`);
    chain.call(admin, configurator, calldata('initReserve(address,address,address,uint8,address)', aToken, stableDebt, variableDebt, 18n, strategy), `initReserve ${asset}`, 5_000_000n);
    chain.call(admin, rateOracle, calldata('setMarketBorrowRate(address,uint256)', asset, RAY * 3n / 100n), `setMarketBorrowRate ${asset}`);
  }
  for (let k = 0; k < markets; k++) {
    chain.call(admin, oracle, calldata('setAssetPrice(address,uint256)', collaterals[k], COLLATERAL_PRICE), `price of COL${k}`);
    chain.call(admin, oracle, calldata('setAssetPrice(address,uint256)', debts[k], DEBT_PRICE), `price of DEBT${k}`);
    chain.call(admin, configurator, calldata('configureReserveAsCollateral(address,uint256,uint256,uint256)', collaterals[k], 8000n, 8250n, 10500n), `COL${k} as collateral`);
    chain.call(admin, configurator, calldata('enableBorrowingOnReserve(address,bool)', debts[k], false), `borrowing DEBT${k}`);
  }
  await chain.mine();
  for (const [name, address] of Object.entries({ pool, configurator })) {
    if (chain.preState[address]?.code === undefined) throw new Error(`lending set-up: the ${name} proxy is not at ${address}`);
  }
  return { pool, oracle, collaterals, debts };
}

/**
 * A block of `liquidations` Aave V2 liquidations after a 15% drop of the collateral's price, over
 * `markets` (collateral, debt) pairs of reserves (borrower i's in market i % markets). Deterministic
 * for its arguments and seed.
 */
export async function lendingBlock(liquidations: number, markets: number, seed = 1): Promise<Inputs> {
  const random = seeded(seed);
  const chain = new SetupChain();
  const admin = addressOf('admin', 0);
  const supplier = addressOf('supplier', 0);
  chain.fund(admin);
  chain.fund(supplier);
  const { pool, oracle, collaterals, debts } = await deployAave(chain, admin, markets);
  const borrowed = 10n ** 30n;
  for (let k = 0; k < markets; k++) {
    chain.call(supplier, debts[k], calldata('mint(uint256)', borrowed), `supplier mints DEBT${k}`);
    chain.call(supplier, debts[k], calldata('approve(address,uint256)', pool, MAX_UINT), `supplier approves DEBT${k}`);
    chain.call(supplier, pool, calldata('deposit(address,uint256,address,uint16)', debts[k], borrowed, supplier, 0n), `supplier deposits DEBT${k}`);
  }
  const transactions: RpcTransaction[] = [];
  for (let i = 0; i < liquidations; i++) {
    const k = i % markets;
    const borrower = addressOf('borrower', i);
    const liquidator = addressOf('liquidator', i);
    chain.fund(borrower);
    chain.fund(liquidator);
    // 1 to 100 units of collateral; a debt of 75% of its value.
    const collateral = WAD + BigInt(Math.floor(random() * 99e6)) * 10n ** 12n;
    const debt = (collateral * COLLATERAL_PRICE * 75n) / (100n * DEBT_PRICE);
    chain.call(borrower, collaterals[k], calldata('mint(uint256)', collateral), `borrower ${i} mints`);
    chain.call(borrower, collaterals[k], calldata('approve(address,uint256)', pool, MAX_UINT), `borrower ${i} approves`);
    chain.call(borrower, pool, calldata('deposit(address,uint256,address,uint16)', collaterals[k], collateral, borrower, 0n), `borrower ${i} deposits`);
    chain.call(borrower, pool, calldata('borrow(address,uint256,uint256,uint16,address)', debts[k], debt, 2n, 0n, borrower), `borrower ${i} borrows`);
    chain.call(liquidator, debts[k], calldata('mint(uint256)', debt), `liquidator ${i} mints`);
    chain.call(liquidator, debts[k], calldata('approve(address,uint256)', pool, MAX_UINT), `liquidator ${i} approves`);
    transactions.push(generatedTx(liquidator, 2, pool, 0n, 1_000_000n,
      calldata('liquidationCall(address,address,address,uint256,bool)', collaterals[k], debts[k], borrower, MAX_UINT, false)));
  }
  await chain.mine();
  const drops = collaterals.map((asset, k) =>
    generatedTx(admin, Number(chain.preState[admin]!.nonce!) + k, oracle, 0n, 100_000n, calldata('setAssetPrice(address,uint256)', asset, DROPPED_PRICE)));
  chain.timestamp += 86_400n;
  return { block: chain.header([...drops, ...transactions]), preState: chain.preState };
}
