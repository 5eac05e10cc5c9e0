/** File signatures of binary formats people upload by mistake instead of a CSV export. */
const SIGNATURES: ReadonlyArray<{ magic: readonly number[]; description: string }> = [
  { magic: [0x50, 0x4b, 0x03, 0x04], description: 'a ZIP archive (an .xlsx or .ods spreadsheet is one); export the sheet as CSV' },
  { magic: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], description: 'a legacy Office file (.xls); export the sheet as CSV' },
  { magic: [0x1f, 0x8b], description: 'gzip-compressed; decompress it first' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], description: 'zstd-compressed; decompress it first' },
  { magic: [0x25, 0x50, 0x44, 0x46], description: 'a PDF document' },
  { magic: [0x50, 0x41, 0x52, 0x31], description: 'a Parquet file' },
  { magic: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], description: 'an SQLite database' },
  { magic: [0x89, 0x50, 0x4e, 0x47], description: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], description: 'a JPEG image' },
];

/**
 * Names the binary format a file starts with, for a friendlier error than "not CSV", or returns
 * null when the signature is not one of the usual suspects.
 *
 * @example
 * describeBinarySignature(new Uint8Array([0x1f, 0x8b, 8, 0])) // 'gzip-compressed; decompress it first'
 */
export function describeBinarySignature(head: Uint8Array): string | null {
  for (const { magic, description } of SIGNATURES) {
    if (head.length >= magic.length && magic.every((byte, i) => head[i] === byte)) return description;
  }
  return null;
}
