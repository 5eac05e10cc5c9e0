/**
 * BullMQ's `UnrecoverableError` (a job that throws it fails without retries), imported from its
 * own module: the package root loads all of BullMQ, Redis and Postgres clients included, into
 * every processor thread that needs only this class (about 25 MB of RSS per thread). It is the
 * same class the root exports.
 */
export { UnrecoverableError } from 'bullmq/dist/cjs/classes/errors/unrecoverable-error.js';
