/**
 * `npm run test:hostile`: a generated corpus of hostile and malformed CSV files sent through the
 * real pipeline (`realitycheck api` and `realitycheck worker` processes, a scratch database of the
 * system Postgres) on both queue backends: a private `redis-server`, and BullMQ's PostgreSQL
 * backend. Every file must end PROFILED, FAILED with a specific reason, or be refused at upload
 * with a specific error code, within a bounded time; neither process may exit; their peak RSS must
 * stay under the bounds documented in docs/operations.md ("Memory"). Prints a table and
 * `N passed, N failed`; exits 1 on any failure.
 *
 * The corpus: files of 10 to 1,000 columns (the column limit) of random words and decimals, the
 * widest as large as the multipart limit (`uploadSample`) and beyond it (PUT); one column over the
 * limit; empty, header-only, binary, gzip, UTF-16 without BOM, invalid UTF-8, a single 30 MB field,
 * an unterminated quote, NUL bytes, mixed line endings, formula injection and HTML in values and
 * headers, and a `sep=;` first line.
 *
 * Needs the system Postgres (`TEST_DATABASE_URL`, default postgres://postgres@127.0.0.1:5432/postgres)
 * and `redis-server` on the PATH (started privately on a free port, never the system Redis).
 * `HOSTILE_BACKENDS=redis` or `=postgres` runs one backend only; `HOSTILE_ONLY=<text>` only the
 * files whose name contains it (to look at one case); `HOSTILE_WORKER_LOG=<path>` keeps the worker's
 * log at debug level (with each job's heap) in `<path>.<backend>`.
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { SampleRow } from '../src/db/database.js';
import { workerRssBound } from '../src/pipeline/memory-plan.js';
import { MAX_PLANNED_COLUMNS } from '../workers/planned-processor.js';
import { createRandom, type Random } from '../test/support/random.js';
import {
  closeEnvironment,
  createDataset,
  createScratchDatabase,
  createUpload,
  freePort,
  openEnvironment,
  PrivateRedis,
  rssOf,
  running,
  runEvaluation,
  sample,
  sleep,
  startWorker,
  uploadMultipart,
  waitFor,
  type Environment,
} from './pipeline-harness.js';

const MiB = 1024 * 1024;
/** How long one file may take from upload to PROFILED or FAILED. */
const SETTLE_TIMEOUT_MS = 240_000;
/** Worker threads running at once: WORKER_CONCURRENCY block jobs, one merge, one report. */
const CONCURRENCY = 2;
/** Documented bounds (docs/operations.md, "Memory"): peak RSS of each process over the whole corpus. */
const API_RSS_BOUND = 512 * MiB;
const WORKER_RSS_BOUND = workerRssBound(CONCURRENCY, 8 * MiB, MAX_PLANNED_COLUMNS) * MiB;
const MULTIPART_LIMIT = 25 * MiB;

// ---------------------------------------------------------------------------------------------
// The corpus.

/** What a case must end as: PROFILED, FAILED with this code, or refused at upload with this reason (`samples.error_code`). */
type Expected = { readonly profiled: true; readonly warning?: RegExp } | { readonly failed: string } | { readonly refused: string };

interface Case {
  readonly name: string;
  readonly bytes: () => Uint8Array;
  readonly via: 'put' | 'multipart';
  readonly expected: Expected;
}

function word(random: Random, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(97 + random.int(26));
  return text;
}

/** `columns` columns, alternately random 6-letter words and decimals, about `bytes` long. */
function wideCsv(columns: number, bytes: number, seed: number): Uint8Array {
  const random = createRandom(seed);
  const parts: string[] = [Array.from({ length: columns }, (_, j) => `col_${j}`).join(',') + '\n'];
  let length = parts[0].length;
  while (length < bytes) {
    const cells: string[] = [];
    for (let j = 0; j < columns; j++) cells.push(j % 2 ? (random.next() * 1e6).toFixed(3) : word(random, 6));
    const line = cells.join(',') + '\n';
    parts.push(line);
    length += line.length;
  }
  return Buffer.from(parts.join(''));
}

