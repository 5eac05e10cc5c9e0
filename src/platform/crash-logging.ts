import type { Logger } from './logger.js';
import { currentRequest } from './request-state.js';

/**
 * Logs an uncaught exception or unhandled rejection as one JSON line (with the request id when it
 * happened while serving a request), then exits with code 1 as Node would. A V8 fatal error (the
 * main heap out of memory) ends the process before any handler runs: only its own stderr output
 * remains; out-of-memory in a worker thread fails the job instead, and that is logged with the
 * job's sample and block.
 */
export function installCrashLogging(logger: Logger): void {
  const crash = (kind: string) => (error: unknown) => {
    const request = currentRequest();
    try {
      logger.error(`${kind}; exiting`, { error, requestId: request?.requestId, keyId: request?.keyId });
    } finally {
      process.exit(1);
    }
  };
  process.on('uncaughtException', crash('uncaught exception'));
  process.on('unhandledRejection', crash('unhandled promise rejection'));
}
