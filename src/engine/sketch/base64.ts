import { SketchFormatError } from './sketch-format-error.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const DECODE = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** ASCII code of each of the 64 digits. */
const DIGIT_CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const PAD = 61; // '='
// Web-standard codecs (no Node-only dependency): ASCII bytes ⇄ string in native code, which is
// far faster than assembling or reading a 20 KiB string one character at a time.
const asciiDecoder = new TextDecoder();
const asciiEncoder = new TextEncoder();

/**
 * Standard base64 (RFC 4648 §4, padded). Written here rather than taken from `Buffer` so the
 * engine has no Node-only dependency.
 */
export function encodeBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(4 * Math.ceil(n / 3));
  let j = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const triple = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[j++] = DIGIT_CODES[triple >>> 18];
    out[j++] = DIGIT_CODES[(triple >>> 12) & 63];
    out[j++] = DIGIT_CODES[(triple >>> 6) & 63];
    out[j++] = DIGIT_CODES[triple & 63];
  }
  if (i < n) {
    const b0 = bytes[i];
    const b1 = i + 1 < n ? bytes[i + 1] : 0;
    out[j++] = DIGIT_CODES[b0 >>> 2];
    out[j++] = DIGIT_CODES[((b0 & 3) << 4) | (b1 >>> 4)];
    out[j++] = i + 1 < n ? DIGIT_CODES[(b1 & 15) << 2] : PAD;
    out[j++] = PAD;
  }
  return asciiDecoder.decode(out);
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
  // As bytes, one per character while the text is ASCII (anything else is refused below).
  const codes = asciiEncoder.encode(text);
  if (codes.length !== text.length) {
    const index = Array.from(text).findIndex((c) => c.charCodeAt(0) >= 128);
    throw invalidCharacter(text, index);
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  const whole = text.length - (padding > 0 ? 4 : 0);
  let j = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = DECODE[codes[i]];
    const b = DECODE[codes[i + 1]];
    const c = DECODE[codes[i + 2]];
    const d = DECODE[codes[i + 3]];
    if ((a | b | c | d) < 0) throw invalidCharacter(text, i + [a, b, c, d].findIndex((v) => v < 0));
    const triple = (a << 18) | (b << 12) | (c << 6) | d;
    out[j++] = triple >>> 16;
    out[j++] = (triple >>> 8) & 0xff;
    out[j++] = triple & 0xff;
  }
  if (padding > 0) {
    const i = whole;
    const c2 = padding === 2 ? 0 : sextet(text, i + 2);
    const triple = (sextet(text, i) << 18) | (sextet(text, i + 1) << 12) | (c2 << 6);
    // Bits beyond the last whole byte must be zero, or two texts would decode alike.
    const spare = padding === 2 ? triple & 0xffff : triple & 0xff;
    if (spare !== 0) {
      throw new SketchFormatError('INVALID_PAYLOAD', 'base64 padding bits are not zero', {
        index: i,
      });
    }
    out[j++] = triple >>> 16;
    if (padding < 2) out[j++] = (triple >>> 8) & 0xff;
  }
  return out;
}

function invalidCharacter(text: string, index: number): SketchFormatError {
  return new SketchFormatError('INVALID_PAYLOAD', 'invalid base64 character', {
    index,
    character: text[index],
  });
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  const value = code < 128 ? DECODE[code] : -1;
  if (value < 0) throw invalidCharacter(text, index);
  return value;
}
