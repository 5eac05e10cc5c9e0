/**
 * XXH64 (seed 0) as a tiny WebAssembly module, for the hot path of `xxh64Into`.
 *
 * JavaScript has no 64-bit integer arithmetic short of BigInt, so the portable implementation
 * (`xxh64.ts`) carries every 64-bit product as 16-bit limbs: about ten multiplications each.
 * WebAssembly has `i64.mul` and `i64.rotl`, which makes the hash itself 3–5× faster; what
 * remains is encoding the string into the module's memory, which the caller does.
 *
 * The module is assembled here, at load time, from the instruction listing below rather than
 * shipped as an opaque blob, so what runs can be read. It exports its memory `m` and one
 * function `h(len)`: it hashes the `len` bytes at offset {@link XXH64_WASM_INPUT_OFFSET} and
 * stores the 64-bit result, little-endian, at offset 0. In WAT:
 *
 * ```wat
 * ;; round(acc, in) = rotl(acc + in·P2, 31)·P1      merge(acc, v) = (acc ^ round(0, v))·P1 + P4
 * ;; (both written out inline: calls cost more than the arithmetic)
 * (func $h (param $len i32) (local $p i32) (local $end i32) (local $h i64) (local $v1 i64) … (local $v4 i64)
 *   p = 16; end = 16 + len
 *   if len ≥ 32: v1 = P1+P2, v2 = P2, v3 = 0, v4 = −P1
 *                do { v1..v4 = round(v1..v4, load64(p + 0/8/16/24)); p += 32 } while p + 32 ≤ end
 *                h = rotl(v1,1) + rotl(v2,7) + rotl(v3,12) + rotl(v4,18); h = merge(h, v1..v4)
 *   else:        h = P5
 *   h += len
 *   while p + 8 ≤ end: h = rotl(h ^ round(0, load64(p)), 27)·P1 + P4; p += 8
 *   if p + 4 ≤ end:    h = rotl(h ^ load32_u(p)·P1, 23)·P2 + P3; p += 4
 *   while p < end:     h = rotl(h ^ load8_u(p)·P5, 11)·P1; p += 1
 *   h ^= h >> 33; h ·= P2; h ^= h >> 29; h ·= P3; h ^= h >> 32
 *   store64(0, h))
 * ```
 *
 * Its answers are checked against a BigInt reference of the specification in the tests.
 */

/** Offset in the module's memory where the input bytes start (the result sits at 0). */
export const XXH64_WASM_INPUT_OFFSET = 16;

/** The module's memory: one 64 KiB page, never grown, so it never pins more. */
const MEMORY_PAGES = 1;

/** A ready instance: write input at `input`, call `hash(length)`, read `result` ([low, high]). */
export interface WasmXxh64 {
  /** View of the memory from {@link XXH64_WASM_INPUT_OFFSET} to its end. */
  readonly input: Uint8Array;
  readonly hash: (length: number) => void;
  /** The result as signed 32-bit halves: result[0] = low, result[1] = high. */
  readonly result: Int32Array;
}

const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;
const MASK64 = (1n << 64n) - 1n;

