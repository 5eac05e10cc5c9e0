import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import type { JobLike } from '../src/queue/job-like.js';

/**
 * Entry point of a processor thread (see `JobThreads`): runs the jobs it is sent, one at a time,
 * with the default export of the processor file each names, and answers with the result or the
 * error. The thread's database connection and loaded modules live as long as the thread.
 */

/** A job as the thread receives it: the part processors read (see `JobLike`). */
export interface ThreadJob extends JobLike {
  readonly id: string;
}

/** A message to the thread. */
export interface ThreadRequest {
  readonly seq: number;
  readonly file: string;
  readonly job: ThreadJob;
}

/** The thread's answer to a {@link ThreadRequest}. */
export type ThreadResponse =
  /** `heapMb`: the thread's heap when the job ended (what it grew to), for the logs. */
  | { readonly seq: number; readonly ok: true; readonly value: unknown; readonly heapMb: number }
  | { readonly seq: number; readonly ok: false; readonly error: { name: string; message: string; code?: string; stack?: string } };

type Processor = (job: ThreadJob) => Promise<unknown>;
const processors = new Map<string, Processor>();

async function processorOf(file: string): Promise<Processor> {
  let processor = processors.get(file);
  if (!processor) {
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    if (typeof module.default !== 'function') throw new Error(`${file} has no default export to run jobs with`);
    processor = module.default as Processor;
    processors.set(file, processor);
  }
  return processor;
}

/**
 * A full garbage collection, for a thread going idle: a finished job's garbage would otherwise stay
 * in the heap (resident) until the thread runs again. V8 offers `gc` only behind a flag; setting it
 * at run time exposes it to contexts created afterwards.
 */
const collectGarbage = ((): (() => void) => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

const port = parentPort;
if (!port) throw new Error('job-thread.js runs as a worker thread');
port.on('message', (request: ThreadRequest | 'collect-garbage') => {
  if (request === 'collect-garbage') {
    collectGarbage();
    return;
  }
  void (async () => {
    let response: ThreadResponse;
    try {
      const value = await (await processorOf(request.file))(request.job);
      response = { seq: request.seq, ok: true, value, heapMb: Math.round(getHeapStatistics().total_heap_size / 1048576) };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      const code = (e as { code?: unknown }).code;
      response = { seq: request.seq, ok: false, error: { name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}), ...(e.stack ? { stack: e.stack } : {}) } };
    }
    port.postMessage(response);
  })();
});
