import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { Fork } from '../fork/forks.js';
import { EMPTY, FAILURE, type PrecompileResult, rightPad } from './common.js';

// EIP-198 (Byzantium): floor(mult_complexity(max(Blen, Mlen)) * max(adjusted_exp_len, 1) / 20).
const EIP198_GQUADDIVISOR = 20n;
// EIP-2565 (Berlin): max(200, floor(ceil(max(Blen, Mlen) / 8)^2 * max(iteration_count, 1) / 3)).
const EIP2565_GQUADDIVISOR = 3n;
const EIP2565_MIN_GAS = 200n;

const HEADER_SIZE = 96;

/**
 * Precompile 0x05 (EIP-198): `base ** exp % mod` as `modLen` big-endian bytes. The input is three
 * 32-byte lengths, then base, exponent and modulus, reading zeros past the end of the input.
 */
export function modexp(input: Uint8Array, gasLimit: bigint, fork: Fork): PrecompileResult {
  const header = rightPad(input, HEADER_SIZE);
  // The lengths are 256-bit: they stay BigInt until the gas check or the input length bounds them.
  const baseLen = bytesToNumberBE(header.subarray(0, 32));
  const expLen = bytesToNumberBE(header.subarray(32, 64));
  const modLen = bytesToNumberBE(header.subarray(64, 96));

  const gas = modexpGas(input, baseLen, expLen, modLen, fork);
  if (gas > gasLimit) return FAILURE;
  if (modLen === 0n) return { ok: true, gasUsed: gas, output: EMPTY };

  // With modLen > 0 the gas grows with modLen squared, so past the check it is small enough to
  // allocate. A zero modulus (also one that starts past the end of the input) gives zeros.
  const modSize = Number(modLen);
  const modStart = BigInt(HEADER_SIZE) + baseLen + expLen;
  const mod = modStart < BigInt(input.length) ? readOperand(input, Number(modStart), modSize) : 0n;
  if (mod === 0n) return { ok: true, gasUsed: gas, output: new Uint8Array(modSize) };

  // The modulus starts inside the input and comes last, so base and exponent lie wholly inside
  // it: neither can be larger than the input, whatever their declared lengths.
  const expStart = HEADER_SIZE + Number(baseLen);
  const expEnd = Number(modStart);
  const base = bytesToNumberBE(input.subarray(HEADER_SIZE, expStart));
  const result = powMod(base, input.subarray(expStart, expEnd), mod);
  return { ok: true, gasUsed: gas, output: numberToBytesBE(result, modSize) };
}

/** Gas of a modexp call from its header and the exponent's first 32 bytes (EIP-198, EIP-2565). */
function modexpGas(
  input: Uint8Array,
  baseLen: bigint,
  expLen: bigint,
  modLen: bigint,
  fork: Fork,
): bigint {
  const maxLen = baseLen > modLen ? baseLen : modLen;
  const adjusted = adjustedExponentLength(input, baseLen, expLen);
  const iterations = adjusted > 1n ? adjusted : 1n;
  if (fork >= Fork.Berlin) {
    // EIP-2565
    const words = (maxLen + 7n) / 8n;
    const gas = (words * words * iterations) / EIP2565_GQUADDIVISOR;
    return gas > EIP2565_MIN_GAS ? gas : EIP2565_MIN_GAS;
  }
  // EIP-198
  return (multComplexityEip198(maxLen) * iterations) / EIP198_GQUADDIVISOR;
}

/** EIP-198 mult_complexity: a Karatsuba-shaped estimate of one multiplication's cost. */
function multComplexityEip198(x: bigint): bigint {
  if (x <= 64n) return x * x;
  if (x <= 1024n) return (x * x) / 4n + 96n * x - 3072n;
  return (x * x) / 16n + 480n * x - 199680n;
}

/**
 * EIP-198 adjusted_exponent_length (EIP-2565 calls it iteration_count before the max with 1):
 * the index of the highest set bit of the exponent's first 32 bytes, plus 8 per byte beyond 32.
 */
function adjustedExponentLength(input: Uint8Array, baseLen: bigint, expLen: bigint): bigint {
  const expStart = BigInt(HEADER_SIZE) + baseLen;
  const headSize = expLen < 32n ? Number(expLen) : 32;
  const head =
    expStart < BigInt(input.length) ? readOperand(input, Number(expStart), headSize) : 0n;
  const highestBit = head === 0n ? 0 : head.toString(2).length - 1;
  const tail = expLen > 32n ? 8n * (expLen - 32n) : 0n;
  return tail + BigInt(highestBit);
}

/** The big-endian number in input[start, start + size), reading zeros past the end of the input. */
function readOperand(input: Uint8Array, start: number, size: number): bigint {
  const available = Math.max(0, Math.min(size, input.length - start));
  const value = bytesToNumberBE(input.subarray(start, start + available));
  return available === size ? value : value << BigInt(8 * (size - available));
}

/** base ** exp % mod by left-to-right binary square-and-multiply over the exponent's bytes. */
function powMod(base: bigint, exp: Uint8Array, mod: bigint): bigint {
  const b = base % mod;
  let result = 1n % mod;
  for (const byte of exp) {
    for (let bit = 7; bit >= 0; bit--) {
      result = (result * result) % mod;
      if ((byte >> bit) & 1) result = (result * b) % mod;
    }
  }
  return result;
}
