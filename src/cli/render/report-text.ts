import type { Dimension } from '../../engine/compare/drs-parameters.js';

/** Width of a sub-score bar, in characters. */
export const BAR_WIDTH = 20;

/** A bar of {@link BAR_WIDTH} characters filled in proportion to a score of 0–100. */
export function bar(value: number): string {
  const filled = Math.round((Math.max(0, Math.min(100, value)) / 100) * BAR_WIDTH);
  return '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
}

/** Wraps `text` at spaces into lines of at most `width` characters, every line after the first starting with `indent`. */
export function wrap(text: string, width: number, indent: string): string {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : indent + l)).join('\n');
}

/** Why a dimension of the score may be not assessed, for a person. */
export const DIMENSION_NOTES: Readonly<Record<Dimension, string>> = {
  completeness: 'no column to compare',
  format: 'no values to compare',
  freshness: 'no timestamp column both samples share',
  schema: 'no column to compare',
  distribution: 'too few values for drift tests (needs 100 on each side)',
};
