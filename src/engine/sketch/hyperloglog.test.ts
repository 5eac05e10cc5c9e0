import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.js';
import { ertlSigma, ertlTau } from './ertl-estimator.js';
import { type HyperLogLogPayload, HyperLogLog } from './hyperloglog.js';
import { KllSketch } from './kll.js';
import { SketchFormatError } from './sketch-format-error.js';
import { xxh64Hex, xxh64Into } from './xxh64.js';
import { createUniform as mulberry32 } from '../../../test/support/random.js';

function registersOf(sketch: HyperLogLog): Uint8Array {
  const payload = sketch.serialize().payload;
  if (typeof payload !== 'string') throw new Error('sketch is still exact');
  return decodeBase64(payload).subarray(2);
}

/** Registers computed from the 64-bit hashes with BigInt, straight from the layout in METRICS §6. */
function expectedRegisters(values: Iterable<string>, p: number): Uint8Array {
  const registers = new Uint8Array(2 ** p);
  const out = new Uint32Array(2);
  const q = BigInt(64 - p);
  for (const value of values) {
    xxh64Into(value, out);
    const h = (BigInt(out[0]) << 32n) | BigInt(out[1]);
    const index = Number(h >> q);
    const rest = h & ((1n << q) - 1n);
    const rank = Number(q) - rest.toString(2).length + (rest === 0n ? 1 : 0) + 1;
    registers[index] = Math.max(registers[index], rank);
  }
  return registers;
}

const json = (s: HyperLogLog): string => JSON.stringify(s.serialize());

function sketchOf(values: readonly string[], p = 14, sparseLimit?: number): HyperLogLog {
  const s = new HyperLogLog(p, sparseLimit === undefined ? {} : { sparseLimit });
  for (const v of values) s.add(v);
  return s;
}

describe('Ertl estimator', () => {
  it('matches the σ and τ vectors of METRICS §6.2', () => {
    expect(ertlSigma(0.5)).toBeCloseTo(0.8907470740377903, 15);
    expect(ertlSigma(0.25)).toBeCloseTo(0.32037353701889515, 15);
    expect(ertlTau(0.5)).toBeCloseTo(0.14992949586408807, 15);
    expect(ertlSigma(1)).toBe(Number.POSITIVE_INFINITY);
    expect(ertlTau(0)).toBe(0);
    expect(ertlTau(1)).toBe(0);
  });

  it('estimates 0 for an empty sketch, exact or not', () => {
    expect(new HyperLogLog().estimate()).toBe(0);
    expect(new HyperLogLog(12, { sparseLimit: 0 }).estimate()).toBe(0);
  });
});

