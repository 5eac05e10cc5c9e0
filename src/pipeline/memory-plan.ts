import { topValuesExactLimit } from '../engine/column/column-state.js';

const MiB = 1024 * 1024;

/**
 * Heap limits of the processor threads, planned per job from what the job holds (see
 * docs/operations.md, "Memory"). A limit is a ceiling, not a reservation: V8 grows the heap only as
 * far as the job needs, and collects before it passes the limit. A job that still needs more fails
 * with SAMPLE_TOO_WIDE (its thread dies, never the process).
 *
 * The figures come from the smallest heap each shape profiled in (8 MiB blocks, one thread):
 * 32 MiB for the 1M-row benchmark file (10 columns), 64 MiB at 300 columns of 20-letter values,
 * 96 MiB at 1,000 columns of 6-letter values, 160 MiB at 1,000 columns of 40-letter values; a
 * merged state of 1,000 columns of 40-letter values held 140 MiB. Each plan leaves at least 1.5
 * times that room.
 *
 * Wide files keep the configured block size: cutting them into smaller blocks would bound a block
 * thread's memory further, but every block adds a state of every column to build and merge
 * (1,000 columns in 2 MiB instead of 8 MiB blocks: 2.7 times the CPU time), so the plan grows
 * with the width instead.
 */

/** Heap of a thread before it holds any data: the engine's code, a database client, buffers. */
const THREAD_BASE_MB = 48;
/** Heap per MiB of block at the narrow and the wide end (distinct cells retained per column). */
const BLOCK_FACTOR_NARROW = 6;
const BLOCK_FACTOR_WIDE = 26;
const WIDE_AT_COLUMNS = 500;
/** Per column of a state: distinct-count, lengths and mask sketches, counters. */
const COLUMN_FIXED_BYTES = 64 * 1024;
/** Per top-value entry a column may hold: a key of up to 128 characters, its counters and index. */
const TOP_VALUE_ENTRY_BYTES = 600;

/** The bound every plan is clamped to unless configured (`WORKER_THREAD_HEAP_MAX_MB`, see `CONFIG_DEFAULTS.jobs`). */
export const DEFAULT_THREAD_HEAP_MAX_MB = 1024;

/**
 * Upper bound of one column's mergeable state in a state of `columns` columns, in bytes: its
 * top values hold at most `topValuesExactLimit(columns)` entries, whatever the rows.
 */
export function columnStateBoundBytes(columns: number): number {
  return COLUMN_FIXED_BYTES + topValuesExactLimit(columns) * TOP_VALUE_ENTRY_BYTES;
}

/** Upper bound of a merged state of `columns` columns, in MiB. */
export function stateBoundMb(columns: number): number {
  return (Math.max(1, columns) * columnStateBoundBytes(columns)) / MiB;
}

/** What a plan is: the heap limit and what it was planned from (for messages and logs). */
export interface HeapPlan {
  readonly heapMb: number;
  /** The plan before clamping to the configured maximum. */
  readonly plannedMb: number;
  readonly columns: number;
  readonly blockBytes?: number;
}

/** Plans are rounded up to this step, so that jobs of similar size share threads (see `JobThreads`). */
const PLAN_STEP_MB = 32;

function clamp(plannedMb: number, maxMb: number): number {
  return Math.min(maxMb, Math.ceil(plannedMb / PLAN_STEP_MB) * PLAN_STEP_MB);
}

/**
 * A `profile-block` job: the decoded block, the rows being parsed from it, and the block's state,
 * whose distinct cells grow with the block's bytes, faster the wider the file.
 */
export function blockJobPlan(blockBytes: number, columns: number, maxMb = DEFAULT_THREAD_HEAP_MAX_MB): HeapPlan {
  const width = Math.min(1, Math.max(0, columns) / WIDE_AT_COLUMNS);
  const factor = BLOCK_FACTOR_NARROW + (BLOCK_FACTOR_WIDE - BLOCK_FACTOR_NARROW) * width;
  const plannedMb = THREAD_BASE_MB + (blockBytes / MiB) * factor;
  return { heapMb: clamp(plannedMb, maxMb), plannedMb, columns, blockBytes };
}

/** A `merge-profile` job: the merged state, the block state being merged into it and its wire form. */
export function mergeJobPlan(columns: number, maxMb = DEFAULT_THREAD_HEAP_MAX_MB): HeapPlan {
  const plannedMb = THREAD_BASE_MB + 1.5 * stateBoundMb(columns);
  return { heapMb: clamp(plannedMb, maxMb), plannedMb, columns };
}

/** A `compute-report` job: the pilots' merged state, the production state, their snapshots and the comparison. */
export function reportJobPlan(columns: number, maxMb = DEFAULT_THREAD_HEAP_MAX_MB): HeapPlan {
  const plannedMb = THREAD_BASE_MB + 2.5 * stateBoundMb(columns);
  return { heapMb: clamp(plannedMb, maxMb), plannedMb, columns };
}

/** A worker process's main thread (BullMQ, database pool, buffers) and each thread's memory outside its old generation, in MiB. */
const PROCESS_BASE_MB = 256;
const THREAD_OVERHEAD_MB = 48;

/**
 * The most a worker process holds by design, in MiB: its main thread, `concurrency` block jobs of
 * `blockBytes` bytes, one merge and one report, all of `columns` columns and each at its full plan
 * (docs/operations.md, "Memory"). Measured peaks stay well below it, since a heap grows only as far
 * as its job needs.
 */
export function workerRssBound(concurrency: number, blockBytes: number, columns: number, maxMb = DEFAULT_THREAD_HEAP_MAX_MB): number {
  const threads = concurrency + 2;
  return (
    PROCESS_BASE_MB +
    threads * THREAD_OVERHEAD_MB +
    concurrency * blockJobPlan(blockBytes, columns, maxMb).heapMb +
    mergeJobPlan(columns, maxMb).heapMb +
    reportJobPlan(columns, maxMb).heapMb
  );
}
