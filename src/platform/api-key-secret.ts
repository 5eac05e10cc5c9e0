import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The parts of an API key secret: the public prefix (stored in clear, used to find the key) and the whole secret. */
export interface ParsedApiKeySecret {
  readonly prefix: string;
  readonly secret: string;
}

const SECRET_PATTERN = /^rc_([a-z0-9]{8,32})_([A-Za-z0-9]{16,128})$/;
/** Shortest secret accepted from `REALITYCHECK_ADMIN_KEY` when it is not in the `rc_…` form. */
const MIN_FOREIGN_SECRET_LENGTH = 20;

/**
 * Creates a new secret `rc_<prefix>_<random>`: a 10-character prefix and 32 random bytes in hex.
 * Only the {@link hashApiKeySecret} of it is stored; the secret is shown once.
 *
 * @example
 * const { prefix, secret } = generateApiKeySecret(); // secret = 'rc_k3j9x0a1bc_9f…'
 */
export function generateApiKeySecret(): ParsedApiKeySecret {
  const prefix = randomBytes(5).toString('hex');
  const secret = `rc_${prefix}_${randomBytes(32).toString('hex')}`;
  return { prefix, secret };
}

/**
 * Splits a presented secret into prefix and secret. Secrets in the `rc_…` form carry their prefix;
 * other strings of at least 20 characters (an operator's own `REALITYCHECK_ADMIN_KEY`) get a
 * prefix derived from their hash. Returns undefined for anything else.
 */
export function parseApiKeySecret(secret: string): ParsedApiKeySecret | undefined {
  const match = SECRET_PATTERN.exec(secret);
  if (match) return { prefix: match[1]!, secret };
  if (secret.length >= MIN_FOREIGN_SECRET_LENGTH && !/\s/.test(secret)) {
    return { prefix: `x${hashApiKeySecret(secret).slice(0, 15)}`, secret };
  }
  return undefined;
}

/** SHA-256 of the secret, hex: what `api_keys.secret_hash` holds. */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares a presented secret with a stored hash in constant time. */
export function apiKeySecretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiKeySecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
