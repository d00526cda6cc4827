// The interpreter loop. One dense switch over the opcode (a br_table), pc/sp/gas in locals, the
// per-fork opcode table for the step checks. Calls do not recurse on the wasm stack: a CALL pushes a
// frame and the loop continues in it; when a frame ends, the loop resumes its parent.

import * as u256 from "../u256";
import { opTable } from "../layout";
import { CODE_BYTES } from "../state/code";
import {
  F_CODE, F_GAS, F_KIND, F_MEMORY_SIZE, F_PC, F_RET_OFFSET, F_RET_SIZE, F_SP, F_STACK, F_ADDRESS,
  chargeMemory, clearPendingError, memArg, memBase, memSize,
} from "./frame";
import { endFrame, completeInParent, frame } from "./message";
import * as op from "./opcodes";
import {
  BAD_JUMP, INVALID_OPCODE, OUT_OF_GAS, REVERT, STACK_OVERFLOW, STACK_UNDERFLOW, SUCCESS,
} from "./status";
import * as arithmetic from "./instructions/arithmetic";
import * as bitwise from "./instructions/bitwise";
import * as comparison from "./instructions/comparison";
import * as stack from "./instructions/stack";
import * as mem from "./instructions/memory";
import * as storage from "./instructions/storage";
import * as env from "./instructions/environment";
import * as blk from "./instructions/block";
import * as control from "./instructions/control";
import * as logging from "./instructions/logging";
import * as system from "./instructions/system";

/** Why the inner loop stopped. */
const HALT: u32 = 0; // the frame ended (status, output set)
const SWITCH: u32 = 1; // a child frame was entered

/**
 * Runs frames from the current one until the transaction's first frame ends; its status, gas left and
 * output are then the message result (evm/message.ts).
 */
