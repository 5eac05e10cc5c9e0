import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../api/harness.js';
import { backendEnv } from '../workers/support/backends.js';
import { ensureBuilt } from '../workers/support/build.js';
import { waitFor } from '../workers/support/wait-for.js';
import { spawnCli, type CliProcess } from '../workers/support/worker-process.js';

// Which interfaces `realitycheck start` and `realitycheck api` listen on. Every address of
// 127.0.0.0/8 is this machine's loopback: a server bound to 127.0.0.1 refuses 127.0.0.2, one
// bound to every interface (0.0.0.0) accepts it.

let database: TestDatabase;
let dataDir: string;
const running: CliProcess[] = [];

beforeAll(async () => {
  await ensureBuilt();
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'rc-listen-'));
});
afterAll(async () => {
  for (const child of running) await child.kill();
  await database?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Starts a command on a free port and returns the port its banner announces. */
async function serve(command: 'start' | 'api', env: Record<string, string> = {}): Promise<{ child: CliProcess; port: number }> {
  const child = spawnCli(
    command,
    backendEnv('postgres', 'unused', {
      DATABASE_URL: database.url,
      PORT: '0',
      HOST: '',
      REALITYCHECK_DATA_DIR: dataDir,
      REALITYCHECK_ADMIN_KEY: `rc_testadmin_${randomBytes(16).toString('hex')}`,
      ...env,
    }),
  );
  running.push(child);
  const port = await waitFor(
    `the banner of realitycheck ${command}`,
    async () => {
      if (child.child.exitCode !== null) throw new Error(`realitycheck ${command} exited: ${child.output()}`);
      const match = /GraphiQL\s+http:\/\/localhost:(\d+)\/graphql/.exec(child.output());
      return match ? Number(match[1]) : undefined;
    },
    60_000,
  );
  return { child, port };
}

async function stop(child: CliProcess): Promise<void> {
  child.child.kill('SIGTERM');
  expect((await child.exited).code, child.output()).toBe(0);
  running.splice(running.indexOf(child), 1);
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? resolve(false) : reject(error)));
  });
}

describe('where the API listens', () => {
  it('realitycheck start: on 127.0.0.1 only, unless HOST says otherwise', async () => {
    const local = await serve('start');
    expect(await accepts('127.0.0.1', local.port)).toBe(true);
    expect(await accepts('127.0.0.2', local.port)).toBe(false);
    await stop(local.child);

    const open = await serve('start', { HOST: '0.0.0.0' });
    expect(await accepts('127.0.0.1', open.port)).toBe(true);
    expect(await accepts('127.0.0.2', open.port)).toBe(true);
    await stop(open.child);
  }, 120_000);

  it('realitycheck api: on every interface, unless HOST says otherwise', async () => {
    const service = await serve('api');
    expect(await accepts('127.0.0.2', service.port)).toBe(true);
    await stop(service.child);

    const local = await serve('api', { HOST: '127.0.0.1' });
    expect(await accepts('127.0.0.1', local.port)).toBe(true);
    expect(await accepts('127.0.0.2', local.port)).toBe(false);
    await stop(local.child);
  }, 120_000);

  it('says so in --help', async () => {
    const start = spawnCli('start', {}, ['--help']);
    await start.exited;
    expect(start.output()).toMatch(/listens on 127\.0\.0\.1 only/);
    expect(start.output()).toMatch(/HOST \(127\.0\.0\.1\)/);
    const api = spawnCli('api', {}, ['--help']);
    await api.exited;
    expect(api.output()).toMatch(/HOST \(0\.0\.0\.0\)/);
  });
});
