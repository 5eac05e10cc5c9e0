import type { FlowJob } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { parsePayload, profileBlockPayload } from '../queue/job-payloads.js';
import { buildProfileFlow } from './profile-flow.js';

const SAMPLE = '2f1d6f3e-8a0b-4c1e-9d5a-0a1b2c3d4e5f';
const DATASET = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

describe('buildProfileFlow', () => {
  const flow = buildProfileFlow({ id: SAMPLE, datasetId: DATASET, blocksTotal: 3 }, { attempts: 4 });

  it('is compute-report ← merge-profile ← one profile-block per block, with ids derived from the sample', () => {
    expect(flow).toMatchObject({ queueName: 'compute-report', data: { datasetId: DATASET, sampleId: SAMPLE }, opts: { jobId: `report-${SAMPLE}` } });
    const merge = flow.children![0] as FlowJob;
    expect(flow.children).toHaveLength(1);
    expect(merge).toMatchObject({ queueName: 'merge-profile', data: { sampleId: SAMPLE }, opts: { jobId: `merge-${SAMPLE}` } });
    expect(merge.children!.map((c) => c.opts?.jobId)).toEqual([0, 1, 2].map((i) => `block-${SAMPLE}-${i}`));
    expect(merge.children!.map((c) => c.data)).toEqual([0, 1, 2].map((blockIndex) => ({ sampleId: SAMPLE, blockIndex })));
  });

  it('fails the parent when a child fails for good, and never uses ids BullMQ refuses', () => {
    const merge = flow.children![0] as FlowJob;
    expect(merge.opts?.failParentOnFailure).toBe(true);
    for (const child of merge.children!) expect(child.opts).toMatchObject({ failParentOnFailure: true, attempts: 4 });
    const ids = [flow, merge, ...merge.children!].map((j) => j.opts!.jobId!);
    for (const id of ids) {
      expect(id).not.toContain(':');
      expect(String(Number.parseInt(id, 10))).not.toBe(id);
    }
  });

  it('has no block jobs for a header-only file (the merge runs at once)', () => {
    const empty = buildProfileFlow({ id: SAMPLE, datasetId: DATASET, blocksTotal: 0 }, {});
    expect((empty.children![0] as FlowJob).children).toEqual([]);
  });
});

describe('parsePayload', () => {
  it('fails a malformed payload without retries, naming the field', () => {
    expect(() => parsePayload(profileBlockPayload, { sampleId: 'nope', blockIndex: -1 }, 'profile-block job 1')).toThrow(
      expect.objectContaining({ name: 'UnrecoverableError', message: expect.stringMatching(/sampleId.*blockIndex/s) }),
    );
    expect(parsePayload(profileBlockPayload, { sampleId: SAMPLE, blockIndex: 2 }, 'x')).toEqual({ sampleId: SAMPLE, blockIndex: 2 });
  });
});
