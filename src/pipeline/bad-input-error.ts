/** Why a sample cannot be profiled, as stored in `samples.error_code`. */
export type BadInputCode =
  /** A block holds NUL bytes: from there on the file is binary, not delimited text. */
  | 'BINARY_CONTENT'
  /** The sample has no usable CSV dialect (header, delimiter) recorded. */
  | 'BAD_DIALECT'
  /** A block the sample should have is not stored. */
  | 'BLOCK_MISSING'
  /** The raw blocks were deleted (retention) before the sample was profiled. */
  | 'RAW_DATA_DELETED'
  /** A stored block state or profile cannot be read or merged. */
  | 'BAD_STATE'
  /** Profiling the sample needs more memory than a worker thread may use (`WORKER_THREAD_HEAP_MAX_MB`). */
  | 'SAMPLE_TOO_WIDE';

/**
 * Input that profiling can never succeed on, however often it is retried. The job that meets it
 * fails without retries and the sample ends FAILED with `message`, which is written for the
 * person who uploaded the file.
 */
export class BadInputError extends Error {
  override readonly name = 'BadInputError';

  constructor(
    readonly code: BadInputCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
