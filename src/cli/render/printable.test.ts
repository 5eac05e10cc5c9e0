import { describe, expect, it } from 'vitest';
import { printable } from './printable.js';

describe('printable', () => {
  it('writes C0 (but tab and line feed), DEL and C1 controls as \\xNN escapes', () => {
    expect(printable('a\u001b[2Jb')).toBe('a\\x1b[2Jb');
    expect(printable('\u0000\r\u007f\u009b')).toBe('\\x00\\x0d\\x7f\\x9b');
    expect(printable('tab\there\nnext line')).toBe('tab\there\nnext line');
  });

  it('leaves other text, non-ASCII included, unchanged', () => {
    const text = 'Zoë · 東京 · 😀 · \u00a0nbsp · \u00ff';
    expect(printable(text)).toBe(text);
  });
});
