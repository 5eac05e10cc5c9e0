import { hostname } from 'node:os';
import { pino, type Logger as PinoLogger } from 'pino';

/** Severity of a log line, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** A structured logger: a message plus a flat context object. */
export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Lowest level written (default `info`). */
  readonly level?: LogLevel;
  /** Receives each line (without its newline) instead of standard error. */
  readonly write?: (line: string) => void;
  /** Fields every line carries, e.g. `{ process: 'worker' }`. */
  readonly bindings?: Record<string, unknown>;
}

/** What replaces a secret in a log line. */
export const REDACTED = '[redacted]';

/** Context keys whose values are never logged, whatever they hold. */
const SECRET_KEY = /^(authorization|cookie|set-cookie|password|passwd|secret|token|apikey|api_key|adminkey|uploadsecret|secrethash|secret_hash|x-upload-token)$/i;

/** Secrets known by value (the admin key and upload signing key of this process), replaced wherever they appear. */
const knownSecrets = new Set<string>();

/**
 * Makes the logger replace this exact string wherever it appears in a line (for secrets that have
 * no recognisable shape, such as an operator's own `REALITYCHECK_ADMIN_KEY`). Short strings are
 * ignored: they would blank out ordinary words.
 */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= 12) knownSecrets.add(secret);
}

/**
 * Replaces the secrets a string may carry: API keys (`rc_<prefix>_<secret>` keeps its prefix,
 * which identifies the key without granting anything), bearer credentials, the password of a
 * connection URL, upload tokens in URLs, and registered secrets.
 *
 * @example
 * redactText('postgres://rc:hunter2@db/rc') // 'postgres://rc:[redacted]@db/rc'
 */
export function redactText(text: string): string {
  let out = text
    .replace(/\b(rc_[a-z0-9]{8,32}_)[A-Za-z0-9]{16,128}/g, `$1${REDACTED}`)
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`)
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"']*):[^\s@/"']*@/gi, `$1:${REDACTED}@`)
    .replace(/([?&](?:token|secret|key|password)=)[^&\s"'#]+/gi, `$1${REDACTED}`);
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

function serializeError(error: Error, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { type: error.name, message: error.message, stack: error.stack };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  if (error.cause !== undefined) out.cause = redactValue(error.cause, depth + 1);
  return out;
}

/**
 * A copy of a context value that is safe to log: errors become `{ type, message, stack, cause }`,
 * values under secret-looking keys become `[redacted]`, strings go through {@link redactText}.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value;
  if (depth > 6) return '[nested too deep]';
  if (value instanceof Error) return redactValue(serializeError(value, depth), depth + 1);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof URL) return redactText(value.toString());
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.slice(0, 100).map((item) => redactValue(item, depth + 1));
  if (value instanceof Map) return redactValue(Object.fromEntries(value), depth);
  if (value instanceof Set) return redactValue([...value], depth);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && item !== undefined && item !== null ? REDACTED : redactValue(item, depth + 1);
  }
  return out;
}

/** The pino instance behind each logger this module made, for {@link childLogger}. */
const pinoOf = new WeakMap<Logger, PinoLogger>();
/** The fields each child logger carries, so that a line does not repeat them. */
const boundOf = new WeakMap<Logger, Record<string, unknown>>();

function wrap(instance: PinoLogger, bound: Record<string, unknown> = {}): Logger {
  const log = (level: Exclude<LogLevel, 'silent'>) => (message: string, context?: Record<string, unknown>) => {
    if (!instance.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    if (context) {
      for (const [key, value] of Object.entries(context)) {
        // A field the logger already carries (a child's sampleId) is written once.
        if (value === undefined || (key in bound && bound[key] === value)) continue;
        fields[key] = redactValue(value, 1);
        if (SECRET_KEY.test(key) && value !== null) fields[key] = REDACTED;
      }
    }
    instance[level](fields, redactText(message));
  };
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  pinoOf.set(logger, instance);
  boundOf.set(logger, bound);
  return logger;
}

/**
 * Creates a logger that writes JSON lines (pino): `{"level":"info","time":"…","pid":…,
 * "hostname":"…","msg":"…",…context}`. Errors in the context are written with their stack;
 * secrets are replaced by `[redacted]` (see {@link redactValue}). Lines below `level` are dropped.
 *
 * @example
 * const logger = createLogger({ level: 'info' });
 * logger.error('upload failed', { sampleId, error });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write;
  const destination = write
    ? { write: (chunk: string) => write(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk) }
    : pino.destination({ fd: 2, sync: true });
  const instance = pino(
    {
      level: options.level ?? 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      base: { pid: process.pid, hostname: hostname(), ...(options.bindings ? (redactValue(options.bindings) as object) : {}) },
    },
    destination,
  );
  return wrap(instance);
}

/**
 * A logger that adds `bindings` (request id, key id, sample id, job id…) to every line of
 * `parent`. Works with any {@link Logger}; for one of {@link createLogger}'s it is a pino child.
 *
 * @example
 * const log = childLogger(logger, { requestId, keyId });
 * log.info('upload refused', { sampleId });
 */
export function childLogger(parent: Logger, bindings: Record<string, unknown>): Logger {
  const instance = pinoOf.get(parent);
  if (instance) {
    const bound = { ...boundOf.get(parent), ...bindings };
    return wrap(instance.child(redactValue(bindings) as Record<string, unknown>), bound);
  }
  const merged = (context?: Record<string, unknown>) => ({ ...bindings, ...context });
  return {
    debug: (message, context) => parent.debug(message, merged(context)),
    info: (message, context) => parent.info(message, merged(context)),
    warn: (message, context) => parent.warn(message, merged(context)),
    error: (message, context) => parent.error(message, merged(context)),
  };
}

/** A logger that drops everything (tests, benchmarks). */
export function createSilentLogger(): Logger {
  return createLogger({ level: 'silent' });
}
