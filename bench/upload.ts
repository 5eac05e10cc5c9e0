/**
 * Upload benchmark: `npm run bench:upload` (runs `node dist/bench/upload.js`).
 *
 * Starts the API as a child process on a fresh database, streams a generated CSV of about 1 GiB
 * (never held in memory: rows are produced while the request is written) through
 * `createUpload` + `PUT`, samples the server's resident memory from /proc while it runs, and
 * prints the throughput, the peak RSS and the RSS growth over the idle server (target: < 100 MiB).
 *
 * Options (environment): BENCH_UPLOAD_BYTES (default 1 GiB), TEST_DATABASE_URL (server used to
 * create and drop the bench database, default postgres://postgres@127.0.0.1:5432/postgres),
 * BLOCK_BYTES and the other API settings are passed through to the server.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const MiB = 1024 * 1024;
const TARGET_GROWTH_MIB = 100;
const totalBytes = Number(process.env.BENCH_UPLOAD_BYTES ?? 1024 * MiB);
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Resident set size and its high-water mark of a process, in bytes. */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

/**
 * A block of CSV rows (about 1 MiB, ending with a newline) with realistic variety: quoted fields
 * holding commas, quotes and line breaks, so the block cutter's quote handling is exercised.
 */
function rowTemplate(): Buffer {
  const statuses = ['open', 'paid', 'overdue', 'void'];
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < MiB; i++) {
    const note = i % 17 === 0 ? '"line one\nline ""two"", with comma"' : i % 5 === 0 ? '"Smith, J."' : `note ${i}`;
    const line = `${i},cust-${(i * 7919) % 100000},${(i % 997) * 3.25},${statuses[i % 4]},2024-0${(i % 9) + 1}-1${i % 10}T08:${String(i % 60).padStart(2, '0')}:00Z,${note}\n`;
    lines.push(line);
    size += Buffer.byteLength(line);
  }
  return Buffer.from(lines.join(''));
}

async function gql(url: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** PUTs `total` bytes (header + repeated template) with Content-Length; resolves with the JSON answer. */
function putGenerated(uploadUrl: string, total: number, template: Buffer): Promise<{ status: number; body: any }> {
  const header = Buffer.from('id,customer,amount,status,created_at,note\n');
  return new Promise((resolve, reject) => {
    const req = request(uploadUrl, { method: 'PUT', headers: { 'content-length': String(total), 'content-type': 'text/csv' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    let sent = 0;
    const write = () => {
      let ok = true;
      if (sent === 0) {
        ok = req.write(header);
        sent = header.length;
      }
      while (ok && sent < total) {
        const remaining = total - sent;
        // The last piece is cut at a line end so the file ends with a whole record.
        let piece = remaining >= template.length ? template : template.subarray(0, template.lastIndexOf(0x0a, remaining - 1) + 1);
        if (piece.length === 0) piece = Buffer.alloc(remaining, 0x0a);
        sent += piece.length;
        ok = req.write(piece);
      }
      if (sent >= total) req.end();
      else req.once('drain', write);
    };
    write();
  });
}

async function main(): Promise<void> {
  const name = `rc_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${name}`;
  const serverScript = fileURLToPath(new URL('./upload-server.js', import.meta.url));
  const child = spawn(process.execPath, [serverScript], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl.toString(),
      PORT: '0',
      HOST: '127.0.0.1',
      REALITYCHECK_DATA_DIR: path.join(tmpdir(), name),
      REALITYCHECK_ADMIN_KEY: `rc_bench_${randomBytes(20).toString('hex')}`,
      UPLOAD_MAX_BYTES: String(Math.max(totalBytes * 2, 2 * 1024 * MiB)),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const firstLine = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`API process exited with code ${code} before it was ready`)));
    });
    const server = JSON.parse(firstLine) as { url: string; adminKey: string; pid: number };
    const key = server.adminKey;
    const workflow = await gql(server.url, key, 'mutation { createWorkflow(input: { name: "bench", owner: { name: "bench" } }) { workflow { id } } }');
    const dataset = await gql(server.url, key, 'mutation($w: ID!) { createDataset(input: { workflowId: $w, name: "big" }) { dataset { id } } }', {
      w: workflow.createWorkflow.workflow.id,
    });
    const datasetId = dataset.createDataset.dataset.id;
    const template = rowTemplate();

    // Warm-up: one small upload so that code paths are loaded before the baseline is taken.
    const warm = await gql(server.url, key, 'mutation($d: ID!) { createUpload(input: { datasetId: $d, role: PILOT, filename: "warm.csv" }) { uploadUrl } }', { d: datasetId });
    await putGenerated(warm.createUpload.uploadUrl, 4 * MiB, template);
    await new Promise((r) => setTimeout(r, 500));
    const baseline = memoryOf(server.pid).rss;

    const upload = await gql(server.url, key, 'mutation($d: ID!) { createUpload(input: { datasetId: $d, role: PRODUCTION, filename: "big.csv" }) { uploadUrl } }', { d: datasetId });
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, memoryOf(server.pid).rss);
    }, 50);
    const started = process.hrtime.bigint();
    const result = await putGenerated(upload.createUpload.uploadUrl, totalBytes, template);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    const { rss, hwm } = memoryOf(server.pid);
    peak = Math.max(peak, rss);
    if (result.status !== 200 || result.body.bytes !== totalBytes) {
      throw new Error(`upload failed: HTTP ${result.status} ${JSON.stringify(result.body)}`);
    }
    const growth = peak - baseline;
    const mib = (bytes: number) => (bytes / MiB).toFixed(1);
    process.stdout.write(
      [
        `upload     ${mib(totalBytes)} MiB in ${seconds.toFixed(1)} s = ${(totalBytes / 1e6 / seconds).toFixed(1)} MB/s (${(totalBytes / MiB / seconds).toFixed(1)} MiB/s), ${result.body.blocks} blocks`,
        `server RSS baseline ${mib(baseline)} MiB, peak ${mib(peak)} MiB (VmHWM ${mib(hwm)} MiB), growth ${mib(growth)} MiB`,
        `target     RSS growth < ${TARGET_GROWTH_MIB} MiB: ${growth < TARGET_GROWTH_MIB * MiB ? 'PASS' : 'FAIL'}`,
      ].join('\n') + '\n',
    );
    if (growth >= TARGET_GROWTH_MIB * MiB) process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:upload: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