// Opcodes (WebAssembly core specification, binary format).
const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i64Load: 0x29,
  i64Load8U: 0x31,
  i64Load32U: 0x35,
  i64Store: 0x37,
  i32Const: 0x41,
  i64Const: 0x42,
  i32GtU: 0x4b,
  i32LeU: 0x4d,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i64Add: 0x7c,
  i64Mul: 0x7e,
  i64Xor: 0x85,
  i64ShrU: 0x88,
  i64Rotl: 0x89,
  i64ExtendI32U: 0xad,
} as const;
const VOID_BLOCK = 0x40;
const I32 = 0x7f;
const I64 = 0x7e;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 64-bit constant given as an unsigned BigInt (two's complement). */
function sleb64(u: bigint): number[] {
  let n = BigInt.asIntN(64, u & MASK64);
  const out: number[] = [];
  for (;;) {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    if ((n === 0n && (b & 0x40) === 0) || (n === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const get = (i: number): number[] => [OP.localGet, ...uleb(i)];
const set = (i: number): number[] => [OP.localSet, ...uleb(i)];
const tee = (i: number): number[] => [OP.localTee, ...uleb(i)];
const i32 = (v: number): number[] => [OP.i32Const, ...sleb64(BigInt(v))];
const i64 = (v: bigint): number[] => [OP.i64Const, ...sleb64(v)];
/** A memory access with alignment hint 0 (any address) and a constant offset. */
const mem = (op: number, offset: number): number[] => [op, 0, ...uleb(offset)];

/** round(acc, input) with acc and input on the stack: rotl(acc + input·P2, 31)·P1. */
const ROUND = [...i64(P2), OP.i64Mul, OP.i64Add, ...i64(31n), OP.i64Rotl, ...i64(P1), OP.i64Mul];
/** round(0, input) with input on the stack. */
const ROUND0 = [...i64(P2), OP.i64Mul, ...i64(31n), OP.i64Rotl, ...i64(P1), OP.i64Mul];

/** merge(acc, v) with acc on the stack: (acc ^ round(0, v))·P1 + P4. */
function merge(v: number): number[] {
  return [...get(v), ...ROUND0, OP.i64Xor, ...i64(P1), OP.i64Mul, ...i64(P4), OP.i64Add];
}

function hashBody(): number[] {
  const LEN = 0;
  const P = 1;
  const END = 2;
  const H = 3;
  const V = [4, 5, 6, 7];
  const base = XXH64_WASM_INPUT_OFFSET;
  const b: number[] = [];
  b.push(...i32(base), ...set(P), ...i32(base), ...get(LEN), OP.i32Add, ...set(END));
  // Inputs of 32 bytes or more: four accumulators over 32-byte stripes.
  b.push(...get(LEN), ...i32(32), OP.i32GeU, OP.if, VOID_BLOCK);
  b.push(...i64(P1 + P2), ...set(V[0]), ...i64(P2), ...set(V[1]), ...i64(0n), ...set(V[2]), ...i64(-P1), ...set(V[3]));
  b.push(OP.loop, VOID_BLOCK);
  V.forEach((v, k) => b.push(...get(v), ...get(P), ...mem(OP.i64Load, 8 * k), ...ROUND, ...set(v)));
  b.push(...get(P), ...i32(32), OP.i32Add, ...tee(P), ...i32(32), OP.i32Add, ...get(END), OP.i32LeU, OP.brIf, 0);
  b.push(OP.end);
  b.push(...get(V[0]), ...i64(1n), OP.i64Rotl, ...get(V[1]), ...i64(7n), OP.i64Rotl, OP.i64Add);
  b.push(...get(V[2]), ...i64(12n), OP.i64Rotl, OP.i64Add, ...get(V[3]), ...i64(18n), OP.i64Rotl, OP.i64Add);
  for (const v of V) b.push(...merge(v));
  b.push(...set(H), OP.else, ...i64(P5), ...set(H), OP.end);
  b.push(...get(H), ...get(LEN), OP.i64ExtendI32U, OP.i64Add, ...set(H));
  // 8-byte lanes.
  b.push(OP.block, VOID_BLOCK, OP.loop, VOID_BLOCK);
  b.push(...get(P), ...i32(8), OP.i32Add, ...get(END), OP.i32GtU, OP.brIf, 1);
  b.push(...get(H), ...get(P), ...mem(OP.i64Load, 0), ...ROUND0, OP.i64Xor);
  b.push(...i64(27n), OP.i64Rotl, ...i64(P1), OP.i64Mul, ...i64(P4), OP.i64Add, ...set(H));
  b.push(...get(P), ...i32(8), OP.i32Add, ...set(P), OP.br, 0, OP.end, OP.end);
  // One 4-byte lane.
  b.push(...get(P), ...i32(4), OP.i32Add, ...get(END), OP.i32LeU, OP.if, VOID_BLOCK);
  b.push(...get(H), ...get(P), ...mem(OP.i64Load32U, 0), ...i64(P1), OP.i64Mul, OP.i64Xor);
  b.push(...i64(23n), OP.i64Rotl, ...i64(P2), OP.i64Mul, ...i64(P3), OP.i64Add, ...set(H));
  b.push(...get(P), ...i32(4), OP.i32Add, ...set(P), OP.end);
  // Remaining bytes.
  b.push(OP.block, VOID_BLOCK, OP.loop, VOID_BLOCK);
  b.push(...get(P), ...get(END), OP.i32GeU, OP.brIf, 1);
  b.push(...get(H), ...get(P), ...mem(OP.i64Load8U, 0), ...i64(P5), OP.i64Mul, OP.i64Xor);
  b.push(...i64(11n), OP.i64Rotl, ...i64(P1), OP.i64Mul, ...set(H));
  b.push(...get(P), ...i32(1), OP.i32Add, ...set(P), OP.br, 0, OP.end, OP.end);
  // Avalanche, then store.
  b.push(...get(H), ...get(H), ...i64(33n), OP.i64ShrU, OP.i64Xor, ...i64(P2), OP.i64Mul, ...tee(H));
  b.push(...get(H), ...i64(29n), OP.i64ShrU, OP.i64Xor, ...i64(P3), OP.i64Mul, ...tee(H));
  b.push(...get(H), ...i64(32n), OP.i64ShrU, OP.i64Xor, ...set(H));
  b.push(...i32(0), ...get(H), ...mem(OP.i64Store, 0), OP.end);
  // Locals: p and end (i32), then h and v1..v4 (i64).
  return [2, 2, I32, 5, I64, ...b];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function name(text: string): number[] {
  return [...uleb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
}

/** The module's bytes. */
export function xxh64WasmBytes(): Uint8Array<ArrayBuffer> {
  const types = vector([[0x60, ...vector([[I32]]), ...vector([])]]); // (i32) → ()
  const functions = vector([[0]]); // $h
  const memory = vector([[0x00, ...uleb(MEMORY_PAGES)]]);
  const exports = vector([
    [...name('m'), 0x02, 0],
    [...name('h'), 0x00, 0],
  ]);
  const body = (code: number[]): number[] => [...uleb(code.length), ...code];
  const code = vector([body(hashBody())]);
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, types),
    ...section(3, functions),
    ...section(5, memory),
    ...section(7, exports),
    ...section(10, code),
  ]);
}

/**
 * Compiles and instantiates the module (synchronously: it is about 800 bytes). Returns null
 * where WebAssembly is unavailable, so callers can keep to the portable implementation.
 */
export function createWasmXxh64(): WasmXxh64 | null {
  if (typeof WebAssembly !== 'object') return null;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(xxh64WasmBytes()), {});
    const memory = instance.exports.m as WebAssembly.Memory;
    const hash = instance.exports.h as (length: number) => void;
    return {
      input: new Uint8Array(memory.buffer, XXH64_WASM_INPUT_OFFSET),
      hash,
      result: new Int32Array(memory.buffer, 0, 2),
    };
  } catch {
    return null;
  }
}