describe('HyperLogLog', () => {
  it('reproduces the p=12 vector over "0".."999" with registers from the start (METRICS §6.2)', () => {
    const values = Array.from({ length: 1000 }, (_, i) => String(i));
    const sketch = sketchOf(values, 12, 0);
    const registers = registersOf(sketch);
    expect(registers.filter((r) => r > 0).length).toBe(897);
    expect(registers.reduce((a, r) => a + r, 0)).toBe(1780);
    expect(sketch.estimate()).toBeCloseTo(1011.9702, 4);
    expect(sketch.isExact()).toBe(false);
  });

  it('places hashes in registers as the specified layout says (top p bits, leading zeros + 1)', () => {
    const random = mulberry32(3);
    const values = Array.from({ length: 20_000 }, () => random().toString(36).slice(2));
    for (const p of [4, 12, 14]) {
      expect(registersOf(sketchOf(values, p, 0))).toEqual(expectedRegisters(values, p));
    }
  });

  it('counts exactly up to 1,000 distinct values, then turns into the same registers as a dense sketch', () => {
    const random = mulberry32(11);
    const sketch = new HyperLogLog();
    const seen = new Set<string>();
    while (seen.size < 1000) {
      const v = `v${Math.floor(random() * 1500)}`;
      sketch.add(v);
      seen.add(v);
      expect(sketch.estimate()).toBe(seen.size);
    }
    expect(sketch.isExact()).toBe(true);
    expect(sketch.exactKeys()).toEqual([...seen].sort());
    sketch.add('v-new');
    seen.add('v-new');
    expect(sketch.isExact()).toBe(false);
    expect(sketch.exactKeys()).toBeNull();
    expect(registersOf(sketch)).toEqual(expectedRegisters(seen, 14));
    expect(Math.abs(sketch.estimate() - 1001) / 1001).toBeLessThan(3 * (1.04 / 128));
  });

  it('estimates within 3 standard errors (1.04/√m) for 5k, 50k and 300k distinct values', () => {
    const random = mulberry32(5);
    for (const [p, n] of [
      [14, 5_000],
      [14, 50_000],
      [14, 300_000],
      [12, 50_000],
    ]) {
      const sketch = new HyperLogLog(p);
      for (let i = 0; i < n; i++) {
        const v = `${i}-${random().toString(36).slice(2, 8)}`;
        sketch.add(v);
        if (i % 3 === 0) sketch.add(v); // repeats must not count
      }
      const rse = 1.04 / Math.sqrt(2 ** p);
      expect(Math.abs(sketch.estimate() - n) / n).toBeLessThan(3 * rse);
    }
  });

  it('keeps values over 128 code units under a hashed key whose registers match the full value', () => {
    const long = Array.from({ length: 1200 }, (_, i) => `${i}:${'ü'.repeat(130)}`);
    const sketch = new HyperLogLog();
    for (const v of long.slice(0, 500)) sketch.add(v);
    sketch.add('short');
    expect(sketch.estimate()).toBe(501);
    const payload = sketch.serialize().payload as Exclude<HyperLogLogPayload, string>;
    expect(payload.values).toEqual(['short']);
    expect(payload.hashed).toContain(`${xxh64Hex(long[0])}:${long[0].slice(0, 64)}`);
    for (const v of long.slice(500)) sketch.add(v);
    expect(registersOf(sketch)).toEqual(expectedRegisters([...long, 'short'], 14));
  });

  it('gives the same sketch with addHashed as with add, through the exact phase and registers', () => {
    const random = mulberry32(21);
    const out = new Int32Array(2);
    for (const distinct of [300, 2500]) {
      const plain = new HyperLogLog();
      const hashed = new HyperLogLog();
      for (let i = 0; i < 3 * distinct; i++) {
        const base = `k${Math.floor(random() * distinct)}`;
        const v = i % 7 === 0 ? `${base}${'ß'.repeat(140)}` : base;
        plain.add(v);
        xxh64Into(v, out);
        hashed.addHashed(v, out[0], out[1]);
        if (i === distinct) expect(JSON.stringify(hashed.serialize())).toBe(JSON.stringify(plain.serialize()));
      }
      expect(JSON.stringify(hashed.serialize())).toBe(JSON.stringify(plain.serialize()));
    }
  });

  it('merges split streams to exactly the JSON of the whole stream, in any order and tree', () => {
    const random = mulberry32(99);
    // distinct counts: whole and parts exact; parts exact but union not; everything dense
    for (const distinct of [600, 1400, 6000]) {
      const stream = Array.from({ length: 3 * distinct }, () => `x${Math.floor(random() * distinct)}`);
      const whole = json(sketchOf(stream));
      for (let trial = 0; trial < 5; trial++) {
        const cuts = [0, ...Array.from({ length: 5 }, () => Math.floor(random() * stream.length)), stream.length].sort(
          (a, b) => a - b,
        );
        const parts = cuts.slice(1).map((end, i) => sketchOf(stream.slice(cuts[i], end)));
        // random merge tree: repeatedly merge two random remaining sketches
        while (parts.length > 1) {
          const a = parts.splice(Math.floor(random() * parts.length), 1)[0];
          const b = parts.splice(Math.floor(random() * parts.length), 1)[0];
          parts.push(random() < 0.5 ? a.merge(b) : b.merge(a));
        }
        expect(json(parts[0])).toBe(whole);
      }
    }
  });

  it('merge is commutative, associative and idempotent on the registers', () => {
    const random = mulberry32(8);
    const make = (n: number) => Array.from({ length: n }, () => `${Math.floor(random() * 5000)}`);
    const [a, b, c] = [make(700), make(3000), make(200)];
    const copy = (values: string[]) => sketchOf(values);
    expect(json(copy(a).merge(copy(b)))).toBe(json(copy(b).merge(copy(a))));
    expect(json(copy(a).merge(copy(b)).merge(copy(c)))).toBe(json(copy(a).merge(copy(b).merge(copy(c)))));
    const twice = copy(b).merge(copy(b));
    expect(twice.serialize().payload).toEqual(copy(b).serialize().payload);
    expect(twice.n).toBe(2 * b.length);
    const self = copy(a);
    self.merge(self);
    expect(self.estimate()).toBe(new Set(a).size);
  });

  it('merges registers to their per-register maximum over the whole range of ranks', () => {
    const random = mulberry32(34);
    for (const p of [4, 10, 14]) {
      const maxRank = 65 - p;
      const withRegisters = (registers: Uint8Array) =>
        HyperLogLog.deserialize({
          type: 'hyperloglog',
          version: 1,
          params: { p, sparseLimit: 0 },
          hash: 'xxh64:0',
          n: 1,
          payload: encodeBase64(new Uint8Array([1, p, ...registers])),
        });
      const a = Uint8Array.from({ length: 2 ** p }, () => Math.floor(random() * (maxRank + 1)));
      const b = Uint8Array.from({ length: 2 ** p }, (_, i) => (i % 7 === 0 ? a[i] : Math.floor(random() * (maxRank + 1))));
      b[0] = maxRank;
      a[1] = maxRank;
      const expected = a.map((r, i) => Math.max(r, b[i]));
      expect(registersOf(withRegisters(a).merge(withRegisters(b)))).toEqual(expected);
      expect(registersOf(withRegisters(b).merge(withRegisters(a)))).toEqual(expected);
    }
  });

  it('round-trips byte-stably, empty, exact and with registers', () => {
    const random = mulberry32(21);
    const cases = [
      new HyperLogLog(),
      new HyperLogLog(12, { sparseLimit: 0 }),
      sketchOf(['b', 'a', 'é', '😀', 'x'.repeat(300)]),
      sketchOf(Array.from({ length: 5000 }, () => random().toString(36))),
    ];
    for (const sketch of cases) {
      const text = json(sketch);
      const restored = HyperLogLog.deserialize(JSON.parse(text));
      expect(JSON.stringify(restored.serialize())).toBe(text);
      expect(restored.estimate()).toBe(sketch.estimate());
      expect(restored.n).toBe(sketch.n);
    }
  });

  it('refuses to merge sketches with other parameters or of another kind', () => {
    const expectCode = (fn: () => unknown, code: string) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(SketchFormatError);
        expect((error as SketchFormatError).code).toBe(code);
        return;
      }
      throw new Error(`expected SketchFormatError ${code}`);
    };
    expectCode(() => new HyperLogLog(12).merge(new HyperLogLog(14)), 'PARAMS_MISMATCH');
    expectCode(() => new HyperLogLog(14).merge(new HyperLogLog(14, { sparseLimit: 0 })), 'PARAMS_MISMATCH');
    expectCode(() => new HyperLogLog().merge(new KllSketch() as unknown as HyperLogLog), 'TYPE_MISMATCH');
  });

  it('refuses malformed or foreign envelopes', () => {
    const good = sketchOf(['a', 'b']).serialize();
    const dense = sketchOf(['a'], 4, 0).serialize();
    const bytes = decodeBase64(dense.payload as string);
    const tooHigh = Uint8Array.from(bytes);
    tooHigh[2] = 65 - 4 + 1;
    const cases: Array<[unknown, string]> = [
      [null, 'INVALID_ENVELOPE'],
      [{ ...good, type: 'kll' }, 'TYPE_MISMATCH'],
      [{ ...good, version: 2 }, 'UNSUPPORTED_VERSION'],
      [{ ...good, hash: 'murmur3:0' }, 'HASH_MISMATCH'],
      [{ ...good, params: { p: 14 } }, 'INVALID_ENVELOPE'],
      [{ ...good, n: -1 }, 'INVALID_ENVELOPE'],
      [{ ...good, n: 1 }, 'INVALID_PAYLOAD'], // two distinct values cannot come from one add
      [{ ...good, payload: { values: ['a', 'a'], hashed: [] } }, 'INVALID_PAYLOAD'],
      [{ ...good, payload: { values: ['a'], hashed: ['nothex:x'] } }, 'INVALID_PAYLOAD'],
      [{ ...dense, payload: Buffer.from(tooHigh).toString('base64') }, 'INVALID_PAYLOAD'],
      [{ ...dense, payload: Buffer.from(bytes.subarray(1)).toString('base64') }, 'INVALID_PAYLOAD'],
      [{ ...dense, payload: 'not base64!' }, 'INVALID_PAYLOAD'],
    ];
    for (const [input, code] of cases) {
      expect(() => HyperLogLog.deserialize(input), code).toThrowError(SketchFormatError);
      try {
        HyperLogLog.deserialize(input);
      } catch (error) {
        expect((error as SketchFormatError).code, JSON.stringify(input)?.slice(0, 80)).toBe(code);
      }
    }
  });

  it('rejects parameters outside the supported range', () => {
    expect(() => new HyperLogLog(3)).toThrow(RangeError);
    expect(() => new HyperLogLog(19)).toThrow(RangeError);
    expect(() => new HyperLogLog(14, { sparseLimit: -1 })).toThrow(RangeError);
  });
});