function text(content: string): () => Uint8Array {
  return () => Buffer.from(content);
}

function rows(count: number, row: (i: number) => string): string {
  return Array.from({ length: count }, (_, i) => row(i)).join('\n') + '\n';
}

const PLAIN = 'id,name,amount\n' + rows(2000, (i) => `${i},name ${i % 97},${(i * 1.5).toFixed(2)}`);

function corpus(): Case[] {
  const cases: Case[] = [];
  // Widths from 10 to the column limit, up to the multipart limit and beyond it with PUT.
  for (const [columns, mb, via] of [
    [10, 4, 'multipart'],
    [100, 8, 'multipart'],
    [300, 8, 'multipart'],
    [700, 7.8, 'multipart'],
    [1000, 24, 'multipart'],
    [1000, 55, 'put'],
    [300, 120, 'put'],
  ] as const) {
    cases.push({ name: `${columns} columns, ${mb} MB`, via, bytes: () => wideCsv(columns, mb * 1e6, columns), expected: { profiled: true } });
  }
  cases.push({ name: '1,001 columns (over the limit)', via: 'put', bytes: () => wideCsv(1001, 200_000, 1), expected: { refused: 'TOO_MANY_COLUMNS' } });
  cases.push({ name: 'empty file', via: 'multipart', bytes: text(''), expected: { refused: 'EMPTY_FILE' } });
  cases.push({ name: 'header only', via: 'put', bytes: text('id,name,amount\n'), expected: { profiled: true } });
  cases.push({
    name: 'binary (random bytes)',
    via: 'put',
    bytes: () => {
      const random = createRandom(5);
      return Uint8Array.from({ length: 200_000 }, () => random.int(256));
    },
    expected: { refused: 'NOT_CSV' },
  });
  cases.push({ name: 'gzip of a CSV', via: 'multipart', bytes: () => gzipSync(Buffer.from(PLAIN)), expected: { refused: 'NOT_CSV' } });
  cases.push({
    name: 'UTF-16 LE without BOM',
    via: 'put',
    bytes: () => Buffer.from('id,città,amount\n' + rows(500, (i) => `${i},Zürich ${i % 7},${i}.5`), 'utf16le'),
    expected: { profiled: true, warning: /encoding utf-16le/ },
  });
  cases.push({
    name: 'invalid UTF-8',
    via: 'multipart',
    bytes: () => Buffer.concat([Buffer.from('id,name\n'), ...Array.from({ length: 500 }, (_, i) => Buffer.from([...Buffer.from(`${i},caf`), 0xe9, 0x0a]))]),
    expected: { profiled: true, warning: /decoded as windows-1252/ },
  });
  cases.push({
    name: 'a single 30 MB field',
    via: 'put',
    bytes: () => Buffer.concat([Buffer.from('id,note\n1,"'), Buffer.alloc(30 * 1e6, 'x'), Buffer.from('"\n2,short\n')]),
    expected: { refused: 'RECORD_TOO_LONG' },
  });
  cases.push({
    name: 'unterminated quote',
    via: 'multipart',
    bytes: text('id,name\n' + rows(300, (i) => `${i},name ${i}`) + '301,"never closed\n' + rows(300, (i) => `${i + 302},after`)),
    expected: { profiled: true, warning: /parse errors \(MissingQuotes\)/ },
  });
  cases.push({
    name: 'NUL bytes',
    via: 'put',
    bytes: () => Buffer.from('id,name\n' + rows(300, (i) => `${i},na\u0000me`)),
    expected: { refused: 'NOT_CSV' },
  });
  cases.push({
    name: 'mixed line endings',
    via: 'multipart',
    bytes: text('id,name,amount\r\n' + Array.from({ length: 900 }, (_, i) => `${i},n${i % 13},${i}${['\r\n', '\n', '\r'][i % 3]}`).join('')),
    // Records end with the header's \r\n; the lone \n and \r stay inside fields, and the rows that
    // hold them are reported as having extra fields.
    expected: { profiled: true, warning: /rows with extra fields/ },
  });
  cases.push({
    name: 'formula injection and HTML',
    via: 'multipart',
    bytes: text(
      '=HYPERLINK("http://x"),<script>alert(1)</script>,+cmd|\' /C calc\'!A0\n' +
        rows(500, (i) => `=1+${i},"<img src=x onerror=alert(${i})>",@SUM(A${i})`),
    ),
    expected: { profiled: true },
  });
  cases.push({ name: '`sep=;` first line', via: 'put', bytes: text('sep=;\nid;name;amount\n' + rows(500, (i) => `${i};n${i % 11};${i},5`)), expected: { profiled: true, warning: /delimiter ";"/ } });
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Running a case.

interface Outcome {
  readonly outcome: string;
  readonly seconds: number;
  readonly detail: string;
  readonly passed: boolean;
}

async function putBytes(environment: Environment, dataset: string, bytes: Uint8Array): Promise<{ sampleId: string; status: number; code?: string; message?: string }> {
  const { sampleId, uploadUrl } = await createUpload(environment, dataset, 'PRODUCTION');
  const response = await fetch(uploadUrl, { method: 'PUT', body: bytes as Uint8Array<ArrayBuffer> });
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; reason?: string; message?: string } };
  const error = body.error ?? {};
  return { sampleId, status: response.status, ...(error.reason ? { code: error.reason } : {}), ...(error.message ? { message: error.message } : {}) };
}

