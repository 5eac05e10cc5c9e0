/**
 * `npm run test:faults`: runs the real pipeline (`realitycheck api` and `realitycheck worker`
 * processes, Postgres, a private Redis) and breaks it on purpose: the API SIGKILLed in the middle
 * of an upload, a worker SIGKILLed inside each kind of job, Redis restarted empty in the middle of
 * a flow, the embedded Postgres restarted while blocks are profiled. After each fault, every
 * sample must end PROFILED with exactly the profile of an undisturbed run of the same file,
 * FAILED with a reason, or absent; an acknowledged upload must not be lost; rows and reports must
 * not be counted twice. Prints a table and `N passed, N failed`; exits 1 on any failure.
 *
 * Needs the system Postgres (`TEST_DATABASE_URL`, default postgres://postgres@127.0.0.1:5432/postgres)
 * and `redis-server` on the PATH (started privately on a free port, never the system Redis).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request, type ClientRequest } from 'node:http';
import { createConnection, createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { createDatabase } from '../src/db/create-database.js';
import type { Database, SampleRow } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { loadJobsConfig } from '../src/jobs/jobs-config.js';
import { openQueueBackend, type QueueBackend } from '../src/jobs/queue-backend.js';
import { COMPUTE_REPORT_QUEUE, MERGE_PROFILE_QUEUE, PROFILE_BLOCK_QUEUE, type QueueName } from '../src/jobs/queue-names.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/runtime/embedded-postgres.js';
import { createSilentLogger } from '../src/runtime/logger.js';
import { createRandom } from '../test/support/random.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ADMIN_KEY = `rc_faults_${randomBytes(24).toString('hex')}`;
const UPLOAD_SECRET = randomBytes(32).toString('hex');
const EXTRACTED_AT = '2024-05-01T00:00:00.000Z';
const BLOCK_BYTES = 64 * 1024;
const logger = createSilentLogger();

// ---------------------------------------------------------------------------------------------
// Data: deterministic CSV files with quoted fields, embedded delimiters and line breaks.

function csvFile(seed: number, rows: number): string {
  const random = createRandom(seed);
  const cities = ['Oslo', 'Rome', 'Lyon', 'Porto', 'Graz', '"Kraków, PL"', ''];
  const lines = ['id,city,amount,status,note,updated_at'];
  for (let i = 0; i < rows; i++) {
    const note = random.next() < 0.05 ? `"line one\nline two, with ""quotes"""` : `note ${random.int(500)}`;
    const day = 1 + random.int(28);
    lines.push(
      [100_000 + i, cities[random.int(cities.length)], (random.next() * 1000).toFixed(2), ['OPEN', 'PAID', 'VOID'][random.int(3)], note,
        `2024-04-${String(day).padStart(2, '0')}T10:00:00Z`].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

const PILOT = { name: 'pilot', csv: csvFile(1, 12_000), rows: 12_000 };
const PRODUCTION = { name: 'production', csv: csvFile(2, 30_000), rows: 30_000 };
const EXTRA = { name: 'extra', csv: csvFile(3, 30_000), rows: 30_000 };

// ---------------------------------------------------------------------------------------------
// Processes and services.

interface Proc {
  readonly child: ChildProcess;
  readonly pid: number;
  output(): string;
  readonly exited: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const running = new Set<Proc>();

function spawnCli(command: 'api' | 'worker', env: Record<string, string>): Proc {
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

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
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
class PrivateRedis {
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

async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
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

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 120_000, everyMs = 100): Promise<T> {
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

interface Environment {
  readonly db: Kysely<Database>;
  readonly databaseUrl: string;
  readonly env: Record<string, string>;
  readonly backend: QueueBackend;
  api: Proc;
  apiUrl: string;
  workers: Proc[];
}

async function openEnvironment(databaseUrl: string, redisUrl: string, extraEnv: Record<string, string> = {}): Promise<Environment> {
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: `faults-${randomBytes(4).toString('hex')}`,
    REALITYCHECK_ADMIN_KEY: ADMIN_KEY,
    REALITYCHECK_UPLOAD_SECRET: UPLOAD_SECRET,
    BLOCK_BYTES: String(BLOCK_BYTES),
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
  const backend = await openQueueBackend({ jobs: loadJobsConfig(env), databaseUrl, logger });
  const environment: Environment = { db, databaseUrl, env, backend, api: undefined as unknown as Proc, apiUrl: '', workers: [] };
  await startApi(environment);
  return environment;
}

async function startApi(environment: Environment): Promise<void> {
  const port = await freePort();
  environment.api = spawnCli('api', { ...environment.env, PORT: String(port), HOST: '127.0.0.1' });
  environment.apiUrl = `http://127.0.0.1:${port}`;
  await waitFor('the API to answer', async () => (await fetch(`${environment.apiUrl}/health`).catch(() => undefined))?.ok, 60_000);
}

async function startWorker(environment: Environment): Promise<Proc> {
  // At info level the worker says when it is ready ("workers started").
  const worker = spawnCli('worker', { ...environment.env, LOG_LEVEL: 'info' });
  environment.workers.push(worker);
  await waitFor('a worker to start', async () => /workers started/.test(worker.output()) || worker.child.exitCode !== null, 60_000);
  if (worker.child.exitCode !== null) throw new Error(`the worker exited: ${worker.output()}`);
  return worker;
}

async function closeEnvironment(environment: Environment): Promise<void> {
  await Promise.all([environment.api, ...environment.workers].map((p) => p?.kill('SIGTERM')));
  await environment.backend.close().catch(() => undefined);
  await environment.db.destroy().catch(() => undefined);
}

async function gql<T = any>(environment: Environment, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${environment.apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

function localId(globalId: string): string {
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  return text.slice(text.indexOf(':') + 1);
}

async function createDataset(environment: Environment, name: string): Promise<string> {
  const workflow = (await gql(environment, `mutation($n: String!) { createWorkflow(input: { name: $n, owner: { name: "faults" } }) { workflow { id } } }`, { n: name }))
    .createWorkflow.workflow.id;
  return (await gql(environment, `mutation($w: ID!) { createDataset(input: { workflowId: $w, name: "d" }) { dataset { id } } }`, { w: workflow })).createDataset
    .dataset.id;
}

async function createUpload(environment: Environment, dataset: string, role: 'PILOT' | 'PRODUCTION'): Promise<{ sampleId: string; uploadUrl: string }> {
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
async function upload(environment: Environment, dataset: string, role: 'PILOT' | 'PRODUCTION', csv: string): Promise<string> {
  const { sampleId, uploadUrl } = await createUpload(environment, dataset, role);
  const response = await fetch(uploadUrl, { method: 'PUT', body: csv });
  if (response.status !== 200) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  return sampleId;
}

/** Starts an upload and sends only the first part of the file (the client then waits). */
function partialPut(uploadUrl: string, csv: string, part: number): ClientRequest {
  const req = request(new URL(uploadUrl), { method: 'PUT', headers: { 'content-length': String(Buffer.byteLength(csv)) } });
  req.on('error', () => undefined);
  req.write(csv.slice(0, part));
  return req;
}

