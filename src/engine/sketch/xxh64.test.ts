import { describe, expect, it } from 'vitest';
import { createWasmXxh64 } from './xxh64-wasm.js';
import { xxh64BytesInto, xxh64BytesIntoPortable, xxh64Hex, xxh64Into } from './xxh64.js';
import { createUniform as mulberry32 } from '../../../test/support/random.js';

// Straightforward XXH64 (seed 0) on BigInt, written from the xxHash specification, as the
// reference the 32-bit-halves implementation must agree with.
const MASK = (1n << 64n) - 1n;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;
const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & MASK;
const round = (acc: bigint, lane: bigint): bigint => (rotl((acc + lane * P2) & MASK, 31n) * P1) & MASK;
const mergeRound = (acc: bigint, v: bigint): bigint => (((acc ^ round(0n, v)) * P1) & MASK) + P4 & MASK;
const lane64 = (b: Uint8Array, i: number): bigint => {
  let x = 0n;
  for (let j = 7; j >= 0; j--) x = (x << 8n) | BigInt(b[i + j]);
  return x;
};
const lane32 = (b: Uint8Array, i: number): bigint =>
  BigInt(b[i]) | (BigInt(b[i + 1]) << 8n) | (BigInt(b[i + 2]) << 16n) | (BigInt(b[i + 3]) << 24n);

function referenceXxh64(bytes: Uint8Array): bigint {
  const len = bytes.length;
  let i = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = (P1 + P2) & MASK;
    let v2 = P2;
    let v3 = 0n;
    let v4 = (0n - P1) & MASK;
    while (i + 32 <= len) {
      v1 = round(v1, lane64(bytes, i));
      v2 = round(v2, lane64(bytes, i + 8));
      v3 = round(v3, lane64(bytes, i + 16));
      v4 = round(v4, lane64(bytes, i + 24));
      i += 32;
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & MASK;
    h = mergeRound(h, v1);
    h = mergeRound(h, v2);
    h = mergeRound(h, v3);
    h = mergeRound(h, v4);
  } else {
    h = P5;
  }
  h = (h + BigInt(len)) & MASK;
  for (; i + 8 <= len; i += 8) {
    h ^= round(0n, lane64(bytes, i));
    h = (rotl(h, 27n) * P1 + P4) & MASK;
  }
  if (i + 4 <= len) {
    h ^= (lane32(bytes, i) * P1) & MASK;
    h = (rotl(h, 23n) * P2 + P3) & MASK;
    i += 4;
  }
  for (; i < len; i++) {
    h ^= (BigInt(bytes[i]) * P5) & MASK;
    h = (rotl(h, 11n) * P1) & MASK;
  }
  h ^= h >> 33n;
  h = (h * P2) & MASK;
  h ^= h >> 29n;
  h = (h * P3) & MASK;
  h ^= h >> 32n;
  return h;
}

const encoder = new TextEncoder();
const referenceHex = (s: string): string => referenceXxh64(encoder.encode(s)).toString(16).padStart(16, '0');

/** Random strings mixing 1-, 2-, 3- and 4-byte UTF-8 characters and lone surrogates. */
function randomString(random: () => number, units: number): string {
  const out: string[] = [];
  let length = 0;
  while (length < units) {
    const kind = random();
    let piece: string;
    if (kind < 0.5) piece = String.fromCharCode(Math.floor(random() * 128));
    else if (kind < 0.65) piece = String.fromCharCode(0x80 + Math.floor(random() * (0x800 - 0x80)));
    else if (kind < 0.8) piece = String.fromCharCode(0x800 + Math.floor(random() * (0xd800 - 0x800)));
    else if (kind < 0.85) piece = String.fromCharCode(0xe000 + Math.floor(random() * 0x2000));
    else if (kind < 0.95 && units - length >= 2) piece = String.fromCodePoint(0x1f300 + Math.floor(random() * 0x300));
    else piece = String.fromCharCode(0xd800 + Math.floor(random() * 0x800)); // lone surrogate
    out.push(piece);
    length += piece.length;
  }
  return out.join('');
}