async function runCase(environment: Environment, dataset: string, item: Case, bytes: Uint8Array): Promise<Outcome> {
  const started = Date.now();
  const seconds = (): number => (Date.now() - started) / 1000;
  let sampleId: string | undefined;
  let refusal: { status: number; code?: string; message?: string } | undefined;
  if (item.via === 'multipart' && bytes.byteLength <= MULTIPART_LIMIT) {
    const result = await uploadMultipart(environment, dataset, 'PRODUCTION', bytes);
    sampleId = result.sampleId;
    if (!sampleId) {
      // GraphQL answers 200 with the error in `errors[0].extensions` (code: the class, reason: the specific cause).
      const first = (result.errors as Array<{ message?: string; extensions?: { reason?: string } }> | undefined)?.[0];
      refusal = { status: result.status, ...(first?.extensions?.reason ? { code: first.extensions.reason } : {}), ...(first?.message ? { message: first.message } : {}) };
    }
  } else {
    const result = await putBytes(environment, dataset, bytes);
    sampleId = result.sampleId;
    if (result.status !== 200) refusal = result;
  }
  if (refusal) {
    // A refused upload leaves its sample (if one was created) FAILED with the same reason.
    const row = sampleId ? await sample(environment, sampleId) : undefined;
    const outcome = `refused ${refusal.status} ${refusal.code ?? '(no code)'}`;
    const expected = 'refused' in item.expected ? item.expected.refused : undefined;
    const sampleOk = !row || (row.status === 'FAILED' && row.error_code === refusal.code);
    return {
      outcome,
      seconds: seconds(),
      detail: `${refusal.message ?? ''}${sampleOk ? '' : `; sample left ${row?.status} ${row?.error_code ?? ''}`}`,
      passed: expected !== undefined && refusal.code === expected && (item.via === 'multipart' || (refusal.status >= 400 && refusal.status < 500)) && sampleOk,
    };
  }
  const row = await waitFor<SampleRow>(
    `sample ${sampleId} to settle`,
    async () => {
      const current = await sample(environment, sampleId!);
      return current && (current.status === 'PROFILED' || current.status === 'FAILED') ? current : undefined;
    },
    SETTLE_TIMEOUT_MS,
    200,
  ).catch(() => undefined);
  if (!row) {
    const current = await sample(environment, sampleId!);
    return { outcome: `stuck ${current?.status ?? 'gone'}`, seconds: seconds(), detail: `not settled within ${SETTLE_TIMEOUT_MS / 1000} s`, passed: false };
  }
  if (row.status === 'FAILED') {
    const expected = 'failed' in item.expected ? item.expected.failed : undefined;
    return { outcome: `FAILED ${row.error_code}`, seconds: seconds(), detail: row.error ?? '', passed: row.error_code === expected && Boolean(row.error) };
  }
  const warnings = await profileWarnings(environment, row.id);
  const expected = item.expected;
  const warningOk = !('warning' in expected) || expected.warning === undefined || warnings.some((w) => expected.warning!.test(w));
  return {
    outcome: 'PROFILED',
    seconds: seconds(),
    detail: `${Number(row.rows).toLocaleString('en-US')} rows${warnings.length ? `; ${warnings.join('; ')}` : ''}`,
    passed: 'profiled' in expected && warningOk,
  };
}

