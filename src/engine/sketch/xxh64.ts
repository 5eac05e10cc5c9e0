/**
 * xxHash64 (seed 0) over the UTF-8 bytes of a string.
 *
 * Every sketch that hashes values (HyperLogLog, long Misra-Gries keys) uses this one function,
 * so a value hashes the same way in every worker and in the CLI. It is on the hot path
 * (one call per cell once a column's distinct set outgrows the exact phase), hence:
 * 64-bit words are carried as two signed 32-bit halves (no BigInt), the string is encoded
 * into a reused byte buffer (no allocation per call), and results go into a caller's
 * `Uint32Array` instead of a fresh object (or an `Int32Array`: the same bits as signed halves,
 * which V8 passes between functions without boxing them as heap numbers).
 *
 * Algorithm: Yann Collet's XXH64 specification (xxhash `doc/xxhash_spec.md`), seed fixed at 0.
 *
 * Where WebAssembly is available (Node always), the hash itself runs in a tiny module with
 * native 64-bit arithmetic (`xxh64-wasm.ts`); the JavaScript below remains for inputs larger
 * than that module's 64 KiB memory.
 */
import { createWasmXxh64, type WasmXxh64 } from './xxh64-wasm.js';

// The five XXH64 primes as [high, low] 32-bit halves. Halves are kept as signed int32 (`| 0`)
// throughout: V8 holds int32 values unboxed, whereas unsigned halves above 2^31 would be boxed
// as heap numbers whenever they cross a call, which made hashing allocate.
const P1H = 0x9e3779b1 | 0;
const P1L = 0x85ebca87 | 0;
const P2H = 0xc2b2ae3d | 0;
const P2L = 0x27d4eb4f | 0;
const P3H = 0x165667b1 | 0;
const P3L = 0x9e3779f9 | 0;
const P4H = 0x85ebca77 | 0;
const P4L = 0xc2b2ae63 | 0;
const P5H = 0x27d4eb2f | 0;
const P5L = 0x165667c5 | 0;

// 16-bit limbs of the primes' low halves, for the inline products in xxh64BytesInto.
const P1L0 = P1L & 0xffff;
const P1L1 = P1L >>> 16;
const P2L0 = P2L & 0xffff;
const P2L1 = P2L >>> 16;
const P3L0 = P3L & 0xffff;
const P3L1 = P3L >>> 16;
const P5L0 = P5L & 0xffff;
const P5L1 = P5L >>> 16;

// Seed-0 initial accumulators for inputs of 32 bytes or more: v1 = P1 + P2, v4 = -P1 (mod 2^64).
const V1H = 0x60ea27ee | 0;
const V1L = 0xadc0b5d6 | 0;
const V4H = 0x61c8864e | 0;
const V4L = 0x7a143579 | 0;

/** The WebAssembly hash (see `xxh64-wasm.ts`), or null where WebAssembly is unavailable. */
const wasm: WasmXxh64 | null = createWasmXxh64();
const encoder = new TextEncoder();
/** Strings longer than this are encoded with `TextEncoder.encodeInto` (measured crossover). */
const NATIVE_ENCODE_MIN_UNITS = 32;

/** Output of the 64-bit helpers below: [high, low]. Module-level so nothing is allocated. */
const word = new Int32Array(2);

/**
 * Strings up to this many UTF-16 code units are encoded into the shared buffer; longer ones
 * get a temporary buffer so one huge cell does not pin megabytes for the process lifetime.
 */
const SHARED_BUFFER_MAX_UNITS = 1 << 16;
let shared = new Uint8Array(3 * 256);

/**
 * High 32 bits of (a * b) mod 2^64, with a and b given as 32-bit halves. The low halves'
 * 64-bit product is assembled from 16-bit limbs; each limb product is below 2^32, so Math.imul
 * yields it exactly (as 32 bits) and every step stays in int32 arithmetic. The cross terms
 * only matter modulo 2^32.
 */
