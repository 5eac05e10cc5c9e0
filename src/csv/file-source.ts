import { open } from 'node:fs/promises';

/** Default read size: large enough for few syscalls, small next to a block. */
export const DEFAULT_READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Reads a file as a stream of byte chunks, for `readCsvBlocks`. The file is opened lazily and
 * closed when iteration ends, including when the consumer stops early.
 *
 * Every chunk is a view of one buffer that the next read overwrites: a chunk is valid until the
 * next one is requested, so a consumer copies what it keeps (`readCsvBlocks` does). Reusing the
 * buffer keeps a large file from leaving a trail of dead chunks that the runtime only collects
 * once tens of megabytes of them have piled up.
 *
 * @example
 * for await (const event of readCsvBlocks(readFileChunks('/data/orders.csv'))) { … }
 */
export function readFileChunks(path: string, highWaterMark: number = DEFAULT_READ_CHUNK_BYTES): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      const handle = await open(path, 'r');
      try {
        const buffer = Buffer.allocUnsafeSlow(highWaterMark);
        for (;;) {
          const { bytesRead } = await handle.read(buffer, 0, highWaterMark, null);
          if (bytesRead === 0) return;
          yield buffer.subarray(0, bytesRead);
        }
      } finally {
        await handle.close();
      }
    },
  };
}
