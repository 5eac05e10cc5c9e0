import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ThreadJob, ThreadRequest, ThreadResponse } from './job-thread.js';

/**
 * A thread idle this long collects its garbage (ms): long enough that the next job of a sample,
 * queued behind the last, finds its thread still warm and uncollected.
 */
const COLLECT_AFTER_MS = 200;

/** Why a thread stopped before answering: out of memory, or it exited (crashed or was terminated). */
export class ThreadDiedError extends Error {
  override readonly name = 'ThreadDiedError';
  constructor(
    message: string,
    /** The thread ran out of its heap (`ERR_WORKER_OUT_OF_MEMORY`). */
    readonly outOfMemory: boolean,
    /** The heap limit it ran with, in MiB. */
    readonly heapMb: number,
  ) {
    super(message);
  }
}

/** An error a job threw inside its thread, rebuilt on this side with the same name, message and code. */
export class ThreadJobError extends Error {
  constructor(name: string, message: string, readonly code?: string, stack?: string) {
    super(message);
    this.name = name;
    if (stack) this.stack = stack;
  }
}

/** What {@link JobThreads} needs. */
export interface JobThreadsOptions {
  /** Handed to every thread (`workerData`), e.g. the database URL. */
  readonly workerData: unknown;
  /** Young generation of every thread, in MiB: small keeps collections cheap and RSS low. */
  readonly youngGenerationMb?: number;
  /** Idle threads kept for the next jobs (each keeps its modules and database connection). */
  readonly keepIdle: number;
  /**
   * How long an idle thread is kept, in ms (default 30,000): a new thread costs little to start but
   * runs its first job cold (the engine is compiled anew in each thread). A thread idle for
   * {@link COLLECT_AFTER_MS} collects its garbage, so idle threads hold little memory.
   */
  readonly idleMs?: number;
}

interface Thread {
  readonly worker: Worker;
  readonly heapMb: number;
  running: { seq: number; resolve: (result: { value: unknown; heapMb: number }) => void; reject: (error: Error) => void } | null;
  idleTimer: NodeJS.Timeout | undefined;
  collectTimer: NodeJS.Timeout | undefined;
  outOfMemory: boolean;
  exited: boolean;
}

/**
 * Worker threads that run queue jobs, each with a heap limit chosen for the job (see
 * `memory-plan.ts`). A thread runs one job at a time. When a thread dies — out of memory, or any
 * crash — only its job fails, with a {@link ThreadDiedError}; the process and the other jobs go
 * on. Threads are kept for later jobs that want about the same heap limit, up to `keepIdle` idle ones.
 */
export class JobThreads {
  private readonly idle: Thread[] = [];
  private readonly busy = new Set<Thread>();
  private seq = 0;
  private closed = false;
  private readonly entry = jobThreadEntry();

  constructor(private readonly options: JobThreadsOptions) {}