/** What the profile says went wrong while reading the file (parse errors, decoding, header repairs). */
async function profileWarnings(environment: Environment, sampleId: string): Promise<string[]> {
  const found = await environment.db.selectFrom('profiles').select('profile').where('sample_id', '=', sampleId).executeTakeFirst();
  const profile = (found?.profile ?? {}) as {
    parseErrors?: { count?: number; first?: Array<{ code?: string }> };
    raggedRows?: { extraFields?: number; missingFields?: number };
    decodedAs?: string;
  };
  const warnings: string[] = [];
  if (profile.decodedAs && profile.decodedAs !== 'utf-8') warnings.push(`decoded as ${profile.decodedAs}`);
  if (profile.raggedRows?.extraFields) warnings.push(`${profile.raggedRows.extraFields} rows with extra fields`);
  if (profile.raggedRows?.missingFields) warnings.push(`${profile.raggedRows.missingFields} rows with missing fields`);
  if (profile.parseErrors?.count) warnings.push(`${profile.parseErrors.count} parse errors (${[...new Set(profile.parseErrors.first?.map((e) => e.code))].join(', ')})`);
  const sampleRow = await sample(environment, sampleId);
  const dialect = (sampleRow?.dialect ?? {}) as { encoding?: string; delimiter?: string };
  if (dialect.encoding && dialect.encoding !== 'utf-8') warnings.push(`encoding ${dialect.encoding}`);
  if (dialect.delimiter && dialect.delimiter !== ',') warnings.push(`delimiter ${JSON.stringify(dialect.delimiter)}`);
  return warnings;
}

// ---------------------------------------------------------------------------------------------

interface Row extends Outcome {
  readonly backend: string;
  readonly name: string;
  readonly via: string;
  readonly mb: string;
}

