import type { CsvFormatErrorCode } from '../csv/csv-format-error.js';

/** Client-facing error class of an upload, shared by GraphQL (`extensions.code`) and `PUT` (`error.code`). */
export type IngestErrorCode = 'BAD_USER_INPUT' | 'PAYLOAD_TOO_LARGE' | 'CONFLICT' | 'GONE' | 'NOT_FOUND' | 'INTERNAL_SERVER_ERROR';

/** Why an upload failed, as stored in `samples.error_code` and sent as `reason`. */
export type IngestFailureReason =
  | CsvFormatErrorCode
  | 'UPLOAD_TOO_LARGE'
  | 'TOO_MANY_COLUMNS'
  | 'DUPLICATE_CONTENT'
  | 'UPLOAD_ABORTED'
  | 'NOT_AWAITING_UPLOAD'
  /** The upload URL's one upload failed; the sample says why. */
  | 'UPLOAD_FAILED'
  | 'SAMPLE_NOT_FOUND'
  | 'INTERNAL';

const HTTP_STATUS: Record<IngestErrorCode, number> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL_SERVER_ERROR: 500,
};

/**
 * An upload that did not produce a sample. `message` is meant for the person who uploaded: it
 * names the limit or the problem. When `sampleId` is set, that sample is now FAILED.
 */
export class IngestError extends Error {
  override readonly name = 'IngestError';
  readonly httpStatus: number;

  constructor(
    readonly code: IngestErrorCode,
    readonly reason: IngestFailureReason,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.httpStatus = HTTP_STATUS[code];
  }
}
