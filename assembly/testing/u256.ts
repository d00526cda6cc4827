// u256 test exports: see assembly/u256.ts