export function run(): void {
  let f = frame;
  while (true) {
    const code = <usize>load<u32>(f + F_CODE);
    const codeStart = code + CODE_BYTES;
    const bottom = <usize>load<u32>(f + F_STACK);
    let pc = <usize>load<u32>(f + F_PC);
    let sp = <usize>load<u32>(f + F_SP);
    let gas = load<i64>(f + F_GAS);
    let status: u32 = SUCCESS;
    let reason: u32 = HALT;
    let out: usize = 0;
    let outLen: usize = 0;

    while (true) {
      const opcode = load<u8>(pc);
      const info = load<u64>(opTable + (<usize>opcode << 3));
      gas -= <i64>(info & 0xffffffff);
      const height = <u32>((sp - bottom) >> 5);
      if (gas < 0) { status = OUT_OF_GAS; break; }
      if (height < (<u32>(info >> 32) & 0xffff) || height > <u32>(info >> 48)) {
        status = (<u32>(info >> 32) & 0xffff) == <u32>op.UNDEFINED_MIN_HEIGHT ? INVALID_OPCODE :
          height < (<u32>(info >> 32) & 0xffff) ? STACK_UNDERFLOW : STACK_OVERFLOW;
        break;
      }
      pc++;
      switch (opcode) {
        case op.STOP: break;
        case op.ADD: arithmetic.add(sp); sp -= 32; continue;
        case op.MUL: arithmetic.mul(sp); sp -= 32; continue;
        case op.SUB: arithmetic.sub(sp); sp -= 32; continue;
        case op.DIV: arithmetic.div(sp); sp -= 32; continue;
        case op.SDIV: arithmetic.sdiv(sp); sp -= 32; continue;
        case op.MOD: arithmetic.mod(sp); sp -= 32; continue;
        case op.SMOD: arithmetic.smod(sp); sp -= 32; continue;
        case op.ADDMOD: arithmetic.addmod(sp); sp -= 64; continue;
        case op.MULMOD: arithmetic.mulmod(sp); sp -= 64; continue;
        case op.EXP: {
          gas -= arithmetic.exp(sp);
          sp -= 32;
          if (gas < 0) break;
          continue;
        }
        case op.SIGNEXTEND: arithmetic.signextend(sp); sp -= 32; continue;
        case op.LT: comparison.lt(sp); sp -= 32; continue;
        case op.GT: comparison.gt(sp); sp -= 32; continue;
        case op.SLT: comparison.slt(sp); sp -= 32; continue;
        case op.SGT: comparison.sgt(sp); sp -= 32; continue;
        case op.EQ: comparison.eq(sp); sp -= 32; continue;
        case op.ISZERO: comparison.iszero(sp); continue;
        case op.AND: bitwise.and(sp); sp -= 32; continue;
        case op.OR: bitwise.or(sp); sp -= 32; continue;
        case op.XOR: bitwise.xor(sp); sp -= 32; continue;
        case op.NOT: bitwise.not(sp); continue;
        case op.BYTE: bitwise.byte(sp); sp -= 32; continue;
        case op.SHL: bitwise.shl(sp); sp -= 32; continue;
        case op.SHR: bitwise.shr(sp); sp -= 32; continue;
        case op.SAR: bitwise.sar(sp); sp -= 32; continue;
        case op.KECCAK256: {
          gas = control.keccak256(sp, gas);
          sp -= 32;
          if (gas < 0) break;
          continue;
        }
        case op.ADDRESS: env.address(sp, f); sp += 32; continue;
        case op.BALANCE: {
          gas = env.balance(sp, gas);
          if (gas < 0) break;
          continue;
        }
        case op.ORIGIN: env.origin(sp); sp += 32; continue;
        case op.CALLER: env.caller(sp, f); sp += 32; continue;
        case op.CALLVALUE: env.callvalue(sp, f); sp += 32; continue;
        case op.CALLDATALOAD: env.calldataload(sp, f); continue;
        case op.CALLDATASIZE: env.calldatasize(sp, f); sp += 32; continue;
        case op.CALLDATACOPY: {
          gas = env.calldatacopy(sp, gas, f);
          sp -= 96;
          if (gas < 0) break;
          continue;
        }
        case op.CODESIZE: env.codesize(sp, f); sp += 32; continue;
        case op.CODECOPY: {
          gas = env.codecopy(sp, gas, f);
          sp -= 96;
          if (gas < 0) break;
          continue;
        }
        case op.GASPRICE: env.gasprice(sp); sp += 32; continue;
        case op.EXTCODESIZE: {
          gas = env.extcodesize(sp, gas);
          if (gas < 0) break;
          continue;
        }
        case op.EXTCODECOPY: {
          gas = env.extcodecopy(sp, gas);
          sp -= 128;
          if (gas < 0) break;
          continue;
        }
        case op.RETURNDATASIZE: env.returndatasize(sp, f); sp += 32; continue;
        case op.RETURNDATACOPY: {
          gas = env.returndatacopy(sp, gas, f);
          sp -= 96;
          if (gas < 0) break;
          continue;
        }
        case op.EXTCODEHASH: {
          gas = env.extcodehash(sp, gas);
          if (gas < 0) break;
          continue;
        }
        case op.BLOCKHASH: blk.blockhash(sp); continue;
        case op.COINBASE: blk.coinbase(sp); sp += 32; continue;
        case op.TIMESTAMP: blk.timestamp(sp); sp += 32; continue;
        case op.NUMBER: blk.number(sp); sp += 32; continue;
        case op.PREVRANDAO: blk.prevrandao(sp); sp += 32; continue;
        case op.GASLIMIT: blk.gaslimit(sp); sp += 32; continue;
        case op.CHAINID: blk.chainid(sp); sp += 32; continue;
        case op.SELFBALANCE: blk.selfbalance(sp, f); sp += 32; continue;
        case op.BASEFEE: blk.basefee(sp); sp += 32; continue;
        case op.BLOBHASH: blk.blobhash(sp); continue;
        case op.BLOBBASEFEE: blk.blobbasefee(sp); sp += 32; continue;
        case op.POP: sp -= 32; continue;
        case op.MLOAD: {
          gas = mem.mload(sp, gas);
          if (gas < 0) break;
          continue;
        }
        case op.MSTORE: {
          gas = mem.mstore(sp, gas);
          sp -= 64;
          if (gas < 0) break;
          continue;
        }
        case op.MSTORE8: {
          gas = mem.mstore8(sp, gas);
          sp -= 64;
          if (gas < 0) break;
          continue;
        }
        case op.SLOAD: {
          gas = storage.sload(sp, gas, f);
          if (gas < 0) break;
          continue;
        }
        case op.SSTORE: {
          gas = storage.sstore(sp, gas, f);
          sp -= 64;
          if (gas < 0) break;
          continue;
        }
        case op.JUMP: {
          const dest = control.jumpTarget(sp - 32);
          sp -= 32;
          if (!control.validJump(code, dest)) { status = BAD_JUMP; break; }
          pc = codeStart + <usize>dest;
          continue;
        }
        case op.JUMPI: {
          sp -= 64;
          if (u256.isZero(sp)) continue;
          const dest = control.jumpTarget(sp + 32);
          if (!control.validJump(code, dest)) { status = BAD_JUMP; break; }
          pc = codeStart + <usize>dest;
          continue;
        }
        case op.PC: u256.setU64(sp, <u64>(pc - 1 - codeStart)); sp += 32; continue;
        case op.MSIZE: mem.msize(sp); sp += 32; continue;
        case op.GAS: u256.setU64(sp, <u64>gas); sp += 32; continue;
        case op.JUMPDEST: continue;
        case op.TLOAD: storage.tload(sp, f); continue;
        case op.TSTORE: {
          gas = storage.tstore(sp, gas, f);
          sp -= 64;
          if (gas < 0) break;
          continue;
        }
        case op.MCOPY: {
          gas = mem.mcopy(sp, gas);
          sp -= 96;
          if (gas < 0) break;
          continue;
        }
        case op.PUSH0: stack.push0(sp); sp += 32; continue;
        case 0x60: stack.push(sp, pc, 1); pc += 1; sp += 32; continue;
        case 0x61: stack.push(sp, pc, 2); pc += 2; sp += 32; continue;
        case 0x62: stack.push(sp, pc, 3); pc += 3; sp += 32; continue;
        case 0x63: stack.push(sp, pc, 4); pc += 4; sp += 32; continue;
        case 0x64: stack.push(sp, pc, 5); pc += 5; sp += 32; continue;
        case 0x65: stack.push(sp, pc, 6); pc += 6; sp += 32; continue;
        case 0x66: stack.push(sp, pc, 7); pc += 7; sp += 32; continue;
        case 0x67: stack.push(sp, pc, 8); pc += 8; sp += 32; continue;
        case 0x68: stack.push(sp, pc, 9); pc += 9; sp += 32; continue;
        case 0x69: stack.push(sp, pc, 10); pc += 10; sp += 32; continue;
        case 0x6a: stack.push(sp, pc, 11); pc += 11; sp += 32; continue;
        case 0x6b: stack.push(sp, pc, 12); pc += 12; sp += 32; continue;
        case 0x6c: stack.push(sp, pc, 13); pc += 13; sp += 32; continue;
        case 0x6d: stack.push(sp, pc, 14); pc += 14; sp += 32; continue;
        case 0x6e: stack.push(sp, pc, 15); pc += 15; sp += 32; continue;
        case 0x6f: stack.push(sp, pc, 16); pc += 16; sp += 32; continue;
        case 0x70: stack.push(sp, pc, 17); pc += 17; sp += 32; continue;
        case 0x71: stack.push(sp, pc, 18); pc += 18; sp += 32; continue;
        case 0x72: stack.push(sp, pc, 19); pc += 19; sp += 32; continue;
        case 0x73: stack.push(sp, pc, 20); pc += 20; sp += 32; continue;
        case 0x74: stack.push(sp, pc, 21); pc += 21; sp += 32; continue;
        case 0x75: stack.push(sp, pc, 22); pc += 22; sp += 32; continue;
        case 0x76: stack.push(sp, pc, 23); pc += 23; sp += 32; continue;
        case 0x77: stack.push(sp, pc, 24); pc += 24; sp += 32; continue;
        case 0x78: stack.push(sp, pc, 25); pc += 25; sp += 32; continue;
        case 0x79: stack.push(sp, pc, 26); pc += 26; sp += 32; continue;
        case 0x7a: stack.push(sp, pc, 27); pc += 27; sp += 32; continue;
        case 0x7b: stack.push(sp, pc, 28); pc += 28; sp += 32; continue;
        case 0x7c: stack.push(sp, pc, 29); pc += 29; sp += 32; continue;
        case 0x7d: stack.push(sp, pc, 30); pc += 30; sp += 32; continue;
        case 0x7e: stack.push(sp, pc, 31); pc += 31; sp += 32; continue;
        case 0x7f: stack.push(sp, pc, 32); pc += 32; sp += 32; continue;
        case 0x80: stack.dup(sp, 1); sp += 32; continue;
        case 0x81: stack.dup(sp, 2); sp += 32; continue;
        case 0x82: stack.dup(sp, 3); sp += 32; continue;
        case 0x83: stack.dup(sp, 4); sp += 32; continue;
        case 0x84: stack.dup(sp, 5); sp += 32; continue;
        case 0x85: stack.dup(sp, 6); sp += 32; continue;
        case 0x86: stack.dup(sp, 7); sp += 32; continue;
        case 0x87: stack.dup(sp, 8); sp += 32; continue;
        case 0x88: stack.dup(sp, 9); sp += 32; continue;
        case 0x89: stack.dup(sp, 10); sp += 32; continue;
        case 0x8a: stack.dup(sp, 11); sp += 32; continue;
        case 0x8b: stack.dup(sp, 12); sp += 32; continue;
        case 0x8c: stack.dup(sp, 13); sp += 32; continue;
        case 0x8d: stack.dup(sp, 14); sp += 32; continue;
        case 0x8e: stack.dup(sp, 15); sp += 32; continue;
        case 0x8f: stack.dup(sp, 16); sp += 32; continue;
        case 0x90: stack.swap(sp, 1); continue;
        case 0x91: stack.swap(sp, 2); continue;
        case 0x92: stack.swap(sp, 3); continue;
        case 0x93: stack.swap(sp, 4); continue;
        case 0x94: stack.swap(sp, 5); continue;
        case 0x95: stack.swap(sp, 6); continue;
        case 0x96: stack.swap(sp, 7); continue;
        case 0x97: stack.swap(sp, 8); continue;
        case 0x98: stack.swap(sp, 9); continue;
        case 0x99: stack.swap(sp, 10); continue;
        case 0x9a: stack.swap(sp, 11); continue;
        case 0x9b: stack.swap(sp, 12); continue;
        case 0x9c: stack.swap(sp, 13); continue;
        case 0x9d: stack.swap(sp, 14); continue;
        case 0x9e: stack.swap(sp, 15); continue;
        case 0x9f: stack.swap(sp, 16); continue;
        case 0xa0: case 0xa1: case 0xa2: case 0xa3: case 0xa4: {
          const topics = <u32>(opcode - op.LOG0);
          gas = logging.log(sp, gas, f, topics);
          sp -= <usize>(topics + 2) << 5;
          if (gas < 0) break;
          continue;
        }
        case op.CREATE: case op.CREATE2: case op.CALL: case op.CALLCODE: case op.DELEGATECALL: case op.STATICCALL: {
          store<u32>(f + F_PC, <u32>pc);
          store<u32>(f + F_MEMORY_SIZE, <u32>memSize);
          gas = opcode == op.CREATE || opcode == op.CREATE2 ? system.create(f, opcode, sp, gas) :
            system.call(f, opcode, sp, gas);
          if (gas < 0) break;
          if (system.entered) { reason = SWITCH; break; }
          sp = <usize>load<u32>(f + F_SP);
          continue;
        }
        case op.RETURN: case op.REVERT: {
          const offset = memArg(sp - 32), size = memArg(sp - 64);
          gas = chargeMemory(offset, size, gas);
          if (gas < 0) break;
          out = memBase + <usize>offset;
          outLen = <usize>size;
          if (opcode == op.REVERT) status = REVERT;
          break;
        }
        case op.SELFDESTRUCT: {
          gas = system.selfdestruct(sp, gas, f);
          break;
        }
        default: status = INVALID_OPCODE; break;
      }
      break;
    }

    if (reason == SWITCH) {
      f = frame;
      continue;
    }
    if (gas < 0 && status == SUCCESS) {
      // An instruction body ran out of gas or raised another halt.
      const raised = clearPendingError();
      status = raised != 0 ? raised : OUT_OF_GAS;
    }
    const child = f;
    const parent = endFrame(status, gas, out, outLen);
    if (parent == 0) return;
    completeInParent(parent, load<u32>(child + F_KIND), <usize>load<u32>(child + F_RET_OFFSET),
      <usize>load<u32>(child + F_RET_SIZE), child + F_ADDRESS);
    f = parent;
  }
}