function mulHigh(ah: number, al: number, bh: number, bl: number): number {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const p00 = Math.imul(a0, b0);
  const p10 = Math.imul(a1, b0);
  const p01 = Math.imul(a0, b1);
  const middle = (p00 >>> 16) + (p10 & 0xffff) + (p01 & 0xffff);
  return (
    (Math.imul(a1, b1) + (p10 >>> 16) + (p01 >>> 16) + (middle >>> 16) + Math.imul(al, bh) + Math.imul(ah, bl)) | 0
  );
}

/** Carry out of the 32-bit addition a + b (as unsigned numbers). */
function carry(a: number, b: number): number {
  return ((a + b) >>> 0) < a >>> 0 ? 1 : 0;
}

/** XXH64 round, rotl(acc + input * P2, 31) * P1, into word. */
function round64(accH: number, accL: number, inH: number, inL: number): void {
  const mH = mulHigh(inH, inL, P2H, P2L);
  const mL = Math.imul(inL, P2L);
  const sL = (accL + mL) | 0;
  const sH = (accH + mH + carry(accL, mL)) | 0;
  const rH = (sH << 31) | (sL >>> 1);
  const rL = (sL << 31) | (sH >>> 1);
  word[0] = mulHigh(rH, rL, P1H, P1L);
  word[1] = Math.imul(rL, P1L);
}

/** word = x * P1 + P4: the step after each merge round and each 8-byte lane. */
function mulP1AddP4(xH: number, xL: number): void {
  const mH = mulHigh(xH, xL, P1H, P1L);
  const mL = Math.imul(xL, P1L);
  word[0] = (mH + P4H + carry(mL, P4L)) | 0;
  word[1] = (mL + P4L) | 0;
}

/** XXH64 merge round, (acc ^ round(0, val)) * P1 + P4, into word. */
function mergeRound64(accH: number, accL: number, valH: number, valL: number): void {
  round64(0, 0, valH, valL);
  mulP1AddP4(accH ^ word[0], accL ^ word[1]);
}

/** word = a + b (mod 2^64). */
function add64(ah: number, al: number, bh: number, bl: number): void {
  word[0] = (ah + bh + carry(al, bl)) | 0;
  word[1] = (al + bl) | 0;
}

function readI32(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
}

/**
 * Folds every whole 32-byte stripe of inputs of 32 bytes or more into the four accumulators
 * and leaves the combined state in word. Kept apart so the short-input path stays small.
 */
function consumeStripes(bytes: Uint8Array, len: number): void {
  let v1H = V1H;
  let v1L = V1L;
  let v2H = P2H;
  let v2L = P2L;
  let v3H = 0;
  let v3L = 0;
  let v4H = V4H;
  let v4L = V4L;
  for (let i = 0; i + 32 <= len; i += 32) {
    round64(v1H, v1L, readI32(bytes, i + 4), readI32(bytes, i));
    v1H = word[0];
    v1L = word[1];
    round64(v2H, v2L, readI32(bytes, i + 12), readI32(bytes, i + 8));
    v2H = word[0];
    v2L = word[1];
    round64(v3H, v3L, readI32(bytes, i + 20), readI32(bytes, i + 16));
    v3H = word[0];
    v3L = word[1];
    round64(v4H, v4L, readI32(bytes, i + 28), readI32(bytes, i + 24));
    v4H = word[0];
    v4L = word[1];
  }
  // h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)
  add64((v1H << 1) | (v1L >>> 31), (v1L << 1) | (v1H >>> 31), (v2H << 7) | (v2L >>> 25), (v2L << 7) | (v2H >>> 25));
  add64(word[0], word[1], (v3H << 12) | (v3L >>> 20), (v3L << 12) | (v3H >>> 20));
  add64(word[0], word[1], (v4H << 18) | (v4L >>> 14), (v4L << 18) | (v4H >>> 14));
  mergeRound64(word[0], word[1], v1H, v1L);
  mergeRound64(word[0], word[1], v2H, v2L);
  mergeRound64(word[0], word[1], v3H, v3L);
  mergeRound64(word[0], word[1], v4H, v4L);
}