async function runBackend(kind: 'redis' | 'postgres', cases: Case[], results: Row[]): Promise<{ apiPeak: number; workerPeak: number; exits: string[] }> {
  const redis = kind === 'redis' ? new PrivateRedis(await freePort()) : undefined;
  await redis?.start();
  const database = await createScratchDatabase();
  const environment = await openEnvironment(database.url, redis?.url, {
    WORKER_CONCURRENCY: String(CONCURRENCY),
    JOB_ATTEMPTS: '3',
    WORKER_LOCK_DURATION_MS: '30000',
    WORKER_STALLED_INTERVAL_MS: '30000',
    // Hostile files come fast: the per-key upload limit is not what is under test.
    RATE_LIMIT_UPLOADS_PER_MINUTE: '0',
  });
  const worker = await startWorker(environment, process.env.HOSTILE_WORKER_LOG ? 'debug' : 'info');
  let apiPeak = 0;
  let workerPeak = 0;
  const sampler = setInterval(() => {
    apiPeak = Math.max(apiPeak, rssOf(environment.api.pid) ?? 0);
    workerPeak = Math.max(workerPeak, rssOf(worker.pid) ?? 0);
  }, 50);
  const exits: string[] = [];
  try {
    const dataset = await createDataset(environment, `hostile-${kind}`);
    for (const item of cases) {
      // Generated once per case (the largest is 120 MB).
      const bytes = item.bytes();
      let outcome: Outcome;
      try {
        outcome = await runCase(environment, dataset, item, bytes);
      } catch (error) {
        outcome = { outcome: 'error', seconds: 0, detail: error instanceof Error ? error.message : String(error), passed: false };
      }
      for (const [name, proc] of [['api', environment.api], ['worker', worker]] as const) {
        if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
          exits.push(`${name} exited (${proc.child.exitCode ?? proc.child.signalCode}) during "${item.name}"`);
          outcome = { ...outcome, passed: false, detail: `${outcome.detail}; the ${name} process exited` };
        }
      }
      const row: Row = { backend: kind, name: item.name, via: item.via, mb: (bytes.byteLength / 1e6).toFixed(1), ...outcome };
      results.push(row);
      process.stderr.write(`${row.passed ? 'ok  ' : 'FAIL'} ${kind} ${row.name}: ${row.outcome} (${row.seconds.toFixed(1)} s)\n`);
      if (exits.length > 0) break;
    }
    // Settled samples keep nothing in flight: give the workers a moment, then read the peaks.
    await sleep(500);
  } finally {
    clearInterval(sampler);
    if (process.env.HOSTILE_WORKER_LOG) writeFileSync(`${process.env.HOSTILE_WORKER_LOG}.${kind}`, worker.output());
    await closeEnvironment(environment);
    await database.drop();
    await redis?.stop();
  }
  return { apiPeak, workerPeak, exits };
}

async function main(): Promise<number> {
  const kinds = (process.env.HOSTILE_BACKENDS ?? 'redis,postgres').split(',').map((k) => k.trim()) as Array<'redis' | 'postgres'>;
  const only = process.env.HOSTILE_ONLY;
  const cases = corpus().filter((item) => !only || item.name.includes(only));
  const results: Row[] = [];
  const peaks: string[] = [];
  let memoryOk = true;
  try {
    for (const kind of kinds) {
      const { apiPeak, workerPeak, exits } = await runBackend(kind, cases, results);
      const within = apiPeak <= API_RSS_BOUND && workerPeak <= WORKER_RSS_BOUND && exits.length === 0;
      memoryOk &&= within;
      peaks.push(
        `${kind}: peak RSS api ${(apiPeak / MiB).toFixed(0)} MiB (bound ${API_RSS_BOUND / MiB}), worker ${(workerPeak / MiB).toFixed(0)} MiB (bound ${WORKER_RSS_BOUND / MiB})` +
          `${exits.length ? `; ${exits.join('; ')}` : ''}${within ? '' : ' — FAILED'}`,
      );
    }
  } finally {
    await Promise.all([...running].map((p) => p.kill()));
  }

  const width = Math.max(...results.map((r) => r.name.length));
  process.stdout.write(`\n${'backend'.padEnd(8)}  ${'file'.padEnd(width)}  via        MB      seconds  result  outcome\n`);
  for (const r of results) {
    process.stdout.write(
      `${r.backend.padEnd(8)}  ${r.name.padEnd(width)}  ${r.via.padEnd(9)}  ${r.mb.padStart(6)}  ${r.seconds.toFixed(1).padStart(7)}  ${(r.passed ? 'pass' : 'FAIL').padEnd(6)}  ${r.outcome}${r.detail ? ` — ${r.detail.slice(0, 160)}` : ''}\n`,
    );
  }
  process.stdout.write(`\n${peaks.join('\n')}\n`);
  const passed = results.filter((r) => r.passed).length;
  const failed = results.length - passed + (memoryOk ? 0 : 1);
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  return failed === 0 && results.length === cases.length * kinds.length ? 0 : 1;
}

runEvaluation(main);
