import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiKeySecretMatches, generateApiKeySecret, hashApiKeySecret, parseApiKeySecret } from './api-key-secret.js';

describe('API key secrets', () => {
  it('generates rc_<prefix>_<random> secrets that parse back to their prefix', () => {
    const a = generateApiKeySecret();
    const b = generateApiKeySecret();
    expect(a.secret).toMatch(/^rc_[0-9a-f]{10}_[0-9a-f]{64}$/);
    expect(a.secret.startsWith(`rc_${a.prefix}_`)).toBe(true);
    expect(a.secret).not.toBe(b.secret);
    expect(parseApiKeySecret(a.secret)).toEqual({ prefix: a.prefix, secret: a.secret });
  });

  it('hashes with SHA-256 and compares against the stored hash', () => {
    const { secret } = generateApiKeySecret();
    expect(hashApiKeySecret(secret)).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(apiKeySecretMatches(secret, hashApiKeySecret(secret))).toBe(true);
    expect(apiKeySecretMatches(`${secret}x`, hashApiKeySecret(secret))).toBe(false);
  });

  it('accepts an operator-chosen key of 20+ characters with a derived prefix, and refuses short or spaced ones', () => {
    const chosen = parseApiKeySecret('my-own-admin-key-0123456789');
    expect(chosen?.prefix).toMatch(/^x[0-9a-f]{15}$/);
    expect(parseApiKeySecret('my-own-admin-key-0123456789')).toEqual(chosen);
    expect(parseApiKeySecret('too-short')).toBeUndefined();
    expect(parseApiKeySecret('has a space in it, long enough')).toBeUndefined();
  });
});
