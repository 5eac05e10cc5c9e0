import { z } from 'zod';
import { isoDurationSeconds } from '../../engine/profile/iso-duration.js';

/** Validation rules shared by mutation inputs; messages are completed with the field path. */

export const nameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');

export const optionalTextSchema = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

export const durationSchema = z
  .string()
  .trim()
  .refine((value) => isoDurationSeconds(value) !== undefined, 'must be an ISO-8601 duration such as P7D, PT12H or P1M');

export const readinessTargetSchema = z.number().int().min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100');

export const weightSchema = z.number().min(0, 'must be 0 or more').max(1000, 'must be at most 1000');

export const columnNameSchema = z.string().min(1, 'column names must not be empty').max(1024, 'column names must be at most 1024 characters');

export const columnListSchema = z.array(columnNameSchema).max(1000, 'may list at most 1000 columns');

export const sourceSchema = optionalTextSchema(200);

export const filenameSchema = z.string().trim().min(1, 'must not be empty').max(255, 'must be at most 255 characters');
