import { SketchFormatError } from './sketch-format-error.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const DECODE = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/**
 * Standard base64 (RFC 4648 §4, padded). Written here rather than taken from `Buffer` so the
 * engine has no Node-only dependency.
 */
export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const chunk: string[] = [];
  const n = bytes.length;
  for (let i = 0; i < n; i += 3) {
    const b0 = bytes[i];
    const b1 = i + 1 < n ? bytes[i + 1] : 0;
    const b2 = i + 2 < n ? bytes[i + 2] : 0;
    chunk.push(
      ALPHABET[b0 >>> 2],
      ALPHABET[((b0 & 3) << 4) | (b1 >>> 4)],
      i + 1 < n ? ALPHABET[((b1 & 15) << 2) | (b2 >>> 6)] : '=',
      i + 2 < n ? ALPHABET[b2 & 63] : '=',
    );
    if (chunk.length >= 4096) {
      parts.push(chunk.join(''));
      chunk.length = 0;
    }
  }
  parts.push(chunk.join(''));
  return parts.join('');
}

/**
 * Decodes padded standard base64; anything else (wrong length, foreign characters, non-zero
 * padding bits) is refused, so a corrupted payload cannot decode to plausible bytes.
 *
 * @throws SketchFormatError with code `INVALID_PAYLOAD`
 */
export function decodeBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) {
    throw new SketchFormatError('INVALID_PAYLOAD', 'base64 length is not a multiple of 4', {
      length: text.length,
    });
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let j = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const pad = last ? padding : 0;
    const c2 = pad === 2 ? 0 : sextet(text, i + 2);
    const c3 = pad >= 1 ? 0 : sextet(text, i + 3);
    const triple = (sextet(text, i) << 18) | (sextet(text, i + 1) << 12) | (c2 << 6) | c3;
    // Bits beyond the last whole byte must be zero, or two texts would decode alike.
    const spare = pad === 2 ? triple & 0xffff : pad === 1 ? triple & 0xff : 0;
    if (spare !== 0) {
      throw new SketchFormatError('INVALID_PAYLOAD', 'base64 padding bits are not zero', {
        index: i,
      });
    }
    out[j++] = triple >>> 16;
    if (pad < 2) out[j++] = (triple >>> 8) & 0xff;
    if (pad < 1) out[j++] = triple & 0xff;
  }
  return out;
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  const value = code < 128 ? DECODE[code] : -1;
  if (value < 0) {
    throw new SketchFormatError('INVALID_PAYLOAD', 'invalid base64 character', {
      index,
      character: text[index],
    });
  }
  return value;
}
