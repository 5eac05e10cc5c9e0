import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatBanner } from '../../src/server/banner.js';
import { loadConfig } from '../../src/platform/config.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { runApi, type RunningApi } from '../../src/server/run-api.js';

// `realitycheck start` with nothing configured: embedded Postgres (initdb on first start, as root
// through the postgres system user), migrations, a generated admin key saved and reused.

let dataDir: string;
const running: RunningApi[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'rc-embedded-'));
});
afterAll(async () => {
  for (const instance of running) await instance.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function startOnce() {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', REALITYCHECK_DATA_DIR: dataDir });
  return runApi({ config, logger: createSilentLogger(), allowEmbedded: true });
}

it('runs on an embedded Postgres with no DATABASE_URL, creates an admin key once and reuses it', async () => {
  const first = await startOnce();
  running.push(first);
  expect(first.embedded?.initialised).toBe(true);
  expect(first.embedded!.port).toBeGreaterThanOrEqual(5433);
  expect(first.adminKey).toMatchObject({ source: 'file', created: true, file: path.join(dataDir, 'admin-key') });
  expect(formatBanner(first, undefined)).toContain(first.adminKey.secret);

  const keyFile = await stat(path.join(dataDir, 'admin-key'));
  expect(keyFile.mode & 0o777).toBe(0o600);
  expect((await readFile(path.join(dataDir, 'admin-key'), 'utf8')).trim()).toBe(first.adminKey.secret);

  const ready = await fetch(`${first.api.url}/ready`);
  expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok' } });
  const created = await fetch(`${first.api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${first.adminKey.secret}` },
    body: JSON.stringify({ query: 'mutation { createWorkflow(input: { name: "kept", owner: { name: "me" } }) { workflow { id } } }' }),
  });
  const workflowId = ((await created.json()) as any).data.createWorkflow.workflow.id;
  await first.stop();
  running.pop();

  // Second start: no initdb, same key (not printed again), data kept.
  const second = await startOnce();
  running.push(second);
  expect(second.embedded?.initialised).toBe(false);
  expect(second.adminKey).toMatchObject({ source: 'file', created: false, secret: first.adminKey.secret });
  expect(formatBanner(second, undefined)).not.toContain(first.adminKey.secret);
  const read = await fetch(`${second.api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${second.adminKey.secret}` },
    body: JSON.stringify({ query: 'query($id: ID!) { workflow(id: $id) { name } }', variables: { id: workflowId } }),
  });
  expect(((await read.json()) as any).data).toEqual({ workflow: { name: 'kept' } });
  await second.stop();
  running.pop();
}, 180_000);
