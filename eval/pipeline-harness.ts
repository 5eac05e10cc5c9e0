/**
 * The real pipeline, for the evaluations that break it on purpose (`test:faults`, `test:hostile`):
 * `realitycheck api` and `realitycheck worker` processes on a scratch database of the system
 * Postgres (`TEST_DATABASE_URL`, default postgres://postgres@127.0.0.1:5432/postgres), a private
 * `redis-server` or BullMQ's PostgreSQL backend, and the GraphQL and upload calls a client makes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { createConnection, createServer } from 'node:net';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { createDatabase } from '../src/db/create-database.js';
import type { Database, SampleRow } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { loadConfig } from '../src/platform/config.js';
import { openQueueBackend, type QueueBackend } from '../src/queue/queue-backend.js';
import { COMPUTE_REPORT_QUEUE, type QueueName } from '../src/queue/queue-names.js';
import { createSilentLogger } from '../src/platform/logger.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const ADMIN_KEY = `rc_eval_${randomBytes(24).toString('hex')}`;
const UPLOAD_SECRET = randomBytes(32).toString('hex');
export const EXTRACTED_AT = '2024-05-01T00:00:00.000Z';
export const logger = createSilentLogger();

// ---------------------------------------------------------------------------------------------
// Processes and services.

export interface Proc {
  readonly child: ChildProcess;
  readonly pid: number;
  output(): string;
  readonly exited: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export const running = new Set<Proc>();

export function spawnCli(command: 'api' | 'worker', env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [CLI, command], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const proc: Proc = {
    child,
    pid: child.pid!,
    output: () => log,
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      running.delete(proc);
    },
  };
  running.add(proc);
  return proc;
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** A redis-server of this run on a port of its own, without persistence (a restart loses everything). */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  constructor(readonly port: number) {}
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await portOpen(this.port)); i++) await sleep(50);
    if (!(await portOpen(this.port))) throw new Error(`redis-server did not start on port ${this.port}`);
  }
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
  }
}

export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `rc_faults_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 120_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

// ---------------------------------------------------------------------------------------------
// One environment: a database, a queue prefix, API and worker processes.

export interface Environment {
  readonly db: Kysely<Database>;
  readonly databaseUrl: string;
  readonly env: Record<string, string>;
  readonly backend: QueueBackend;
  api: Proc;
  apiUrl: string;
  workers: Proc[];
}

/**
 * A database (migrated), a queue prefix and an API process; `redisUrl` undefined runs the queues on
 * BullMQ's PostgreSQL backend in the same database. Workers are started with {@link startWorker}.
 */
export async function openEnvironment(databaseUrl: string, redisUrl: string | undefined, extraEnv: Record<string, string> = {}): Promise<Environment> {
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    QUEUE_PREFIX: `faults-${randomBytes(4).toString('hex')}`,
    REALITYCHECK_ADMIN_KEY: ADMIN_KEY,
    REALITYCHECK_UPLOAD_SECRET: UPLOAD_SECRET,
    WORKER_CONCURRENCY: '1',
    WORKER_LOCK_DURATION_MS: '3000',
    WORKER_STALLED_INTERVAL_MS: '1500',
    JOB_ATTEMPTS: '8',
    JOB_BACKOFF_MS: '300',
    RECONCILE_INTERVAL_MS: '2000',
    RECONCILE_GRACE_MS: '3000',
    UPLOAD_LEASE_SECONDS: '3',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const db = createDatabase(databaseUrl, { poolSize: 3, onPoolError: () => undefined });
  await migrateToLatest(db);
  const backend = await openQueueBackend({ jobs: loadConfig(env).jobs, databaseUrl, logger });
  const environment: Environment = { db, databaseUrl, env, backend, api: undefined as unknown as Proc, apiUrl: '', workers: [] };
  await startApi(environment);
  return environment;
}

export async function startApi(environment: Environment): Promise<void> {
  const port = await freePort();
  environment.api = spawnCli('api', { ...environment.env, PORT: String(port), HOST: '127.0.0.1' });
  environment.apiUrl = `http://127.0.0.1:${port}`;
  await waitFor('the API to answer', async () => (await fetch(`${environment.apiUrl}/health`).catch(() => undefined))?.ok, 60_000);
}

export async function startWorker(environment: Environment, logLevel: 'info' | 'debug' = 'info'): Promise<Proc> {
  // At info level the worker says when it is ready ("workers started").
  const worker = spawnCli('worker', { ...environment.env, LOG_LEVEL: logLevel });
  environment.workers.push(worker);
  await waitFor('a worker to start', async () => /workers started/.test(worker.output()) || worker.child.exitCode !== null, 60_000);
  if (worker.child.exitCode !== null) throw new Error(`the worker exited: ${worker.output()}`);
  return worker;
}

export async function closeEnvironment(environment: Environment): Promise<void> {
  await Promise.all([environment.api, ...environment.workers].map((p) => p?.kill('SIGTERM')));
  await environment.backend.close().catch(() => undefined);
  await environment.db.destroy().catch(() => undefined);
}

