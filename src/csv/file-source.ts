import { createReadStream } from 'node:fs';

/** Default read size: large enough for few syscalls, small next to a block. */
export const DEFAULT_READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Reads a file as a stream of byte chunks, for `readCsvBlocks`. The file is opened lazily and
 * closed when iteration ends, including when the consumer stops early.
 *
 * @example
 * for await (const event of readCsvBlocks(readFileChunks('/data/orders.csv'))) { … }
 */
export function readFileChunks(path: string, highWaterMark: number = DEFAULT_READ_CHUNK_BYTES): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]: () => createReadStream(path, { highWaterMark })[Symbol.asyncIterator](),
  };
}
