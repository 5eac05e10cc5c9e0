import type { Logger } from './logger.js';

/**
 * Resolves when the process receives SIGINT or SIGTERM, after running `stop` once. A second
 * signal while stopping exits at once (code 130) for an impatient operator.
 */
export function waitForShutdown(stop: () => Promise<void>, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn(`second ${signal}: exiting without waiting`);
        process.exit(130);
      }
      stopping = true;
      logger.info(`${signal} received, shutting down`);
      stop()
        .catch((error: unknown) => logger.error('shutdown failed', { error }))
        .finally(() => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          resolve();
        });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
