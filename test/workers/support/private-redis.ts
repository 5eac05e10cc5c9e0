import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';

/** A redis-server started by a test on a port of its own (the system Redis is never touched). */
export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGKILL: data is not persisted, as configured). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts `redis-server --port <port> --save '' --appendonly no` (no persistence: a restart
 * loses everything, the worst case) with extra arguments, e.g. `['--maxmemory-policy', 'allkeys-lru']`.
 */
export async function startPrivateRedis(port: number, extraArgs: string[] = []): Promise<PrivateRedis> {
  let child: ChildProcess | undefined;
  const start = async () => {
    if (await portOpen(port)) throw new Error(`port ${port} is already in use`);
    child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...extraArgs], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100 && !(await portOpen(port)); i++) await new Promise((r) => setTimeout(r, 50));
    if (!(await portOpen(port))) throw new Error(`redis-server did not start on port ${port}`);
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, stop, start };
}

/** A port in 6390–6989 for a private Redis of this test run. */
export function privateRedisPort(): number {
  return 6390 + Math.floor(Math.random() * 600);
}
