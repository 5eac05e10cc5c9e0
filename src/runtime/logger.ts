/** Severity of a log line, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** A structured logger: a message plus a flat context object. */
export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

function serialize(value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack, cause: value.cause ? serialize(value.cause) : undefined };
  }
  return value;
}

/**
 * Creates a logger that writes one line per entry: ISO time, level, message and the context as
 * JSON (errors with their stack). Lines below `level` are dropped.
 *
 * @example
 * const logger = createLogger({ level: 'info' });
 * logger.error('upload failed', { sampleId, error });
 */
export function createLogger(options: { level?: LogLevel; write?: (line: string) => void } = {}): Logger {
  const min = RANK[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const log = (level: Exclude<LogLevel, 'silent'>) => (message: string, context?: Record<string, unknown>) => {
    if (RANK[level] < min) return;
    let suffix = '';
    if (context && Object.keys(context).length > 0) {
      const entries = Object.fromEntries(Object.entries(context).map(([k, v]) => [k, serialize(v)]));
      suffix = ' ' + JSON.stringify(entries);
    }
    write(`${new Date().toISOString()} ${level.toUpperCase()} ${message}${suffix}`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A logger that drops everything (tests, benchmarks). */
export function createSilentLogger(): Logger {
  return createLogger({ level: 'silent' });
}
