import { UnrecoverableError } from './unrecoverable-error.js';
import { z } from 'zod';

/**
 * Job payloads carry ids only: the bytes, states and profiles they name are read from Postgres
 * when the job runs, so a payload is small, and a job retried later sees the current rows.
 */

const uuid = z.uuid();

/** Payload of a `profile-block` job. */
export const profileBlockPayload = z.object({ sampleId: uuid, blockIndex: z.int().min(0) }).strict();
export type ProfileBlockPayload = z.infer<typeof profileBlockPayload>;

/** Payload of a `merge-profile` job. */
export const mergeProfilePayload = z.object({ sampleId: uuid }).strict();
export type MergeProfilePayload = z.infer<typeof mergeProfilePayload>;

/** Payload of a `compute-report` job: the dataset to report on and the sample whose profile triggered it. */
export const computeReportPayload = z.object({ datasetId: uuid, sampleId: uuid }).strict();
export type ComputeReportPayload = z.infer<typeof computeReportPayload>;

/** Payload of an `apply-retention` job (it works on every workflow). */
export const applyRetentionPayload = z.object({}).strict();
export type ApplyRetentionPayload = z.infer<typeof applyRetentionPayload>;

/**
 * Reads a job's payload. A payload that does not parse will never parse, so it fails the job
 * without retries ({@link UnrecoverableError}), naming the job and the problem.
 */
export function parsePayload<T>(schema: z.ZodType<T>, data: unknown, job: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ');
  throw new UnrecoverableError(`${job}: invalid payload (${problems})`);
}
