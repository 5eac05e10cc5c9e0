import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { sql, type Kysely } from 'kysely';
import { registerApiProcess, releaseApiProcess, renewApiProcess } from '../db/api-processes.js';
import type { Database } from '../db/database.js';
import type { ApiServices } from '../graphql/context.js';
import { encodeGlobalId } from '../graphql/global-id.js';
import { createApiYoga, GRAPHQL_PATH } from '../graphql/yoga.js';
import { createNoopScheduler, type ProfilingScheduler } from '../ingest/profiling-scheduler.js';
import { failStaleUploads } from '../ingest/stale-uploads.js';
import { createUploadHandler, UPLOAD_PATH_PREFIX } from '../ingest/upload-route.js';
import { createUploadTokenSigner } from '../ingest/upload-token.js';
import type { Config } from './config.js';
import { createLogger, type Logger } from './logger.js';

/** A named readiness probe: resolves when the dependency is usable, throws (with a reason) when not. */
export type ReadinessCheck = () => Promise<void>;

/** Options of {@link startApiServer}. */
export interface ApiServerOptions {
  readonly config: Config;
  readonly db: Kysely<Database>;
  /** Key that signs upload URLs (see `resolveUploadSecret`). */
  readonly uploadSecret: string;
  /** Receives upload events; the no-op scheduler when no worker backend is configured. */
  readonly scheduler?: ProfilingScheduler;
  readonly logger?: Logger;
  /**
   * Extra probes of `/ready` besides the database, by name (e.g. `queue`, supplied by the worker
   * backend). A failing probe makes `/ready` answer 503.
   */
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
  /** Seconds a connection may stay idle (no bytes either way) before it is closed; 0 disables. */
  readonly idleTimeoutSeconds?: number;
  /**
   * Uploads that name no receiving process (claimed by a version that did not record it) are
   * failed after this long without a block (at least twice the idle timeout).
   */
  readonly staleUploadSeconds?: number;
}

/** A listening API server. */
export interface ApiServer {
  readonly server: Server;
  /** Base URL, e.g. `http://127.0.0.1:4000`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting connections and closes open ones. Does not close the database. */
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 3_000;

function withTimeout(probe: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    probe.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

/**
 * Starts the HTTP server of the API:
 *
 * * `/graphql` — GraphQL (POST, GET, multipart uploads) and GraphiQL in a browser;
 * * `PUT /uploads/<sampleId>?token=…` — streaming upload of a sample's bytes;
 * * `/health` — liveness (the process answers);
 * * `/ready` — readiness (the database, and any extra probe such as the queue, answer).
 *
 * @example
 * const api = await startApiServer({ config, db, uploadSecret });
 * console.log(`GraphiQL at ${api.url}/graphql`);
 * await api.close();
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { config, db } = options;
  const logger = options.logger ?? createLogger();
  const scheduler = options.scheduler ?? createNoopScheduler();
  const uploadSigner = createUploadTokenSigner(options.uploadSecret);
  // This process's lease: uploads it receives name it, and any API process fails them soon after
  // the lease lapses (this one died), while it leaves alone uploads of processes that renew theirs.
  const identity = { host: hostname(), pid: process.pid };
  const receiverId = await registerApiProcess(db, identity);
  const services: ApiServices = { config, db, scheduler, logger, uploadSigner, receiverId };
  const yoga = createApiYoga(services);
  const upload = createUploadHandler({
    db,
    scheduler,
    logger,
    config,
    signer: uploadSigner,
    publicSampleId: (id) => encodeGlobalId('Sample', id),
    receiverId,
  });
  const checks: Record<string, ReadinessCheck> = {
    database: async () => {
      await sql`select 1`.execute(db);
    },
    ...options.readinessChecks,
  };

  const ready = async (res: ServerResponse) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, probe]) => {
        try {
          await withTimeout(probe(), READY_TIMEOUT_MS);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, `error: ${error instanceof Error ? error.message : String(error)}`] as const;
        }
      }),
    );
    const ok = results.every(([, state]) => state === 'ok');
    sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (path === '/ready') return ready(res);
    if (path.startsWith(UPLOAD_PATH_PREFIX)) return upload(req, res, url);
    if (path === GRAPHQL_PATH || path.startsWith(`${GRAPHQL_PATH}/`)) return yoga(req, res);
    if (path === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(302, { location: GRAPHQL_PATH });
      return res.end();
    }
    sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${path}; the API is at ${GRAPHQL_PATH}` } });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('request failed', { method: req.method, url: req.url, error });
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL_SERVER_ERROR', message: 'internal error' } });
      else res.destroy();
    });
  });
  // Large uploads take long: no overall request deadline, but an idle connection is cut.
  server.requestTimeout = 0;
  server.timeout = (options.idleTimeoutSeconds ?? 120) * 1000;
  server.on('close', () => clearInterval(sweeper));

  const idleSeconds = options.idleTimeoutSeconds ?? 120;
  const limits = {
    leaseSeconds: config.uploadLeaseSeconds,
    idleSeconds: Math.max(options.staleUploadSeconds ?? 600, idleSeconds * 2),
  };
  // Renew the lease and look for orphaned uploads three times per lease: an upload whose process
  // died is failed at most about 4/3 of a lease after its last renewal, by any live API process
  // (a restarted one at once, once the lease has lapsed).
  let sweeping: Promise<void> | undefined;
  const sweep = () => {
    sweeping ??= (async () => {
      try {
        await renewApiProcess(db, receiverId, identity);
        const failed = await failStaleUploads(db, limits);
        if (failed.length > 0) logger.warn('failed uploads whose receiving process went away', { samples: failed });
      } catch (error) {
        logger.warn('upload lease renewal or stale upload sweep failed; retried shortly', { error: error instanceof Error ? error.message : String(error) });
      } finally {
        sweeping = undefined;
      }
    })();
    return sweeping;
  };
  void sweep();
  const sweeper = setInterval(sweep, Math.max(250, (limits.leaseSeconds * 1000) / 3));
  sweeper.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return {
    server,
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: async () => {
      clearInterval(sweeper);
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      await sweeping;
      // Uploads cut by the shutdown are failed by their own requests; the released lease lets any
      // API process fail one that was not (the database went away meanwhile).
      await releaseApiProcess(db, receiverId).catch((error: unknown) =>
        logger.warn('could not release the upload lease; it lapses by itself', { error: error instanceof Error ? error.message : String(error) }),
      );
    },
  };
}
