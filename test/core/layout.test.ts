// The structs and codes the wasm core and TypeScript share are defined twice: as constants in the
// AssemblyScript sources and as objects in src/core/layout.ts (and the EIP bits in src/fork/rules.ts).
// This reads the AssemblyScript sources as text and checks, in both directions, that every
// constant has its mirror with the same value, so neither side can change alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as layout from '../../src/core/layout.js';
import { Eip } from '../../src/fork/rules.js';

// Compiled tests run from build/test/core/; the sources stay at the repository root.
const ROOT = new URL('../../../', import.meta.url);
const source = (path: string): string => readFileSync(new URL(path, ROOT), 'utf8');

/** `export const NAME: type = value;` declarations of a source (values: decimal, hex or `1 << n`). */
function constants(path: string): Map<string, number> {
  const out = new Map<string, number>();
  const re = /export const (\w+): (?:usize|u32|u64|u8|i64) = (0x[0-9a-fA-F]+|\d+|1 << \d+);/g;
  for (const [, name, text] of source(path).matchAll(re)) {
    const shift = /^1 << (\d+)$/.exec(text);
    out.set(name, shift ? 2 ** Number(shift[1]) : Number(text));
  }
  assert.ok(out.size > 0, `no constants found in ${path}: has the declaration style changed?`);
  return out;
}

/** The constants of `path` whose names start with `prefix`, with the prefix removed. */
function group(path: string, prefix: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, value] of constants(path)) if (name.startsWith(prefix)) out.set(name.slice(prefix.length), value);
  assert.ok(out.size > 0, `no ${prefix}* constants in ${path}`);
  return out;
}

/** Checks that `mirror` holds exactly `core`'s entries, except the names in `internal`, which only the core uses. */
function assertMirror(
  what: string, core: Map<string, number>, mirror: Readonly<Record<string, number>>,
  options: { internal?: readonly string[] } = {},
): void {
  const internal = new Set(options.internal ?? []);
  const expected: Record<string, number> = {};
  for (const [name, value] of core) if (!internal.has(name)) expected[name] = value;
  for (const name of internal) assert.ok(core.has(name), `${what}: ${name} is listed as core-only but no longer exists`);
  assert.deepEqual({ ...mirror }, expected, `${what} in src/core/layout.ts does not mirror the core`);
}

test('Block mirrors the B_* offsets of assembly/evm/context.ts', () => {
  assertMirror('Block', group('assembly/evm/context.ts', 'B_'), layout.Block);
});

test('Tx mirrors the T_* offsets and TX_* flags of assembly/evm/context.ts', () => {
  const offsets = group('assembly/evm/context.ts', 'T_');
  const flags = group('assembly/evm/context.ts', 'TX_');
  const core = new Map([...offsets, ...[...flags].map(([n, v]) => [`FLAG_${n}`, v] as [string, number])]);
  assertMirror('Tx', core, layout.Tx);
});

test('Result mirrors the R_* offsets of assembly/tx/transaction.ts', () => {
  // The core allocates result records; TypeScript only reads their fields.
  assertMirror('Result', group('assembly/tx/transaction.ts', 'R_'), layout.Result, { internal: ['SIZE'] });
});

test('Account and Slot mirror the record offsets of assembly/state/store.ts', () => {
  const store = 'assembly/state/store.ts';
  // NONZERO_SLOTS is the core's own count for the EIP-7610 collision check, the ORIGINAL_* fields are
  // the state diff's (assembly/state/diff.ts); records are core-allocated.
  const accountOffsets = group(store, 'ACCOUNT_');
  const storeFlags = group(store, 'STORE_');
  // A STORE_* flag is either an account record flag (Account.FLAG_*) or a store-wide one (StoreFlags).
  const storeWide = (layout as Record<string, unknown>).StoreFlags as Record<string, number> | undefined ?? {};
  const accountFlags = new Map([...storeFlags].filter(([n]) => !(n in storeWide)).map(([n, v]) => [`FLAG_${n}`, v] as [string, number]));
  const originals = ['ORIGINAL_BALANCE', 'ORIGINAL_NONCE', 'ORIGINAL_CODE', 'ORIGINAL_FLAGS', 'ORIGINAL_SLOTS', 'ORIGINAL_SLOT_CAP'];
  assertMirror('Account', new Map([...accountOffsets, ...accountFlags]), layout.Account, { internal: ['NONZERO_SLOTS', 'SIZE', ...originals] });
  const wide = new Map([...storeFlags].filter(([n]) => n in storeWide));
  assertMirror('StoreFlags', wide, storeWide);
  assertMirror('Slot', group(store, 'SLOT_'), layout.Slot, { internal: ['SIZE', 'ORIGINAL'] });
});

test('Code mirrors the entry offsets of assembly/state/code.ts', () => {
  // The bitmap and the padding are the interpreter's business; TypeScript writes bytes and reads the hash.
  assertMirror('Code', group('assembly/state/code.ts', 'CODE_'), layout.Code, { internal: ['BITMAP', 'PADDING'] });
});

test('Fatal mirrors the FATAL_* reasons of assembly/layout.ts', () => {
  assertMirror('Fatal', group('assembly/layout.ts', 'FATAL_'), layout.Fatal);
});

test('Log mirrors the LOG_* offsets of assembly/evm/instructions/logging.ts', () => {
  assertMirror('Log', group('assembly/evm/instructions/logging.ts', 'LOG_'), layout.Log);
});

test('Status lists the halt statuses of assembly/evm/status.ts in order', () => {
  const core = constants('assembly/evm/status.ts');
  const names: Record<string, string> = {
    SUCCESS: 'success', REVERT: 'revert', OUT_OF_GAS: 'out of gas', STACK_UNDERFLOW: 'stack underflow',
    STACK_OVERFLOW: 'stack overflow', INVALID_OPCODE: 'invalid opcode', BAD_JUMP: 'bad jump destination',
    STATIC_VIOLATION: 'state change in static call', RETURNDATA_OUT_OF_BOUNDS: 'return data out of bounds',
    CODE_SIZE_EXCEEDED: 'code size exceeded', INVALID_CODE_PREFIX: 'code starts with 0xEF',
    CREATE_COLLISION: 'address collision', PRECOMPILE_FAILURE: 'precompile failure',
  };
  const byIndex: string[] = [];
  for (const [name, value] of core) {
    assert.ok(names[name], `status.ts has a new status ${name}: name it in src/core/layout.ts and here`);
    byIndex[value] = names[name];
  }
  assert.deepEqual([...layout.Status], byIndex);
});

test('the EIP bits of src/fork/rules.ts mirror assembly/evm/rules.ts', () => {
  const text = source('assembly/evm/rules.ts');
  const ns = /export namespace Eip \{([^}]*)\}/.exec(text);
  assert.ok(ns, 'assembly/evm/rules.ts has no Eip namespace');
  const core: Record<string, number> = {};
  for (const [, name, shift] of ns[1].matchAll(/export const (\w+): u32 = 1 << (\d+);/g)) core[name] = 2 ** Number(shift);
  assert.ok(Object.keys(core).length > 20);
  assert.deepEqual({ ...Eip }, core);
});

test('the parser sees a changed offset', () => {
  // Guards the checks above against passing vacuously: a mirror with one value off must fail.
  const core = group('assembly/evm/context.ts', 'B_');
  assert.throws(() => assertMirror('Block', core, { ...layout.Block, NUMBER: layout.Block.NUMBER + 8 }));
  assert.throws(() => assertMirror('Block', core, { ...layout.Block, EXTRA: 1 }));
});
