import { randomBytes } from 'node:crypto';
import { request, type ClientRequest } from 'node:http';
import { createServer } from 'node:net';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/create-database.js';
import type { Database } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { startApiServer, type ApiServer } from '../../src/server/api-server.js';
import { loadConfig } from '../../src/platform/config.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { ensureBuilt } from '../workers/support/build.js';
import { waitFor } from '../workers/support/wait-for.js';
import { spawnCli, type CliProcess } from '../workers/support/worker-process.js';
import { localId } from './fixtures.js';
import { createTestDatabase, type TestDatabase } from './harness.js';

/** Leases of a few seconds, so that the test does not wait the production default. */
const LEASE_SECONDS = 2;
const ADMIN_KEY = `rc_testadmin_${randomBytes(24).toString('hex')}`;
const UPLOAD_SECRET = randomBytes(32).toString('hex');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function gql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data as T;
}

function csvPart(from: number, rows: number): string {
  let text = '';
  for (let i = from; i < from + rows; i++) text += `${i},name-${i % 97},${(i * 7) % 1000}.25\n`;
  return text;
}

/** A `PUT` whose body is sent in parts; `Content-Length` announces more than is sent at first. */
function openPut(uploadUrl: string, contentLength: number): { req: ClientRequest; write(text: string): Promise<void>; response: Promise<number> } {
  const req = request(new URL(uploadUrl), { method: 'PUT', headers: { 'content-length': String(contentLength) } });
  req.on('error', () => undefined);
  const response = new Promise<number>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('close', () => resolve(0));
  });
  return { req, response, write: (text) => new Promise((resolve, reject) => req.write(text, (error) => (error ? reject(error) : resolve()))) };
}

