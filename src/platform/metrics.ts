import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Distinct GraphQL operation names kept as label values; further names are counted as `other`. */
const MAX_OPERATION_LABELS = 200;

/** A gauge value read when `/metrics` is scraped. */
export interface GaugeSample {
  readonly labels: Record<string, string>;
  readonly value: number;
}

/**
 * The Prometheus metrics of one realitycheck process (prom-client), in a registry of its own.
 * The API and in-process workers share one; a `realitycheck worker` process has its own.
 */
export interface Metrics {
  readonly registry: Registry;
  /** HTTP requests by method, route, GraphQL operation name and status. */
  readonly httpDuration: Histogram<'method' | 'route' | 'operation' | 'status'>;
  /** Requests refused before they ran, by reason (`unauthenticated`, `rate_limited`, `too_complex`, `payload_too_large`). */
  readonly refusals: Counter<'reason'>;
  /** Job run times by queue and outcome (`completed`, `failed`). */
  readonly jobDuration: Histogram<'queue' | 'outcome'>;
  /** Failed job attempts by queue; `final` is `true` when the job will not be retried. */
  readonly jobFailures: Counter<'queue' | 'final'>;
  readonly rowsProfiled: Counter;
  readonly bytesProfiled: Counter;
  /** A bounded label for a client-chosen operation name. */
  operationLabel(name: string | null | undefined): string;
  /** Registers the source of the queue depth gauge (`realitycheck_queue_jobs{queue,state}`). */
  setQueueDepthSource(read: () => Promise<readonly GaugeSample[]>): void;
  /** Registers the source of the samples gauge (`realitycheck_samples{status}`). */
  setSampleCountSource(read: () => Promise<readonly GaugeSample[]>): void;
  /** Registers the source of `realitycheck_uploads{state="active"|"waiting"}`. */
  setUploadSlotsSource(read: () => { active: number; waiting: number }): void;
}

function gaugeFrom(registry: Registry, name: string, help: string, labelNames: string[]) {
  let source: (() => Promise<readonly GaugeSample[]>) | undefined;
  const gauge = new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      if (!source) return;
      this.reset();
      try {
        for (const sample of await source()) this.set(sample.labels, sample.value);
      } catch {
        // The source is down (database, queue): the gauge stays empty and /ready says why.
      }
    },
  });
  return { gauge, setSource: (read: () => Promise<readonly GaugeSample[]>) => void (source = read) };
}

/**
 * Creates the metrics of a process, with Node's process metrics (`process_resident_memory_bytes`,
 * event loop lag, heap) under the same registry.
 *
 * @example
 * const metrics = createMetrics();
 * metrics.httpDuration.observe({ method: 'POST', route: 'graphql', operation: 'Workflows', status: '200' }, 0.012);
 * const text = await metrics.registry.metrics();
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'realitycheck_http_request_duration_seconds',
    help: 'HTTP request duration by method, route, GraphQL operation name and status.',
    labelNames: ['method', 'route', 'operation', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'realitycheck_requests_refused_total',
    help: 'Requests refused before running, by reason.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'realitycheck_job_duration_seconds',
    help: 'Time a worker spent on a job, by queue and outcome.',
    labelNames: ['queue', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  const jobFailures = new Counter({
    name: 'realitycheck_job_failures_total',
    help: 'Failed job attempts by queue; final="true" when the job is not retried.',
    labelNames: ['queue', 'final'],
    registers: [registry],
  });
  const rowsProfiled = new Counter({ name: 'realitycheck_rows_profiled_total', help: 'Rows profiled by this process.', registers: [registry] });
  const bytesProfiled = new Counter({ name: 'realitycheck_bytes_profiled_total', help: 'Bytes of blocks profiled by this process.', registers: [registry] });
  const queueDepth = gaugeFrom(registry, 'realitycheck_queue_jobs', 'Jobs in each queue by state, read when scraped.', ['queue', 'state']);
  const samples = gaugeFrom(registry, 'realitycheck_samples', 'Samples by status, read from the database when scraped.', ['status']);
  const uploads = gaugeFrom(registry, 'realitycheck_uploads', 'Uploads being received (active) and waiting for a place (UPLOAD_MAX_CONCURRENT).', ['state']);
  const operations = new Set<string>();
  return {
    registry,
    httpDuration,
    refusals,
    jobDuration,
    jobFailures,
    rowsProfiled,
    bytesProfiled,
    operationLabel(name) {
      if (!name) return 'anonymous';
      const clean = name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 64);
      if (operations.has(clean)) return clean;
      if (operations.size >= MAX_OPERATION_LABELS) return 'other';
      operations.add(clean);
      return clean;
    },
    setQueueDepthSource: queueDepth.setSource,
    setSampleCountSource: samples.setSource,
    setUploadSlotsSource: (read) =>
      uploads.setSource(async () => {
        const { active, waiting } = read();
        return [
          { labels: { state: 'active' }, value: active },
          { labels: { state: 'waiting' }, value: waiting },
        ];
      }),
  };
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Answers a `GET /metrics` in Prometheus' text format; with `token` set (METRICS_TOKEN) only to
 * `Authorization: Bearer <token>`, otherwise 401.
 */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: Metrics, token: string | undefined): Promise<void> {
  if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
    const body = JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: '/metrics requires "Authorization: Bearer <METRICS_TOKEN>"' } });
    res.writeHead(401, { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' });
    res.end(body);
    return;
  }
  const text = await metrics.registry.metrics();
  res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
  res.end(text);
}

/**
 * A small HTTP server for a process without the API (`realitycheck worker`): `/metrics` and
 * `/health`. Resolves once it listens; `port` 0 picks a free port.
 */
export async function startMetricsServer(options: {
  readonly metrics: Metrics;
  readonly host: string;
  readonly port: number;
  readonly token: string | undefined;
}): Promise<{ readonly server: Server; readonly port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      serveMetrics(req, res, options.metrics, options.token).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return;
    }
    res.writeHead(path === '/health' ? 200 : 404, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(path === '/health' ? { status: 'ok' } : { error: { code: 'NOT_FOUND', message: 'this port serves /metrics and /health' } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