/**
 * Encodes `value` as UTF-8 into `target` (which must hold 3 bytes per code unit) and returns
 * the byte length. Lone surrogates become U+FFFD, exactly as `TextEncoder` does, so the hash
 * equals the hash of `new TextEncoder().encode(value)`.
 */
function encodeUtf8(value: string, target: Uint8Array): number {
  const n = value.length;
  let j = 0;
  for (let i = 0; i < n; i++) {
    let c = value.charCodeAt(i);
    if (c < 0x80) {
      target[j++] = c;
    } else if (c < 0x800) {
      target[j++] = 0xc0 | (c >>> 6);
      target[j++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        if (c <= 0xdbff && i + 1 < n) {
          const d = value.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
            target[j++] = 0xf0 | (cp >>> 18);
            target[j++] = 0x80 | ((cp >>> 12) & 0x3f);
            target[j++] = 0x80 | ((cp >>> 6) & 0x3f);
            target[j++] = 0x80 | (cp & 0x3f);
            i++;
            continue;
          }
        }
        c = 0xfffd;
      }
      target[j++] = 0xe0 | (c >>> 12);
      target[j++] = 0x80 | ((c >>> 6) & 0x3f);
      target[j++] = 0x80 | (c & 0x3f);
    }
  }
  return j;
}

/**
 * XXH64 (seed 0) of the first `length` bytes of `bytes`; out[0] = high 32 bits, out[1] = low.
 *
 * @example
 * const out = new Uint32Array(2);
 * xxh64BytesInto(new TextEncoder().encode('hello'), 5, out); // out = [0x26c7827d, 0x889f6da3]
 */
export function xxh64BytesInto(bytes: Uint8Array, length: number, out: Uint32Array | Int32Array): void {
  if (wasm !== null && length <= wasm.input.length) {
    wasm.input.set(length === bytes.length ? bytes : bytes.subarray(0, length));
    wasm.hash(length);
    out[0] = wasm.result[1];
    out[1] = wasm.result[0];
    return;
  }
  xxh64BytesIntoPortable(bytes, length, out);
}

/**
 * {@link xxh64BytesInto} in plain JavaScript (32-bit arithmetic), the path for inputs larger
 * than the WebAssembly module's memory and for runtimes without WebAssembly. Same results.
 */
