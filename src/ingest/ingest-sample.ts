import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { readCsvBlocks } from '../csv/block-cutter.js';
import { CsvFormatError } from '../csv/csv-format-error.js';
import type { CsvDialect } from '../csv/dialect.js';
import type { Database, SampleRow } from '../db/database.js';
import { isUniqueViolation } from '../db/pg-errors.js';
import { insertSampleBlock } from '../db/sample-blocks.js';
import {
  claimSampleForUpload,
  failSample,
  findSampleByContent,
  findSamplesByIds,
  markSampleReceived,
  recordSampleDialect,
  SAMPLE_CONTENT_INDEX,
} from '../db/samples.js';
import { formatBytes } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { IngestError } from './ingest-error.js';
import type { ProfilingScheduler } from './profiling-scheduler.js';

/** Limits an upload is held to. Each is named in the error that enforces it. */
export interface IngestLimits {
  /** Largest accepted upload, in bytes. */
  readonly maxBytes: number;
  /** Name of the setting behind `maxBytes`, for messages (`UPLOAD_MAX_BYTES`, `MULTIPART_MAX_BYTES`). */
  readonly maxBytesSetting: string;
  /** Target block size. */
  readonly blockBytes: number;
  readonly maxColumns: number;
  /** A block may exceed `blockBytes` by at most this much (one record, so also one field). */
  readonly maxRecordBytes: number;
}

/** Everything {@link ingestSample} needs. */
export interface IngestSampleOptions {
  readonly db: Kysely<Database>;
  readonly scheduler: ProfilingScheduler;
  readonly logger: Logger;
  /** A sample in AWAITING_UPLOAD. */
  readonly sampleId: string;
  /** The raw file bytes, in order. Errors it throws are reported as an interrupted upload. */
  readonly source: AsyncIterable<Uint8Array>;
  readonly limits: IngestLimits;
  /** Size announced by the client (Content-Length), checked before reading anything. */
  readonly declaredBytes?: number;
  /** How sample ids appear in messages (the API's global ids); the database id by default. */
  readonly publicSampleId?: (sampleId: string) => string;
  /**
   * The lease of the API process receiving the upload (see `registerApiProcess`): if the process
   * dies, any other one fails the upload as soon as the lease lapses. Without one, the upload is
   * failed after a long time without a block.
   */
  readonly receiverId?: string | null;
}

/**
 * The dialect as stored with the sample: the reader's, plus `decodedAs: 'windows-1252'` once a
 * block turned out not to be valid UTF-8 (the profiler reads such blocks as windows-1252).
 */
export type RecordedDialect = CsvDialect & { decodedAs?: 'windows-1252' };

/** A received sample. */
export interface IngestResult {
  readonly sample: SampleRow;
  readonly bytes: number;
  readonly blocks: number;
  readonly sha256: string;
}

/**
 * Receives the bytes of one sample: the single path for every upload (GraphQL multipart and
 * streaming `PUT`).
 *
 * The sample goes AWAITING_UPLOAD → RECEIVING; the bytes stream through the CSV block cutter while
 * their SHA-256 and count are taken; the CSV dialect is recorded as soon as the header is read;
 * every row-aligned block is committed to `sample_blocks` as soon as it is cut (memory stays flat
 * whatever the size) and announced to the scheduler, so workers profile early blocks while the
 * rest still arrives; at the end one statement records size, hash and block count and marks the
 * sample RECEIVED, and the scheduler hears of it after that commit.
 *
 * Any failure — the client going away, a limit, a file that is not CSV, content the dataset
 * already has — deletes the sample's blocks (and the states workers computed from early ones) and
 * leaves it FAILED with `error_code` and a message, then throws an {@link IngestError} carrying the same.
 */
