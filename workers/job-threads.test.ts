import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JobThreads, ThreadDiedError, ThreadJobError } from './job-threads.js';

// Processor files as the threads load them: plain JavaScript modules with a default export.
const dir = mkdtempSync(join(tmpdir(), 'rc-job-threads-'));
const file = (name: string, body: string): string => {
  const path = join(dir, `${name}.mjs`);
  writeFileSync(path, body);
  return path;
};
const echo = file('echo', `import { threadId } from 'node:worker_threads';
export default async (job) => ({ id: job.id, data: job.data, attemptsMade: job.attemptsMade, attempts: job.opts.attempts, threadId });`);
const hog = file('hog', `export default async () => { const kept = []; for (;;) kept.push(new Array(1 << 16).fill(kept.length)); };`);
const failing = file('failing', `export default async () => { const e = new Error('no dialect'); e.name = 'UnrecoverableError'; e.code = 'NO_DIALECT'; throw e; };`);
const slow = file('slow', `export default () => new Promise(() => {});`);
const job = (id: string, data: unknown = {}) => ({ id, data, attemptsMade: 1, opts: { attempts: 3 } });

describe('JobThreads', () => {
  const threads = new JobThreads({ workerData: null, keepIdle: 2 });
  afterAll(() => threads.close());

  it('runs a job on a thread and hands it the job, keeping the thread for the next job of the same heap', async () => {
    const first = (await threads.run(echo, job('a', { n: 1 }), 64)).value as { threadId: number };
    expect(first).toMatchObject({ id: 'a', data: { n: 1 }, attemptsMade: 1, attempts: 3 });
    expect((await threads.run(echo, job('h'), 64)).heapMb).toBeGreaterThan(0);
    const second = (await threads.run(echo, job('b'), 64)).value as { threadId: number };
    expect(second.threadId).toBe(first.threadId);
    // A job that needs a much larger heap gets a thread of its own.
    const third = (await threads.run(echo, job('c'), 256)).value as { threadId: number };
    expect(third.threadId).not.toBe(first.threadId);
  });

  it('fails only the job whose thread runs out of memory, naming the limit; the next job runs', async () => {
    const died = await threads.run(hog, job('hog'), 32).catch((error: unknown) => error);
    expect(died).toBeInstanceOf(ThreadDiedError);
    expect(died).toMatchObject({ outOfMemory: true, heapMb: 32 });
    expect((died as Error).message).toContain('ran out of memory (heap limit 32 MiB)');
    await expect(threads.run(echo, job('after'), 32)).resolves.toMatchObject({ value: { id: 'after' } });
  });

  it('rethrows what a job threw with its name, message and code', async () => {
    const error = await threads.run(failing, job('f'), 64).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThreadJobError);
    expect(error).toMatchObject({ name: 'UnrecoverableError', message: 'no dialect', code: 'NO_DIALECT' });
  });

  it('terminates the thread of a cancelled job', async () => {
    const controller = new AbortController();
    const running = threads.run(slow, job('s'), 64, controller.signal);
    const before = threads.size;
    controller.abort('shutting down');
    await expect(running).rejects.toThrow('the job was cancelled (shutting down)');
    expect(threads.size).toBe(before - 1);
  });

  it('keeps at most keepIdle idle threads, each for idleMs', async () => {
    await Promise.all([96, 160, 224, 288].map((heap) => threads.run(echo, job(`h${heap}`), heap)));
    expect(threads.size).toBeLessThanOrEqual(2);
    const brief = new JobThreads({ workerData: null, keepIdle: 2, idleMs: 50 });
    await brief.run(echo, job('x'), 64);
    expect(brief.size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(brief.size).toBe(0);
    await brief.close();
  });
});
