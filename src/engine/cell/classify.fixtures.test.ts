import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { classifyCell, createCellInfo } from './classify.js';
import { CellState, SENTINEL_TOKENS } from './cell-state.js';
import { DateOrder } from './format-key.js';
import { ValueClass } from './value-class.js';
import { REAL_FIXTURES } from '../../../test/support/real-fixtures.js';

/*
 * Real files nobody on this project wrote, with facts measured independently
 * (fixtures/real/facts). Expected counts are read from the facts files.
 */
const REAL = REAL_FIXTURES;

interface ColumnFacts {
  name: string;
  kinds: Record<string, number>;
  sentinels: Record<string, number>;
}
interface FileFacts {
  emptyCells: number;
  sentinelCells: number;
  columns: ColumnFacts[];
}

interface ColumnCounts {
  states: number[];
  classes: number[];
  dateOrders: number[];
}

function profile(file: string, encoding = 'utf-8'): { facts: FileFacts; columns: Map<string, ColumnCounts> } {
  const facts = JSON.parse(readFileSync(path.join(REAL, 'facts', `${file}.facts.json`), 'utf8')) as FileFacts;
  const text = new TextDecoder(encoding).decode(readFileSync(path.join(REAL, 'files', file)));
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  const columns = new Map<string, ColumnCounts>();
  const info = createCellInfo();
  header.forEach((name, j) => {
    const counts: ColumnCounts = { states: [0, 0, 0, 0], classes: new Array<number>(23).fill(0), dateOrders: [0, 0, 0, 0] };
    for (const row of rows) {
      const state = classifyCell(row[j] ?? '', info);
      counts.states[state]++;
      if (state === CellState.PRESENT) {
        counts.classes[info.valueClass]++;
        counts.dateOrders[info.dateOrder]++;
      }
    }
    columns.set(name, counts);
  });
  return { facts, columns };
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const column = (facts: FileFacts, name: string): ColumnFacts => {
  const c = facts.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no facts for column ${name}`);
  return c;
};
const ourSentinels = (c: ColumnFacts): number =>
  Object.entries(c.sentinels)
    .filter(([token]) => SENTINEL_TOKENS.includes(token.toLowerCase()))
    .reduce((n, [, count]) => n + count, 0);

describe('classifyCell on real files (expectations from fixtures/real/facts)', () => {
  it('penguins_raw.csv: every NA token is a sentinel, numbers are int or dec_dot, Yes/No are bools, dates ISO', () => {
    const { facts, columns } = profile('penguins_raw.csv');
    let sentinels = 0;
    for (const c of facts.columns) {
      const got = columns.get(c.name)!;
      expect(got.states[CellState.SENTINEL], c.name).toBe(ourSentinels(c));
      sentinels += got.states[CellState.SENTINEL];
    }
    expect(sentinels).toBe(facts.sentinelCells);
    const culmen = column(facts, 'Culmen Length (mm)');
    expect(columns.get(culmen.name)!.classes[ValueClass.DEC_DOT]).toBe(culmen.kinds.decimal);
    expect(columns.get(culmen.name)!.classes[ValueClass.INT]).toBe(culmen.kinds.integer);
    const clutch = column(facts, 'Clutch Completion');
    expect(columns.get(clutch.name)!.classes[ValueClass.BOOL]).toBe(clutch.kinds.boolean);
    const egg = column(facts, 'Date Egg');
    expect(columns.get(egg.name)!.classes[ValueClass.ISO_DATE]).toBe(egg.kinds['date:YYYY-MM-DD']);
  });

  it('movies.csv: empty cells, `Jun 12 1998` dates, and the one bool among the titles', () => {
    const { facts, columns } = profile('movies.csv');
    expect(sum([...columns.values()].map((c) => c.states[CellState.EMPTY]))).toBe(facts.emptyCells);
    const release = column(facts, 'Release Date');
    expect(columns.get(release.name)!.classes[ValueClass.DATE_NAMED]).toBe(release.kinds['date:Mon D YYYY']);
    const title = column(facts, 'Title');
    expect(columns.get(title.name)!.classes[ValueClass.BOOL]).toBe(title.kinds.boolean);
    const imdb = column(facts, 'IMDB Rating');
    expect(columns.get(imdb.name)!.classes[ValueClass.DEC_DOT]).toBe(imdb.kinds.decimal);
  });

  it('birdstrikes.csv: `None` damage is a sentinel candidate, flight dates are ISO dates', () => {
    const { facts, columns } = profile('birdstrikes.csv');
    expect(sum([...columns.values()].map((c) => c.states[CellState.EMPTY]))).toBe(facts.emptyCells);
    const damage = column(facts, 'Effect Amount of damage');
    expect(columns.get(damage.name)!.states[CellState.SENTINEL]).toBe(damage.sentinels.None);
    const date = column(facts, 'Flight Date');
    expect(columns.get(date.name)!.classes[ValueClass.ISO_DATE]).toBe(date.kinds['date:YYYY-MM-DD']);
  });

  it('ssa-death-probability.csv: thousands separators and scientific notation', () => {
    const { facts, columns } = profile('ssa-death-probability.csv');
    const lives = column(facts, 'NumberOfLives');
    const got = columns.get(lives.name)!;
    expect(got.classes[ValueClass.GROUPED_US] + got.classes[ValueClass.AMBIGUOUS_GROUP]).toBe(
      lives.kinds['number:thousands-sep'],
    );
    expect(got.classes[ValueClass.INT]).toBe(lives.kinds.integer);
    const prob = column(facts, 'DeathProb');
    expect(columns.get(prob.name)!.classes[ValueClass.DEC_DOT]).toBe(prob.kinds.decimal + prob.kinds.scientific);
  });

  it('russell_index_cp1252.csv: MM/DD/YYYY dates give month-first evidence only', () => {
    const { facts, columns } = profile('russell_index_cp1252.csv', 'windows-1252');
    const date = column(facts, 'Date');
    const got = columns.get(date.name)!;
    expect(got.classes[ValueClass.DATE_SEP]).toBe(date.kinds['date:NN/NN/YYYY']);
    expect(got.dateOrders[DateOrder.DMY_ONLY]).toBe(0);
    expect(got.dateOrders[DateOrder.MDY_ONLY]).toBeGreaterThan(0);
  });
});
