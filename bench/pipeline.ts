import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { deleteQueueKeys } from '../src/queue/redis-queue-backend.js';

/**
 * `npm run bench:pipeline`: the 1M-row benchmark CSV uploaded through the real API (`realitycheck
 * api`, streaming PUT) and profiled by 1, then 2, `realitycheck worker` processes (one profiling
 * slot each, WORKER_CONCURRENCY=1), against the single-process CLI `realitycheck profile` on the
 * same file. Prints the wall time from the start of the upload to PROFILED, the speed-up of 2
 * workers over 1, the ratio to the CLI, and the peak RSS (VmHWM) of every worker process.
 *
 * Targets on 2 cores: 2 workers ≥ 1.7× faster than 1; end to end with 2 workers no slower than
 * the CLI (ratio ≤ 1.0); worker RSS ≤ 300 MiB.
 *
 * Environment: BENCH_POSTGRES_URL (a server where a scratch database may be created; default
 * postgres://postgres@127.0.0.1:5432/postgres), BENCH_REDIS_URL (default redis://127.0.0.1:6379;
 * `--backend postgres` uses BullMQ's PostgreSQL backend instead), BENCH_ROWS (default 1000000),
 * BENCH_RUNS (default 1), GEN_CSV (the generator).
 */
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 1);
/** Worker process counts to time (BENCH_WORKERS, e.g. "1,2,3"). */
const workerCounts = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
const backend = process.argv.includes('--backend') ? process.argv[process.argv.indexOf('--backend') + 1] : 'redis';
const adminUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const generator = process.env.GEN_CSV ?? join(root, 'bench', 'gen-csv.mjs');
const MiB = 1024 * 1024;

function ensureCsv(count = rows): string {
  const cache = join(root, 'bench', '.cache');
  mkdirSync(cache, { recursive: true });
  const path = join(cache, `bench-${count}.csv`);
  if (!existsSync(path)) {
    if (!existsSync(generator)) throw new Error(`benchmark generator not found at ${generator} (set GEN_CSV)`);
    process.stderr.write(`generating ${count} rows → ${path}\n`);
    execFileSync(process.execPath, [generator, String(count), path], { stdio: 'inherit' });
  }
  return path;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolvePort(port));
    });
  });
}

/** Peak resident set size of a live process, in MiB (Linux `VmHWM`). */
function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

/**
 * CPU time the whole machine has spent busy (all cores, every process: API, workers, Postgres,
 * Redis, this script), in seconds, from Linux `/proc/stat`; NaN elsewhere. The difference over a
 * run, divided by the cores, is the least wall time the run's work could take on this machine.
 */
function machineBusySeconds(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …: busy is all but idle and iowait.
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return (total - fields[3] - fields[4]) / 100;
  } catch {
    return Number.NaN;
  }
}

interface Started {
  child: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
}

function start(args: string[], env: Record<string, string>): Started {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, log: () => log, exited };
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function gql<T>(url: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

/** Streams a file to an upload URL with PUT (the two-step upload a client uses for large files). */
function putFile(uploadUrl: string, file: string): Promise<void> {
  return new Promise((resolveUpload, reject) => {
    const target = new URL(uploadUrl);
    const req = request(
      { method: 'PUT', hostname: target.hostname, port: target.port, path: target.pathname + target.search, headers: { 'content-length': statSync(file).size } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => (res.statusCode === 200 ? resolveUpload() : reject(new Error(`upload answered ${res.statusCode}: ${body}`))));
      },
    );
    req.on('error', reject);
    createReadStream(file, { highWaterMark: MiB }).pipe(req);
  });
}

/** Uploads a file as a new PRODUCTION sample through the API and waits until it is PROFILED. */
async function uploadAndProfile(
  url: string,
  key: string,
  file: string,
  name: string,
): Promise<{ uploadSeconds: number; endToEndSeconds: number; busySeconds: number; blocks: number }> {
  const { createWorkflow } = await gql<any>(url, key, `mutation($n: String!) { createWorkflow(input: { name: $n, owner: { name: "bench" } }) { workflow { id } } }`, {
    n: name,
  });
  const { createDataset } = await gql<any>(url, key, `mutation($w: ID!) { createDataset(input: { workflowId: $w, name: "bench" }) { dataset { id } } }`, {
    w: createWorkflow.workflow.id,
  });
  const { createUpload } = await gql<any>(
    url,
    key,
    `mutation($d: ID!) { createUpload(input: { datasetId: $d, role: PRODUCTION, filename: "bench.csv" }) { sample { id } uploadUrl } }`,
    { d: createDataset.dataset.id },
  );
  const busy0 = machineBusySeconds();
  const t0 = performance.now();
  await putFile(createUpload.uploadUrl, file);
  const uploaded = performance.now();
  const sample = await until(
    'PROFILED',
    async () => {
      const data = await gql<any>(url, key, `query($id: ID!) { sample(id: $id) { status error blocksTotal } }`, { id: createUpload.sample.id });
      if (data.sample.status === 'FAILED') throw new Error(`sample FAILED: ${data.sample.error}`);
      return data.sample.status === 'PROFILED' ? data.sample : undefined;
    },
    30 * 60_000,
  );
  const done = performance.now();
  const busySeconds = machineBusySeconds() - busy0;
  return { uploadSeconds: (uploaded - t0) / 1000, endToEndSeconds: (done - t0) / 1000, busySeconds, blocks: sample.blocksTotal };
}

