// Test-only entry (build/testing.wasm): exposes core units to the unit tests.
// Not part of the release module; each unit adds its exports in assembly/testing/<unit>.ts.
export function heapBase(): usize { return __heap_base; }
export * from "./testing/u256";
export * from "./testing/keccak";
export * from "./testing/ordered";
