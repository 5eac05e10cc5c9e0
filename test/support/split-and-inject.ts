import Papa from 'papaparse';
import type { Dimension } from '../../src/engine/compare/drs-parameters.js';
import { createRandom, type Random } from './random.js';

/** The kinds of defect the generator can inject into the production half. */
export type DefectKind =
  | 'blank'
  | 'reformat-dates'
  | 'lowercase'
  | 'scale'
  | 'drop-column'
  | 'age-timestamps'
  | 'duplicate-keys'
  | 'truncate-text'
  | 'new-codes';

/** The dimension of the score each defect kind must show up in. */
export const DEFECT_DIMENSION: Readonly<Record<DefectKind, Dimension>> = {
  blank: 'completeness',
  'reformat-dates': 'format',
  lowercase: 'format',
  scale: 'distribution',
  'drop-column': 'schema',
  'age-timestamps': 'freshness',
  'duplicate-keys': 'distribution',
  'truncate-text': 'distribution',
  'new-codes': 'distribution',
};

/** One injected defect: which column, which dimension it must be found on, what was done. */
export interface InjectedDefect {
  readonly kind: DefectKind;
  readonly column: string;
  readonly dimension: Dimension;
  readonly detail: string;
}

export interface SplitOptions {
  readonly seed: number;
  /**
   * How the rows are drawn: `split` (default) shares them out at random, `pilotShare` of them to the pilot and
   * the rest to production; `sample` keeps every row as the pilot and draws `productionShare` of them, at
   * random, as production (a production extract that is a random subset of the pilot's data).
   */
  readonly mode?: 'split' | 'sample';
  /** Share of rows that go to the pilot in `split` mode (default 0.5). */
  readonly pilotShare?: number;
  /** Share of rows drawn as production in `sample` mode (default 0.3). */
  readonly productionShare?: number;
  /** Inject defects into the production half (default false: a clean split). */
  readonly inject?: boolean;
  /** How many columns each defect kind hits (default 1); wide files need more for a visible score change. */
  readonly columnsPerDefect?: number;
  /** Share of production cells blanked in a 'blank' column (default 0.3). */
  readonly blankShare?: number;
  /** Share of production dates rewritten as MM/DD/YYYY (default 0.4). */
  readonly reformatShare?: number;
  /** Factor applied to a 'scale' column (default 100, e.g. units changed from euros to cents). */
  readonly scaleFactor?: number;
  /** Days subtracted from every timestamp of an 'age-timestamps' column (default 400). */
  readonly ageDays?: number;
  /** Share of production rows whose key is replaced by another row's key in a 'duplicate-keys' column (default 0.25). */
  readonly duplicateShare?: number;
  /** Texts of a 'truncate-text' column are cut to their words within this many characters (default 24). */
  readonly truncateTo?: number;
  /** Share of production values replaced by codes the pilot never had in a 'new-codes' column (default 0.2). */
  readonly newCodeShare?: number;
}