export async function gql<T = any>(environment: Environment, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${environment.apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

export function localId(globalId: string): string {
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  return text.slice(text.indexOf(':') + 1);
}

export async function createDataset(environment: Environment, name: string): Promise<string> {
  const workflow = (await gql(environment, `mutation($n: String!) { createWorkflow(input: { name: $n, owner: { name: "faults" } }) { workflow { id } } }`, { n: name }))
    .createWorkflow.workflow.id;
  return (await gql(environment, `mutation($w: ID!) { createDataset(input: { workflowId: $w, name: "d" }) { dataset { id } } }`, { w: workflow })).createDataset
    .dataset.id;
}

export async function createUpload(environment: Environment, dataset: string, role: 'PILOT' | 'PRODUCTION'): Promise<{ sampleId: string; uploadUrl: string }> {
  const created = (
    await gql(
      environment,
      `mutation($d: ID!, $r: SampleRole!, $t: DateTime!) { createUpload(input: { datasetId: $d, role: $r, filename: "f.csv", extractedAt: $t }) { sample { id } uploadUrl } }`,
      { d: dataset, r: role, t: EXTRACTED_AT },
    )
  ).createUpload;
  return { sampleId: localId(created.sample.id), uploadUrl: created.uploadUrl };
}

/** Uploads a whole file; returns the sample id once the API acknowledged it (HTTP 200). */
export async function upload(environment: Environment, dataset: string, role: 'PILOT' | 'PRODUCTION', csv: string): Promise<string> {
  const { sampleId, uploadUrl } = await createUpload(environment, dataset, role);
  const response = await fetch(uploadUrl, { method: 'PUT', body: csv });
  if (response.status !== 200) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  return sampleId;
}

/** Starts an upload and sends only the first part of the file (the client then waits). */
export function partialPut(uploadUrl: string, csv: string, part: number): ClientRequest {
  const req = request(new URL(uploadUrl), { method: 'PUT', headers: { 'content-length': String(Buffer.byteLength(csv)) } });
  req.on('error', () => undefined);
  req.write(csv.slice(0, part));
  return req;
}

export async function sample(environment: Environment, id: string): Promise<SampleRow | undefined> {
  return environment.db.selectFrom('samples').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function settled(environment: Environment, id: string, timeoutMs = 180_000): Promise<SampleRow | undefined> {
  return waitFor(
    `sample ${id} to be PROFILED, FAILED or gone`,
    async () => {
      const row = await sample(environment, id);
      if (!row) return { absent: true } as const;
      return row.status === 'PROFILED' || row.status === 'FAILED' ? row : undefined;
    },
    timeoutMs,
  ).then((value) => ('absent' in value ? undefined : value));
}

export async function storedStateCount(environment: Environment, id: string): Promise<number> {
  const rows = await environment.db.selectFrom('sample_block_states').select('block_index').where('sample_id', '=', id).execute();
  return rows.length;
}

/** Waits until a job of `queue` for the dataset's sample is running on `worker`, then SIGKILLs the worker. */
export async function killInside(environment: Environment, worker: Proc, queue: QueueName, sampleId: string): Promise<string | undefined> {
  const name = `${hostname()}:${worker.pid}`;
  const jobs = environment.backend.queue(queue);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const active = await jobs.getActive().catch(() => []);
    const job = active.find((j) => (j.data as { sampleId?: string }).sampleId === sampleId && j.processedBy === name);
    if (job) {
      worker.child.kill('SIGKILL');
      await worker.exited;
      running.delete(worker);
      return job.id;
    }
    if ((await sample(environment, sampleId))?.status === 'FAILED') return undefined;
    const reported = queue === COMPUTE_REPORT_QUEUE && (await reportCount(environment, sampleId)) > 0;
    if (reported) return undefined;
    await sleep(3);
  }
  return undefined;
}

export async function reportCount(environment: Environment, productionId: string): Promise<number> {
  const rows = await environment.db.selectFrom('reality_reports').select('id').where('production_sample_id', '=', productionId).execute();
  return rows.length;
}


/** Uploads a file with the `uploadSample` multipart mutation; returns the sample id, or the errors. */
export async function uploadMultipart(
  environment: Environment,
  dataset: string,
  role: 'PILOT' | 'PRODUCTION',
  bytes: Uint8Array,
  filename = 'f.csv',
): Promise<{ sampleId?: string; status: number; errors?: unknown }> {
  const form = new FormData();
  form.set(
    'operations',
    JSON.stringify({
      query: `mutation($f: File!, $d: ID!, $t: DateTime!) { uploadSample(input: { datasetId: $d, role: ${role}, file: $f, extractedAt: $t }) { sample { id } } }`,
      variables: { f: null, d: dataset, t: EXTRACTED_AT },
    }),
  );
  form.set('map', JSON.stringify({ 0: ['variables.f'] }));
  form.set('0', new Blob([bytes as Uint8Array<ArrayBuffer>]), filename);
  const response = await fetch(`${environment.apiUrl}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}` }, body: form });
  const body = (await response.json().catch(() => ({}))) as { data?: { uploadSample?: { sample: { id: string } } }; errors?: unknown };
  const id = body.data?.uploadSample?.sample.id;
  return { status: response.status, ...(id ? { sampleId: localId(id) } : {}), ...(body.errors ? { errors: body.errors } : {}) };
}

/** Resident set size of a process in bytes (Linux /proc), or undefined once it is gone. */
export function rssOf(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Runs an evaluation's `main` and exits with its code; on an error, kills the processes it started and exits 1. */
export function runEvaluation(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    async (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      await Promise.all([...running].map((p) => p.kill()));
      process.exit(1);
    },
  );
}
