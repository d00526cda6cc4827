// Reading a block and its inputs from files: a block directory (`block.json`, `pre_state.json`, and
// `bytecodes.json` / `block_hashes.json` beside them or two levels up, as in mainnet/blocks/<n>/).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BlockInputError } from './parse.js';
import type { ExecuteBlockOptions, PreState, RpcBlock } from './types.js';

export function readJsonFile<T>(file: string, what: string): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BlockInputError(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new BlockInputError(`${what} ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The file `name` in `dir`, else two levels up (the shared files of a fixture tree), else undefined. */
function nearby(dir: string, name: string): string | undefined {
  for (const d of [dir, dirname(dirname(dir))]) {
    const p = join(d, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

// The shared files of a fixture tree (bytecodes.json is 48 MB for the mainnet set) are parsed once per process.
const shared = new Map<string, unknown>();

function readSharedJson<T>(file: string, what: string): T {
  if (!shared.has(file)) shared.set(file, readJsonFile<T>(file, what));
  return shared.get(file) as T;
}

/** Loads the inputs of a block directory, or of a block file with separate pre-state and codes files. */
export function readBlockInputs(path: string, prestate?: string, codes?: string): Omit<ExecuteBlockOptions, 'threads'> {
  let blockFile = path;
  let dir = dirname(path);
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new BlockInputError(`cannot read ${path}: no such file or directory`);
  }
  if (isDir) {
    dir = path;
    blockFile = join(dir, 'block.json');
    prestate ??= join(dir, 'pre_state.json');
  }
  if (prestate === undefined) throw new BlockInputError(`${path} is a block file: give its pre-state with --prestate FILE`);
  const block = readJsonFile<RpcBlock>(blockFile, 'block');
  const preState = readJsonFile<PreState>(prestate, 'pre-state');
  const codesFile = codes ?? (isDir ? nearby(dir, 'bytecodes.json') : undefined);
  const hashesFile = isDir ? nearby(dir, 'block_hashes.json') : undefined;
  return {
    block,
    preState,
    codes: codesFile ? readSharedJson<Record<string, string>>(codesFile, 'codes') : undefined,
    blockHashes: hashesFile ? readSharedJson<Record<string, string>>(hashesFile, 'block hashes') : undefined,
  };
}
