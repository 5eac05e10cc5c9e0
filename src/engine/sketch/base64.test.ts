import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.js';
import { SketchFormatError } from './sketch-format-error.js';

describe('base64', () => {
  it('matches Node Buffer on every length 0..300 and on a 16 KiB register array', () => {
    for (let len = 0; len <= 300; len++) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 151 + len) & 0xff);
      const text = encodeBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(decodeBase64(text)).toEqual(bytes);
    }
    const big = Uint8Array.from({ length: 16386 }, (_, i) => (i * 7) % 52);
    expect(encodeBase64(big)).toBe(Buffer.from(big).toString('base64'));
  });

  it('refuses text that is not canonical padded base64', () => {
    for (const text of ['A', 'AB=', 'A===', '====', 'AB=C', 'AB*=', 'QR==', 'QUJ=', 'é===']) {
      expect(() => decodeBase64(text), text).toThrow(SketchFormatError);
    }
    expect(decodeBase64('QQ==')).toEqual(new Uint8Array([65]));
    expect(decodeBase64('QUI=')).toEqual(new Uint8Array([65, 66]));
  });
});