export function xxh64BytesIntoPortable(bytes: Uint8Array, length: number, out: Uint32Array | Int32Array): void {
  // Most cells are short, so everything after the 32-byte stripes is written out inline, one
  // block per 64-bit product x·P (as in mulHigh, with P's 16-bit limbs as constants): calls
  // cost more than the arithmetic here, and V8's inlining budget does not cover them all.
  const len = length;
  let i = 0;
  let hH = P5H;
  let hL = P5L;
  if (len >= 32) {
    consumeStripes(bytes, len);
    hH = word[0];
    hL = word[1];
    i = len - (len % 32);
  }

  // h += total length (as a 64-bit number)
  const lenL = len | 0;
  hH = (hH + Math.floor(len / 0x100000000) + carry(hL, lenL)) | 0;
  hL = (hL + lenL) | 0;

  let xH: number;
  let xL: number;
  let mH: number;
  let mL: number;
  let a0: number;
  let a1: number;
  let t0: number;
  let t1: number;
  let t2: number;
  for (; i + 8 <= len; i += 8) {
    // h ^= round(0, lane) = rotl(lane * P2, 31) * P1
    xL = readI32(bytes, i);
    xH = readI32(bytes, i + 4);
    a0 = xL & 0xffff;
    a1 = xL >>> 16;
    t0 = Math.imul(a0, P2L0);
    t1 = Math.imul(a1, P2L0);
    t2 = Math.imul(a0, P2L1);
    mH = (Math.imul(a1, P2L1) + (t1 >>> 16) + (t2 >>> 16) + (((t0 >>> 16) + (t1 & 0xffff) + (t2 & 0xffff)) >>> 16) + Math.imul(xL, P2H) + Math.imul(xH, P2L)) | 0;
    mL = Math.imul(xL, P2L);
    xH = (mH << 31) | (mL >>> 1);
    xL = (mL << 31) | (mH >>> 1);
    a0 = xL & 0xffff;
    a1 = xL >>> 16;
    t0 = Math.imul(a0, P1L0);
    t1 = Math.imul(a1, P1L0);
    t2 = Math.imul(a0, P1L1);
    mH = (Math.imul(a1, P1L1) + (t1 >>> 16) + (t2 >>> 16) + (((t0 >>> 16) + (t1 & 0xffff) + (t2 & 0xffff)) >>> 16) + Math.imul(xL, P1H) + Math.imul(xH, P1L)) | 0;
    mL = Math.imul(xL, P1L);
    hH ^= mH;
    hL ^= mL;
    // h = rotl(h, 27) * P1 + P4
    xH = (hH << 27) | (hL >>> 5);
    xL = (hL << 27) | (hH >>> 5);
    a0 = xL & 0xffff;
    a1 = xL >>> 16;
    t0 = Math.imul(a0, P1L0);
    t1 = Math.imul(a1, P1L0);
    t2 = Math.imul(a0, P1L1);
    mH = (Math.imul(a1, P1L1) + (t1 >>> 16) + (t2 >>> 16) + (((t0 >>> 16) + (t1 & 0xffff) + (t2 & 0xffff)) >>> 16) + Math.imul(xL, P1H) + Math.imul(xH, P1L)) | 0;
    mL = Math.imul(xL, P1L);
    hH = (mH + P4H + carry(mL, P4L)) | 0;
    hL = (mL + P4L) | 0;
  }

  if (i + 4 <= len) {
    // h ^= u32 * P1, the u32 zero-extended to 64 bits
    xL = readI32(bytes, i);
    a0 = xL & 0xffff;
    a1 = xL >>> 16;
    t0 = Math.imul(a0, P1L0);
    t1 = Math.imul(a1, P1L0);
    t2 = Math.imul(a0, P1L1);
    mH = (Math.imul(a1, P1L1) + (t1 >>> 16) + (t2 >>> 16) + (((t0 >>> 16) + (t1 & 0xffff) + (t2 & 0xffff)) >>> 16) + Math.imul(xL, P1H)) | 0;
    mL = Math.imul(xL, P1L);
    hH ^= mH;
    hL ^= mL;
    // h = rotl(h, 23) * P2 + P3
    xH = (hH << 23) | (hL >>> 9);
    xL = (hL << 23) | (hH >>> 9);
    a0 = xL & 0xffff;
    a1 = xL >>> 16;
    t0 = Math.imul(a0, P2L0);
    t1 = Math.imul(a1, P2L0);
    t2 = Math.imul(a0, P2L1);
    mH = (Math.imul(a1, P2L1) + (t1 >>> 16) + (t2 >>> 16) + (((t0 >>> 16) + (t1 & 0xffff) + (t2 & 0xffff)) >>> 16) + Math.imul(xL, P2H) + Math.imul(xH, P2L)) | 0;
    mL = Math.imul(xL, P2L);
    hH = (mH + P3H + carry(mL, P3L)) | 0;
    hL = (mL + P3L) | 0;
    i += 4;
  }

  for (; i < len; i++) {
    // h ^= byte * P5; h = rotl(h, 11) * P1
    xL = bytes[i];
    a0 = xL & 0xffff;
    a1 = xL >>> 16;
    t0 = Math.imul(a0, P5L0);
    t1 = Math.imul(a1, P5L0);
    t2 = Math.imul(a0, P5L1);
    mH = (Math.imul(a1, P5L1) + (t1 >>> 16) + (t2 >>> 16) + (((t0 >>> 16) + (t1 & 0xffff) + (t2 & 0xffff)) >>> 16) + Math.imul(xL, P5H)) | 0;
    mL = Math.imul(xL, P5L);
    hH ^= mH;
    hL ^= mL;
    xH = (hH << 11) | (hL >>> 21);
    xL = (hL << 11) | (hH >>> 21);
    a0 = xL & 0xffff;
    a1 = xL >>> 16;
    t0 = Math.imul(a0, P1L0);
    t1 = Math.imul(a1, P1L0);
    t2 = Math.imul(a0, P1L1);
    hH = (Math.imul(a1, P1L1) + (t1 >>> 16) + (t2 >>> 16) + (((t0 >>> 16) + (t1 & 0xffff) + (t2 & 0xffff)) >>> 16) + Math.imul(xL, P1H) + Math.imul(xH, P1L)) | 0;
    hL = Math.imul(xL, P1L);
  }

  // Avalanche: h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32
  hL ^= hH >>> 1;
  a0 = hL & 0xffff;
  a1 = hL >>> 16;
  t0 = Math.imul(a0, P2L0);
  t1 = Math.imul(a1, P2L0);
  t2 = Math.imul(a0, P2L1);
  mH = (Math.imul(a1, P2L1) + (t1 >>> 16) + (t2 >>> 16) + (((t0 >>> 16) + (t1 & 0xffff) + (t2 & 0xffff)) >>> 16) + Math.imul(hL, P2H) + Math.imul(hH, P2L)) | 0;
  mL = Math.imul(hL, P2L);
  mL ^= (mL >>> 29) | (mH << 3);
  mH ^= mH >>> 29;
  a0 = mL & 0xffff;
  a1 = mL >>> 16;
  t0 = Math.imul(a0, P3L0);
  t1 = Math.imul(a1, P3L0);
  t2 = Math.imul(a0, P3L1);
  hH = (Math.imul(a1, P3L1) + (t1 >>> 16) + (t2 >>> 16) + (((t0 >>> 16) + (t1 & 0xffff) + (t2 & 0xffff)) >>> 16) + Math.imul(mL, P3H) + Math.imul(mH, P3L)) | 0;
  hL = Math.imul(mL, P3L);
  out[0] = hH;
  out[1] = hL ^ hH;
}

