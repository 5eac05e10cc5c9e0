import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, ROOT } from './build.js';

/** A `realitycheck worker` process started from the compiled CLI. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything it wrote to stderr/stdout so far (its log). */
  output(): string;
  /** Resolves with the exit code (or the signal) once it exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL if still running. */
  kill(): Promise<void>;
}

/** Starts `node dist/src/cli/main.js worker` with `env` added to this process's environment. */
export function spawnWorker(env: Record<string, string>, args: string[] = []): WorkerProcess {
  const child = spawn(process.execPath, [CLI, 'worker', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    log += chunk.toString();
    if (process.env.TEST_LOG) process.stderr.write(`[worker ${child.pid}] ${chunk.toString()}`);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    pid: child.pid!,
    output: () => log,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
