import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { HyperLogLog } from './hyperloglog.js';
import { MisraGries } from './misra-gries.js';
import { detachString, valueKey } from './value-key.js';
import { xxh64Hex, xxh64Into } from './xxh64.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Heap growth (bytes) left after feeding one short substring of each of 10 fresh 8 MB chunks to
 * `store`, dropping the chunks and collecting garbage.
 */
function retainedAfterChunks(store: (value: string) => void): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let c = 0; c < 10; c++) {
    const chunk = `value-${c}-abcdefghijklmnop,${'x'.repeat(8_000_000)}${c}`;
    store(chunk.substring(0, 30));
  }
  gc();
  return process.memoryUsage().heapUsed - before;
}

describe('valueKey', () => {
  it('keeps values up to 128 code units and shortens longer ones to hash:prefix', () => {
    const exact = 'y'.repeat(128);
    expect(valueKey(exact)).toBe(exact);
    const long = `${'y'.repeat(128)}!`;
    expect(valueKey(long)).toBe(`${xxh64Hex(long)}:${'y'.repeat(64)}`);
  });
});

describe('detachString', () => {
  it('returns an equal string', () => {
    for (const s of ['', 'a', 'é😀', 'z'.repeat(100)]) expect(detachString(s)).toBe(s);
  });

  it('lets sketches keep keys without keeping the chunks they were cut from', () => {
    const plain: string[] = [];
    const hll = new HyperLogLog();
    const mg = new MisraGries();
    // control: storing the substrings themselves keeps every 8 MB chunk alive
    expect(retainedAfterChunks((v) => plain.push(v))).toBeGreaterThan(60_000_000);
    expect(retainedAfterChunks((v) => hll.add(v))).toBeLessThan(10_000_000);
    expect(retainedAfterChunks((v) => mg.update(v))).toBeLessThan(10_000_000);
    expect(retainedAfterChunks((v) => hll.add(`${v}${'q'.repeat(200)}`))).toBeLessThan(10_000_000);
    expect(hll.estimate()).toBe(20);
    expect(mg.size).toBe(10);
    expect(plain.length).toBe(10);
  });

  it('lets Misra-Gries keep updateHashed keys as views only until flush, detachKeys or a merge', () => {
    const out = new Int32Array(2);
    const scenarios: Array<[string, (mg: MisraGries) => MisraGries]> = [
      ['flush', (mg) => mg.flush()],
      ['detachKeys', (mg) => mg.detachKeys()],
      ['merge', (mg) => new MisraGries().merge(mg)],
    ];
    for (const [name, settle] of scenarios) {
      gc();
      const before = process.memoryUsage().heapUsed;
      let mg: MisraGries | null = new MisraGries();
      for (let c = 0; c < 10; c++) {
        const chunk = `value-${c}-abcdefghijklmnop,${'x'.repeat(8_000_000)}${c}`;
        const v = chunk.substring(0, 30);
        xxh64Into(v, out);
        mg.updateHashed(v, out[0], out[1]);
      }
      gc();
      // Until then the keys hold their chunks: that is what makes updateHashed cheap …
      expect(process.memoryUsage().heapUsed - before, name).toBeGreaterThan(60_000_000);
      const settled = settle(mg);
      mg = null;
      gc();
      // … and afterwards they no longer do; the counts are unchanged.
      expect(process.memoryUsage().heapUsed - before, name).toBeLessThan(10_000_000);
      expect(settled.size).toBe(10);
      expect(settled.items().every(([key, count]) => count === 1 && key.length === 30)).toBe(true);
    }
  });
});