interface PipelineRun {
  workers: number;
  uploadSeconds: number;
  endToEndSeconds: number;
  busySeconds: number;
  blocks: number;
  peakRssMiB: number[];
}

async function main(): Promise<void> {
  const file = ensureCsv();
  const warmup = ensureCsv(Math.min(rows, 100_000));
  const sizeMb = statSync(file).size / 1e6;
  const database = `rc_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();
  const prefix = `rcbench-${randomBytes(3).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  const adminKey = `rc_bench_${randomBytes(24).toString('hex')}`;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: backend === 'postgres' ? '' : redisUrl,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'info',
  };
  let api: Started | undefined;
  const cleanup: Array<() => Promise<unknown>> = [];
  try {
    api = start(['api'], { ...env, PORT: String(port), HOST: '127.0.0.1', REALITYCHECK_ADMIN_KEY: adminKey, REALITYCHECK_DATA_DIR: dataDir });
    const apiProcess = api;
    cleanup.push(async () => {
      apiProcess.child.kill('SIGTERM');
      await apiProcess.exited;
    });
    await until('the API', async () => ((await fetch(`${url}/ready`)).ok ? true : undefined), 60_000, 100);

    // Rounds alternate the CLI and each worker count, so that a disturbance (another process
    // taking the cores) hits them alike; medians over the rounds are reported.
    const cliSeconds: number[] = [];
    const cliBusySeconds: number[] = [];
    const results: PipelineRun[] = [];
    for (let run = 0; run < runs; run++) {
      const busy0 = machineBusySeconds();
      const t0 = performance.now();
      const profile = start(['profile', file, '--json'], {});
      if ((await profile.exited) !== 0) throw new Error(`realitycheck profile failed: ${profile.log().slice(-2000)}`);
      cliSeconds.push((performance.now() - t0) / 1000);
      cliBusySeconds.push(machineBusySeconds() - busy0);
      for (const workerCount of workerCounts) {
        const workers = Array.from({ length: workerCount }, () => start(['worker'], { ...env, WORKER_CONCURRENCY: '1' }));
        await until('the workers', async () => (workers.every((w) => /workers started/.test(w.log())) ? true : undefined), 60_000, 50);
        // Workers are long-running: one small upload first, so thread start-up is not timed.
        await uploadAndProfile(url, adminKey, warmup, `warm-up ${workerCount}-${run}`);
        const timed = await uploadAndProfile(url, adminKey, file, `bench ${workerCount}-${run}`);
        results.push({ workers: workerCount, ...timed, peakRssMiB: workers.map((w) => peakRssMiB(w.child.pid!)) });
        for (const w of workers) w.child.kill('SIGTERM');
        await Promise.all(workers.map((w) => w.exited));
      }
      process.stderr.write(
        `round ${run + 1}: CLI ${cliSeconds[run].toFixed(2)} s; ${results
          .slice(-workerCounts.length)
          .map((r) => `${r.workers} worker(s) ${r.endToEndSeconds.toFixed(2)} s`)
          .join('; ')}\n`,
      );
    }

    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    };
    const cli = median(cliSeconds);
    const one = median(results.filter((r) => r.workers === 1).map((r) => r.endToEndSeconds));
    const two = median(results.filter((r) => r.workers === 2).map((r) => r.endToEndSeconds));
    const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
    const rss = results.flatMap((r) => r.peakRssMiB);
    const out = process.stdout;
    out.write(
      `bench:pipeline — ${rows} rows, ${sizeMb.toFixed(0)} MB, ${results[0].blocks} blocks, queue backend ${backend}, ${runs} run(s), medians (node ${process.version})\n` +
        'each worker process profiles one block at a time (WORKER_CONCURRENCY=1) and was warmed by one small upload first\n',
    );
    const cores = availableParallelism();
    out.write(`workers  upload s  upload→PROFILED s  machine CPU busy s  peak RSS per worker MiB\n`);
    for (const r of results) {
      out.write(
        `${String(r.workers).padEnd(7)}  ${r.uploadSeconds.toFixed(2).padStart(8)}  ${r.endToEndSeconds.toFixed(2).padStart(17)}  ${fmt(r.busySeconds, 1).padStart(18)}  ${r.peakRssMiB.map((m) => m.toFixed(0)).join(', ')}\n`,
      );
    }
    out.write(
      `CLI \`realitycheck profile\` (single process, its default ${Math.min(2, cores)} profiling threads): ${cli.toFixed(2)} s, machine CPU busy ${fmt(median(cliBusySeconds), 1)} s\n`,
    );
    // The whole machine's busy CPU time over a run, spread over every core, is the least wall time
    // that run's work could take here: it tells a slow pipeline from a pipeline doing more work.
    const twoBusy = median(results.filter((r) => r.workers === 2).map((r) => r.busySeconds));
    out.write(`least possible end to end with 2 workers on ${cores} cores (CPU busy / cores): ${fmt(twoBusy / cores)} s = ${fmt(twoBusy / cores / cli)} × CLI\n`);
    out.write(`speed-up 2 workers vs 1: ${fmt(one / two)}×   (target ≥ 1.70)\n`);
    out.write(`end to end with 2 workers / CLI: ${fmt(two / cli)}   (target ≤ 1.00)\n`);
    out.write(`max worker peak RSS: ${Math.max(...rss).toFixed(0)} MiB   (target ≤ 300)\n`);
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
    if (backend !== 'postgres') await deleteQueueKeys(redisUrl, prefix);
    if (api && api.child.exitCode === null) api.child.kill('SIGKILL');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:pipeline failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