/**
 * XXH64 (seed 0) of the UTF-8 encoding of `value`; out[0] = high 32 bits, out[1] = low 32 bits.
 * Allocates nothing for strings up to 65,536 code units.
 *
 * @example
 * const out = new Uint32Array(2);
 * xxh64Into('hello', out); // out = [0x26c7827d, 0x889f6da3]
 */
export function xxh64Into(value: string, out: Uint32Array | Int32Array): void {
  const units = value.length;
  if (wasm !== null && 3 * units <= wasm.input.length) {
    // Short strings encode fastest in a JavaScript loop; past a few dozen code units the
    // native encoder wins despite its per-call cost.
    const length = units <= NATIVE_ENCODE_MIN_UNITS ? encodeUtf8(value, wasm.input) : encoder.encodeInto(value, wasm.input).written;
    wasm.hash(length);
    out[0] = wasm.result[1];
    out[1] = wasm.result[0];
    return;
  }
  let target = shared;
  if (3 * units > target.length) {
    if (units > SHARED_BUFFER_MAX_UNITS) {
      target = new Uint8Array(3 * units);
    } else {
      shared = new Uint8Array(Math.max(3 * units, 2 * shared.length));
      target = shared;
    }
  }
  xxh64BytesIntoPortable(target, encodeUtf8(value, target), out);
}

const hexOut = new Int32Array(2);

/**
 * XXH64 (seed 0) of the UTF-8 encoding of `value`, as 16 lowercase hex digits.
 *
 * @example
 * xxh64Hex(''); // 'ef46db3751d8e999'
 */
export function xxh64Hex(value: string): string {
  xxh64Into(value, hexOut);
  return xxh64HexOf(hexOut[0], hexOut[1]);
}

/**
 * The 16 lowercase hex digits of a hash given as the halves `xxh64Into` writes.
 *
 * @example
 * xxh64HexOf(0xef46db37, 0x51d8e999); // 'ef46db3751d8e999'
 */
export function xxh64HexOf(hi: number, lo: number): string {
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}
