import { availableParallelism } from 'node:os';
import { readCsvBlocks } from '../csv/block-cutter.js';
import type { CsvDialect } from '../csv/dialect.js';
import { readFileChunks } from '../csv/file-source.js';
import { DatasetState } from '../engine/profile/dataset-state.js';
import { finalizeDataset } from '../engine/profile/finalize.js';
import type { FreshnessSla } from '../engine/profile/freshness.js';
import { toProfileJson, type ProfileJson } from '../engine/profile/profile-json.js';
import type { DatasetSnapshot } from '../engine/model/snapshot.js';
import { finalizeOptions, type ProfileSettings } from './finalize-options.js';
import { profileBlock } from './profile-block.js';
import { ProfileThreadPool } from './thread-pool.js';

/** Progress of a running profile, reported after every block. */
export interface ProfileProgress {
  readonly bytesRead: number;
  readonly blocksDone: number;
  readonly rows: number;
}

export interface ProfileOptions extends ProfileSettings {
  /** As-of time for freshness; defaults to now. */
  readonly asOf?: Date;
  /** Target block size in bytes (default 8 MiB). */
  readonly blockBytes?: number;
  /** Profiling threads; 0 profiles on the calling thread. Default: min(2, cores). */
  readonly threads?: number;
  readonly freshness?: FreshnessSla;
  readonly onProgress?: (progress: ProfileProgress) => void;
}

export interface ProfileResult {
  readonly snapshot: DatasetSnapshot;
  readonly json: ProfileJson;
  /** The merged mergeable state (what is stored to re-merge baselines without raw data). */
  readonly state: DatasetState;
  readonly dialect: CsvDialect;
  readonly blocks: number;
  readonly bytes: number;
}

/** Profiles a CSV file in one streaming pass over row-aligned blocks. */
export function profileFile(path: string, options: ProfileOptions = {}): Promise<ProfileResult> {
  return profileSource(readFileChunks(path), options);
}

/** Profiles CSV bytes held in memory (tests, small inputs). */
export function profileBytes(bytes: Uint8Array, options: ProfileOptions = {}): Promise<ProfileResult> {
  return profileSource(
    (async function* () {
      yield bytes;
    })(),
    options,
  );
}

/**
 * Profiles a byte stream: cuts it into blocks that end on record boundaries, profiles each block
 * on its own (on worker threads once there is more than one block), and merges the block states
 * in block order — the same merge the queue workers perform, so one code path serves both.
 */
export async function profileSource(source: AsyncIterable<Uint8Array>, options: ProfileOptions = {}): Promise<ProfileResult> {
  const threads = options.threads ?? Math.min(2, availableParallelism());
  let dialect: CsvDialect | null = null;
  let merged: DatasetState | null = null;
  let pool: ProfileThreadPool | null = null;
  let first: { bytes: Uint8Array; index: number; byteOffset: number } | null = null;
  /** Blocks handed to the threads, in block order, until their state is merged. */
  const inFlight: Array<{ done: boolean; state: Promise<DatasetState> }> = [];
  let running = 0;
  let wake: (() => void) | null = null;
  /** Block buffers the threads handed back, for the reader to build later blocks in. */
  const spares: ArrayBuffer[] = [];
  const reuseBuffers = (minBytes: number): ArrayBuffer | undefined => {
    const i = spares.findIndex((buffer) => buffer.byteLength >= minBytes);
    return i < 0 ? undefined : spares.splice(i, 1)[0];
  };
  // One block is built at a time, so two spares are plenty; more would only hold memory.
  const keepSpare = (buffer: ArrayBuffer): void => {
    if (spares.length < 2) spares.push(buffer);
  };
  let blocksDone = 0;
  let bytesRead = 0;
  let totalBytes = 0;
  let blocks = 0;

  const absorb = (state: DatasetState): void => {
    merged = merged ? merged.merge(state) : state;
    blocksDone++;
    options.onProgress?.({ bytesRead, blocksDone, rows: merged.rows });
  };
  /** Merges, in block order, the states that have arrived. */
  const absorbArrived = async (): Promise<void> => {
    while (inFlight.length > 0 && inFlight[0].done) absorb(await inFlight.shift()!.state);
  };
  const submit = (block: { bytes: Uint8Array; index: number; byteOffset: number }): void => {
    running++;
    const entry = { done: false, state: null as unknown as Promise<DatasetState> };
    const settle = (): void => {
      entry.done = true;
      running--;
      wake?.();
    };
    // The block's buffer holds nothing else (see CsvDataBlockEvent), so it is transferred as is.
    entry.state = pool!.run({ bytes: block.bytes, dialect: dialect!, blockIndex: block.index, byteOffset: block.byteOffset }).then(
      (json) => {
        settle();
        return DatasetState.fromJSON(json);
      },
      (error: unknown) => {
        settle();
        throw error;
      },
    );
    // Failures surface when the block's turn to merge comes; until then they must not go unhandled.
    entry.state.catch(() => undefined);
    inFlight.push(entry);
  };

  try {
    for await (const event of readCsvBlocks(source, { blockBytes: options.blockBytes, reuseBuffers })) {
      if (event.kind === 'dialect') {
        dialect = event.dialect;
      } else if (event.kind === 'block') {
        blocks++;
        bytesRead = event.byteOffset + event.bytes.length;
        const block = { bytes: event.bytes, index: event.index, byteOffset: event.byteOffset };
        if (threads <= 0) {
          absorb(profileBlock(block.bytes, dialect!, block.index, block.byteOffset));
          continue;
        }
        if (!pool) {
          if (!first) {
            // Small inputs never pay for thread start-up: wait for a second block first.
            first = block;
            continue;
          }
          pool = new ProfileThreadPool(threads, keepSpare);
          submit(first);
          first = null;
        }
        submit(block);
        // Bounded memory: at most threads + 1 blocks are in flight (one queued per pool, so no
        // thread idles while the next block is read), their bytes only until a thread has decoded
        // them. Whichever block finishes frees a slot; states are still merged in block order.
        while (running > threads) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
        }
        await absorbArrived();
      } else {
        totalBytes = event.totalBytes;
      }
    }
    if (first) absorb(profileBlock(first.bytes, dialect!, first.index, first.byteOffset));
    while (inFlight.length > 0) absorb(await inFlight.shift()!.state);
  } finally {
    await pool?.close();
  }

  if (!dialect) throw new Error('the CSV reader ended without a dialect');
  const d: CsvDialect = dialect;
  const state: DatasetState = merged ?? DatasetState.create(d.header, 0);
  const snapshot = finalizeDataset(state, finalizeOptions(d, options));
  const json = toProfileJson(snapshot, options.asOf ?? new Date(), options.freshness);
  return { snapshot, json, state, dialect: d, blocks, bytes: totalBytes };
}
