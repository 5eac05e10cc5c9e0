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
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { SampleRow } from '../src/db/database.js';
import { COMPUTE_REPORT_QUEUE, MERGE_PROFILE_QUEUE, PROFILE_BLOCK_QUEUE, type QueueName } from '../src/queue/queue-names.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/platform/embedded-postgres.js';
import { createRandom } from '../test/support/random.js';
import {
  closeEnvironment,
  createDataset,
  createScratchDatabase,
  createUpload,
  freePort,
  killInside,
  localId,
  logger,
  openEnvironment,
  partialPut,
  PrivateRedis,
  reportCount,
  running,
  runEvaluation,
  sample,
  settled,
  sleep,
  startApi,
  startWorker,
  storedStateCount,
  upload,
  waitFor,
  type Environment,
} from './pipeline-harness.js';

const BLOCK_BYTES = 64 * 1024;

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
  const environment = await openEnvironment(database.url, redis.url, { BLOCK_BYTES: String(BLOCK_BYTES) });
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
      const environment = await openEnvironment(embedded.url, redis.url, { BLOCK_BYTES: String(BLOCK_BYTES) });
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

runEvaluation(main);