async function sample(environment: Environment, id: string): Promise<SampleRow | undefined> {
  return environment.db.selectFrom('samples').selectAll().where('id', '=', id).executeTakeFirst();
}

async function settled(environment: Environment, id: string, timeoutMs = 180_000): Promise<SampleRow | undefined> {
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

async function storedStateCount(environment: Environment, id: string): Promise<number> {
  const rows = await environment.db.selectFrom('sample_block_states').select('block_index').where('sample_id', '=', id).execute();
  return rows.length;
}

/** Waits until a job of `queue` for the dataset's sample is running on `worker`, then SIGKILLs the worker. */
async function killInside(environment: Environment, worker: Proc, queue: QueueName, sampleId: string): Promise<string | undefined> {
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

async function reportCount(environment: Environment, productionId: string): Promise<number> {
  const rows = await environment.db.selectFrom('reality_reports').select('id').where('production_sample_id', '=', productionId).execute();
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// Checks.

interface Reference {
  readonly profiles: Map<string, unknown>;
  readonly score: number | null;
}

/** What one scenario found: problems (empty when it passed) and notes. */
class Verdict {
  readonly problems: string[] = [];
  readonly notes: string[] = [];
  fail(problem: string): void {
    this.problems.push(problem);
  }
  note(note: string): void {
    this.notes.push(note);
  }
}

/**
 * A sample ends PROFILED with the undisturbed profile and row count, its block states counted
 * once, or FAILED with a reason, or absent. `mustProfile`: the upload was acknowledged and nothing
 * about it was refused, so it must be PROFILED.
 */
async function checkSample(
  environment: Environment,
  verdict: Verdict,
  label: string,
  id: string,
  file: { name: string; rows: number },
  reference: Reference,
  options: { mustProfile: boolean },
): Promise<SampleRow | undefined> {
  const row = await settled(environment, id);
  if (!row) {
    if (options.mustProfile) verdict.fail(`${label}: acknowledged upload is gone`);
    else verdict.note(`${label} absent`);
    return undefined;
  }
  if (row.status === 'FAILED') {
    if (!row.error || !row.error_code) verdict.fail(`${label}: FAILED without a reason`);
    if (options.mustProfile) verdict.fail(`${label}: FAILED (${row.error_code}: ${row.error})`);
    else verdict.note(`${label} FAILED ${row.error_code}`);
    const leftovers = await storedStateCount(environment, id);
    if (leftovers > 0) verdict.fail(`${label}: FAILED but ${leftovers} block states left`);
    return row;
  }
  const profile = await environment.db.selectFrom('profiles').select('profile').where('sample_id', '=', id).executeTakeFirst();
  if (!isDeepStrictEqual(profile?.profile, reference.profiles.get(file.name))) verdict.fail(`${label}: profile differs from the undisturbed run`);
  if (Number(row.rows) !== file.rows) verdict.fail(`${label}: ${row.rows} rows, expected ${file.rows}`);
  const states = await storedStateCount(environment, id);
  if (row.blocks_done !== row.blocks_total || (states !== row.blocks_total && row.raw_deleted_at === null)) {
    verdict.fail(`${label}: blocks_done ${row.blocks_done}, block states ${states}, blocks ${row.blocks_total}`);
  }
  verdict.note(`${label} PROFILED`);
  return row;
}

/** Reports of the dataset: one per distinct comparison (none twice), and the undisturbed score. */
async function checkReports(environment: Environment, verdict: Verdict, dataset: string, reference: Reference, expected: number): Promise<void> {
  const reports = await waitFor(
    `${expected} report(s)`,
    async () => {
      const rows = await environment.db.selectFrom('reality_reports').select(['production_sample_id', 'pilot_sample_ids', 'score']).where('dataset_id', '=', localId(dataset)).execute();
      return rows.length >= expected ? rows : undefined;
    },
    60_000,
  ).catch(() => undefined);
  await sleep(1_000);
  const rows = await environment.db.selectFrom('reality_reports').select(['production_sample_id', 'pilot_sample_ids', 'score']).where('dataset_id', '=', localId(dataset)).execute();
  if (!reports || rows.length !== expected) {
    verdict.fail(`${rows.length} reports, expected ${expected}`);
    return;
  }
  const distinct = new Set(rows.map((r) => `${r.production_sample_id}|${[...r.pilot_sample_ids].sort().join(',')}`));
  if (distinct.size !== rows.length) verdict.fail('a comparison was reported twice');
  for (const r of rows) if (r.score !== reference.score) verdict.fail(`report score ${r.score}, undisturbed ${reference.score}`);
}

// ---------------------------------------------------------------------------------------------
// Scenarios.

interface Scenario {
  readonly name: string;
  run(reference: Reference): Promise<Verdict>;
}

async function withEnvironment(redis: PrivateRedis, body: (environment: Environment) => Promise<Verdict>): Promise<Verdict> {
  const database = await createScratchDatabase();
  const environment = await openEnvironment(database.url, redis.url);
  try {
    return await body(environment);
  } finally {
    await closeEnvironment(environment);
    await database.drop();
  }
}

/** The undisturbed run every scenario is compared with. */
async function undisturbed(redis: PrivateRedis): Promise<Reference> {
  const profiles = new Map<string, unknown>();
  let score: number | null = null;
  await withEnvironment(redis, async (environment) => {
    await startWorker(environment);
    const dataset = await createDataset(environment, 'reference');
    const pilot = await upload(environment, dataset, 'PILOT', PILOT.csv);
    const production = await upload(environment, dataset, 'PRODUCTION', PRODUCTION.csv);
    const extra = await upload(environment, await createDataset(environment, 'reference-extra'), 'PRODUCTION', EXTRA.csv);
    for (const [file, id] of [
      [PILOT, pilot],
      [PRODUCTION, production],
      [EXTRA, extra],
    ] as const) {
      const row = await settled(environment, id);
      if (row?.status !== 'PROFILED') throw new Error(`the undisturbed run did not profile ${file.name}`);
      profiles.set(file.name, (await environment.db.selectFrom('profiles').select('profile').where('sample_id', '=', id).executeTakeFirstOrThrow()).profile);
    }
    const report = await waitFor('the undisturbed report', async () =>
      environment.db.selectFrom('reality_reports').select('score').where('production_sample_id', '=', production).executeTakeFirst(),
    );
    score = report.score;
    return new Verdict();
  });
  return { profiles, score };
}

function workerKilledIn(queue: QueueName, redis: PrivateRedis): Scenario {
  return {
    name: `worker SIGKILL in ${queue}`,
    run: (reference) =>
      withEnvironment(redis, async (environment) => {
        const verdict = new Verdict();
        const victim = await startWorker(environment);
        const dataset = await createDataset(environment, queue);
        const pilot = await upload(environment, dataset, 'PILOT', PILOT.csv);
        await settled(environment, pilot);
        // The pilot's own report job finds no production: nothing to report yet.
        await sleep(500);
        const production = await upload(environment, dataset, 'PRODUCTION', PRODUCTION.csv);
        const killed = await killInside(environment, victim, queue, production);
        if (killed) verdict.note(`killed in job ${killed}`);
        else verdict.fail(`the ${queue} job finished before the worker could be killed inside it`);
        await startWorker(environment);
        await checkSample(environment, verdict, 'pilot', pilot, PILOT, reference, { mustProfile: true });
        await checkSample(environment, verdict, 'production', production, PRODUCTION, reference, { mustProfile: true });
        await checkReports(environment, verdict, dataset, reference, 1);
        return verdict;
      }),
  };
}

function apiKilledMidUpload(redis: PrivateRedis): Scenario {
  return {
    name: 'API SIGKILL mid-upload',
    run: (reference) =>
      withEnvironment(redis, async (environment) => {
        const verdict = new Verdict();
        await startWorker(environment);
        const dataset = await createDataset(environment, 'api-kill');
        // Acknowledged before the crash: must survive it.
        const acknowledged = await upload(environment, dataset, 'PRODUCTION', PRODUCTION.csv);
        const cut = await createUpload(environment, dataset, 'PILOT');
        const req = partialPut(cut.uploadUrl, EXTRA.csv, Math.floor(EXTRA.csv.length / 2));
        await waitFor('blocks of the cut upload to be stored', async () =>
          (await environment.db.selectFrom('sample_blocks').select('block_index').where('sample_id', '=', cut.sampleId).execute()).length >= 2,
        );
        await environment.api.kill('SIGKILL');
        req.destroy();
        const killedAt = Date.now();
        await startApi(environment);
        const failed = await checkSample(environment, verdict, 'cut upload', cut.sampleId, EXTRA, reference, { mustProfile: false });
        if (failed?.status !== 'FAILED' || failed.error_code !== 'UPLOAD_ABORTED') verdict.fail('the cut upload did not end FAILED with UPLOAD_ABORTED');
        const seconds = (Date.now() - killedAt) / 1000;
        verdict.note(`cut upload failed ${seconds.toFixed(1)} s after the kill`);
        if (seconds > 60) verdict.fail(`the cut upload took ${seconds.toFixed(0)} s to fail`);
        const blocks = await environment.db.selectFrom('sample_blocks').select('block_index').where('sample_id', '=', cut.sampleId).execute();
        if (blocks.length > 0) verdict.fail(`${blocks.length} raw blocks of the cut upload left`);
        const again = await fetch(cut.uploadUrl.replace(/^http:\/\/[^/]+/, environment.apiUrl), { method: 'PUT', body: 'id\n1\n' });
        if (again.status !== 410) verdict.fail(`a new PUT to the cut upload's URL answered ${again.status}, not 410`);
        await checkSample(environment, verdict, 'acknowledged', acknowledged, PRODUCTION, reference, { mustProfile: true });
        return verdict;
      }),
  };
}

function redisRestarted(): Scenario {
  return {
    name: 'Redis restarted mid-flow',
    run: async (reference) => {
      const redis = new PrivateRedis(await freePort());
      await redis.start();
      try {
        return await withEnvironment(redis, async (environment) => {
          const verdict = new Verdict();
          await startWorker(environment);
          await startWorker(environment);
          const dataset = await createDataset(environment, 'redis-restart');
          const production = await upload(environment, dataset, 'PRODUCTION', EXTRA.csv);
          const total = (await sample(environment, production))?.blocks_total ?? 0;
          await waitFor('some but not all blocks to be profiled', async () => {
            const done = await storedStateCount(environment, production);
            return done >= 1 && done < total;
          }, 60_000, 5).catch(() => verdict.fail('profiling finished before Redis could be restarted in the middle'));
          await redis.stop();
          await sleep(1_500);
          await redis.start();
          verdict.note('Redis restarted empty');
          await checkSample(environment, verdict, 'production', production, EXTRA, reference, { mustProfile: true });
          return verdict;
        });
      } finally {
        await redis.stop();
      }
    },
  };
}

function postgresRestarted(redis: PrivateRedis): Scenario {
  return {
    name: 'embedded Postgres restarted mid-profiling',
    run: async (reference) => {
      const dataDir = await mkdtemp(join(tmpdir(), 'rc-faults-pg-'));
      let embedded: EmbeddedPostgres | undefined = await startEmbeddedPostgres({ dataDir, logger, port: await freePort() });
      const port = embedded.port;
      const environment = await openEnvironment(embedded.url, redis.url);
      const verdict = new Verdict();
      try {
        await startWorker(environment);
        const dataset = await createDataset(environment, 'pg-restart');
        const production = await upload(environment, dataset, 'PRODUCTION', EXTRA.csv);
        const total = (await sample(environment, production))?.blocks_total ?? 0;
        await waitFor('some but not all blocks to be profiled', async () => {
          const done = await storedStateCount(environment, production);
          return done >= 1 && done < total;
        }, 60_000, 5).catch(() => verdict.fail('profiling finished before Postgres could be restarted in the middle'));
        await embedded.stop();
        await sleep(1_000);
        embedded = await startEmbeddedPostgres({ dataDir, logger, port });
        verdict.note('Postgres restarted');
        const row = await checkSample(environment, verdict, 'production', production, EXTRA, reference, { mustProfile: false });
        if (!row) verdict.fail('an acknowledged upload is gone');
        return verdict;
      } finally {
        await closeEnvironment(environment);
        await embedded?.stop().catch(() => undefined);
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const redis = new PrivateRedis(await freePort());
  await redis.start();
  const results: Array<{ name: string; passed: boolean; seconds: number; detail: string }> = [];
  try {
    const started = Date.now();
    const reference = await undisturbed(redis);
    results.push({ name: 'undisturbed run (reference)', passed: true, seconds: (Date.now() - started) / 1000, detail: `report score ${reference.score}` });
    const scenarios: Scenario[] = [
      apiKilledMidUpload(redis),
      workerKilledIn(PROFILE_BLOCK_QUEUE, redis),
      workerKilledIn(MERGE_PROFILE_QUEUE, redis),
      workerKilledIn(COMPUTE_REPORT_QUEUE, redis),
      redisRestarted(),
      postgresRestarted(redis),
    ];
    for (const scenario of scenarios) {
      const begin = Date.now();
      let verdict: Verdict;
      try {
        verdict = await scenario.run(reference);
      } catch (error) {
        verdict = new Verdict();
        verdict.fail(error instanceof Error ? error.message : String(error));
      }
      const result = {
        name: scenario.name,
        passed: verdict.problems.length === 0,
        seconds: (Date.now() - begin) / 1000,
        detail: [...verdict.problems, ...verdict.notes].join('; '),
      };
      results.push(result);
      process.stderr.write(`${result.passed ? 'ok  ' : 'FAIL'} ${result.name} (${result.seconds.toFixed(1)} s)\n`);
    }
  } finally {
    await Promise.all([...running].map((p) => p.kill()));
    await redis.stop();
  }

  const width = Math.max(...results.map((r) => r.name.length));
  process.stdout.write(`\n${'fault'.padEnd(width)}  result  seconds  detail\n`);
  for (const r of results) {
    process.stdout.write(`${r.name.padEnd(width)}  ${(r.passed ? 'pass' : 'FAIL').padEnd(6)}  ${r.seconds.toFixed(1).padStart(7)}  ${r.detail}\n`);
  }
  // The reference run is the yardstick, not a fault: only the scenarios count.
  const scored = results.slice(1);
  const passed = scored.filter((r) => r.passed).length;
  process.stdout.write(`\n${passed} passed, ${scored.length - passed} failed\n`);
  return passed === scored.length && scored.length > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await Promise.all([...running].map((p) => p.kill()));
    process.exit(1);
  },
);
