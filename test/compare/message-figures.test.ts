import { describe, expect, it } from 'vitest';
import { unsupportedFigures } from '../../eval/message-figures.js';
import type { Finding } from '../../src/engine/compare/reality-report.js';

const finding = (message: string, evidence: Record<string, unknown>, column: string | null = 'amount'): Finding => ({
  code: 'X',
  dimension: 'distribution',
  column,
  severity: 'warning',
  message,
  evidence,
  fingerprint: 'f',
});

describe('unsupportedFigures', () => {
  it('accepts figures that evidence values render to, in any of the message formats', () => {
    expect(unsupportedFigures(finding('amount: 35% of values, 0.19–0.39% of the pilot; PSI 0.27, median 1,234, 7 days old (2024-03-01).', {
      share: 0.351, low: 0.0019, high: 0.0039, psi: 0.2712, median: 1234, age: 7 * 86_400, newest: '2024-03-01T10:00:00Z',
    }))).toEqual([]);
  });

  it('names every figure no evidence value gives', () => {
    expect(unsupportedFigures(finding('amount: 36% of values moved; about 12 more.', { share: 0.351 }))).toEqual(['36%', '12']);
  });

  it('reads neither the column name, quoted values nor format names as figures', () => {
    const f = finding("1990: 40% are MM/DD/YYYY; '2001' and '3' are values; the pilot was ISO 8601 (YYYY-MM-DD).", { share: 0.4, pilotDominant: 'iso_date' }, '1990');
    expect(unsupportedFigures(f)).toEqual([]);
  });
});
