// Which fork and which EIPs a block executes under, from @ethereumjs/common's schedule, reduced to
// the bit set the wasm core takes (assembly/evm/rules.ts defines the same bits).

import { Common, Mainnet, Hardfork } from '@ethereumjs/common';
import { Fork } from './forks.js';

/** EIP bits of the core (assembly/evm/rules.ts `Eip`). */
export const Eip = {
  HOMESTEAD: 1 << 0,
  EIP150: 1 << 1,
  EIP158: 1 << 2,
  EIP160: 1 << 3,
  EIP170: 1 << 4,
  BYZANTIUM: 1 << 5,
  EIP145: 1 << 6,
  EIP1014: 1 << 7,
  EIP1052: 1 << 8,
  EIP1283: 1 << 9,
  EIP1344: 1 << 10,
  EIP1884: 1 << 11,
  EIP2200: 1 << 12,
  EIP2028: 1 << 13,
  EIP2929: 1 << 14,
  EIP2930: 1 << 15,
  EIP1559: 1 << 16,
  EIP3198: 1 << 17,
  EIP3529: 1 << 18,
  EIP3541: 1 << 19,
  EIP4399: 1 << 20,
  EIP3651: 1 << 21,
  EIP3855: 1 << 22,
  EIP3860: 1 << 23,
  EIP1153: 1 << 24,
  EIP4844: 1 << 25,
  EIP5656: 1 << 26,
  EIP6780: 1 << 27,
  EIP7516: 1 << 28,
} as const;

/** The rules for one block: its fork, the core's EIP bits and the chain id. */
export interface Rules {
  fork: Fork;
  eips: number;
  chainId: bigint;
}

// Before Berlin, ethereumjs lists forks as meta-EIPs (608, 607, 609, ...); their contents are fixed by
// fork. From Berlin on, each EIP is its own entry and a custom chain may switch one on or off.
const BY_FORK: readonly [Fork, number][] = [
  [Fork.Homestead, Eip.HOMESTEAD],
  [Fork.TangerineWhistle, Eip.EIP150],
  [Fork.SpuriousDragon, Eip.EIP158 | Eip.EIP160 | Eip.EIP170],
  [Fork.Byzantium, Eip.BYZANTIUM],
  [Fork.Constantinople, Eip.EIP145 | Eip.EIP1014 | Eip.EIP1052],
  [Fork.Istanbul, Eip.EIP1344 | Eip.EIP1884 | Eip.EIP2200 | Eip.EIP2028],
];

const BY_EIP: readonly [number, number][] = [
  [2929, Eip.EIP2929], [2930, Eip.EIP2930],
  [1559, Eip.EIP1559], [3198, Eip.EIP3198], [3529, Eip.EIP3529], [3541, Eip.EIP3541],
  [4399, Eip.EIP4399],
  [3651, Eip.EIP3651], [3855, Eip.EIP3855], [3860, Eip.EIP3860],
  [1153, Eip.EIP1153], [4844, Eip.EIP4844], [5656, Eip.EIP5656], [6780, Eip.EIP6780], [7516, Eip.EIP7516],
];

/** The EIPs each post-Istanbul fork brings, for forks chosen without a Common. */
const EIPS_SINCE: readonly [Fork, readonly number[]][] = [
  [Fork.Berlin, [2929, 2930]],
  [Fork.London, [1559, 3198, 3529, 3541]],
  [Fork.Paris, [4399]],
  [Fork.Shanghai, [3651, 3855, 3860]],
  [Fork.Cancun, [1153, 4844, 5656, 6780, 7516]],
];

function metaEipBits(fork: Fork): number {
  let bits = 0;
  for (const [since, bit] of BY_FORK) if (fork >= since) bits |= bit;
  // EIP-1283 was in Constantinople only; Petersburg removed it again.
  if (fork === Fork.Constantinople) bits |= Eip.EIP1283;
  return bits;
}

