import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { registerApiProcess, releaseApiProcess, renewApiProcess } from '../db/api-processes.js';
import { pingDatabase } from '../db/create-database.js';
import type { Database } from '../db/database.js';
import { countSamplesByStatus } from '../db/samples.js';
import { authenticate } from '../graphql/authenticate.js';
import type { ApiServices } from '../graphql/context.js';
import { encodeGlobalId } from '../graphql/global-id.js';
import { createApiYoga, GRAPHQL_PATH, type ApiServerContext } from '../graphql/yoga.js';
import { createNoopScheduler, type ProfilingScheduler } from '../ingest/profiling-scheduler.js';
import { failStaleUploads } from '../ingest/stale-uploads.js';
import { createUploadHandler, UPLOAD_PATH_PREFIX } from '../ingest/upload-route.js';
import { createUploadTokenSigner } from '../ingest/upload-token.js';
import type { Config } from '../platform/config.js';
import { corsPolicy } from './cors.js';
import { childLogger, createLogger, type Logger } from '../platform/logger.js';
import { createMetrics, serveMetrics, type Metrics } from '../platform/metrics.js';
import { Semaphore } from '../platform/semaphore.js';
import { REQUEST_ID_HEADER, requestIdOf, runInRequest, type RequestState } from '../platform/request-state.js';

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
  /** Metrics of this process, served at `/metrics` (a new registry when not given). */
  readonly metrics?: Metrics;
}

/** How long a connection may keep sending the rest of a body the server answered without reading, before it is closed. */
const DISCARD_LINGER_MS = 5_000;

/** Route label of a path, for metrics and logs (bounded: never the path itself). */
function routeOf(path: string): string {
  if (path === GRAPHQL_PATH || path.startsWith(`${GRAPHQL_PATH}/`)) return 'graphql';
  if (path.startsWith(UPLOAD_PATH_PREFIX)) return 'upload';
  if (path === '/health' || path === '/ready' || path === '/metrics' || path === '/') return path === '/' ? 'root' : path.slice(1);
  return 'other';
}

/**
 * Once the answer is sent, reads and drops what the client still sends of a body the server did
 * not read (a refused upload), for a short while, then closes the connection: closing at once
 * would reset it under a client still sending, and the client could lose the answer.
 */
function discardUnreadBody(req: IncomingMessage, res: ServerResponse): void {
  res.once('finish', () => {
    if (req.complete || req.destroyed) return;
    req.unpipe();
    const timer = setTimeout(() => req.socket.destroy(), DISCARD_LINGER_MS);
    timer.unref();
    req.once('end', () => clearTimeout(timer));
    req.once('close', () => clearTimeout(timer));
    req.resume();
  });
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
 * * `/ready` — readiness (the database, and any extra probe such as the queue, answer);
 * * `/metrics` — Prometheus metrics (behind `METRICS_TOKEN` when it is set).
 *
 * Every request gets an id (the client's `x-request-id`, else a new one) that is returned in
 * `x-request-id` and carried by every log line of the request; each request ends with one access
 * log line. Cross-origin browser requests are allowed from `CORS_ORIGINS` only.
 *
 * @example
 * const api = await startApiServer({ config, db, uploadSecret });
 * console.log(`GraphiQL at ${api.url}/graphql`);
 * await api.close();
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { config, db } = options;
  const logger = options.logger ?? createLogger();
  const metrics = options.metrics ?? createMetrics();
  metrics.setSampleCountSource(async () => {
    const counts = await countSamplesByStatus(db);
    return counts.map((row) => ({ labels: { status: row.status }, value: row.count }));
  });
  const scheduler = options.scheduler ?? createNoopScheduler();
  const uploadSigner = createUploadTokenSigner(options.uploadSecret);
  // This process's lease: uploads it receives name it, and any API process fails them soon after
  // the lease lapses (this one died), while it leaves alone uploads of processes that renew theirs.
  const identity = { host: hostname(), pid: process.pid };
  const receiverId = await registerApiProcess(db, identity);
  const uploadSlots = new Semaphore(config.uploadMaxConcurrent);
  metrics.setUploadSlotsSource(() => ({ active: uploadSlots.inUse, waiting: uploadSlots.queued }));
  const services: ApiServices = { config, db, scheduler, logger, uploadSigner, receiverId, uploadSlots };
  const yoga = createApiYoga(services, metrics);
  const cors = corsPolicy(config.corsOrigins, config.publicUrl);
  const upload = createUploadHandler({
    db,
    scheduler,
    logger,
    config,
    signer: uploadSigner,
    slots: uploadSlots,
    publicSampleId: (id) => encodeGlobalId('Sample', id),
    receiverId,
  });
  const checks: Record<string, ReadinessCheck> = {
    database: () => pingDatabase(db),
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

  const graphql = async (req: IncomingMessage, res: ServerResponse, state: RequestState) => {
    const access = await authenticate(db, req.headers.authorization ?? null, state.logger);
    if (access.key) {
      state.keyId = access.key.id;
      state.logger = childLogger(state.logger, { keyId: access.key.id });
    }
    if (req.method === 'POST' && (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data')) {
      // The body is read only as far as the operation needs (a refusal reads none of the file):
      // what is left when the answer goes out is read and dropped for a while, then the
      // connection is closed. (Announcing `Connection: close` would close it at once, under a
      // client still sending, which could lose the answer.)
      discardUnreadBody(req, res);
    }
    const context: ApiServerContext = { requestState: state, access };
    await yoga.handle(req, res, context);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, state: RequestState) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (cors.apply(req, res)) return;
    if (path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (path === '/ready') return ready(res);
    if (path === '/metrics') return serveMetrics(req, res, metrics, config.metricsToken);
    if (path.startsWith(UPLOAD_PATH_PREFIX)) return upload(req, res, url, state.logger);
    if (path === GRAPHQL_PATH || path.startsWith(`${GRAPHQL_PATH}/`)) return graphql(req, res, state);
    if (path === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(302, { location: GRAPHQL_PATH });
      return res.end();
    }
    sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${path}; the API is at ${GRAPHQL_PATH}` } });
  };

  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(req.headers[REQUEST_ID_HEADER]);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const state: RequestState = { requestId, req, logger: childLogger(logger, { requestId }) };
    const path = (req.url ?? '/').split('?')[0]!;
    const route = routeOf(path);
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.headersSent ? res.statusCode : 0;
      const operation = route === 'graphql' ? metrics.operationLabel(state.operation) : '';
      metrics.httpDuration.observe({ method: req.method ?? '', route, operation, status: String(status) }, seconds);
      // The path only: upload URLs carry their token in the query string.
      const line = {
        method: req.method,
        path,
        status,
        durationMs: Math.round(seconds * 1000),
        operation: state.operation,
        refused: state.refused,
        completed: res.writableFinished,
      };
      // Probes are frequent and say nothing new: they are logged at debug.
      (route === 'health' || route === 'ready' || route === 'metrics' ? state.logger.debug : state.logger.info)('request', line);
    });
    runInRequest(state, () =>
      handle(req, res, state).catch((error: unknown) => {
        state.logger.error('request failed', { method: req.method, path, error });
        if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL_SERVER_ERROR', message: 'internal error' } });
        else res.destroy();
      }),
    );
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