export async function ingestSample(options: IngestSampleOptions): Promise<IngestResult> {
  const { db, scheduler, logger, sampleId, limits } = options;
  const publicId = options.publicSampleId ?? ((id: string) => id);
  const claimed = await claimSampleForUpload(db, sampleId, { receiverId: options.receiverId ?? null, expectedBytes: options.declaredBytes });
  if (!claimed) throw await notClaimable(db, sampleId, publicId);

  const meter = new UploadMeter(limits);
  let received: SampleRow;
  let blocks = 0;
  try {
    if (options.declaredBytes !== undefined && options.declaredBytes > limits.maxBytes) {
      throw tooLarge(limits, options.declaredBytes);
    }
    let dialect: RecordedDialect | undefined;
    for await (const event of readCsvBlocks(meter.wrap(options.source), {
      blockBytes: limits.blockBytes,
      maxRecordBytes: limits.maxRecordBytes,
    })) {
      if (event.kind === 'dialect') {
        dialect = event.dialect;
        checkColumns(dialect, limits);
        // Recorded before the first block is stored, so that the scheduler can queue every block
        // for profiling while the rest of the upload still arrives.
        if (!(await recordSampleDialect(db, sampleId, dialect))) {
          throw new Error(`sample ${sampleId} left RECEIVING while its upload was running`);
        }
      } else if (event.kind === 'block') {
        meter.blockCut();
        if (event.bytes.byteLength > limits.blockBytes + limits.maxRecordBytes) throw recordTooLarge(limits, event.byteOffset);
        if (event.index !== blocks) {
          throw new Error(`block cutter produced block ${event.index} where ${blocks} was expected`);
        }
        if (dialect?.encoding === 'utf-8' && dialect.decodedAs === undefined && !isUtf8(event.bytes)) {
          // The profiler reads a block that is not valid UTF-8 as windows-1252: say so in the
          // dialect at once, rather than leave "utf-8" from a header that happened to be ASCII.
          dialect = { ...dialect, decodedAs: 'windows-1252' };
          if (!(await recordSampleDialect(db, sampleId, dialect))) {
            throw new Error(`sample ${sampleId} left RECEIVING while its upload was running`);
          }
        }
        await insertSampleBlock(db, { sampleId, blockIndex: event.index, byteOffset: event.byteOffset, bytes: event.bytes });
        blocks += 1;
        await scheduler.onBlockStored(sampleId, event.index);
      }
    }
    if (!dialect) throw new Error('block cutter ended without reporting a dialect');
    const sha256 = meter.digest();
    received = await recordReceived(db, claimed, publicId, {
      byteSize: meter.bytes,
      sha256,
      blocksTotal: blocks,
      dialect,
      // A header-only file has no blocks, hence no rows; otherwise the profiler counts them.
      rows: blocks === 0 ? 0 : null,
    });
  } catch (error) {
    const failure = toIngestError(error, limits);
    if (failure.code === 'INTERNAL_SERVER_ERROR') logger.error('upload failed unexpectedly', { sampleId, error });
    else logger.info('upload refused', { sampleId, reason: failure.reason, bytes: meter.bytes });
    try {
      await failSample(db, sampleId, { stage: 'upload', code: failure.reason, message: failure.message, byteSize: meter.bytes });
    } catch (cleanupError) {
      logger.error('could not mark the failed upload FAILED', { sampleId, error: cleanupError });
    }
    throw failure;
  }

  try {
    await scheduler.onUploadComplete(sampleId);
  } catch (error) {
    // The sample is complete and committed; a scheduling fault must not undo it.
    logger.error('profiling scheduler rejected a completed upload; the sample stays RECEIVED', { sampleId, error });
  }
  return { sample: received, bytes: meter.bytes, blocks, sha256: received.sha256 ?? '' };
}

/** Explains why a sample cannot take an upload (it does not exist, or it already had one). */
async function notClaimable(
  db: Kysely<Database>,
  sampleId: string,
  publicId: (id: string) => string,
): Promise<IngestError> {
  const [existing] = await findSamplesByIds(db, [sampleId]);
  if (!existing) {
    return new IngestError('NOT_FOUND', 'SAMPLE_NOT_FOUND', `sample ${publicId(sampleId)} does not exist`);
  }
  if (existing.status === 'FAILED') {
    // The URL's one upload was made and failed: say why, and that this URL cannot be used again.
    return new IngestError(
      'GONE',
      'UPLOAD_FAILED',
      `the upload of sample ${publicId(sampleId)} failed (${existing.error_code ?? 'FAILED'}: ${existing.error ?? 'no reason recorded'}); ` +
        'an upload URL accepts one upload: call createUpload for a new URL and send the file again',
      { status: existing.status, errorCode: existing.error_code },
    );
  }
  if (existing.status === 'RECEIVING') {
    return new IngestError(
      'CONFLICT',
      'NOT_AWAITING_UPLOAD',
      `sample ${publicId(sampleId)} is RECEIVING: another request is sending its bytes now (if that request died, the sample is failed ` +
        'within a minute); an upload URL accepts one upload: call createUpload for a new one',
      { status: existing.status },
    );
  }
  return new IngestError(
    'CONFLICT',
    'NOT_AWAITING_UPLOAD',
    `sample ${publicId(sampleId)} is ${existing.status}: its file was already uploaded; an upload URL accepts one upload: call createUpload for a new one`,
    { status: existing.status },
  );
}