export interface SplitResult {
  readonly header: readonly string[];
  readonly pilotCsv: string;
  readonly productionCsv: string;
  readonly pilotRows: number;
  readonly productionRows: number;
  readonly defects: readonly InjectedDefect[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})([T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const NAMED_DATE = /^([A-Z][a-z]{2}) (\d{1,2}) (\d{4})$/;
const YEAR_FIRST_DATE = /^(\d{4})\/(\d{2})\/(\d{2})( \d{2}:\d{2}(?::\d{2})?)?$/;
const PLAIN_NUMBER = /^-?(?:\d+|\d*\.\d+)(?:[eE][+-]?\d+)?$/;

interface ParsedDate {
  readonly y: number;
  readonly m: number;
  readonly d: number;
  readonly time: string;
  readonly form: 'iso' | 'named' | 'year-first';
}

function parseDate(value: string): ParsedDate | null {
  const iso = ISO_DATE.exec(value);
  if (iso) return { y: +iso[1], m: +iso[2], d: +iso[3], time: iso[4] ?? '', form: 'iso' };
  const yearFirst = YEAR_FIRST_DATE.exec(value);
  if (yearFirst) return { y: +yearFirst[1], m: +yearFirst[2], d: +yearFirst[3], time: yearFirst[4] ?? '', form: 'year-first' };
  const named = NAMED_DATE.exec(value);
  if (named && MONTHS.includes(named[1])) return { y: +named[3], m: MONTHS.indexOf(named[1]) + 1, d: +named[2], time: '', form: 'named' };
  return null;
}

const pad = (n: number) => String(n).padStart(2, '0');

function shiftDays(date: ParsedDate, days: number): ParsedDate {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d) - days * 86_400_000);
  return { ...date, y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

function writeDate(date: ParsedDate): string {
  if (date.form === 'named') return `${MONTHS[date.m - 1]} ${pad(date.d)} ${date.y}`;
  if (date.form === 'year-first') return `${date.y}/${pad(date.m)}/${pad(date.d)}${date.time}`;
  return `${date.y}-${pad(date.m)}-${pad(date.d)}${date.time}`;
}

/** Profile of a column's values used to pick which defect fits it. */
interface ColumnTraits {
  readonly index: number;
  readonly name: string;
  readonly nonEmpty: number;
  readonly completeness: number;
  readonly dateShare: number;
  readonly numberShare: number;
  readonly distinctNumbers: number;
  readonly yearLike: boolean;
  /** Every value a distinct integer: an identifier, not a quantity. */
  readonly idLike: boolean;
  readonly distinct: number;
  /** Share of the most frequent non-empty value. */
  readonly topShare: number;
  readonly hasUpper: boolean;
  /** Mean length of non-empty values, and the share of them with three or more words. */
  readonly meanLength: number;
  readonly wordyShare: number;
  /** Every non-empty value has the same length (codes, zero-padded ids). */
  readonly fixedWidth: boolean;
}

const NULL_TOKENS = new Set(['', 'NA', 'N/A', 'NULL', 'null', 'NaN', 'nan', 'None', '-']);

function traits(rows: readonly string[][], index: number, name: string): ColumnTraits {
  let nonEmpty = 0;
  let dates = 0;
  let numbers = 0;
  let upper = false;
  let yearLike = true;
  let integers = 0;
  let length = 0;
  let wordy = 0;
  let width = -1;
  let fixedWidth = true;
  const distinct = new Map<string, number>();
  const distinctNumbers = new Set<string>();
  for (const row of rows) {
    const v = (row[index] ?? '').trim();
    if (NULL_TOKENS.has(v)) continue;
    nonEmpty++;
    length += v.length;
    if (width < 0) width = v.length;
    else if (v.length !== width) fixedWidth = false;
    if (v.split(/\s+/).length >= 3) wordy++;
    distinct.set(v, (distinct.get(v) ?? 0) + 1);
    if (parseDate(v)) dates++;
    if (PLAIN_NUMBER.test(v)) {
      numbers++;
      distinctNumbers.add(v);
      const x = Number(v);
      if (!(Number.isInteger(x) && x >= 1800 && x <= 2100)) yearLike = false;
      if (Number.isInteger(x)) integers++;
    }
    if (/[A-Z]/.test(v)) upper = true;
  }
  return {
    index,
    name,
    nonEmpty,
    completeness: rows.length > 0 ? nonEmpty / rows.length : 0,
    dateShare: nonEmpty > 0 ? dates / nonEmpty : 0,
    numberShare: nonEmpty > 0 ? numbers / nonEmpty : 0,
    distinctNumbers: distinctNumbers.size,
    yearLike: yearLike && numbers > 0,
    idLike: integers === nonEmpty && distinctNumbers.size === nonEmpty,
    distinct: distinct.size,
    topShare: nonEmpty > 0 ? Math.max(...distinct.values()) / nonEmpty : 0,
    hasUpper: upper,
    meanLength: nonEmpty > 0 ? length / nonEmpty : 0,
    wordyShare: nonEmpty > 0 ? wordy / nonEmpty : 0,
    fixedWidth: nonEmpty > 0 && fixedWidth,
  };
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * Splits a CSV text into two halves of its rows (seeded, exactly 50/50 up to one row, each half in file order,
 * header kept on both), and optionally damages the production half with the defects a real feed shows:
 * blanked cells, dates rewritten as MM/DD/YYYY, lower-cased categories, a numeric column scaled, a column
 * dropped, timestamps made older. Columns are chosen by their content; each kind is injected only where a
 * fitting column exists, and every injected defect is listed with the dimension it must be found on.
 */
export function splitAndInject(csvText: string, options: SplitOptions): SplitResult {
  const parsed = Papa.parse<string[]>(csvText, { header: false, skipEmptyLines: true });
  if (parsed.data.length === 0) throw new Error('splitAndInject: the CSV text has no header');
  const [header, ...body] = parsed.data;
  const random = createRandom(options.seed);
  const order = shuffle(body.map((_, i) => i), random);
  let pilotIdx: number[];
  let productionIdx: number[];
  if ((options.mode ?? 'split') === 'sample') {
    pilotIdx = body.map((_, i) => i);
    productionIdx = order.slice(0, Math.round((options.productionShare ?? 0.3) * body.length)).sort((a, b) => a - b);
  } else {
    const cut = Math.floor((options.pilotShare ?? 0.5) * body.length);
    pilotIdx = order.slice(0, cut).sort((a, b) => a - b);
    productionIdx = order.slice(cut).sort((a, b) => a - b);
  }
  const pilot = pilotIdx.map((i) => body[i]);
  let production = productionIdx.map((i) => [...body[i]]);
  let productionHeader = [...header];
  const defects: InjectedDefect[] = [];

  if (options.inject) {
    const perDefect = Math.max(1, options.columnsPerDefect ?? 1);
    const all = header.map((name, i) => traits(production, i, name));
    const used = new Set<number>();
    const take = (candidates: ColumnTraits[]) => {
      const picked = candidates.filter((c) => !used.has(c.index)).slice(0, perDefect);
      for (const c of picked) used.add(c.index);
      return picked;
    };
    const dateColumns = all.filter((c) => c.dateShare >= 0.9 && c.nonEmpty >= 20);
    // Dates: the first date column(s) get both the format and the age defect when the file has no other.
    const reformat = dateColumns.slice(0, perDefect);
    const age = dateColumns.length > perDefect ? dateColumns.slice(perDefect, 2 * perDefect) : reformat;
    for (const c of [...reformat, ...age]) used.add(c.index);
    const reformatShare = options.reformatShare ?? 0.4;
    const ageDays = options.ageDays ?? 400;
    for (const c of age) {
      for (const row of production) {
        const d = parseDate((row[c.index] ?? '').trim());
        if (d) row[c.index] = writeDate(shiftDays(d, ageDays));
      }
      defects.push({ kind: 'age-timestamps', column: c.name, dimension: DEFECT_DIMENSION['age-timestamps'], detail: `every timestamp ${ageDays} days older` });
    }
    for (const c of reformat) {
      for (const row of production) {
        const d = parseDate((row[c.index] ?? '').trim());
        if (d && random.next() < reformatShare) row[c.index] = `${pad(d.m)}/${pad(d.d)}/${d.y}`;
      }
      defects.push({ kind: 'reformat-dates', column: c.name, dimension: DEFECT_DIMENSION['reformat-dates'], detail: `${Math.round(reformatShare * 100)}% of dates as MM/DD/YYYY` });
    }

    // Identifiers: near-unique, nearly complete values without spaces: codes of one width (zero-padded
    // numbers included) or words, not quantities (an all-distinct column of amounts is no key).
    const keys = all.filter(
      (c) =>
        c.nonEmpty >= 100 &&
        c.completeness >= 0.9 &&
        c.distinct >= 0.98 * c.nonEmpty &&
        (c.numberShare < 0.5 || (c.idLike && c.fixedWidth)) &&
        c.wordyShare === 0 &&
        c.meanLength <= 40,
    );
    const duplicateShare = options.duplicateShare ?? 0.25;
    for (const c of take(keys)) {
      const filled = production.map((row, i) => ((row[c.index] ?? '').trim() === '' ? -1 : i)).filter((i) => i >= 0);
      for (const i of filled) {
        if (random.next() < duplicateShare) production[i][c.index] = production[filled[random.int(filled.length)]][c.index];
      }
      defects.push({ kind: 'duplicate-keys', column: c.name, dimension: DEFECT_DIMENSION['duplicate-keys'], detail: `${Math.round(duplicateShare * 100)}% of keys copied from other rows` });
    }

    // Free text: long, mostly several words, mostly distinct.
    const texts = all.filter((c) => c.nonEmpty >= 100 && c.meanLength >= 32 && c.wordyShare >= 0.5 && c.distinct >= 0.5 * c.nonEmpty);
    const truncateTo = options.truncateTo ?? 24;
    for (const c of take(texts)) {
      for (const row of production) row[c.index] = truncateWords(row[c.index] ?? '', truncateTo);
      defects.push({ kind: 'truncate-text', column: c.name, dimension: DEFECT_DIMENSION['truncate-text'], detail: `texts cut to their words within ${truncateTo} characters` });
    }

    const categorical = all
      .filter((c) => c.dateShare < 0.5 && c.numberShare < 0.5 && c.hasUpper && c.nonEmpty >= 20 && c.distinct < 0.5 * c.nonEmpty)
      .sort((a, b) => rankCategory(a) - rankCategory(b));
    for (const c of take(categorical)) {
      for (const row of production) row[c.index] = (row[c.index] ?? '').toLowerCase();
      defects.push({ kind: 'lowercase', column: c.name, dimension: DEFECT_DIMENSION.lowercase, detail: 'every value lower-cased' });
    }

    // New codes: a share of a category column's values become a handful of codes the pilot never had.
    const codes = all
      .filter((c) => c.dateShare < 0.5 && c.nonEmpty >= 100 && c.distinct >= 2 && c.distinct <= 0.1 * c.nonEmpty && !c.yearLike)
      .sort((a, b) => rankCategory(a) - rankCategory(b));
    const newCodeShare = options.newCodeShare ?? 0.2;
    for (const c of take(codes)) {
      const pilotValues = new Set(pilot.map((row) => (row[c.index] ?? '').trim()));
      const seeds = [...new Set(production.map((row) => (row[c.index] ?? '').trim()).filter((v) => v !== ''))].slice(0, 5);
      const fresh = seeds.map((v, i) => {
        let code = `${v}${i + 2}`;
        while (pilotValues.has(code)) code += 'X';
        return code;
      });
      for (const row of production) {
        if ((row[c.index] ?? '').trim() !== '' && random.next() < newCodeShare) row[c.index] = fresh[random.int(fresh.length)];
      }
      defects.push({ kind: 'new-codes', column: c.name, dimension: DEFECT_DIMENSION['new-codes'], detail: `${Math.round(newCodeShare * 100)}% of values replaced by ${fresh.length} new codes` });
    }

    // Drift is assessable only with 100 values on each side, and a column that is mostly one value (zeros)
    // hardly changes when scaled: pick varied columns with enough values in both halves.
    const pilotTraits = header.map((name, i) => traits(pilot, i, name));
    const numeric = all
      .filter(
        (c) =>
          c.numberShare >= 0.95 &&
          c.distinctNumbers >= 10 &&
          c.topShare <= 0.5 &&
          !c.yearLike &&
          !c.idLike &&
          c.nonEmpty >= 100 &&
          pilotTraits[c.index].nonEmpty >= 100,
      )
      .sort((a, b) => b.nonEmpty - a.nonEmpty);
    const factor = options.scaleFactor ?? 100;
    for (const c of take(numeric)) {
      for (const row of production) {
        const v = (row[c.index] ?? '').trim();
        if (PLAIN_NUMBER.test(v)) row[c.index] = String(Number((Number(v) * factor).toPrecision(12)));
      }
      defects.push({ kind: 'scale', column: c.name, dimension: DEFECT_DIMENSION.scale, detail: `values × ${factor}` });
    }

    const blankable = all.filter((c) => c.completeness >= 0.9).sort((a, b) => b.completeness - a.completeness);
    const blankShare = options.blankShare ?? 0.3;
    for (const c of take(blankable)) {
      for (const row of production) if (random.next() < blankShare && c.index < row.length) row[c.index] = '';
      defects.push({ kind: 'blank', column: c.name, dimension: DEFECT_DIMENSION.blank, detail: `${Math.round(blankShare * 100)}% of cells blanked` });
    }

    const droppable = [...all].reverse();
    const dropped = take(droppable);
    if (dropped.length > 0 && dropped.length < header.length) {
      const drop = new Set(dropped.map((c) => c.index));
      productionHeader = productionHeader.filter((_, i) => !drop.has(i));
      production = production.map((row) => row.filter((_, i) => !drop.has(i)));
      for (const c of dropped) defects.push({ kind: 'drop-column', column: c.name, dimension: DEFECT_DIMENSION['drop-column'], detail: 'column removed' });
    }
  }

  const unparse = (head: string[], rows: string[][]) => Papa.unparse([head, ...rows], { newline: '\n' }) + '\n';
  return {
    header,
    pilotCsv: unparse(header, pilot),
    productionCsv: unparse(productionHeader, production),
    pilotRows: pilot.length,
    productionRows: production.length,
    defects,
  };
}

/** The words of `text` that fit in `limit` characters (at least the first word, cut to the limit). */
function truncateWords(text: string, limit: number): string {
  const value = text.trim();
  if (value.length <= limit) return text;
  const cut = value.slice(0, limit + 1);
  const space = cut.lastIndexOf(' ');
  return (space > 0 ? cut.slice(0, space) : value.slice(0, limit)).trim();
}

/** Categories first: a few distinct values (2–50), then constant text, then high-cardinality text. */
function rankCategory(c: ColumnTraits): number {
  if (c.distinct >= 2 && c.distinct <= 50) return c.distinct;
  if (c.distinct === 1) return 100;
  return 1000 + c.distinct;
}
