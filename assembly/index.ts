export function heapBase(): usize { return __heap_base; }
export function addOne(p: usize): void { atomic.add<u32>(p, 1); }
