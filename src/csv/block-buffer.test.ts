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
});
