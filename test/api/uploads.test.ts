import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { registerApiProcess } from '../../src/db/api-processes.js';
import { failStaleUploads } from '../../src/ingest/stale-uploads.js';
import { createUploadTokenSigner } from '../../src/ingest/upload-token.js';
import type { ProfilingScheduler } from '../../src/ingest/profiling-scheduler.js';
import { createDataset, createUpload, createWorkflow, localId, ok, put } from './fixtures.js';
import { errorCodes, startTestApi, type TestApi } from './harness.js';
import { REAL_FIXTURES } from '../support/real-fixtures.js';

const FILES = join(REAL_FIXTURES, 'files');
const FACTS = join(REAL_FIXTURES, 'facts');
const KiB = 1024;

// Small limits so that every limit can be crossed with small bodies.
const LIMITS = {
  BLOCK_BYTES: String(256 * KiB),
  MAX_RECORD_BYTES: String(512 * KiB),
  UPLOAD_MAX_BYTES: String(4 * 1024 * KiB),
  MULTIPART_MAX_BYTES: String(512 * KiB),
  MAX_COLUMNS: '50',
};

/** Records the scheduler calls, and what the database held at each. */
const calls: Array<{ hook: string; sampleId: string; blockIndex?: number; blockStored?: boolean; dialectColumns?: unknown; status?: string }> = [];
let api: TestApi;
let datasetId: string;

const recordingScheduler: ProfilingScheduler = {
  async onBlockStored(sampleId, blockIndex) {
    const row = await api.db
      .selectFrom('sample_blocks')
      .select('block_index')
      .where('sample_id', '=', sampleId)
      .where('block_index', '=', blockIndex)
      .executeTakeFirst();
    const sample = await api.db.selectFrom('samples').select(['status', 'dialect']).where('id', '=', sampleId).executeTakeFirstOrThrow();
    const dialectColumns = (sample.dialect as { header?: unknown } | null)?.header;
    calls.push({ hook: 'block', sampleId, blockIndex, blockStored: row !== undefined, dialectColumns, status: sample.status });
  },
  async onUploadComplete(sampleId) {
    const row = await api.db.selectFrom('samples').select('status').where('id', '=', sampleId).executeTakeFirstOrThrow();
    calls.push({ hook: 'complete', sampleId, status: row.status });
  },
  async close() {},
};

beforeAll(async () => {
  api = await startTestApi({ env: LIMITS, scheduler: recordingScheduler });
  datasetId = await createDataset(api, await createWorkflow(api, 'Uploads'), 'main');
});
afterAll(async () => {
  await api?.close();
});

async function sampleRow(globalId: string) {
  return api.db.selectFrom('samples').selectAll().where('id', '=', localId(globalId)).executeTakeFirstOrThrow();
}

async function blockCount(globalId: string): Promise<number> {
  const rows = await api.db.selectFrom('sample_blocks').select('block_index').where('sample_id', '=', localId(globalId)).execute();
  return rows.length;
}

/** Asserts the sample ended FAILED with this reason and kept no block. */
async function expectFailed(globalId: string, reason: string) {
  const row = await sampleRow(globalId);
  expect(row.status).toBe('FAILED');
  expect(row.error_code).toBe(reason);
  expect(row.error).toBeTruthy();
  expect(await blockCount(globalId)).toBe(0);
}

