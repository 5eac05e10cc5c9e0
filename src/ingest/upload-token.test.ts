import { describe, expect, it } from 'vitest';
import { createUploadTokenSigner } from './upload-token.js';

const SAMPLE = '7f1c2a9e-1b2c-4d3e-8f90-0123456789ab';
const OTHER = '00000000-0000-4000-8000-000000000000';

describe('upload tokens', () => {
  const signer = createUploadTokenSigner('k'.repeat(32));
  const future = new Date(Date.now() + 60_000);

  it('accepts a token for its own sample before it expires', () => {
    expect(signer.verify(SAMPLE, signer.sign(SAMPLE, future))).toBe('valid');
  });

  it('refuses it for another sample, with another key, or tampered', () => {
    const token = signer.sign(SAMPLE, future);
    expect(signer.verify(OTHER, token)).toBe('invalid');
    expect(createUploadTokenSigner('z'.repeat(32)).verify(SAMPLE, token)).toBe('invalid');
    const [expiry, mac] = token.split('.') as [string, string];
    // A later expiry under the same mac must not pass.
    expect(signer.verify(SAMPLE, `${Number(expiry) + 3600}.${mac}`)).toBe('invalid');
    const flip = (c: string) => (c === 'A' ? 'B' : 'A');
    expect(signer.verify(SAMPLE, `${expiry}.${flip(mac[0]!)}${mac.slice(1)}`)).toBe('invalid');
    // Only one spelling of a signature is accepted, even where base64 would decode two alike.
    expect(signer.verify(SAMPLE, `${expiry}.${mac.slice(0, -1)}${flip(mac.at(-1)!)}`)).toBe('invalid');
    expect(signer.verify(SAMPLE, 'garbage')).toBe('invalid');
  });

  it('reports an expired token as expired', () => {
    const token = signer.sign(SAMPLE, new Date(Date.now() - 1000));
    expect(signer.verify(SAMPLE, token)).toBe('expired');
    expect(signer.verify(SAMPLE, signer.sign(SAMPLE, future), new Date(future.getTime() + 1000))).toBe('expired');
  });

  it('refuses a short signing key', () => {
    expect(() => createUploadTokenSigner('short')).toThrow(/16 characters/);
  });
});
