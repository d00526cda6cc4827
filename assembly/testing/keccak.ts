// keccak test exports: see assembly/crypto/keccak.ts