/** A CSV body of about `bytes` bytes with a simple header. */
function csvOfSize(bytes: number, seed = 'x'): string {
  const lines = ['id,name,amount'];
  let size = lines[0]!.length + 1;
  for (let i = 0; size < bytes; i++) {
    const line = `${i},${seed}-name-${i},${(i * 7) % 1000}.${i % 100}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n') + '\n';
}

describe('PUT /uploads/<sampleId>', () => {
  it('stores a real file as row-aligned blocks that reassemble to the file, and records size, hash and dialect', async () => {
    const bytes = await readFile(`${FILES}/birdstrikes.csv`);
    const facts = JSON.parse(await readFile(`${FACTS}/birdstrikes.csv.facts.json`, 'utf8'));
    const { sampleId, uploadUrl } = await createUpload(api, datasetId, { filename: 'birdstrikes.csv' });
    const result = await put(uploadUrl, bytes);

    expect(result.status).toBe(200);
    expect(result.body.sampleId).toBe(sampleId);
    expect(result.body.bytes).toBe(facts.bytes);
    // About 1.2 MB in blocks of at least 256 KiB.
    expect(result.body.blocks).toBeGreaterThanOrEqual(2);
    expect(result.body.blocks).toBeLessThanOrEqual(Math.ceil(facts.bytes / (256 * KiB)));

    const sample = ok(
      await api.gql<any>(
        `query($id: ID!) { sample(id: $id) { status byteSize sha256 blocksTotal blocksDone rows filename
           dialect { encoding bom delimiter newline columns } } }`,
        { id: sampleId },
      ),
    ).sample;
    expect(sample).toMatchObject({
      status: 'RECEIVED',
      byteSize: facts.bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      blocksTotal: result.body.blocks,
      blocksDone: 0,
      rows: null,
      filename: 'birdstrikes.csv',
    });
    expect(sample.dialect).toMatchObject({ encoding: 'utf-8', bom: false, delimiter: facts.delimiter, newline: '\r\n', columns: facts.header });

    const blocks = await api.db
      .selectFrom('sample_blocks')
      .select(['block_index', 'byte_offset', 'byte_size', 'bytes'])
      .where('sample_id', '=', localId(sampleId))
      .orderBy('block_index')
      .execute();
    expect(blocks.map((b) => b.block_index)).toEqual([...Array(result.body.blocks).keys()]);
    const headerLength = bytes.indexOf(0x0a) + 1;
    let offset = headerLength;
    for (const [i, block] of blocks.entries()) {
      expect(Number(block.byte_offset)).toBe(offset);
      expect(block.bytes!.length).toBe(block.byte_size);
      if (i < blocks.length - 1) expect(block.bytes![block.bytes!.length - 1]).toBe(0x0a);
      offset += block.byte_size;
    }
    expect(Buffer.concat([bytes.subarray(0, headerLength), ...blocks.map((b) => Buffer.from(b.bytes!))]).equals(bytes)).toBe(true);

    // Every block was announced after it was committed, in order, with the dialect already recorded on
    // the sample still RECEIVING (so workers can profile it at once), then the completion after RECEIVED was committed.
    const mine = calls.filter((c) => c.sampleId === localId(sampleId));
    expect(mine.filter((c) => c.hook === 'block').map((c) => [c.blockIndex, c.blockStored, c.status, c.dialectColumns])).toEqual(
      blocks.map((b) => [b.block_index, true, 'RECEIVING', facts.header]),
    );
    expect(mine.at(-1)).toMatchObject({ hook: 'complete', status: 'RECEIVED' });
  });

  it('reads a file with a byte order mark: the BOM is reported and is in no block', async () => {
    const bytes = await readFile(`${FILES}/danish_data_bom.csv`);
    const facts = JSON.parse(await readFile(`${FACTS}/danish_data_bom.csv.facts.json`, 'utf8'));
    const { sampleId, uploadUrl } = await createUpload(api, datasetId);
    const result = await put(uploadUrl, bytes);
    expect(result.status).toBe(200);
    const sample = ok(await api.gql<any>(`query($id: ID!) { sample(id: $id) { dialect { bom columns } } }`, { id: sampleId })).sample;
    expect(sample.dialect).toEqual({ bom: true, columns: facts.header });
    const [block] = await api.db.selectFrom('sample_blocks').select(['byte_offset', 'bytes']).where('sample_id', '=', localId(sampleId)).execute();
    expect(Number(block!.byte_offset)).toBe(bytes.indexOf(0x0a) + 1);
    expect(Buffer.from(block!.bytes!).equals(bytes.subarray(bytes.indexOf(0x0a) + 1))).toBe(true);
  });

  it('accepts a header-only file: RECEIVED with 0 blocks and 0 rows', async () => {
    const { sampleId, uploadUrl } = await createUpload(api, datasetId);
    const result = await put(uploadUrl, 'id,name,amount\n');
    expect(result).toEqual({ status: 200, body: { sampleId, bytes: 15, blocks: 0 } });
    const sample = ok(await api.gql<any>(`query($id: ID!) { sample(id: $id) { status rows blocksTotal dialect { columns } } }`, { id: sampleId })).sample;
    expect(sample).toEqual({ status: 'RECEIVED', rows: 0, blocksTotal: 0, dialect: { columns: ['id', 'name', 'amount'] } });
  });

  it('refuses a binary file (NOT_CSV), leaving the sample FAILED without blocks', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.alloc(2000, 7)]);
    const { sampleId, uploadUrl } = await createUpload(api, datasetId);
    const result = await put(uploadUrl, png);
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_CSV', sampleId });
    await expectFailed(sampleId, 'NOT_CSV');
    const viaApi = ok(await api.gql<any>(`query($id: ID!) { sample(id: $id) { status errorCode error } }`, { id: sampleId })).sample;
    expect(viaApi).toEqual({ status: 'FAILED', errorCode: 'NOT_CSV', error: result.body.error.message });
  });

  it('refuses an empty body (EMPTY_FILE)', async () => {
    const { sampleId, uploadUrl } = await createUpload(api, datasetId);
    const result = await put(uploadUrl, '');
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'EMPTY_FILE' });
    await expectFailed(sampleId, 'EMPTY_FILE');
  });

  it('refuses more columns than MAX_COLUMNS, naming the limit', async () => {
    const header = Array.from({ length: 51 }, (_, i) => `c${i}`).join(',');
    const { sampleId, uploadUrl } = await createUpload(api, datasetId);
    const result = await put(uploadUrl, `${header}\n${'1,'.repeat(50)}1\n`);
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_MANY_COLUMNS' });
    expect(result.body.error.message).toMatch(/51 columns.*50.*MAX_COLUMNS/);
    await expectFailed(sampleId, 'TOO_MANY_COLUMNS');
  });

  it('refuses a record longer than MAX_RECORD_BYTES (a quote that never closes), after storing earlier blocks', async () => {
    const good = csvOfSize(300 * KiB, 'rec');
    const body = `${good}1,"never closed,${'y'.repeat(900 * KiB)}\n`;
    const { sampleId, uploadUrl } = await createUpload(api, datasetId);
    const result = await put(uploadUrl, body);
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'RECORD_TOO_LONG' });
    expect(result.body.error.message).toMatch(/MAX_RECORD_BYTES/);
    await expectFailed(sampleId, 'RECORD_TOO_LONG');
  });

  it('refuses a body announced larger than UPLOAD_MAX_BYTES before reading it (413)', async () => {
    const { sampleId, uploadUrl } = await createUpload(api, datasetId);
    const result = await put(uploadUrl, csvOfSize(5 * 1024 * KiB, 'big'));
    expect(result.status).toBe(413);
    expect(result.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', reason: 'UPLOAD_TOO_LARGE', limit: 4 * 1024 * KiB });
    expect(result.body.error.message).toMatch(/4 MiB.*UPLOAD_MAX_BYTES/);
    await expectFailed(sampleId, 'UPLOAD_TOO_LARGE');
  });

  it('stops a chunked body (no Content-Length) as soon as it crosses UPLOAD_MAX_BYTES (413)', async () => {
    const { sampleId, uploadUrl } = await createUpload(api, datasetId);
    const chunk = new TextEncoder().encode(csvOfSize(64 * KiB, 'chunk').split('\n').slice(1).join('\n'));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('id,name,amount\n'));
      },
      pull(controller) {
        // Far beyond the limit: the server must stop reading long before the end.
        if (sent > 64 * 1024 * KiB) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(uploadUrl, { method: 'PUT', body: stream, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(((await response.json()) as any).error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', reason: 'UPLOAD_TOO_LARGE' });
    expect(sent).toBeLessThan(64 * 1024 * KiB);
    await expectFailed(sampleId, 'UPLOAD_TOO_LARGE');
  });

  it('leaves an upload interrupted mid-stream FAILED and deletes the blocks already stored', async () => {
    const { sampleId, uploadUrl } = await createUpload(api, datasetId);
    const url = new URL(uploadUrl);
    const body = Buffer.from(csvOfSize(1024 * KiB, 'abort'));
    const req = request(url, { method: 'PUT', headers: { 'content-length': String(body.length * 2) } });
    req.on('error', () => {});
    req.write(body);
    // Wait until the server has committed at least one block, then vanish.
    for (let i = 0; i < 800 && (await blockCount(sampleId)) === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await blockCount(sampleId)).toBeGreaterThan(0);
    req.destroy();
    let row = await sampleRow(sampleId);
    for (let i = 0; i < 800 && row.status !== 'FAILED'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      row = await sampleRow(sampleId);
    }
    await expectFailed(sampleId, 'UPLOAD_ABORTED');
    expect(calls.some((c) => c.sampleId === localId(sampleId) && c.hook === 'complete')).toBe(false);
  });

  it('fails uploads left RECEIVING without progress (their receiver went away), and leaves live ones alone', async () => {
    const stale = await createUpload(api, datasetId);
    const live = await createUpload(api, datasetId);
    const longAgo = new Date(Date.now() - 3600_000);
    for (const [sample, updatedAt] of [
      [stale.sampleId, longAgo],
      [live.sampleId, new Date()],
    ] as const) {
      await api.db.updateTable('samples').set({ status: 'RECEIVING', updated_at: updatedAt }).where('id', '=', localId(sample)).execute();
      await api.db
        .insertInto('sample_blocks')
        .values({ sample_id: localId(sample), block_index: 0, byte_offset: 10, byte_size: 4, bytes: Buffer.from('1,2\n') })
        .execute();
    }
    const failed = await failStaleUploads(api.db, { leaseSeconds: 30, idleSeconds: 600 });
    expect(failed).toEqual([localId(stale.sampleId)]);
    await expectFailed(stale.sampleId, 'UPLOAD_ABORTED');
    expect((await sampleRow(live.sampleId)).status).toBe('RECEIVING');
    expect(await blockCount(live.sampleId)).toBe(1);
    await api.db.updateTable('samples').set({ status: 'FAILED' }).where('id', '=', localId(live.sampleId)).execute();
  });

  it('fails an upload whose receiving process let its lease lapse, however recent its last block, and leaves uploads of live processes alone', async () => {
    const dead = await registerApiProcess(api.db, { host: 'gone-host', pid: 1 });
    const alive = await registerApiProcess(api.db, { host: 'live-host', pid: 2 });
    await api.db.updateTable('api_processes').set({ heartbeat_at: sql<Date>`now() - interval '1 minute'` }).where('id', '=', dead).execute();
    const orphan = await createUpload(api, datasetId);
    const slow = await createUpload(api, datasetId);
    // The orphan's last block is recent (workers touched it); the slow upload's is old (a slow client).
    for (const [sample, receiver, updatedAt] of [
      [orphan.sampleId, dead, new Date()],
      [slow.sampleId, alive, new Date(Date.now() - 3600_000)],
    ] as const) {
      await api.db.updateTable('samples').set({ status: 'RECEIVING', receiver_id: receiver, updated_at: updatedAt }).where('id', '=', localId(sample)).execute();
      await api.db
        .insertInto('sample_blocks')
        .values({ sample_id: localId(sample), block_index: 0, byte_offset: 10, byte_size: 4, bytes: Buffer.from('1,2\n') })
        .execute();
    }
    const failed = await failStaleUploads(api.db, { leaseSeconds: 30, idleSeconds: 600 });
    expect(failed).toEqual([localId(orphan.sampleId)]);
    await expectFailed(orphan.sampleId, 'UPLOAD_ABORTED');
    expect((await sampleRow(orphan.sampleId)).error).toMatch(/gone-host:1.*stopped or crashed.*createUpload/);
    expect((await sampleRow(slow.sampleId)).status).toBe('RECEIVING');
    expect(await blockCount(slow.sampleId)).toBe(1);
    // The lapsed lease goes once no upload names it; the live one stays.
    const leases = await api.db.selectFrom('api_processes').select('id').where('id', 'in', [dead, alive]).execute();
    expect(leases.map((l) => l.id)).toEqual([alive]);

    // A new PUT to the failed upload's URL says that the upload failed and why, with 410 Gone.
    const again = await put(orphan.uploadUrl, 'a,b\n1,2\n');
    expect(again.status).toBe(410);
    expect(again.body.error).toMatchObject({ code: 'GONE', reason: 'UPLOAD_FAILED', errorCode: 'UPLOAD_ABORTED' });
    expect(again.body.error.message).toMatch(/failed \(UPLOAD_ABORTED: the upload stopped.*call createUpload for a new URL/);
    await api.db.updateTable('samples').set({ status: 'FAILED' }).where('id', '=', localId(slow.sampleId)).execute();
  });

  it('reports identical content in the same dataset as CONFLICT naming the existing sample, and accepts it in another dataset', async () => {
    const csv = 'id,name\n1,same\n2,content\n';
    const first = await createUpload(api, datasetId);
    expect((await put(first.uploadUrl, csv)).status).toBe(200);
    const second = await createUpload(api, datasetId);
    const result = await put(second.uploadUrl, csv);
    expect(result.status).toBe(409);
    expect(result.body.error).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE_CONTENT', existingSampleId: first.sampleId });
    expect(result.body.error.message).toContain(first.sampleId);
    await expectFailed(second.sampleId, 'DUPLICATE_CONTENT');

    const otherDataset = await createDataset(api, await createWorkflow(api, 'Other uploads'), 'other');
    const third = await createUpload(api, otherDataset);
    expect((await put(third.uploadUrl, csv)).status).toBe(200);
  });

  it('accepts one upload per URL, and refuses missing, forged or expired tokens and other methods', async () => {
    const { sampleId, uploadUrl } = await createUpload(api, datasetId);
    expect((await put(uploadUrl, 'a,b\n1,2\n')).status).toBe(200);
    const again = await put(uploadUrl, 'a,b\n3,4\n');
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'CONFLICT', reason: 'NOT_AWAITING_UPLOAD' });

    const fresh = await createUpload(api, datasetId);
    const url = new URL(fresh.uploadUrl);
    const noToken = new URL(url);
    noToken.search = '';
    expect((await put(noToken.toString(), 'a\n1\n')).status).toBe(401);
    const forged = new URL(url);
    forged.searchParams.set('token', `${url.searchParams.get('token')!.split('.')[0]}.${'A'.repeat(43)}`);
    const forgedResult = await put(forged.toString(), 'a\n1\n');
    expect(forgedResult.status).toBe(403);
    expect(forgedResult.body.error.code).toBe('FORBIDDEN');
    const expired = new URL(url);
    expired.searchParams.set('token', createUploadTokenSigner(api.uploadSecret).sign(localId(fresh.sampleId), new Date(Date.now() - 1000)));
    const expiredResult = await put(expired.toString(), 'a\n1\n');
    expect(expiredResult.status).toBe(403);
    expect(expiredResult.body.error.message).toMatch(/expired/);
    // A token opens only its own sample.
    const otherSample = new URL(url);
    otherSample.pathname = `/uploads/${localId(sampleId)}`;
    expect((await put(otherSample.toString(), 'a\n1\n')).status).toBe(403);
    const get = await fetch(fresh.uploadUrl);
    expect(get.status).toBe(405);
    // None of this touched the fresh sample.
    expect((await sampleRow(fresh.sampleId)).status).toBe('AWAITING_UPLOAD');
  });
});

