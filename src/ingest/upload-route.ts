import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { isUuid } from '../db/pg-errors.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { suspendIdleTimeout } from '../platform/request-state.js';
import type { Semaphore } from '../platform/semaphore.js';
import { IngestError } from './ingest-error.js';
import { ingestSample } from './ingest-sample.js';
import type { ProfilingScheduler } from './profiling-scheduler.js';
import { requestChunks } from './request-chunks.js';
import type { UploadTokenSigner } from './upload-token.js';

/** Path prefix of the streaming upload route. */
export const UPLOAD_PATH_PREFIX = '/uploads/';

/** Dependencies of {@link createUploadHandler}. */
export interface UploadHandlerOptions {
  readonly db: Kysely<Database>;
  readonly scheduler: ProfilingScheduler;
  readonly logger: Logger;
  readonly config: Config;
  readonly signer: UploadTokenSigner;
  /** Places for uploads being received at once (UPLOAD_MAX_CONCURRENT); none: no bound. */
  readonly slots?: Semaphore;
  /** How a sample id is shown to clients (the GraphQL global id). */
  readonly publicSampleId: (sampleId: string) => string;
  /** The lease of this API process, recorded on the uploads it receives (see `ingestSample`). */
  readonly receiverId?: string | null;
  /** How long to keep reading (and discarding) a body after an early error answer, so the client reads the answer. */
  readonly lingerMs?: number;
}

/** Body of a successful `PUT`. */
export interface UploadResponse {
  sampleId: string;
  bytes: number;
  blocks: number;
}

/**
 * The `PUT /uploads/<sampleId>?token=<token>` handler: streams the raw request body into the
 * sample through {@link ingestSample} and answers `{ sampleId, bytes, blocks }`, or an HTTP error
 * with `{ error: { code, message, reason? } }`.
 */
export function createUploadHandler(
  options: UploadHandlerOptions,
): (req: IncomingMessage, res: ServerResponse, url: URL, requestLogger?: Logger) => Promise<void> {
  const { db, scheduler, config, signer } = options;
  return async (req, res, url, requestLogger) => {
    const logger = requestLogger ?? options.logger;
    if (req.method !== 'PUT') {
      res.setHeader('Allow', 'PUT');
      return sendError(req, res, 405, { code: 'METHOD_NOT_ALLOWED', message: 'upload URLs accept PUT with the raw file as body' }, options);
    }
    const sampleId = decodeURIComponent(url.pathname.slice(UPLOAD_PATH_PREFIX.length)).toLowerCase();
    const token = url.searchParams.get('token');
    if (!token) {
      return sendError(req, res, 401, { code: 'UNAUTHENTICATED', message: 'the upload URL lacks its token parameter; use the uploadUrl returned by createUpload' }, options);
    }
    if (!isUuid(sampleId)) {
      return sendError(req, res, 404, { code: 'NOT_FOUND', message: 'no such upload' }, options);
    }
    const check = signer.verify(sampleId, token);
    if (check !== 'valid') {
      const message = check === 'expired'
        ? 'the upload URL has expired; call createUpload for a new one'
        : 'the upload token is not valid for this sample';
      logger.warn('upload refused: upload token not accepted', { sampleId, reason: check });
      return sendError(req, res, 403, { code: 'FORBIDDEN', message }, options);
    }

    const declared = req.headers['content-length'];
    try {
      const ingest = () => ingestSample({
        db,
        scheduler,
        logger,
        sampleId,
        source: requestChunks(req),
        publicSampleId: options.publicSampleId,
        receiverId: options.receiverId,
        declaredBytes: declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : undefined,
        limits: {
          maxBytes: config.uploadMaxBytes,
          maxBytesSetting: 'UPLOAD_MAX_BYTES',
          blockBytes: config.blockBytes,
          maxColumns: config.maxColumns,
          maxRecordBytes: config.maxRecordBytes,
        },
      });
      const result = await (options.slots ? options.slots.run(ingest, () => suspendIdleTimeout(req)) : ingest());
      const body: UploadResponse = { sampleId: options.publicSampleId(sampleId), bytes: result.bytes, blocks: result.blocks };
      sendJson(res, 200, body);
    } catch (error) {
      if (error instanceof IngestError) {
        const details: Record<string, unknown> = { ...error.details };
        if (typeof details.existingSampleId === 'string') details.existingSampleId = options.publicSampleId(details.existingSampleId);
        return sendError(
          req,
          res,
          error.httpStatus,
          { ...details, code: error.code, reason: error.reason, message: error.message, sampleId: options.publicSampleId(sampleId) },
          options,
        );
      }
      logger.error('upload route failed', { sampleId, error });
      return sendError(req, res, 500, { code: 'INTERNAL_SERVER_ERROR', message: 'the upload failed because of a server error' }, options);
    }
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Answers an error. When the body was not read to its end, the connection is closed after a short
 * linger during which the rest of the body is discarded: closing at once would reset the
 * connection under a client still sending, and it could lose the answer.
 */
function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  error: Record<string, unknown> & { code: string; message: string },
  options: UploadHandlerOptions,
): void {
  if (res.headersSent || res.destroyed) return;
  if (!req.complete) {
    res.setHeader('connection', 'close');
    res.once('finish', () => {
      if (req.complete || req.destroyed) return;
      const timer = setTimeout(() => req.socket.destroy(), options.lingerMs ?? 5_000);
      timer.unref();
      req.once('end', () => clearTimeout(timer));
      req.once('close', () => clearTimeout(timer));
      req.resume();
    });
  }
  sendJson(res, status, { error });
}
