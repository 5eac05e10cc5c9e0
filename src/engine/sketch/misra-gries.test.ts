import { describe, expect, it } from 'vitest';
import { HyperLogLog } from './hyperloglog.js';
import { MisraGries, misraGriesKey } from './misra-gries.js';
import { SketchFormatError } from './sketch-format-error.js';
import { xxh64Hex, xxh64Into } from './xxh64.js';
import { zipfStream } from '../../../test/support/long-tail.js';
import { createUniform as mulberry32 } from '../../../test/support/random.js';

function exactCounts(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

function expectWithinBound(sketch: MisraGries, truth: Map<string, number>, total: number): void {
  expect(sketch.n).toBe(total);
  expect(sketch.size).toBeLessThanOrEqual(sketch.capacity);
  expect(sketch.serialize().payload.items.length).toBeLessThanOrEqual(2 * sketch.k);
  expect(sketch.err).toBeLessThanOrEqual(total / (sketch.k + 1));
  let smallestGap = Number.POSITIVE_INFINITY;
  let largestGap = 0;
  for (const [value, f] of truth) {
    const gap = f - sketch.estimate(value);
    smallestGap = Math.min(smallestGap, gap);
    largestGap = Math.max(largestGap, gap);
  }
  expect(smallestGap).toBeGreaterThanOrEqual(0);
  expect(largestGap).toBeLessThanOrEqual(sketch.err);
  expect(sketch.items().filter(([key]) => !truth.has(key))).toEqual([]);
}

describe('MisraGries', () => {
  it('reproduces the METRICS §6.2 vector: k=2, a b a c a b d e → {a:2, b:1}, err 1; flush keeps an exact summary exact', () => {
    const sketch = new MisraGries(2);
    for (const v of ['a', 'b', 'a', 'c', 'a', 'b', 'd']) sketch.update(v);
    // four distinct values fit the 2k buffer: still exact, and flushing does not throw counts away
    expect(sketch.exact()).toBe(true);
    sketch.flush();
    expect(sketch.items()).toEqual([
      ['a', 3],
      ['b', 2],
      ['c', 1],
      ['d', 1],
    ]);
    expect(sketch.bounds('a')).toEqual({ low: 3, high: 3 });
    // a fifth distinct value overflows the 2k buffer: the (k+1)-th largest count, 1, is subtracted
    sketch.update('e');
    expect(sketch.items()).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(sketch.err).toBe(1);
    expect(sketch.exact()).toBe(false);
    expect(sketch.n).toBe(8);
    expect(sketch.bounds('a')).toEqual({ low: 2, high: 3 });
    expect(sketch.bounds('c')).toEqual({ low: 0, high: 1 });
  });

  it('keeps exact counts while at most 2k distinct values are seen', () => {
    const random = mulberry32(2);
    const stream = zipfStream(random, 20_000, 512, 1.1);
    const sketch = new MisraGries(256);
    for (const v of stream) sketch.update(v);
    expect(sketch.exact()).toBe(true);
    expect(new Map(sketch.items())).toEqual(exactCounts(stream));
  });

  it('orders items by count descending, then by value', () => {
    const sketch = new MisraGries(8);
    for (const [v, c] of [
      ['b', 2],
      ['a', 2],
      ['c', 5],
      ['B', 2],
    ] as const) {
      sketch.update(v, c);
    }
    expect(sketch.items().map(([v]) => v)).toEqual(['c', 'B', 'a', 'b']);
  });

  it('under-counts by at most err ≤ N/(k+1), single stream and after random merge trees', () => {
    const random = mulberry32(31);
    for (const [k, distinct, s] of [
      [16, 5000, 1.0],
      [64, 20_000, 0.8],
      [256, 150_000, 1.05],
    ]) {
      const stream = zipfStream(random, 60_000, distinct, s);
      const truth = exactCounts(stream);
      const whole = new MisraGries(k);
      for (const v of stream) whole.update(v);
      expectWithinBound(whole, truth, stream.length);
      expect(whole.exact()).toBe(false);
      for (let trial = 0; trial < 4; trial++) {
        const cuts = [0, ...Array.from({ length: 7 }, () => Math.floor(random() * stream.length)), stream.length].sort(
          (a, b) => a - b,
        );
        const parts = cuts.slice(1).map((end, i) => {
          const part = new MisraGries(k);
          for (const v of stream.slice(cuts[i], end)) part.update(v);
          if (random() < 0.3) part.flush();
          return part;
        });
        while (parts.length > 1) {
          const a = parts.splice(Math.floor(random() * parts.length), 1)[0];
          const b = parts.splice(Math.floor(random() * parts.length), 1)[0];
          parts.push(a.merge(b));
        }
        expectWithinBound(parts[0], truth, stream.length);
        // every value above the error bound is reported
        const missed = [...truth].filter(([value, f]) => f > parts[0].err && parts[0].estimate(value) === 0);
        expect(missed).toEqual([]);
      }
    }
  });

  it('honours weighted updates', () => {
    const random = mulberry32(12);
    const truth = new Map<string, number>();
    const sketch = new MisraGries(8);
    let total = 0;
    for (let i = 0; i < 3000; i++) {
      const v = `w${Math.floor(random() * 60)}`;
      const c = 1 + Math.floor(random() * 5);
      truth.set(v, (truth.get(v) ?? 0) + c);
      total += c;
      sketch.update(v, c);
    }
    expectWithinBound(sketch, truth, total);
    expect(() => sketch.update('x', 0)).toThrow(RangeError);
    expect(() => sketch.update('x', 1.5)).toThrow(RangeError);
  });

  it('counts values over 128 code units under xxh64 hex + ":" + their first 64 code units', () => {
    const long = `${'ß'.repeat(100)}${'z'.repeat(100)}`;
    const key = `${xxh64Hex(long)}:${'ß'.repeat(64)}`;
    expect(misraGriesKey(long)).toBe(key);
    expect(misraGriesKey('x'.repeat(128))).toBe('x'.repeat(128));
    const sketch = new MisraGries(4);
    sketch.update(long);
    sketch.update(long, 2);
    expect(sketch.items()).toEqual([[key, 3]]);
    expect(sketch.estimate(long)).toBe(3);
  });

  it('round-trips byte-stably', () => {
    const random = mulberry32(6);
    const busy = new MisraGries(32);
    for (const v of zipfStream(random, 5000, 1000, 1)) busy.update(v);
    const withLong = new MisraGries();
    withLong.update('é😀');
    withLong.update('q'.repeat(500));
    for (const sketch of [new MisraGries(), withLong, busy]) {
      const text = JSON.stringify(sketch.serialize());
      const restored = MisraGries.deserialize(JSON.parse(text));
      expect(JSON.stringify(restored.serialize())).toBe(text);
      expect(restored.err).toBe(sketch.err);
      expect(restored.items()).toEqual(sketch.items());
    }
  });

  it('refuses merges with another k or another kind of sketch', () => {
    const codeOf = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(SketchFormatError);
        return (error as SketchFormatError).code;
      }
      return undefined;
    };
    expect(codeOf(() => new MisraGries(64).merge(new MisraGries(256)))).toBe('PARAMS_MISMATCH');
    expect(codeOf(() => new MisraGries().merge(new HyperLogLog() as unknown as MisraGries))).toBe('TYPE_MISMATCH');
  });

  it('refuses inconsistent payloads', () => {
    const sketch = new MisraGries(2);
    for (const v of ['a', 'b', 'a', 'c', 'a', 'b', 'd']) sketch.update(v);
    sketch.flush();
    const good = JSON.parse(JSON.stringify(sketch.serialize()));
    const withPayload = (change: Record<string, unknown>) => ({ ...good, payload: { ...good.payload, ...change } });
    const cases: Array<[unknown, string]> = [
      [{ ...good, hash: 'none' }, 'HASH_MISMATCH'],
      [withPayload({ k: 3 }), 'INVALID_PAYLOAD'],
      [withPayload({ err: 2 }), 'INVALID_PAYLOAD'], // 3 counted + 3·2 removed > n = 7
      [withPayload({ items: [['a', 2], ['a', 1]] }), 'INVALID_PAYLOAD'],
      [withPayload({ items: [['a', 0]] }), 'INVALID_PAYLOAD'],
      [withPayload({ items: [['a', 1], ['b', 1], ['c', 1], ['d', 1], ['e', 1]] }), 'INVALID_PAYLOAD'],
    ];
    for (const [input, code] of cases) {
      let caught: unknown;
      try {
        MisraGries.deserialize(input);
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(input)).toBeInstanceOf(SketchFormatError);
      expect((caught as SketchFormatError).code).toBe(code);
    }
  });

  it('counts the same with updateHashed as with update, long values, weights and merges included', () => {
    const random = mulberry32(8);
    const out = new Int32Array(2);
    for (const [k, distinct] of [
      [4, 30],
      [16, 3000],
      [256, 40_000],
    ]) {
      const stream = zipfStream(random, 30_000, distinct, 0.9).map((v, i) => (i % 11 === 0 ? `${v}${'é'.repeat(130)}` : v));
      const plain = [new MisraGries(k), new MisraGries(k)];
      const hashed = [new MisraGries(k), new MisraGries(k)];
      stream.forEach((v, i) => {
        const count = 1 + (i % 3);
        const part = i < stream.length / 2 ? 0 : 1;
        plain[part].update(v, count);
        xxh64Into(v, out);
        hashed[part].updateHashed(v, out[0], out[1], count);
      });
      expect(JSON.stringify(hashed[1].serialize())).toBe(JSON.stringify(plain[1].serialize()));
      expect(JSON.stringify(hashed[0].merge(hashed[1]).serialize())).toBe(JSON.stringify(plain[0].merge(plain[1]).serialize()));
      expect(hashed[0].estimate(stream[0])).toBe(plain[0].estimate(stream[0]));
    }
  });

  it('counts a long value as one key whichever call adds it, and a short value shaped like a long key apart', () => {
    const out = new Int32Array(2);
    const long = (i: number): string => `note ${i} `.padEnd(200, 'x');
    const mixed = new MisraGries(8);
    const plain = new MisraGries(8);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 12; i++) {
        const value = long(i % 6);
        xxh64Into(value, out);
        if ((i + round) % 2 === 0) mixed.updateHashed(value, out[0], out[1]);
        else mixed.update(value);
        plain.update(value);
      }
    }
    // A short value spelled exactly like the key of a long one is that key (identity is the key).
    const lookalike = misraGriesKey(long(0));
    expect(lookalike).toHaveLength(81);
    xxh64Into(lookalike, out);
    mixed.updateHashed(lookalike, out[0], out[1], 5);
    plain.update(lookalike, 5);
    // And one of that shape that is no long value's key is counted under itself.
    const stranger = `${'0'.repeat(16)}:${'y'.repeat(64)}`;
    xxh64Into(stranger, out);
    mixed.updateHashed(stranger, out[0], out[1], 2);
    plain.update(stranger, 2);
    expect(mixed.estimate(long(0))).toBe(6 + 5);
    expect(mixed.estimate(stranger)).toBe(2);
    expect(mixed.items()).toEqual(plain.items());
    expect(mixed.items()).toHaveLength(7);
  });

  it('merges a sketch into itself by doubling every counter', () => {
    const sketch = new MisraGries(8);
    for (const v of ['a', 'b', 'a', 'c']) sketch.update(v);
    sketch.merge(sketch);
    expect(sketch.items()).toEqual([
      ['a', 4],
      ['b', 2],
      ['c', 2],
    ]);
    expect(sketch.n).toBe(8);
  });
});