  /**
   * Runs `job` with the default export of `file` on a thread whose heap is limited to `heapMb`;
   * resolves with what it returned and the heap the thread had grown to, in MiB.
   * `signal` aborts it: the thread is terminated and the promise rejects.
   */
  run(file: string, job: ThreadJob, heapMb: number, signal?: AbortSignal): Promise<{ value: unknown; heapMb: number }> {
    if (this.closed) return Promise.reject(new Error('the job threads are closed'));
    const thread = this.take(heapMb);
    const seq = ++this.seq;
    return new Promise<{ value: unknown; heapMb: number }>((resolve, reject) => {
      const onAbort = (): void => {
        thread.running = null;
        this.discard(thread);
        reject(new ThreadDiedError(`the job was cancelled (${String(signal?.reason ?? 'aborted')})`, false, heapMb));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      thread.running = {
        seq,
        resolve: (result) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(result);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      thread.worker.postMessage({ seq, file, job: { id: job.id, data: job.data, attemptsMade: job.attemptsMade, opts: { attempts: job.opts.attempts } } } satisfies ThreadRequest);
    });
  }

  /** Threads alive now (idle and busy). */
  get size(): number {
    return this.idle.length + this.busy.size;
  }

  /** Terminates every thread; running jobs reject. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle, ...this.busy];
    this.idle.length = 0;
    await Promise.allSettled(all.map((thread) => this.discard(thread)));
  }

  /** An idle thread whose limit is at least `heapMb` and not much more (a larger heap lets garbage grow), or a new one. */
  private take(heapMb: number): Thread {
    const i = this.idle.findIndex((thread) => thread.heapMb >= heapMb && thread.heapMb <= heapMb * 1.5);
    const thread = i >= 0 ? this.idle.splice(i, 1)[0] : this.spawn(heapMb);
    clearTimeout(thread.idleTimer);
    clearTimeout(thread.collectTimer);
    this.busy.add(thread);
    return thread;
  }

  private spawn(heapMb: number): Thread {
    const worker = new Worker(this.entry, {
      workerData: this.options.workerData,
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: this.options.youngGenerationMb ?? 4 },
    });
    const thread: Thread = { worker, heapMb, running: null, outOfMemory: false, exited: false, idleTimer: undefined, collectTimer: undefined };
    worker.on('message', (response: ThreadResponse) => {
      const running = thread.running;
      if (!running || running.seq !== response.seq) return;
      thread.running = null;
      this.release(thread);
      if (response.ok) running.resolve({ value: response.value, heapMb: response.heapMb });
      else running.reject(new ThreadJobError(response.error.name, response.error.message, response.error.code, response.error.stack));
    });
    // Handled here, so a dying thread is never an unhandled 'error' event (which would end the process).
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') thread.outOfMemory = true;
      this.settleDead(thread, error);
    });
    worker.on('exit', (code) => {
      thread.exited = true;
      this.busy.delete(thread);
      const i = this.idle.indexOf(thread);
      if (i >= 0) this.idle.splice(i, 1);
      this.settleDead(thread, new Error(`the thread exited with code ${code}`));
    });
    // An idle thread does not keep the process alive.
    worker.unref();
    return thread;
  }

  private settleDead(thread: Thread, cause: Error): void {
    const running = thread.running;
    if (!running) return;
    thread.running = null;
    const message = thread.outOfMemory
      ? `the job's thread ran out of memory (heap limit ${thread.heapMb} MiB)`
      : `the job's thread stopped: ${cause.message}`;
    running.reject(new ThreadDiedError(message, thread.outOfMemory, thread.heapMb));
    this.discard(thread);
  }

  private release(thread: Thread): void {
    this.busy.delete(thread);
    if (this.closed || thread.exited) return;
    this.idle.push(thread);
    thread.idleTimer = setTimeout(() => void this.discard(thread), this.options.idleMs ?? 30_000);
    thread.idleTimer.unref();
    thread.collectTimer = setTimeout(() => thread.worker.postMessage('collect-garbage'), COLLECT_AFTER_MS);
    thread.collectTimer.unref();
    while (this.idle.length > this.options.keepIdle) void this.discard(this.idle.shift()!);
  }

  private async discard(thread: Thread): Promise<void> {
    clearTimeout(thread.idleTimer);
    clearTimeout(thread.collectTimer);
    this.busy.delete(thread);
    const i = this.idle.indexOf(thread);
    if (i >= 0) this.idle.splice(i, 1);
    if (!thread.exited) await thread.worker.terminate().catch(() => undefined);
  }
}

/** The compiled thread entry (threads load JavaScript: from `dist/` when this module runs from sources). */
function jobThreadEntry(): string {
  const candidates = [new URL('./job-thread.js', import.meta.url), new URL('../dist/workers/job-thread.js', import.meta.url)];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new Error(`the compiled job thread is missing (looked for ${candidates.map((c) => fileURLToPath(c)).join(' and ')}); run \`npm run build\` first`);
}