describe('uploadSample (GraphQL multipart)', () => {
  const mutation = `mutation($file: File!, $d: ID!) {
    uploadSample(input: { datasetId: $d, role: PRODUCTION, file: $file, source: "erp", extractedAt: "2024-05-01T00:00:00Z" }) {
      sample { id status role source filename byteSize extractedAt dialect { columns } } } }`;

  async function multipart(bytes: Uint8Array | string, filename: string, key: string = api.adminKey) {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: mutation, variables: { file: null, d: datasetId } }));
    form.set('map', JSON.stringify({ 0: ['variables.file'] }));
    form.set('0', new Blob([bytes]), filename);
    const response = await fetch(`${api.url}/graphql`, { method: 'POST', body: form, headers: { authorization: `Bearer ${key}` } });
    return { status: response.status, body: (await response.json()) as any };
  }

  async function sampleCount(): Promise<number> {
    const rows = await api.db.selectFrom('samples').select('id').execute();
    return rows.length;
  }

  it('stores a small file and answers with the RECEIVED sample', async () => {
    const bytes = await readFile(`${FILES}/penguins_raw.csv`);
    const facts = JSON.parse(await readFile(`${FACTS}/penguins_raw.csv.facts.json`, 'utf8'));
    const result = await multipart(bytes, 'penguins_raw.csv');
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data.uploadSample.sample).toMatchObject({
      status: 'RECEIVED',
      role: 'PRODUCTION',
      source: 'erp',
      filename: 'penguins_raw.csv',
      byteSize: facts.bytes,
      extractedAt: '2024-05-01T00:00:00.000Z',
      dialect: { columns: facts.header },
    });
  });

  it('refuses a file announced beyond MULTIPART_MAX_BYTES (Content-Length) with HTTP 413 before reading it, creating no sample', async () => {
    const before = await sampleCount();
    const result = await multipart(csvOfSize(600 * KiB, 'multi'), 'big.csv');
    expect(result.status).toBe(413);
    expect(result.body.errors.map((e: any) => e.extensions?.code)).toEqual(['PAYLOAD_TOO_LARGE']);
    expect(result.body.errors[0].message).toMatch(/512 KiB.*MULTIPART_MAX_BYTES/);
    expect(result.body.errors[0].extensions).toMatchObject({ setting: 'MULTIPART_MAX_BYTES', limit: 512 * KiB });
    expect(await sampleCount()).toBe(before);
  });

  // 530 KiB passes the Content-Length check (which allows for the multipart envelope), and is
  // stopped by the limit as its bytes stream in: its sample is left FAILED, without blocks.
  it('stops a file that crosses MULTIPART_MAX_BYTES while streaming with HTTP 413 and PAYLOAD_TOO_LARGE', async () => {
    const result = await multipart(csvOfSize(530 * KiB, 'multi'), 'big.csv');
    expect(result.status).toBe(413);
    expect(result.body.errors.map((e: any) => e.extensions?.code)).toEqual(['PAYLOAD_TOO_LARGE']);
    expect(result.body.errors[0].message).toMatch(/512 KiB.*MULTIPART_MAX_BYTES/);
    await expectFailed(result.body.errors[0].extensions.sampleId, 'UPLOAD_TOO_LARGE');
  });

  it('stops a chunked multipart body (no Content-Length) as soon as the file crosses MULTIPART_MAX_BYTES', async () => {
    const boundary = 'rc-test-boundary';
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n` +
      JSON.stringify({ query: mutation, variables: { file: null, d: datasetId } }) +
      `\r\n--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.file"]}` +
      `\r\n--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="chunked.csv"\r\nContent-Type: text/csv\r\n\r\nid,name,amount\n`;
    const chunk = new TextEncoder().encode(csvOfSize(64 * KiB, 'chunk').split('\n').slice(1).join('\n'));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(head));
      },
      pull(controller) {
        // Far beyond the limit: the server must stop reading long before the end.
        if (sent > 64 * 1024 * KiB) {
          controller.enqueue(new TextEncoder().encode(`\r\n--${boundary}--\r\n`));
          return controller.close();
        }
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${api.adminKey}` },
    } as RequestInit);
    expect(response.status).toBe(413);
    const error = ((await response.json()) as any).errors[0];
    expect(error.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toMatch(/512 KiB.*MULTIPART_MAX_BYTES/);
    expect(sent).toBeLessThan(64 * 1024 * KiB);
    await expectFailed(error.extensions.sampleId, 'UPLOAD_TOO_LARGE');
  });

  it('answers a multipart request that does not follow the spec with BAD_REQUEST (400) saying what is wrong', async () => {
    const boundary = 'rc-spec-boundary';
    const part = (name: string, body: string, filename?: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n\r\n${body}\r\n`;
    const operations = JSON.stringify({ query: mutation, variables: { file: null, d: datasetId } });
    const cases: Array<[string, string, RegExp]> = [
      ['file first', part('0', 'a,b\n1,2\n', 'x.csv') + part('operations', operations) + part('map', '{"0":["variables.file"]}'), /must come before the file/],
      ['file not in map', part('operations', operations) + part('map', '{"1":["variables.file"]}') + part('0', 'a,b\n1,2\n', 'x.csv'), /not named in "map"/],
      ['operations not JSON', part('operations', '{oops') + part('map', '{}'), /"operations" is not valid JSON/],
      ['a batch', part('operations', `[${operations}]`) + part('map', '{}'), /batches are not accepted/],
      ['unknown field', part('operations', operations) + part('extra', 'x'), /unexpected multipart field "extra"/],
      ['map path outside operations', part('operations', operations) + part('map', '{"0":["variables.nothing.here"]}') + part('0', 'a\n', 'x.csv'), /not in "operations"/],
    ];
    const before = await sampleCount();
    for (const [label, body, message] of cases) {
      const response = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${api.adminKey}` },
        body: `${body}--${boundary}--\r\n`,
      });
      expect(response.status, label).toBe(400);
      const error = ((await response.json()) as any).errors[0];
      expect(error.extensions.code, label).toBe('BAD_REQUEST');
      expect(error.message, label).toMatch(message);
    }
    expect(await sampleCount()).toBe(before);
  });

  it('answers UNAUTHENTICATED (401) to a multipart upload without a key, before reading the file', async () => {
    const before = await sampleCount();
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: mutation, variables: { file: null, d: 'not-an-id' } }));
    form.set('map', JSON.stringify({ 0: ['variables.file'] }));
    form.set('0', new Blob(['a,b\n1,2\n']), 'x.csv');
    const response = await fetch(`${api.url}/graphql`, { method: 'POST', body: form });
    expect(response.status).toBe(401);
    expect(((await response.json()) as any).errors.map((e: any) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
    expect(await sampleCount()).toBe(before);
  });

  it('records windows-1252 as the dialect encoding of a file whose bytes are not valid UTF-8', async () => {
    const latin1 = Buffer.concat([Buffer.from('id,name\n1,caf'), Buffer.from([0xe9]), Buffer.from('\n2,plain\n')]);
    const result = await multipart(latin1, 'latin1.csv');
    expect(result.body.errors).toBeUndefined();
    const id = result.body.data.uploadSample.sample.id;
    const read = await api.gql(`query($id: ID!) { sample(id: $id) { dialect { encoding json } } }`, { id });
    expect(read.data.sample.dialect.encoding).toBe('windows-1252');
    expect(read.data.sample.dialect.json).toMatchObject({ encoding: 'utf-8', decodedAs: 'windows-1252' });
  });

  it('reports an unusable file as BAD_USER_INPUT with the reason and the FAILED sample', async () => {
    const result = await multipart(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 1, 2, 3]), 'archive.zip');
    expect(errorCodes({ status: result.status, errors: result.body.errors })).toEqual(['BAD_USER_INPUT']);
    const extensions = result.body.errors[0].extensions;
    expect(extensions.reason).toBe('NOT_CSV');
    await expectFailed(extensions.sampleId, 'NOT_CSV');
  });
});
