import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.js';
import { createDataset, createUpload, createWorkflow, ok, put } from './fixtures.js';
import { errorCodes, startTestApi, type TestApi } from './harness.js';

/** A server whose log lines are kept, with small rate limits and one allowed origin. */
const lines: string[] = [];
let api: TestApi;
/** A server with the defaults: no CORS origin, no metrics token. */
let plain: TestApi;
let workflowId: string;
let datasetId: string;

const ALLOWED_ORIGIN = 'https://dashboard.example.com';
const METRICS_TOKEN = 'metrics-token-0123456789';

beforeAll(async () => {
  api = await startTestApi({
    env: {
      CORS_ORIGINS: `${ALLOWED_ORIGIN}, http://localhost:5173`,
      RATE_LIMIT_UPLOADS_PER_MINUTE: '3',
      RATE_LIMIT_QUERY_COST_PER_MINUTE: '300',
      METRICS_TOKEN,
    },
    logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }),
  });
  plain = await startTestApi();
  workflowId = await createWorkflow(plain, 'Operations');
  datasetId = await createDataset(plain, workflowId, 'ops');
});
afterAll(async () => {
  await api?.close();
  await plain?.close();
});

function post(server: TestApi, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** The parsed log lines of one request. */
function logOf(requestId: string): Array<Record<string, any>> {
  return lines.map((line) => JSON.parse(line) as Record<string, any>).filter((entry) => entry.requestId === requestId);
}

/** A new admin-made key scoped to nothing but reading one workflow. */
async function readKey(server: TestApi, workflow: string): Promise<string> {
  const data = ok(
    await server.gql<any>(`mutation($w: ID!) { createApiKey(input: { name: "reader", read: [$w] }) { secret } }`, { w: workflow }),
  );
  return data.createApiKey.secret;
}

describe('request ids', () => {
  it('echoes an incoming x-request-id, and every log line of the request carries it', async () => {
    const response = await post(api, { query: '{ viewer { admin } }' }, { authorization: `Bearer ${api.adminKey}`, 'x-request-id': 'trace-42.a' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('trace-42.a');
    const entries = logOf('trace-42.a');
    const access = entries.find((entry) => entry.msg === 'request');
    expect(access).toMatchObject({ level: 'info', method: 'POST', path: '/graphql', status: 200, keyId: expect.any(String) });
  });

  it('gives a request without one (or with an unusable one) a new id, on every route', async () => {
    for (const [path, headers] of [
      ['/graphql?query=%7B__typename%7D', {}],
      ['/health', {}],
      ['/no-such-route', { 'x-request-id': 'has spaces and \u00e9' }],
    ] as const) {
      const response = await fetch(`${api.url}${path}`, { headers });
      expect(response.headers.get('x-request-id'), path).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it('writes every log line as one JSON object', () => {
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(entry).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) });
    }
  });
});

describe('authentication comes first', () => {
  const wrongTypeId = `{ workflow(id: "abc") { id } }`;

  for (const [label, headers, reason, level] of [
    ['no key', {}, /API key is required/, 'info'],
    ['a malformed key', { authorization: 'Bearer short' }, /malformed/, 'warn'],
    ['an unknown key', { authorization: 'Bearer rc_unknown0_00000000000000000000000000000000' }, /not valid/, 'warn'],
  ] as const) {
    it(`answers ${label} with UNAUTHENTICATED (401) before validating anything, logged once at ${level.toUpperCase()} without the query`, async () => {
      const requestId = `auth-${label.replace(/\W/g, '-')}`;
      const response = await post(api, { query: wrongTypeId }, { ...headers, 'x-request-id': requestId });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = (await response.json()) as any;
      expect(body.errors.map((e: any) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
      expect(body.errors[0].message).toMatch(reason);
      expect(body.data).toBeUndefined();

      const entries = logOf(requestId);
      const refusals = entries.filter((entry) => entry.msg === 'request refused: not authenticated');
      expect(refusals).toHaveLength(1);
      expect(refusals[0]!.level).toBe(level);
      expect(entries.filter((entry) => entry.level === 'error')).toEqual([]);
      expect(JSON.stringify(entries)).not.toContain('workflow(id');
    });
  }

  it('answers a body over GRAPHQL_MAX_BODY_BYTES with UNAUTHENTICATED without a key, and PAYLOAD_TOO_LARGE with one', async () => {
    const body = { query: '{ __typename }', variables: { padding: 'x'.repeat(1100 * 1024) } };
    const anonymous = await post(api, body);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const keyed = await post(api, body, { authorization: `Bearer ${api.adminKey}` });
    expect(keyed.status).toBe(413);
    const error = ((await keyed.json()) as any).errors[0];
    expect(error.extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', setting: 'GRAPHQL_MAX_BODY_BYTES', limit: 1024 * 1024 });
    expect(error.message).toMatch(/1 MiB \(GRAPHQL_MAX_BODY_BYTES\)/);
  });

  it('still serves the schema to a client without a key (introspection, __typename)', async () => {
    const typename = await post(api, { query: '{ __typename }' });
    expect(await typename.json()).toEqual({ data: { __typename: 'Query' } });
    const schema = await post(api, { query: '{ __schema { queryType { name } } }' });
    expect(((await schema.json()) as any).data.__schema.queryType.name).toBe('Query');
    const mixed = await post(api, { query: '{ __typename viewer { admin } }' });
    expect(mixed.status).toBe(401);
  });
});

describe('query limits in the log', () => {
  it('logs and counts each refusal once, a repeated query too (answered from the parse cache)', async () => {
    const query = `{ viewer { ${Array.from({ length: 300 }, () => 'admin').join(' ')} } }`;
    for (const requestId of ['limit-1', 'limit-2']) {
      const response = await post(api, { query }, { authorization: `Bearer ${api.adminKey}`, 'x-request-id': requestId });
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
      const refusals = logOf(requestId).filter((entry) => entry.msg === 'request refused: query over a limit');
      expect(refusals).toEqual([expect.objectContaining({ level: 'info', setting: 'GRAPHQL_MAX_FIELDS', limit: 200, found: 301 })]);
      expect(JSON.stringify(logOf(requestId))).not.toContain('admin admin');
    }
  });
});

describe('ids', () => {
  it('names the argument path of a malformed id, and of an id of the wrong type', async () => {
    const malformed = await plain.gql(`mutation { createDataset(input: { workflowId: "abc", name: "x" }) { dataset { id } } }`);
    expect(errorCodes(malformed)).toEqual(['BAD_USER_INPUT']);
    expect(malformed.errors![0]!.message).toBe('input.workflowId: "abc" is not a valid id');
    expect(malformed.errors![0]!.extensions).toMatchObject({ field: 'input.workflowId' });

    const wrongType = await plain.gql(`mutation($w: ID!) { createDataset(input: { workflowId: $w, name: "x" }) { dataset { id } } }`, {
      w: datasetId,
    });
    expect(errorCodes(wrongType)).toEqual(['BAD_USER_INPUT']);
    expect(wrongType.errors![0]!.message).toBe(`input.workflowId: "${datasetId}" is the id of a Dataset, not of a Workflow`);

    const listed = await plain.gql(`mutation($w: ID!) { createApiKey(input: { name: "k", read: [$w, "nope"] }) { secret } }`, { w: workflowId });
    expect(listed.errors![0]!.message).toMatch(/^input\.read\[1\]: "nope" is not a valid id/);

    const root = await plain.gql(`{ node(id: "zzz") { id } }`);
    expect(root.errors![0]!.message).toBe('id: "zzz" is not a valid id');
  });
});

describe('CORS', () => {
  it('sends no CORS header to an origin that is not allowed, and never allows credentials', async () => {
    for (const server of [plain, api]) {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { origin: 'https://evil.example.net', 'content-type': 'application/json', authorization: `Bearer ${server.adminKey}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      const preflight = await fetch(`${server.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
    }
  });

  it('allows an origin of CORS_ORIGINS by name, with its preflight, for GraphQL and uploads', async () => {
    const preflight = await fetch(`${api.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    expect(preflight.headers.get('vary')).toMatch(/Origin/);

    const response = await post(api, { query: '{ viewer { admin } }' }, { origin: ALLOWED_ORIGIN, authorization: `Bearer ${api.adminKey}` });
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(response.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();

    const upload = await fetch(`${api.url}/uploads/00000000-0000-4000-8000-000000000000?token=x`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PUT' },
    });
    expect(upload.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(upload.headers.get('access-control-allow-methods')).toMatch(/PUT/);
  });

  it('lets same-origin requests through on a server without CORS_ORIGINS', async () => {
    const origin = new URL(plain.url).origin;
    const response = await post(plain, { query: '{ viewer { admin } }' }, { origin, authorization: `Bearer ${plain.adminKey}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
  });
});

describe('rate limits', () => {
  it('refuses uploads past RATE_LIMIT_UPLOADS_PER_MINUTE for one key with 429 and Retry-After, and not those of another key', async () => {
    const workflow = await createWorkflow(api, 'Rate limited');
    const dataset = await createDataset(api, workflow, 'uploads');
    const mutation = `mutation($d: ID!) { createUpload(input: { datasetId: $d, role: PILOT, filename: "a.csv" }) { uploadUrl } }`;
    for (let i = 0; i < 3; i++) ok(await api.gql(mutation, { d: dataset }));
    const refused = await post(api, { query: mutation, variables: { d: dataset } }, { authorization: `Bearer ${api.adminKey}`, 'x-request-id': 'upload-limit' });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
    const body = (await refused.json()) as any;
    expect(body.errors.map((e: any) => e.extensions.code)).toEqual(['TOO_MANY_REQUESTS']);
    expect(body.errors[0].message).toMatch(/RATE_LIMIT_UPLOADS_PER_MINUTE = 3/);
    expect(body.errors[0].extensions).toMatchObject({ setting: 'RATE_LIMIT_UPLOADS_PER_MINUTE', limit: 3, retryAfterSeconds: retryAfter });
    expect(logOf('upload-limit').filter((entry) => entry.msg === 'request refused: upload rate limit')).toHaveLength(1);

    // A multipart upload of the same key is refused too, before its file is read: no sample.
    const before = await api.db.selectFrom('samples').select('id').execute();
    const form = new FormData();
    form.set('operations', JSON.stringify({
      query: 'mutation($f: File!, $d: ID!) { uploadSample(input: { datasetId: $d, role: PILOT, file: $f }) { sample { id } } }',
      variables: { f: null, d: dataset },
    }));
    form.set('map', JSON.stringify({ 0: ['variables.f'] }));
    form.set('0', new Blob(['a,b\n1,2\n']), 'a.csv');
    const multipart = await fetch(`${api.url}/graphql`, { method: 'POST', body: form, headers: { authorization: `Bearer ${api.adminKey}` } });
    expect(multipart.status).toBe(429);
    expect(await api.db.selectFrom('samples').select('id').execute()).toHaveLength(before.length);

    // Another key has its own allowance.
    const writer = ok(
      await api.gql<any>(`mutation($w: ID!) { createApiKey(input: { name: "writer", write: [$w] }) { secret } }`, { w: workflow }),
    ).createApiKey.secret;
    const other = await api.gql<any>(mutation, { d: dataset }, writer);
    expect(other.errors).toBeUndefined();
  });

  it('refuses queries past RATE_LIMIT_QUERY_COST_PER_MINUTE with 429 naming the setting', async () => {
    const workflow = await createWorkflow(api, 'Costly');
    const key = await readKey(api, workflow);
    // About 800 by the cost rules: more than the 300 a minute allows, so the second one waits.
    const query = '{ workflows(first: 50) { edges { node { id name } } } }';
    const first = await post(api, { query }, { authorization: `Bearer ${key}` });
    expect(first.status).toBe(200);
    const second = await post(api, { query }, { authorization: `Bearer ${key}` });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await second.json()) as any;
    expect(body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
    expect(body.errors[0].message).toMatch(/RATE_LIMIT_QUERY_COST_PER_MINUTE = 300/);
    // Other keys are not held back by this one.
    const admin = await api.gql(`{ viewer { admin } }`);
    expect(admin.errors).toBeUndefined();
  });
});

describe('/metrics', () => {
  it('serves Prometheus metrics: latency by GraphQL operation, refusals, samples by status, process memory', async () => {
    await plain.gql(`query DashboardOverview { viewer { admin } }`);
    const { uploadUrl } = await createUpload(plain, datasetId);
    expect((await put(uploadUrl, 'id,name\n1,a\n')).status).toBe(200);
    await post(plain, { query: '{ viewer { admin } }' });
    const response = await fetch(`${plain.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^realitycheck_http_request_duration_seconds_count\{method="POST",route="graphql",operation="DashboardOverview",status="200"\} [1-9]/m);
    expect(text).toMatch(/^realitycheck_http_request_duration_seconds_count\{method="PUT",route="upload",operation="",status="200"\} [1-9]/m);
    expect(text).toMatch(/^realitycheck_requests_refused_total\{reason="unauthenticated"\} [1-9]/m);
    expect(text).toMatch(/^realitycheck_samples\{status="RECEIVED"\} [1-9]/m);
    expect(text).toMatch(/^realitycheck_uploads\{state="active"\} 0$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^# TYPE realitycheck_job_duration_seconds histogram$/m);
  });

  it('requires the bearer METRICS_TOKEN when it is set', async () => {
    const refused = await fetch(`${api.url}/metrics`);
    expect(refused.status).toBe(401);
    const wrong = await fetch(`${api.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-000000000000' } });
    expect(wrong.status).toBe(401);
    const allowed = await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toMatch(/realitycheck_http_request_duration_seconds_bucket/);
  });
});

describe('secrets', () => {
  it('never writes an API key, an upload token or the metrics token to the log', async () => {
    const workflow = await createWorkflow(api, 'Secrets');
    const dataset = await createDataset(api, workflow, 'secret');
    const key = ok(
      await api.gql<any>(`mutation($w: ID!) { createApiKey(input: { name: "uploader", write: [$w] }) { secret } }`, { w: workflow }),
    ).createApiKey.secret as string;
    // (The admin key spent its uploads in the rate limit test.)
    const { uploadUrl } = await createUpload(api, dataset, { key });
    const token = new URL(uploadUrl).searchParams.get('token')!;
    // A refused upload (logged with its URL's sample), a bad token, a failing query, a bad metrics token.
    await put(uploadUrl, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]));
    await fetch(`${uploadUrl.replace(/token=[^&]+/, 'token=forged')}`, { method: 'PUT', body: 'a\n1\n' });
    await post(api, { query: '{ workflow(id: "abc") { id } }' }, { authorization: `Bearer ${key}` });
    await post(api, { query: '{ viewer { admin } }' }, { authorization: `Bearer ${key}x` });
    await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const log = lines.join('\n');
    expect(log).toContain('upload refused');
    for (const secret of [api.adminKey, key, key.split('_')[2]!, token, api.uploadSecret, METRICS_TOKEN]) {
      expect(log.includes(secret), `a secret of ${secret.length} characters is in the log`).toBe(false);
    }
  });
});

describe('uploads received at once', () => {
  it('lets an upload wait for its place (UPLOAD_MAX_CONCURRENT) longer than the idle timeout, then receives it', async () => {
    const server = await startTestApi({ env: { UPLOAD_MAX_CONCURRENT: '1' }, idleTimeoutSeconds: 1 });
    try {
      const dataset = await createDataset(server, await createWorkflow(server, 'One at a time'), 'queue');
      const first = await createUpload(server, dataset, { filename: 'first.csv' });
      const second = await createUpload(server, dataset, { filename: 'second.csv' });
      // The first upload holds the only place, sending a row every 300 ms (never idle for 1 s).
      let rowsLeft = 8;
      let firstDone = false;
      const slow = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('id,name\n'));
        },
        async pull(controller) {
          await new Promise((resolve) => setTimeout(resolve, 300));
          if (rowsLeft-- === 0) return controller.close();
          controller.enqueue(new TextEncoder().encode(`${rowsLeft},slow\n`));
        },
      });
      const firstResponse = fetch(first.uploadUrl, { method: 'PUT', body: slow, duplex: 'half' } as RequestInit).then((response) => {
        firstDone = true;
        return response;
      });
      await waitUntil(async () => (await server.db.selectFrom('samples').select('status').where('filename', '=', 'first.csv').executeTakeFirst())?.status === 'RECEIVING');
      // The second waits without a byte being read, across more than one idle timeout.
      const secondResult = await put(second.uploadUrl, 'id,name\n1,fast\n');
      expect(firstDone).toBe(true);
      expect((await firstResponse).status).toBe(200);
      expect(secondResult.status).toBe(200);
      expect(secondResult.body.bytes).toBe(15);
    } finally {
      await server.close();
    }
  });
});

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the condition never held');
}
