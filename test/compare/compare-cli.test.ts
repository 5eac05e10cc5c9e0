import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/cli/command.js';
import { compareCommand, parseColumnMap } from '../../src/cli/commands/compare.js';
import { REAL_FIXTURES } from '../support/real-fixtures.js';

const PAIRS = join(REAL_FIXTURES, 'pairs');

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await compareCommand.run(argv);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('realitycheck compare', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the JSON report with the fixed field names', async () => {
    const { code, out } = await run([
      `${PAIRS}/birdstrikes/pilot.csv`,
      `${PAIRS}/birdstrikes/production.csv`,
      '--as-of',
      '2002-08-01T00:00:00Z',
      '--json',
      '--column-map',
      'Phase of flight=When__Phase_of_flight,Time of day=When__Time_of_day',
      '--required',
      'Speed IAS in knots',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(typeof report.score).toBe('number');
    expect(Object.keys(report.dimensions).sort()).toEqual(['completeness', 'distribution', 'format', 'freshness', 'schema']);
    expect(report.drsVersion).toBe('drs-0.2');
    expect(report.confidence).toMatchObject({ level: 'normal', pilotRows: 2968, productionRows: 6252 });
    const phase = report.columns.find((c: { name: string }) => c.name === 'Phase of flight');
    expect(phase).toMatchObject({ productionName: 'When__Phase_of_flight', matchedBy: 'map' });
    expect(report.columns.find((c: { name: string }) => c.name === 'Speed IAS in knots')).toMatchObject({ required: true, importance: 3 });
    const speed = report.findings.find((f: { code: string; column: string }) => f.code === 'NULL_RATE_INCREASE' && f.column === 'Speed IAS in knots');
    expect(speed).toMatchObject({ dimension: 'completeness', severity: 'critical' });
    expect(Object.keys(speed).sort()).toEqual(['code', 'column', 'dimension', 'evidence', 'fingerprint', 'message', 'severity']);
    expect(Array.isArray(report.blockers)).toBe(true);
    const lost = report.columns.reduce((s: number, c: { pointsLost: number }) => s + c.pointsLost, 0);
    expect(lost).toBeCloseTo(100 - report.score, 9);
  });

  it('prints a report for a person: score, five bars, top losses, findings', async () => {
    const { code, out } = await run([`${PAIRS}/movies/pilot.csv`, `${PAIRS}/movies/production.csv`, '--as-of', '2010-12-31']);
    expect(code).toBe(0);
    expect(out).toMatch(/Data-reality score {2}\d+\.\d \/ 100 ±\d+\.\d, LOW CONFIDENCE/);
    for (const d of ['completeness', 'format', 'freshness', 'schema', 'distribution']) expect(out).toMatch(new RegExp(`^  ${d} +[█░·]{20}`, 'm'));
    expect(out).toContain('Top points lost');
    expect(out).toMatch(/CRITICAL +NULL_RATE_INCREASE · completeness · Director/);
    expect(out).toContain('Director: 42% of production values are empty, against 0% in the pilot.');
    expect(out).toContain('Columns only production has (not scored): US DVD Sales, Running Time min');
  });

  it('marks a blocked score and shows the blockers', async () => {
    const { out } = await run([
      `${PAIRS}/birdstrikes/pilot.csv`,
      `${PAIRS}/birdstrikes/production.csv`,
      '--as-of',
      '2002-08-01T00:00:00Z',
      '--required',
      'Phase of flight',
    ]);
    expect(out).toMatch(/Data-reality score .* — blocked/);
    expect(out).toContain("REQUIRED_COLUMN_MISSING: Required column 'Phase of flight' is missing from production.");
  });

  it('reports unreadable files with exit code 1', async () => {
    const { code, err } = await run(['/nonexistent/pilot.csv', `${PAIRS}/movies/production.csv`]);
    expect(code).toBe(1);
    expect(err).toContain("cannot read the pilot file '/nonexistent/pilot.csv'");
    const dir = mkdtempSync(join(tmpdir(), 'rc-compare-'));
    const binary = join(dir, 'image.csv');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    const bad = await run([`${PAIRS}/movies/pilot.csv`, binary]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain(`the production file '${binary}' cannot be read as CSV`);
  });

  it('escapes control characters that come from the files instead of printing them raw', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-compare-'));
    const rows = (header: string) => [header, ...Array.from({ length: 150 }, (_, i) => `${i},v${i % 4}`)].join('\n') + '\n';
    writeFileSync(join(dir, 'pilot.csv'), rows('id,kind'));
    // A third column only production has, named with a terminal escape sequence and a C1 control.
    writeFileSync(join(dir, 'production.csv'), rows('id,kind,"x\u001b[2J\u009b"').replace(/\n(\d+,v\d)/g, '\n$1,z'));
    const { code, out } = await run([join(dir, 'pilot.csv'), join(dir, 'production.csv'), '--as-of', '2024-01-01']);
    expect(code).toBe(0);
    expect(out).toContain('Columns only production has (not scored): x\\x1b[2J\\x9b');
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('refuses wrong usage with a UsageError that names the problem', async () => {
    const pilot = `${PAIRS}/movies/pilot.csv`;
    const production = `${PAIRS}/movies/production.csv`;
    await expect(compareCommand.run([pilot])).rejects.toThrow(UsageError);
    await expect(compareCommand.run([pilot, production, '--as-of', 'yesterday'])).rejects.toThrow(/--as-of 'yesterday' is not an ISO 8601/);
    await expect(compareCommand.run([pilot, production, '--pilot-as-of', '2010-13-45'])).rejects.toThrow(UsageError);
    await expect(compareCommand.run([pilot, production, '--column-map', 'Title'])).rejects.toThrow(/pilotName=productionName/);
    await expect(compareCommand.run([pilot, production, '--column-map', 'Nope=Title', '--json'])).rejects.toThrow(/the pilot has no column 'Nope'/);
    await expect(compareCommand.run([pilot, production, '--required', 'Nope'])).rejects.toThrow(/--required: the pilot has no column 'Nope'/);
    await expect(compareCommand.run([pilot, production, '--bogus'])).rejects.toThrow(/unknown option --bogus/);
  });

  it('parses column maps', () => {
    expect(parseColumnMap('a=b, c d = e_f,')).toEqual({ a: 'b', 'c d': 'e_f' });
    expect(() => parseColumnMap('a=b,a=c')).toThrow(/twice/);
  });
});
