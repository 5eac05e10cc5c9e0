/**
 * Words for the format names the profiler produces (`iso_date`, `date:MM/DD/YYYY`, `text:lower`,
 * `decimal:comma`, `currency:$N:grouped_us`, …), for finding messages. Unknown names are shown as they are.
 */
export function formatLabel(name: string): string {
  if (name === 'iso_date') return 'ISO 8601 (YYYY-MM-DD)';
  if (name.startsWith('iso_datetime')) return 'ISO 8601 date-time';
  if (name.startsWith('date:')) return name.slice(5).replace(/:mixed$/, ' (mixed case)');
  if (name.startsWith('time:')) return `time ${name.slice(5)}`;
  if (name === 'int' || name.startsWith('int:')) return 'integers';
  if (name.startsWith('decimal:dot')) return name.includes(':exp') ? 'decimals in scientific notation' : 'decimals with a dot';
  if (name.startsWith('decimal:comma')) return 'decimals with a comma (1,5)';
  if (name.startsWith('number:grouped_us')) return 'numbers grouped 1,234.5';
  if (name.startsWith('number:grouped_eu')) return 'numbers grouped 1.234,5';
  if (name.startsWith('number:grouped_space')) return 'numbers grouped with spaces';
  if (name.startsWith('number:ambiguous_group')) return 'numbers like 1,234 (grouping or decimal comma)';
  if (name.startsWith('currency:')) return `amounts written ${name.split(':')[1]}`;
  if (name.startsWith('percent:')) return 'percentages';
  if (name.startsWith('digit_code')) return 'digit codes';
  if (name.startsWith('bool:')) {
    const [, family, letterCase] = name.split(':');
    return `${letterCase === 'UPPER' ? family.toUpperCase() : letterCase === 'Title' ? title(family) : family} booleans`;
  }
  const caseWords: Record<string, string> = { UPPER: 'UPPER-case', lower: 'lower-case', Title: 'Title-case', mixed: 'mixed-case', none: 'case-less' };
  for (const [prefix, noun] of [['text:', 'text'], ['free_text:', 'free text'], ['uuid:', 'UUIDs'], ['email:', 'e-mail addresses'], ['url:', 'URLs']] as const) {
    if (name.startsWith(prefix)) {
      const c = name.slice(prefix.length);
      return `${caseWords[c] ?? c} ${noun}`;
    }
  }
  if (name.startsWith('phone:')) return name.includes('intl') ? 'international phone numbers' : 'national phone numbers';
  if (name.startsWith('error:')) return `spreadsheet errors (${name.slice(6)})`;
  return name;
}

/** Words for a column type name of the profiler. */
export function typeLabel(type: string): string {
  const words: Record<string, string> = {
    boolean: 'booleans',
    integer: 'integers',
    decimal: 'decimal numbers',
    date: 'dates',
    datetime: 'date-times',
    time: 'times of day',
    digit_code: 'digit codes',
    uuid: 'UUIDs',
    email: 'e-mail addresses',
    url: 'URLs',
    phone: 'phone numbers',
    text: 'text',
    mixed: 'a mix of types',
    empty: 'empty',
  };
  return words[type] ?? type;
}

function title(s: string): string {
  return s.replace(/(^|\/)([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}