describe('an upload cut by a crash of its API process', () => {
  let database: TestDatabase;
  let db: Kysely<Database>;
  const processes: CliProcess[] = [];
  const servers: ApiServer[] = [];

  const startInProcessApi = async (staleUploadSeconds = 3600): Promise<ApiServer> => {
    const config = loadConfig({
      PORT: '0',
      DATABASE_URL: database.url,
      REALITYCHECK_ADMIN_KEY: ADMIN_KEY,
      UPLOAD_LEASE_SECONDS: String(LEASE_SECONDS),
      BLOCK_BYTES: String(16 * 1024),
    });
    const server = await startApiServer({ config, db, uploadSecret: UPLOAD_SECRET, logger: createSilentLogger(), staleUploadSeconds });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    await ensureBuilt();
    database = await createTestDatabase();
    db = createDatabase(database.url, { poolSize: 5 });
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    for (const server of servers) await server.close();
    await db?.destroy();
    await database?.drop();
  });

  it('is failed by the next API process once the lease lapses, not after the idle timeout, and its URL then answers 410', async () => {
    const port = await freePort();
    const api = spawnCli('api', {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      REDIS_URL: '',
      REALITYCHECK_ADMIN_KEY: ADMIN_KEY,
      REALITYCHECK_UPLOAD_SECRET: UPLOAD_SECRET,
      UPLOAD_LEASE_SECONDS: String(LEASE_SECONDS),
      BLOCK_BYTES: String(16 * 1024),
      LOG_LEVEL: 'warn',
    });
    processes.push(api);
    const url = `http://127.0.0.1:${port}`;
    await waitFor('the API process to answer', async () => (await fetch(`${url}/health`).catch(() => undefined))?.ok, 60_000);

    const workflow = (await gql(url, `mutation { createWorkflow(input: { name: "crash", owner: { name: "ops" } }) { workflow { id } } }`)).createWorkflow.workflow.id;
    const dataset = (await gql(url, `mutation($w: ID!) { createDataset(input: { workflowId: $w, name: "d" }) { dataset { id } } }`, { w: workflow }))
      .createDataset.dataset.id;
    const created = (
      await gql(url, `mutation($d: ID!) { createUpload(input: { datasetId: $d, role: PILOT, filename: "cut.csv" }) { sample { id } uploadUrl } }`, { d: dataset })
    ).createUpload;
    const sampleId = localId(created.sample.id);

    const first = 'id,name,amount\n' + csvPart(0, 6000);
    const put = openPut(created.uploadUrl, first.length * 4);
    await put.write(first);
    await waitFor('a block of the upload to be stored', async () => {
      const row = await db.selectFrom('sample_blocks').select('block_index').where('sample_id', '=', sampleId).executeTakeFirst();
      return row !== undefined;
    }).catch(async (error: unknown) => {
      const sample = await db.selectFrom('samples').selectAll().where('id', '=', sampleId).executeTakeFirst();
      throw new Error(`${String(error)}; sample: ${JSON.stringify(sample)}; API log: ${api.output()}`);
    });
    const receiving = await db.selectFrom('samples').selectAll().where('id', '=', sampleId).executeTakeFirstOrThrow();
    expect(receiving.status).toBe('RECEIVING');
    expect(receiving.receiver_id).not.toBeNull();

    api.child.kill('SIGKILL');
    await api.exited;
    put.req.destroy();

    // The restarted API (idle timeout of an hour: only the lapsed lease can fail the upload).
    const restarted = await startInProcessApi();
    const failed = await waitFor(
      'the cut upload to be failed',
      async () => {
        const row = await db.selectFrom('samples').selectAll().where('id', '=', sampleId).executeTakeFirstOrThrow();
        return row.status === 'FAILED' ? row : undefined;
      },
      60_000,
    );
    expect(failed.error_code).toBe('UPLOAD_ABORTED');
    expect(failed.error).toMatch(/API process receiving it \(.+:\d+\) stopped or crashed/);
    const blocks = await db.selectFrom('sample_blocks').select('block_index').where('sample_id', '=', sampleId).execute();
    expect(blocks).toEqual([]);

    // The URL of the failed upload, on the new process: 410 with the reason, not a bare conflict.
    const again = await fetch(created.uploadUrl.replace(url, restarted.url), { method: 'PUT', body: 'id\n1\n' });
    expect(again.status).toBe(410);
    const body = (await again.json()) as { error: { code: string; reason: string; message: string } };
    expect(body.error).toMatchObject({ code: 'GONE', reason: 'UPLOAD_FAILED' });
    expect(body.error.message).toContain('UPLOAD_ABORTED');
  });

  it('leaves alone an upload that another live API process is still receiving, however long between its blocks', async () => {
    const receiver = await startInProcessApi();
    await startInProcessApi();
    const workflow = (await gql(receiver.url, `mutation { createWorkflow(input: { name: "slow", owner: { name: "ops" } }) { workflow { id } } }`)).createWorkflow.workflow.id;
    const dataset = (await gql(receiver.url, `mutation($w: ID!) { createDataset(input: { workflowId: $w, name: "d" }) { dataset { id } } }`, { w: workflow }))
      .createDataset.dataset.id;
    const created = (
      await gql(receiver.url, `mutation($d: ID!) { createUpload(input: { datasetId: $d, role: PILOT, filename: "slow.csv" }) { sample { id } uploadUrl } }`, {
        d: dataset,
      })
    ).createUpload;
    const sampleId = localId(created.sample.id);
    const parts = ['id,name,amount\n' + csvPart(0, 1000), csvPart(1000, 1000), csvPart(2000, 1000)];
    const put = openPut(created.uploadUrl, parts.reduce((n, p) => n + p.length, 0));
    for (const part of parts.slice(0, -1)) {
      await put.write(part);
      // Pauses of twice the lease: the other process sweeps several times meanwhile.
      await new Promise((r) => setTimeout(r, 2 * LEASE_SECONDS * 1000));
      const row = await db.selectFrom('samples').select('status').where('id', '=', sampleId).executeTakeFirstOrThrow();
      expect(row.status).toBe('RECEIVING');
    }
    await put.write(parts[parts.length - 1]);
    put.req.end();
    expect(await put.response).toBe(200);
    const row = await db.selectFrom('samples').select(['status', 'receiver_id']).where('id', '=', sampleId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'RECEIVED', receiver_id: null });
  });
});
