import { describe, expect, it } from 'vitest';
import { BlockBuffer } from './block-buffer.js';

describe('BlockBuffer', () => {
  it('hands out views that later appends never overwrite', () => {
    const buffer = new BlockBuffer(1024);
    const taken: Array<[Buffer, string]> = [];
    let expectedRest = '';
    for (let i = 0; i < 500; i++) {
      const text = `record ${i};`.repeat(1 + (i % 7));
      buffer.append(Buffer.from(text));
      expectedRest += text;
      if (i % 3 === 0) {
        const n = Math.floor(expectedRest.length / 2);
        taken.push([buffer.take(n), expectedRest.slice(0, n)]);
        expectedRest = expectedRest.slice(n);
      }
    }
    expect(buffer.view().toString()).toBe(expectedRest);
    for (const [view, text] of taken) expect(view.toString()).toBe(text);
  });

  it('grows for a run of bytes longer than its block capacity', () => {
    const buffer = new BlockBuffer(1024);
    for (let i = 0; i < 100; i++) buffer.append(Buffer.alloc(100, i));
    expect(buffer.length).toBe(10_000);
    const all = buffer.take(10_000);
    expect(all[9_999]).toBe(99);
    expect(all[0]).toBe(0);
    expect(() => buffer.take(1)).toThrow(RangeError);
  });

  it('hands out owned blocks: their buffer holds nothing the reader writes again', () => {
    const supplied: ArrayBuffer[] = [];
    const spare = new ArrayBuffer(4096);
    const buffer = new BlockBuffer(1024, (min) => {
      if (spare.byteLength < min || supplied.includes(spare)) return undefined;
      supplied.push(spare);
      return spare;
    });
    let expectedRest = '';
    const taken: Array<[Buffer, string]> = [];
    for (let i = 0; i < 300; i++) {
      const text = `row ${i},`.repeat(1 + (i % 5));
      buffer.append(Buffer.from(text));
      expectedRest += text;
      if (i % 4 === 3) {
        const n = Math.floor(expectedRest.length * 0.9);
        const block = buffer.takeOwned(n);
        // Detaching the block's buffer (as a transfer to a thread does) must not disturb the reader.
        const copy = Buffer.from(block).toString();
        structuredClone(block.buffer, { transfer: [block.buffer] });
        expect(block.length).toBe(0);
        taken.push([Buffer.from(copy), expectedRest.slice(0, n)]);
        expectedRest = expectedRest.slice(n);
      }
    }
    expect(buffer.view().toString()).toBe(expectedRest);
    for (const [bytes, text] of taken) expect(bytes.toString()).toBe(text);
    // The spare buffer was used once it was offered and large enough.
    expect(supplied).toEqual([spare]);
  });

  it('settles at a block plus one read, so the read that completes a block never reallocates', () => {
    // As the cutter uses it: blocks of 2,000 bytes, 100 bytes of headroom for the record that
    // crosses the block size, reads of 256 bytes.
    const requested: number[] = [];
    const buffer = new BlockBuffer(2100, (min) => {
      requested.push(min);
      return undefined;
    });
    const chunk = Buffer.alloc(256, 7);
    for (let block = 0; block < 20; block++) {
      while (buffer.length < 2000) buffer.append(chunk);
      // No record ends yet in the few bytes past the block size: one more read.
      if (buffer.length - 2000 < 100) buffer.append(chunk);
      buffer.takeOwned(buffer.length - 10 - block);
    }
    // A few buffers on the way up, then exactly one per block (the next block's), each the size
    // of a block, its headroom and one read.
    const rampUp = requested.length - 20;
    expect(rampUp).toBeLessThanOrEqual(3);
    expect(requested.slice(rampUp)).toEqual(new Array(20).fill(2100 + 256));
  });
});