describe('MisraGries.clone', () => {
  it('copies the counters exactly and independently', () => {
    const a = new MisraGries(4);
    for (const v of 'abacabadabacabae') a.update(v);
    const b = a.clone();
    expect(b.items()).toEqual(a.items());
    expect(b.err).toBe(a.err);
    b.update('z', 100);
    expect(a.estimate('z')).toBe(0);
    expect(b.estimate('z')).toBe(100);
  });
});

describe('MisraGries exact phase', () => {
  it('counts a long-tailed column exactly up to its exact limit, with honest bounds', () => {
    const random = mulberry32(41);
    const stream = zipfStream(random, 60_000, 6_000, 1.0);
    const truth = exactCounts(stream);
    expect(truth.size).toBeGreaterThan(4_000);
    const sketch = new MisraGries(256, { exactLimit: 16_384 });
    for (const v of stream) sketch.update(v);
    sketch.flush();
    expect(sketch.exact()).toBe(true);
    expect(sketch.size).toBe(truth.size);
    for (const [value, f] of truth) expect(sketch.bounds(value)).toEqual({ low: f, high: f });
    // the plain summary of the same stream is approximate
    const plain = new MisraGries(256);
    for (const v of stream) plain.update(v);
    expect(plain.exact()).toBe(false);
  });

  it('ends the exact phase at the first checkpoint for a near-unique column, keeping the bound', () => {
    const stream = Array.from({ length: 20_000 }, (_, i) => `id-${i}`);
    const sketch = new MisraGries(256, { exactLimit: 16_384 });
    for (const v of stream) sketch.update(v);
    expect(sketch.exact()).toBe(false);
    expect(sketch.capacity).toBe(512);
    expect(sketch.size).toBeLessThanOrEqual(512);
    expectWithinBound(sketch, exactCounts(stream), stream.length);
  });

  it('counts exactly only while the column state wants it (keepExact)', () => {
    const random = mulberry32(45);
    const stream = zipfStream(random, 30_000, 5_000, 1.0);
    let asked = 0;
    const declined = new MisraGries(256, { exactLimit: 16_384, keepExact: () => (asked++, false) });
    const kept = new MisraGries(256, { exactLimit: 16_384, keepExact: () => true });
    for (const v of stream) {
      declined.update(v);
      kept.update(v);
    }
    expect(asked).toBe(1);
    expect(declined.exact()).toBe(false);
    expectWithinBound(declined, exactCounts(stream), stream.length);
    expect(kept.exact()).toBe(true);
    expect(new Map(kept.items())).toEqual(exactCounts(stream));
  });

  it('becomes approximate past its limit and then keeps the Misra-Gries bound', () => {
    const random = mulberry32(43);
    const stream = zipfStream(random, 80_000, 40_000, 0.9);
    const truth = exactCounts(stream);
    const sketch = new MisraGries(64, { exactLimit: 2_048 });
    for (const v of stream) sketch.update(v);
    expect(sketch.exact()).toBe(false);
    expectWithinBound(sketch, truth, stream.length);
    for (const [value, f] of truth) {
      const { low, high } = sketch.bounds(value);
      expect(low).toBeLessThanOrEqual(f);
      expect(high).toBeGreaterThanOrEqual(f);
    }
  });

  it('merges exact summaries exactly while the union fits, and approximately beyond', () => {
    const random = mulberry32(47);
    const stream = zipfStream(random, 40_000, 3_000, 1.0);
    const truth = exactCounts(stream);
    const parts = [0, 1, 2, 3].map((p) => {
      const part = new MisraGries(128, { exactLimit: 8_192 });
      for (const v of stream.slice(p * 10_000, (p + 1) * 10_000)) part.update(v);
      return part;
    });
    expect(parts.every((p) => p.exact())).toBe(true);
    const merged = parts.reduce((a, b) => a.merge(b));
    expect(merged.exact()).toBe(true);
    expect(new Map(merged.items())).toEqual(truth);

    const small = [0, 1].map((p) => {
      const part = new MisraGries(128, { exactLimit: 2_048 });
      for (const v of stream.slice(p * 20_000, (p + 1) * 20_000)) part.update(v);
      return part;
    });
    const union = new Set(stream).size;
    expect(union).toBeGreaterThan(2_048);
    const approx = small[0].merge(small[1]);
    expect(approx.exact()).toBe(false);
    expectWithinBound(approx, truth, stream.length);
  });

  it('round-trips its exact limit and refuses more items than the limit allows', () => {
    const sketch = new MisraGries(4, { exactLimit: 64 });
    for (let i = 0; i < 40; i++) sketch.update(`v${Math.floor(i / 2)}`);
    expect(sketch.exact()).toBe(true);
    const text = JSON.stringify(sketch.serialize());
    const restored = MisraGries.deserialize(JSON.parse(text));
    expect(restored.exactLimit).toBe(64);
    expect(JSON.stringify(restored.serialize())).toBe(text);
    expect(new Map(restored.items())).toEqual(new Map(sketch.items()));
    // a plain summary's wire form has no exactLimit field (older states read as 2k)
    expect(JSON.stringify(new MisraGries(4).serialize())).not.toContain('exactLimit');
    const tooMany = JSON.parse(text);
    tooMany.payload.exactLimit = 8;
    expect(() => MisraGries.deserialize(tooMany)).toThrow(SketchFormatError);
    expect(() => new MisraGries(4, { exactLimit: 7 })).toThrow(RangeError);
  });
});
