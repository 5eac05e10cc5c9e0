// Types of the one BullMQ module imported by path (see unrecoverable-error.ts).
declare module 'bullmq/dist/cjs/classes/errors/unrecoverable-error.js' {
  export { UnrecoverableError } from 'bullmq';
}
