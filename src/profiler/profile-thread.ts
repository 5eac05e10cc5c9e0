import { parentPort } from 'node:worker_threads';
import type { CsvDialect } from '../csv/dialect.js';
import type { DatasetStateJson } from '../engine/profile/dataset-state.js';
import { profileBlock } from './profile-block.js';

/** A block handed to a profiling thread. */
export interface BlockTask {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly dialect: CsvDialect;
  readonly blockIndex: number;
  readonly byteOffset: number;
}

/**
 * The thread's answer: the block's state in its wire form, or the error it hit, and the block's
 * buffer, handed back (transferred) for the reader to fill with a later block.
 */
export type BlockTaskResult =
  | { readonly id: number; readonly ok: true; readonly state: DatasetStateJson; readonly spare: ArrayBuffer }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly spare: ArrayBuffer };

// Entry point of a profiling worker thread: profile each block it is sent, answer with the
// block's state in its wire form (`toJSON`), which the message channel clones as it is: a
// DatasetState itself would arrive without its class. Rendering it to a JSON string first
// only added a stringify here and a parse on the reading thread.
parentPort?.on('message', (task: BlockTask) => {
  let result: BlockTaskResult;
  const spare = task.bytes.buffer as ArrayBuffer;
  try {
    const state = profileBlock(task.bytes, task.dialect, task.blockIndex, task.byteOffset);
    result = { id: task.id, ok: true, state: state.toJSON(), spare };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    result = { id: task.id, ok: false, message, spare };
  }
  // The bytes were decoded into a string of their own; their buffer goes back to the reader.
  parentPort!.postMessage(result, [spare]);
});
