import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { PROFILE_BLOCK_QUEUE } from '../src/queue/queue-names.js';
import { createLogger } from '../src/platform/logger.js';
import { JobThreads } from './job-threads.js';
import { runPlanned } from './planned-processor.js';

// Needs about 100 MiB of heap, then answers.
const dir = mkdtempSync(join(tmpdir(), 'rc-planned-'));
const needs100 = join(dir, 'needs-100.mjs');
writeFileSync(needs100, `export default async () => { const kept = []; for (let i = 0; i < 200; i++) kept.push(new Array(1 << 16).fill(i)); return { kept: kept.length }; };`);

describe('runPlanned', () => {
  const threads = new JobThreads({ workerData: null, keepIdle: 1 });
  afterAll(() => threads.close());
  const lines: string[] = [];
  const logger = createLogger({ level: 'warn', write: (line: string) => lines.push(line) });

  it('runs a job whose thread ran out of its planned heap once more with the largest heap allowed', async () => {
    const processor = runPlanned({
      queue: PROFILE_BLOCK_QUEUE,
      file: needs100,
      plan: async () => ({ heapMb: 32, plannedMb: 30, columns: 1000, blockBytes: 8 << 20 }),
      threads,
      heapMaxMb: 512,
      // Not reached: the database is written only when the job fails for good.
      db: undefined as unknown as Kysely<Database>,
      logger,
    });
    const job = { id: 'j1', data: { sampleId: 's1', blockIndex: 3 }, attemptsMade: 0, opts: { attempts: 3 } } as unknown as Job;
    await expect(processor(job)).resolves.toEqual({ kept: 200 });
    const warning = JSON.parse(lines.find((line) => line.includes('ran out of its planned memory'))!);
    expect(warning).toMatchObject({ heapMb: 32, nextHeapMb: 512, columns: 1000, sampleId: 's1', blockIndex: 3, jobId: 'j1' });
  });
});