describe('xxh64', () => {
  it('matches the published vectors (METRICS §6.2)', () => {
    expect(xxh64Hex('')).toBe('ef46db3751d8e999');
    expect(xxh64Hex('hello')).toBe('26c7827d889f6da3');
    expect(referenceHex('')).toBe('ef46db3751d8e999');
    expect(referenceHex('hello')).toBe('26c7827d889f6da3');
  });

  it('writes the high and low 32 bits into out', () => {
    const out = new Uint32Array(2);
    xxh64Into('hello', out);
    expect([out[0], out[1]]).toEqual([0x26c7827d, 0x889f6da3]);
  });

  it('agrees with the BigInt reference on every length 0..200 of ASCII', () => {
    const random = mulberry32(1);
    for (let len = 0; len <= 200; len++) {
      let s = '';
      for (let i = 0; i < len; i++) s += String.fromCharCode(32 + Math.floor(random() * 95));
      expect(xxh64Hex(s), JSON.stringify(s)).toBe(referenceHex(s));
    }
  });

  it('agrees with the BigInt reference on 4,000 random multi-byte, emoji and lone-surrogate strings', () => {
    const random = mulberry32(20240601);
    for (let t = 0; t < 4000; t++) {
      const s = randomString(random, Math.floor(random() * 201));
      expect(xxh64Hex(s), JSON.stringify(s)).toBe(referenceHex(s));
    }
  });

  it('hashes a lone surrogate as U+FFFD, as TextEncoder encodes it', () => {
    expect(xxh64Hex('a\ud800b')).toBe(xxh64Hex('a\ufffdb'));
    expect(xxh64Hex('\udc00')).toBe(referenceHex('\ufffd'));
  });

  it('handles strings beyond the shared buffer and after it has grown', () => {
    const random = mulberry32(7);
    for (const units of [1000, 70_000, 200_000, 5]) {
      const s = randomString(random, units);
      expect(xxh64Hex(s)).toBe(referenceHex(s));
    }
  });

  it('hashes raw bytes, with a length shorter than the array', () => {
    const bytes = new Uint8Array([104, 101, 108, 108, 111, 99, 99]);
    const out = new Uint32Array(2);
    xxh64BytesInto(bytes, 5, out);
    expect(out[0].toString(16) + out[1].toString(16)).toBe('26c7827d889f6da3');
    for (let len = 0; len <= 100; len++) {
      const data = Uint8Array.from({ length: len }, (_, i) => (i * 37 + 11) & 0xff);
      xxh64BytesInto(data, len, out);
      const expected = referenceXxh64(data);
      expect((BigInt(out[0]) << 32n) | BigInt(out[1])).toBe(expected);
    }
  });

  it('runs on the WebAssembly module in Node, and both paths agree with the reference', () => {
    const wasm = createWasmXxh64();
    expect(wasm).not.toBeNull();
    const out = new Uint32Array(2);
    const signed = new Int32Array(2);
    const random = mulberry32(33);
    for (let len = 0; len <= 300; len++) {
      const data = Uint8Array.from({ length: len }, () => Math.floor(random() * 256));
      const expected = referenceXxh64(data);
      xxh64BytesIntoPortable(data, len, out);
      expect((BigInt(out[0]) << 32n) | BigInt(out[1]), `portable, ${len} bytes`).toBe(expected);
      wasm!.input.set(data);
      wasm!.hash(len);
      const low = BigInt(wasm!.result[0] >>> 0);
      const high = BigInt(wasm!.result[1] >>> 0);
      expect((high << 32n) | low, `wasm, ${len} bytes`).toBe(expected);
      // Signed halves carry the same bits.
      xxh64BytesInto(data, len, signed);
      expect([signed[0] >>> 0, signed[1] >>> 0]).toEqual([Number(high), Number(low)]);
    }
  });
});
