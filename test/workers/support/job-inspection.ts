import { profileBlockJobId } from '../../../src/queue/job-ids.js';
import type { QueueBackend } from '../../../src/queue/queue-backend.js';
import { PROFILE_BLOCK_QUEUE } from '../../../src/queue/queue-names.js';

/** The worker name (`host:pid`) that completed each block job of a sample, as BullMQ recorded it. */
export async function blockProcessors(backend: QueueBackend, sampleId: string, blocks: number): Promise<Array<string | undefined>> {
  const queue = backend.queue(PROFILE_BLOCK_QUEUE);
  const names: Array<string | undefined> = [];
  for (let i = 0; i < blocks; i++) names.push((await queue.getJob(profileBlockJobId(sampleId, i)))?.processedBy);
  return names;
}

/** The block jobs of a sample that are active right now, with the worker running each. */
export async function activeBlocks(backend: QueueBackend, sampleId: string): Promise<Array<{ blockIndex: number; processedBy?: string }>> {
  const active = await backend.queue(PROFILE_BLOCK_QUEUE).getActive();
  return active
    .filter((job) => (job.data as { sampleId?: string }).sampleId === sampleId)
    .map((job) => ({ blockIndex: (job.data as { blockIndex: number }).blockIndex, processedBy: job.processedBy }));
}

/** How many times the stalled-job check took the job of a block back from a worker that stopped renewing its lock. */
export async function blockStalls(backend: QueueBackend, sampleId: string, blockIndex: number): Promise<number | undefined> {
  return (await backend.queue(PROFILE_BLOCK_QUEUE).getJob(profileBlockJobId(sampleId, blockIndex)))?.stalledCounter;
}
