import { createHmac, timingSafeEqual } from 'node:crypto';

/** Outcome of checking an upload token. */
export type UploadTokenCheck = 'valid' | 'expired' | 'invalid';

/** Signs and checks the `token` query parameter of upload URLs. */
export interface UploadTokenSigner {
  /** A token that authorizes one upload into `sampleId` until `expiresAt`. */
  sign(sampleId: string, expiresAt: Date): string;
  /** Checks a token presented for `sampleId`. */
  verify(sampleId: string, token: string, now?: Date): UploadTokenCheck;
}

/**
 * Creates a signer over an HMAC-SHA256 key. A token is `<expiry epoch seconds>.<base64url mac>`,
 * the mac covering the sample id and the expiry, so a token neither outlives its expiry nor opens
 * another sample. Every API process of a deployment must share the key.
 *
 * @example
 * const signer = createUploadTokenSigner(secret);
 * const token = signer.sign(sampleId, new Date(Date.now() + 3600_000));
 * signer.verify(sampleId, token); // 'valid'
 */
export function createUploadTokenSigner(key: string): UploadTokenSigner {
  if (key.length < 16) throw new Error('upload signing key must be at least 16 characters');
  const mac = (sampleId: string, expiry: string) =>
    createHmac('sha256', key).update(`realitycheck-upload:v1:${sampleId}:${expiry}`).digest();
  return {
    sign(sampleId, expiresAt) {
      const expiry = String(Math.floor(expiresAt.getTime() / 1000));
      return `${expiry}.${mac(sampleId, expiry).toString('base64url')}`;
    },
    verify(sampleId, token, now = new Date()) {
      const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
      if (!match) return 'invalid';
      const [, expiry, signature] = match as unknown as [string, string, string];
      // Compared as text: base64 decoding ignores the low bits of the last character, so comparing
      // decoded bytes would accept several spellings of one signature.
      const expected = Buffer.from(mac(sampleId, expiry).toString('base64url'));
      const presented = Buffer.from(signature);
      if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return 'invalid';
      return Number(expiry) * 1000 < now.getTime() ? 'expired' : 'valid';
    },
  };
}