/** The rules of a mainnet fork with its standard EIPs. */
export function rulesForFork(fork: Fork, chainId = 1n): Rules {
  let eips = metaEipBits(fork);
  for (const [since, list] of EIPS_SINCE) {
    if (fork >= since) for (const n of list) eips |= BY_EIP.find(([eip]) => eip === n)![1];
  }
  return { fork, eips, chainId };
}

const FORK_OF_HARDFORK: Record<string, Fork> = {
  [Hardfork.Chainstart]: Fork.Frontier,
  [Hardfork.Homestead]: Fork.Homestead,
  [Hardfork.Dao]: Fork.Homestead,
  [Hardfork.TangerineWhistle]: Fork.TangerineWhistle,
  [Hardfork.SpuriousDragon]: Fork.SpuriousDragon,
  [Hardfork.Byzantium]: Fork.Byzantium,
  [Hardfork.Constantinople]: Fork.Constantinople,
  [Hardfork.Petersburg]: Fork.Petersburg,
  [Hardfork.Istanbul]: Fork.Istanbul,
  [Hardfork.MuirGlacier]: Fork.Istanbul,
  [Hardfork.Berlin]: Fork.Berlin,
  [Hardfork.London]: Fork.London,
  [Hardfork.ArrowGlacier]: Fork.London,
  [Hardfork.GrayGlacier]: Fork.London,
  [Hardfork.MergeNetsplitBlock]: Fork.London,
  [Hardfork.Paris]: Fork.Paris,
  [Hardfork.Shanghai]: Fork.Shanghai,
  [Hardfork.Cancun]: Fork.Cancun,
};

/** The rules a Common's current hardfork and EIP list give; throws on a fork parevm cannot run. */
export function rulesForCommon(common: Common): Rules {
  const hardfork = common.hardfork();
  const fork = FORK_OF_HARDFORK[hardfork];
  if (fork === undefined) {
    throw new Error(`hardfork "${hardfork}" is not supported: parevm executes Frontier through Cancun`);
  }
  let eips = metaEipBits(fork);
  for (const [eip, bit] of BY_EIP) if (common.isActivatedEIP(eip)) eips |= bit;
  return { fork, eips, chainId: common.chainId() };
}

/** The rules for a block of `common`'s chain at this number and timestamp. */
export function rulesAt(common: Common, number: bigint, timestamp: bigint): Rules {
  const at = common.copy();
  at.setHardforkBy({ blockNumber: number, timestamp });
  return rulesForCommon(at);
}

/** Mainnet's Common, the default chain. */
export function mainnet(): Common {
  return new Common({ chain: Mainnet });
}

/** Fork names as the Ethereum test suites spell them. */
const FORK_NAMES: Record<string, Fork> = {
  Frontier: Fork.Frontier,
  Homestead: Fork.Homestead,
  EIP150: Fork.TangerineWhistle,
  TangerineWhistle: Fork.TangerineWhistle,
  EIP158: Fork.SpuriousDragon,
  SpuriousDragon: Fork.SpuriousDragon,
  Byzantium: Fork.Byzantium,
  Constantinople: Fork.Constantinople,
  ConstantinopleFix: Fork.Petersburg,
  Petersburg: Fork.Petersburg,
  Istanbul: Fork.Istanbul,
  Berlin: Fork.Berlin,
  London: Fork.London,
  Merge: Fork.Paris,
  Paris: Fork.Paris,
  Shanghai: Fork.Shanghai,
  Cancun: Fork.Cancun,
};

/** The fork a test-suite name denotes, or undefined. */
export function forkByName(name: string): Fork | undefined {
  return Object.hasOwn(FORK_NAMES, name) ? FORK_NAMES[name] : undefined;
}

/** Every name forkByName accepts, for error messages. */
export const FORK_NAME_LIST: readonly string[] = Object.keys(FORK_NAMES);