async function recordReceived(
  db: Kysely<Database>,
  sample: SampleRow,
  publicId: (id: string) => string,
  facts: Parameters<typeof markSampleReceived>[2],
): Promise<SampleRow> {
  try {
    const row = await markSampleReceived(db, sample.id, facts);
    if (!row) throw new Error(`sample ${sample.id} left RECEIVING while its upload was running`);
    return row;
  } catch (error) {
    if (!isUniqueViolation(error, SAMPLE_CONTENT_INDEX)) throw error;
    const existing = await findSampleByContent(db, sample.dataset_id, facts.sha256, sample.id);
    const name = existing ? `sample ${publicId(existing.id)}${existing.filename ? ` (${existing.filename})` : ''}` : 'another sample';
    throw new IngestError(
      'CONFLICT',
      'DUPLICATE_CONTENT',
      `identical content (sha256 ${facts.sha256}) is already stored in this dataset as ${name}`,
      { existingSampleId: existing?.id, sha256: facts.sha256 },
    );
  }
}

function checkColumns(dialect: CsvDialect, limits: IngestLimits): void {
  if (dialect.header.length > limits.maxColumns) {
    throw new IngestError(
      'BAD_USER_INPUT',
      'TOO_MANY_COLUMNS',
      `the header has ${dialect.header.length} columns; the limit is ${limits.maxColumns} (MAX_COLUMNS)`,
      { columns: dialect.header.length, limit: limits.maxColumns, setting: 'MAX_COLUMNS' },
    );
  }
}

function tooLarge(limits: IngestLimits, bytes: number): IngestError {
  return new IngestError(
    'PAYLOAD_TOO_LARGE',
    'UPLOAD_TOO_LARGE',
    `the upload is larger than ${formatBytes(limits.maxBytes)} (${limits.maxBytesSetting}${
      limits.maxBytesSetting === 'MULTIPART_MAX_BYTES' ? '; use createUpload and PUT for larger files' : ''
    })`,
    { limit: limits.maxBytes, setting: limits.maxBytesSetting, received: bytes },
  );
}

function recordTooLarge(limits: IngestLimits, byteOffset: number): IngestError {
  return new IngestError(
    'BAD_USER_INPUT',
    'RECORD_TOO_LONG',
    `a record starting near byte ${byteOffset} is longer than ${formatBytes(limits.maxRecordBytes)} (MAX_RECORD_BYTES); ` +
      'this is usually a quote that is never closed',
    { limit: limits.maxRecordBytes, setting: 'MAX_RECORD_BYTES', byteOffset },
  );
}

/** Raised by the meter when the source itself fails (the client went away). */
class SourceFailure extends Error {
  override readonly name = 'SourceFailure';
}

function toIngestError(error: unknown, limits: IngestLimits): IngestError {
  if (error instanceof IngestError) return error;
  if (error instanceof SourceFailure) {
    return new IngestError('BAD_USER_INPUT', 'UPLOAD_ABORTED', `the upload was interrupted: ${error.message}`, {}, { cause: error });
  }
  if (error instanceof CsvFormatError) {
    if (error.code === 'RECORD_TOO_LONG') return recordTooLarge(limits, error.byteOffset ?? 0);
    const where = error.line !== undefined ? ` (line ${error.line})` : '';
    return new IngestError('BAD_USER_INPUT', error.code, `${error.message}${where}`, { line: error.line, byteOffset: error.byteOffset }, {
      cause: error,
    });
  }
  return new IngestError('INTERNAL_SERVER_ERROR', 'INTERNAL', 'the upload failed because of a server error', {}, { cause: error });
}

/**
 * Counts and hashes the bytes on their way into the block cutter, and stops the stream as soon as
 * a limit is crossed rather than after buffering more: the total size, and the bytes read since
 * the last block was cut (which bounds what the cutter holds while it looks for a record end).
 */
class UploadMeter {
  bytes = 0;
  private sinceLastBlock = 0;
  private readonly hash = createHash('sha256');
  private readonly pendingLimit: number;

  constructor(private readonly limits: IngestLimits) {
    // Twice the block size leaves room for transcoded input (UTF-16 shrinks to UTF-8 in blocks).
    this.pendingLimit = 2 * limits.blockBytes + limits.maxRecordBytes;
  }

  async *wrap(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    const iterator = source[Symbol.asyncIterator]();
    try {
      while (true) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await iterator.next();
        } catch (error) {
          throw new SourceFailure(error instanceof Error ? error.message : String(error), { cause: error });
        }
        if (next.done) return;
        const chunk = next.value;
        this.bytes += chunk.byteLength;
        this.sinceLastBlock += chunk.byteLength;
        if (this.bytes > this.limits.maxBytes) throw tooLarge(this.limits, this.bytes);
        if (this.sinceLastBlock > this.pendingLimit + chunk.byteLength) {
          throw recordTooLarge(this.limits, this.bytes - this.sinceLastBlock);
        }
        this.hash.update(chunk);
        yield chunk;
      }
    } finally {
      // Stop the producer (e.g. release the request stream) when the cutter gives up early.
      try {
        await iterator.return?.();
      } catch {
        // The source already failed; its own error is the one that matters.
      }
    }
  }

  blockCut(): void {
    this.sinceLastBlock = 0;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
