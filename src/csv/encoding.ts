import { isUtf8 } from 'node:buffer';

/** Encodings the reader recognises from the first bytes of a file. */
export type SourceEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** What `detectEncoding` found at the start of a file. */
export interface DetectedEncoding {
  encoding: SourceEncoding;
  /** Whether the file starts with a byte order mark (which the normaliser removes). */
  bom: boolean;
}

/** How a block's bytes were turned into text. */
export type BlockTextEncoding = 'utf-8' | 'windows-1252';

/** Result of `decodeBlock`. */
export interface DecodedBlock {
  text: string;
  decodedAs: BlockTextEncoding;
  /** Offset (within the block) of the first byte that is not valid UTF-8; null when the block is valid UTF-8. */
  invalidUtf8Offset: number | null;
}

/**
 * Incremental converter from the source encoding to the UTF-8 (or raw single-byte) bytes the
 * block cutter works on. Feed every source chunk to `push`, then call `flush` once at the end.
 */
export interface Utf8Normaliser {
  push(chunk: Uint8Array): Uint8Array;
  flush(): Uint8Array;
}

/** Bytes of the head examined for BOM-less UTF-16 (enough for a few records, cheap to count). */
const UTF16_SNIFF_BYTES = 4096;

/**
 * Tells the encoding of a file from its first bytes: a UTF-8 or UTF-16 byte order mark, or, for
 * UTF-16 exports without a BOM, the zero high bytes that ASCII text has in UTF-16. Anything else is
 * taken as UTF-8 (single-byte legacy files are recognised later, block by block, by `decodeBlock`).
 *
 * @example
 * detectEncoding(new Uint8Array([0xff, 0xfe, 0x61, 0x00])) // { encoding: 'utf-16le', bom: true }
 */
export function detectEncoding(head: Uint8Array): DetectedEncoding {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: 'utf-8', bom: true };
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: true };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: true };
  const guessed = guessBomlessUtf16(head);
  if (guessed !== null) return { encoding: guessed, bom: false };
  return { encoding: 'utf-8', bom: false };
}

/**
 * BOM-less UTF-16 shows as a zero byte in (nearly) every other position: the high byte of ASCII
 * characters. Binary files have zeros at both parities, so they are not mistaken for it, and a NUL
 * character (two zero bytes) rules UTF-16 text out.
 */
function guessBomlessUtf16(head: Uint8Array): SourceEncoding | null {
  const n = Math.min(head.length, UTF16_SNIFF_BYTES) & ~1;
  if (n < 4) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    const even = head[i] === 0;
    const odd = head[i + 1] === 0;
    if (even && odd) return null;
    if (even) zeroEven++;
    if (odd) zeroOdd++;
  }
  const pairs = n / 2;
  // A few U+xx00 characters (e.g. CJK U+4E00) put zeros at the other parity; allow ~3% of them.
  if (zeroOdd >= pairs / 2 && zeroEven <= pairs / 32) return 'utf-16le';
  if (zeroEven >= pairs / 2 && zeroOdd <= pairs / 32) return 'utf-16be';
  return null;
}

/**
 * Creates the converter that makes every input look like UTF-8 to the cutter: a UTF-8 BOM is
 * dropped; UTF-16 (either byte order, BOM dropped) is transcoded chunk by chunk with a streaming
 * `TextDecoder`, so a character split between chunks is decoded once both halves have arrived.
 * Other bytes pass through untouched (no copy), including invalid UTF-8, which `decodeBlock`
 * deals with later.
 *
 * @example
 * const norm = createUtf8Normaliser(detectEncoding(head));
 * for await (const chunk of source) consume(norm.push(chunk));
 * consume(norm.flush());
 */
export function createUtf8Normaliser(detected: DetectedEncoding): Utf8Normaliser {
  if (detected.encoding === 'utf-8') {
    let bomLeft = detected.bom ? 3 : 0;
    return {
      push(chunk) {
        if (bomLeft === 0) return chunk;
        const skip = Math.min(bomLeft, chunk.length);
        bomLeft -= skip;
        return chunk.subarray(skip);
      },
      flush: () => new Uint8Array(0),
    };
  }
  // ignoreBOM: false makes the decoder consume a leading BOM itself; malformed UTF-16 (lone
  // surrogates, an odd trailing byte) becomes U+FFFD rather than failing the whole upload.
  const decoder = new TextDecoder(detected.encoding, { ignoreBOM: false });
  const encoder = new TextEncoder();
  return {
    push: (chunk) => encoder.encode(decoder.decode(chunk, { stream: true })),
    flush: () => encoder.encode(decoder.decode()),
  };
}

/**
 * WHATWG index-windows-1252 for bytes 0x80-0x9F; every other byte maps to the code point of the
 * same value. Not `new TextDecoder('windows-1252')`: Node >= 20.18.3 decodes that label as
 * ISO-8859-1, turning € and curly quotes into C1 controls (nodejs/node#56542, #60888).
 */
const WINDOWS_1252_C1 =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';
const C1_CONTROLS = /[\u0080-\u009F]/g;

/**
 * Decodes windows-1252 bytes (a superset of ISO-8859-1 for printable text, and the code page of
 * "ANSI" exports from Excel and most Windows tools). Every byte maps to one character.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(C1_CONTROLS, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80]);
}

/**
 * Turns one block's bytes into text: strict UTF-8 when the bytes are valid UTF-8, otherwise the
 * whole block as windows-1252 (the usual encoding of legacy "ANSI" exports; it maps every byte to
 * some character, so nothing is lost), with the offset of the first invalid byte so the caller can
 * report it.
 *
 * @example
 * decodeBlock(new Uint8Array([0x52, 0xae])) // { text: 'R®', decodedAs: 'windows-1252', invalidUtf8Offset: 1 }
 */
export function decodeBlock(bytes: Uint8Array): DecodedBlock {
  // Validating first (SIMD) and then decoding without checks is about a quarter faster on large
  // blocks than the fatal decoder. Like it, `toString` keeps a leading U+FEFF as data.
  if (isUtf8(bytes)) {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    return { text, decodedAs: 'utf-8', invalidUtf8Offset: null };
  }
  return {
    text: decodeWindows1252(bytes),
    decodedAs: 'windows-1252',
    invalidUtf8Offset: findInvalidUtf8Offset(bytes),
  };
}

/**
 * Offset of the first byte that starts an ill-formed UTF-8 sequence (Unicode Table 3-7: no
 * overlong forms, no surrogates, nothing above U+10FFFF; a sequence cut short by the end of the
 * input is ill-formed), or null when all of `bytes` is well-formed.
 */
export function findInvalidUtf8Offset(bytes: Uint8Array): number | null {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= n) return i;
    const second = bytes[i + 1];
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k];
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return null;
}
