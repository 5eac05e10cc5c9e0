import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL_FIXTURES } from '../support/real-fixtures.js';

/** Runs the built CLI (`npm test` compiles first) as a user would. */
const CLI = join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
const REAL = join(REAL_FIXTURES, 'files');

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('realitycheck profile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rc-cli-'));

  it('prints the profile JSON with the contract field names', () => {
    const r = run('profile', join(REAL, 'penguins_raw.csv'), '--json', '--as-of', '2010-01-01');
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.rows).toBe(344);
    const sex = json.columns.find((c: { name: string }) => c.name === 'Sex');
    expect(Object.keys(sex)).toEqual(
      expect.arrayContaining(['name', 'type', 'counts', 'completeness', 'distinct', 'numeric', 'formats', 'formatConsistency', 'topValues', 'freshness']),
    );
    expect(Object.keys(sex.counts).sort()).toEqual(['empty', 'missingField', 'present', 'sentinel', 'whitespace']);
    // `NA` among MALE/FEMALE is a null (11 in the facts), not a third category.
    expect(sex.counts.sentinel).toBe(11);
    const mass = json.columns.find((c: { name: string }) => c.name === 'Body Mass (g)');
    expect(Object.keys(mass.numeric.quantiles)).toEqual(['p25', 'p50', 'p75']);
    const egg = json.columns.find((c: { name: string }) => c.name === 'Date Egg');
    expect(Object.keys(egg.freshness)).toEqual(
      expect.arrayContaining(['maxTimestamp', 'recencySeconds', 'ageP50Seconds', 'ageP95Seconds', 'staleShare', 'futureShare']),
    );
    // The newest egg date is 2009-12-01; as of 2010-01-01 that is 31 days.
    expect(egg.freshness.maxTimestamp).toBe('2009-12-01T00:00:00.000Z');
    expect(egg.freshness.recencySeconds).toBe(31 * 86_400);
  });

  it('prints a readable report without --json', () => {
    const r = run('profile', join(REAL, 'birdstrikes.csv'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/10,000 rows × 14 columns/);
    expect(r.stdout).toMatch(/Effect Amount of damage/);
    expect(r.stdout).toMatch(/tokens read as values: None \(8939\)/);
  });

  it('escapes control characters of names and values in the readable report', () => {
    const file = join(dir, 'controls.csv');
    const rows = ['"id\u001b[31m",code'];
    for (let i = 0; i < 20; i++) rows.push(`${i},"A\u001b]0;title\u0007-${i % 2}\u007f"`);
    writeFileSync(file, rows.join('\n') + '\n');
    const r = run('profile', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(r.stdout).toContain('id\\x1b[31m');
    expect(r.stdout).toContain('A\\x1b]0;title\\x07-0\\x7f (10)');
  });

  it('masks values of sensitive-looking columns', () => {
    const file = join(dir, 'people.csv');
    const rows = ['id,email,phone'];
    for (let i = 0; i < 50; i++) rows.push(`${i},user${i % 5}@example.com,+4915112345${String(i % 7).padStart(3, '0')}`);
    writeFileSync(file, rows.join('\n') + '\n');
    const json = JSON.parse(run('profile', file, '--json').stdout);
    const email = json.columns[1];
    expect(email.masked).toBe(true);
    expect(email.topValues.length).toBeGreaterThan(0);
    for (const t of email.topValues) expect(t.value).not.toMatch(/user\d@example\.com/);
    const phone = json.columns[2];
    expect(phone.masked).toBe(true);
    for (const t of phone.topValues) expect(t.value).not.toMatch(/^\+4915112345\d{3}$/);
  });

  it('profiles a header-only file as zero rows', () => {
    const file = join(dir, 'header-only.csv');
    writeFileSync(file, 'a,b,c\n');
    const r = run('profile', file, '--json');
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.rows).toBe(0);
    expect(json.columns.map((c: { name: string }) => c.name)).toEqual(['a', 'b', 'c']);
  });

  it('refuses unreadable input with a clear reason and exit code 1', () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const binary = join(dir, 'image.csv');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]));
    for (const [file, pattern] of [
      [empty, /empty/i],
      [binary, /not.*CSV|binary|PNG/i],
      [join(dir, 'missing.csv'), /cannot read/i],
    ] as const) {
      const r = run('profile', file);
      expect(r.code, file).toBe(1);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
    }
  });

  it('rejects wrong usage with exit code 2 and the help text', () => {
    const r = run('profile', join(REAL, 'movies.csv'), '--as-of', 'yesterday');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--as-of 'yesterday' is not an ISO 8601/);
    expect(r.stderr).toMatch(/Usage: realitycheck profile/);
    expect(run('profile', '--help').stdout).toMatch(/--block-size/);
  });
});
