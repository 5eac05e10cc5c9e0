import { describe, expect, it } from 'vitest';
import { createUtf8Normaliser, decodeBlock, decodeWindows1252, detectEncoding, findInvalidUtf8Offset } from './encoding.js';
import { createUniform as prng } from '../../test/support/random.js';

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return le;
}

function runNormaliser(bytes: Uint8Array, chunkSize: number): string {
  const norm = createUtf8Normaliser(detectEncoding(bytes));
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) out.push(norm.push(bytes.subarray(i, i + chunkSize)));
  out.push(norm.flush());
  return Buffer.concat(out).toString('utf8');
}

describe('detectEncoding', () => {
  it('recognises the three byte order marks', () => {
    expect(detectEncoding(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toEqual({ encoding: 'utf-8', bom: true });
    expect(detectEncoding(Uint8Array.of(0xff, 0xfe, 0x61, 0x00))).toEqual({ encoding: 'utf-16le', bom: true });
    expect(detectEncoding(Uint8Array.of(0xfe, 0xff, 0x00, 0x61))).toEqual({ encoding: 'utf-16be', bom: true });
  });

  it('takes text without a BOM as UTF-8, including legacy single-byte text', () => {
    expect(detectEncoding(Buffer.from('a,b\n1,2\n'))).toEqual({ encoding: 'utf-8', bom: false });
    expect(detectEncoding(Uint8Array.of(0x61, 0xae, 0x2c, 0x62))).toEqual({ encoding: 'utf-8', bom: false });
    expect(detectEncoding(new Uint8Array(0))).toEqual({ encoding: 'utf-8', bom: false });
    // A truncated BOM is not a BOM.
    expect(detectEncoding(Uint8Array.of(0xef, 0xbb))).toEqual({ encoding: 'utf-8', bom: false });
  });

  it('recognises BOM-less UTF-16 text by its zero high bytes', () => {
    expect(detectEncoding(Buffer.from('id,name\n1,Zoë\n', 'utf16le'))).toEqual({ encoding: 'utf-16le', bom: false });
    expect(detectEncoding(utf16be('id,name\n1,Zoë\n'))).toEqual({ encoding: 'utf-16be', bom: false });
  });

  it('does not mistake binary data with zeros at both parities for UTF-16', () => {
    const binary = Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x61, 0x62);
    expect(detectEncoding(binary).encoding).toBe('utf-8');
  });
});

describe('createUtf8Normaliser', () => {
  const text = 'name,city\n"Zoë ""Z""",Łódź\n😀,東京\n';

  it('drops a UTF-8 BOM even when it is split across chunks, and passes the rest unchanged', () => {
    const bytes = Buffer.concat([Uint8Array.of(0xef, 0xbb, 0xbf), Buffer.from(text)]);
    for (const size of [1, 2, 3, 5, 64]) expect(runNormaliser(bytes, size)).toBe(text);
  });

  it('passes UTF-8 chunks through without copying', () => {
    const chunk = Buffer.from(text);
    const norm = createUtf8Normaliser({ encoding: 'utf-8', bom: false });
    expect(norm.push(chunk)).toBe(chunk);
  });

  it('transcodes UTF-16LE and UTF-16BE with a BOM, whatever the chunk boundaries', () => {
    const le = Buffer.concat([Uint8Array.of(0xff, 0xfe), Buffer.from(text, 'utf16le')]);
    const be = Buffer.concat([Uint8Array.of(0xfe, 0xff), utf16be(text)]);
    // Odd sizes split code units; size 3 also splits the surrogate pair of the emoji.
    for (const size of [1, 2, 3, 7, 1000]) {
      expect(runNormaliser(le, size)).toBe(text);
      expect(runNormaliser(be, size)).toBe(text);
    }
  });
});

describe('decodeBlock', () => {
  it('decodes valid UTF-8 strictly and keeps a leading U+FEFF as data', () => {
    const bytes = Buffer.from('\uFEFFé,😀\n');
    expect(decodeBlock(bytes)).toEqual({ text: '\uFEFFé,😀\n', decodedAs: 'utf-8', invalidUtf8Offset: null });
  });

  it('falls back to windows-1252 for the whole block and reports the first invalid byte', () => {
    // 0x80 is € and 0xAE is ® in windows-1252 (not in ISO-8859-1 for 0x80).
    const bytes = Uint8Array.of(0x41, 0x2c, 0xc3, 0xa9, 0x2c, 0x80, 0x2c, 0xae, 0x0a);
    expect(decodeBlock(bytes)).toEqual({ text: 'A,Ã©,€,®\n', decodedAs: 'windows-1252', invalidUtf8Offset: 5 });
  });

  it('reports a multi-byte sequence cut short by the end of the block at its first byte', () => {
    expect(decodeBlock(Uint8Array.of(0x61, 0xe2, 0x82)).invalidUtf8Offset).toBe(1);
  });
});

describe('decodeWindows1252', () => {
  it('maps 0x80-0x9F per the WHATWG table and every other byte to the same code point', () => {
    // Spot values from the WHATWG index-windows-1252; 0x81 is one of the five unassigned bytes.
    expect(decodeWindows1252(Uint8Array.of(0x80, 0x92, 0x96, 0x99, 0x9f, 0x81))).toBe('€’–™Ÿ\u0081');
    const rest = Uint8Array.from({ length: 256 }, (_, i) => i).filter((b) => b < 0x80 || b > 0x9f);
    expect(decodeWindows1252(rest)).toBe(String.fromCharCode(...rest));
  });
});

describe('findInvalidUtf8Offset', () => {
  it('rejects overlong forms, surrogates and code points above U+10FFFF', () => {
    expect(findInvalidUtf8Offset(Uint8Array.of(0x61, 0xc0, 0xaf))).toBe(1);
    expect(findInvalidUtf8Offset(Uint8Array.of(0xe0, 0x80, 0xaf))).toBe(0);
    expect(findInvalidUtf8Offset(Uint8Array.of(0x20, 0xed, 0xa0, 0x80))).toBe(1);
    expect(findInvalidUtf8Offset(Uint8Array.of(0xf4, 0x90, 0x80, 0x80))).toBe(0);
    expect(findInvalidUtf8Offset(Uint8Array.of(0xf0, 0x9f, 0x98, 0x80))).toBeNull();
  });

  it('agrees with the WHATWG decoder on random byte strings', () => {
    // Oracle: the non-fatal decoder replaces the first ill-formed subsequence with U+FFFD; the
    // UTF-8 length of the text before it is the offset. Inputs never contain a real U+FFFD.
    const random = prng(7);
    const alphabet = [0x41, 0x2c, 0x0a, 0x80, 0xa0, 0xbf, 0xc2, 0xc3, 0xdf, 0xe0, 0xe2, 0xed, 0xf0, 0xf4, 0xf5, 0xff];
    const lenient = new TextDecoder('utf-8');
    for (let n = 0; n < 3000; n++) {
      const bytes = Uint8Array.from({ length: 1 + Math.floor(random() * 12) }, () => {
        const pick = random();
        return pick < 0.5 ? alphabet[Math.floor(random() * alphabet.length)] : Math.floor(random() * 256);
      });
      const text = lenient.decode(bytes);
      const replacement = text.indexOf('\uFFFD');
      const expected = replacement === -1 ? null : Buffer.byteLength(text.slice(0, replacement), 'utf8');
      if (Buffer.from(bytes).includes(Buffer.from('\uFFFD'))) continue;
      expect(findInvalidUtf8Offset(bytes), Buffer.from(bytes).toString('hex')).toBe(expected);
    }
  });
});
