import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, ROOT } from './build.js';

/** A `realitycheck <command>` process started from the compiled CLI. */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything it wrote to stderr/stdout so far (its log). */
  output(): string;
  /** Resolves with the exit code (or the signal) once it exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL if still running. */
  kill(): Promise<void>;
}

/** A `realitycheck worker` process. */
export type WorkerProcess = CliProcess;

/** Starts `node dist/src/cli/main.js worker` with `env` added to this process's environment. */
export function spawnWorker(env: Record<string, string>, args: string[] = []): WorkerProcess {
  return spawnCli('worker', env, args);
}

/** Starts `node dist/src/cli/main.js <command>` with `env` added to this process's environment. */
export function spawnCli(command: string, env: Record<string, string>, args: string[] = []): CliProcess {
  const child = spawn(process.execPath, [CLI, command, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    log += chunk.toString();
    if (process.env.TEST_LOG) process.stderr.write(`[${command} ${child.pid}] ${chunk.toString()}`);
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
