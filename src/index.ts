// parevm's public API.

export { executeBlock, stateDiffHash } from './block/execute.js';
export { closePools } from './block/parallel.js';
export type {
  AccountDiff, BlockResult, BlockStats, ExecuteBlockOptions, Log, ParallelStats, PreState, PreStateAccount, Receipt, RpcBlock,
  RpcTransaction, RpcWithdrawal, TimelineTask, UncleHeader, CostReport, Prediction,
} from './block/types.js';
export { BlockInputError } from './block/parse.js';
export { InvalidTransactionError, MissingStateError, SharedMemoryUnavailableError, type InvalidTxKind } from './core/errors.js';
export { Fork } from './fork/forks.js';
export { predict, type BlockProfile, type Overheads, REFERENCE_OVERHEADS } from './parallel/model.js';
