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
 * What a thread sends back for a task: first the block's buffer, as soon as the block is decoded
 * (the thread reads only the decoded text after that), transferred for the reader to fill with a
 * later block; then the block's state in its wire form, or the error it hit. A task that fails
 * before its block is decoded hands the buffer back with its error.
 */
export type ProfileThreadMessage =
  | { readonly kind: 'buffer'; readonly id: number; readonly spare: ArrayBuffer }
  | { readonly kind: 'result'; readonly id: number; readonly ok: true; readonly state: DatasetStateJson }
  | { readonly kind: 'result'; readonly id: number; readonly ok: false; readonly message: string; readonly spare: ArrayBuffer | null };

// Entry point of a profiling worker thread: profile each block it is sent, answer with the
// block's state in its wire form (`toJSON`), which the message channel clones as it is: a
// DatasetState itself would arrive without its class. Rendering it to a JSON string first
// only added a stringify here and a parse on the reading thread.
parentPort?.on('message', (task: BlockTask) => {
  const port = parentPort!;
  let spare: ArrayBuffer | null = task.bytes.buffer as ArrayBuffer;
  // Decoding a block takes a few percent of profiling it: handing its buffer back right after
  // lets the reader build the next block in it, instead of allocating another while this one is
  // profiled.
  const handBack = (): void => {
    const buffer = spare!;
    spare = null;
    port.postMessage({ kind: 'buffer', id: task.id, spare: buffer } satisfies ProfileThreadMessage, [buffer]);
  };
  let result: ProfileThreadMessage;
  try {
    const state = profileBlock(task.bytes, task.dialect, task.blockIndex, task.byteOffset, handBack);
    result = { kind: 'result', id: task.id, ok: true, state: state.toJSON() };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    result = { kind: 'result', id: task.id, ok: false, message, spare };
  }
  port.postMessage(result, spare ? [spare] : []);
});
