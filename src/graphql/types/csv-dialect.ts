import { builder } from '../builder.js';
import { asArray, asRecord, asString } from './json-read.js';

/** The stored dialect document of a sample. */
export interface DialectDocument {
  readonly raw: Record<string, unknown>;
}

/** How a sample's file was read. */
export const CsvDialectRef = builder.objectRef<DialectDocument>('CsvDialect').implement({
  description: 'How the uploaded file was read: encoding, delimiter, line ending, quoting and header.',
  fields: (t) => ({
    encoding: t.string({
      nullable: true,
      description:
        'Encoding the file is read as: "utf-8", "utf-16le" or "utf-16be" from its first bytes, or "windows-1252" when some of its bytes are not valid UTF-8 (such blocks are read as windows-1252, as the profile\'s decodedAs says).',
      resolve: (d) => asString(d.raw.decodedAs) ?? asString(d.raw.encoding),
    }),
    bom: t.boolean({ description: 'Whether the file starts with a byte order mark.', resolve: (d) => d.raw.bom === true || typeof d.raw.bom === 'string' }),
    delimiter: t.string({ nullable: true, description: 'Field delimiter, e.g. "," or ";" or a tab.', resolve: (d) => asString(d.raw.delimiter) }),
    newline: t.string({ nullable: true, description: 'Record separator: "\\n" or "\\r\\n" (or "\\r").', resolve: (d) => asString(d.raw.newline) }),
    quoteChar: t.string({ nullable: true, description: 'Quote character.', resolve: (d) => asString(d.raw.quoteChar) }),
    columns: t.stringList({
      description: 'Column names from the header, in order.',
      resolve: (d) => asArray(d.raw.header).map((h) => String(h)),
    }),
    headerIssues: t.field({
      type: 'JSON',
      nullable: true,
      description: 'Problems found in the header (duplicate, blank or padded names…), as reported by the reader.',
      resolve: (d) => d.raw.headerIssues ?? null,
    }),
    json: t.field({ type: 'JSON', description: 'The whole dialect document.', resolve: (d) => d.raw }),
  }),
});

/** Wraps a stored dialect (any JSON) for {@link CsvDialectRef}; null stays null. */
export function toDialectDocument(value: unknown): DialectDocument | null {
  return value === null || value === undefined ? null : { raw: asRecord(value) };
}
