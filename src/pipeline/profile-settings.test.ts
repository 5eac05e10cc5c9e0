import { expect, it } from 'vitest';
import { DEFAULT_FRESHNESS_SLA } from '../engine/profile/freshness.js';
import { freshnessSla } from './profile-settings.js';

const day = 86_400;

it('reads a workflow freshness SLA given in days, weeks, months or years', () => {
  expect(freshnessSla({ freshnessWarnAfter: 'P2D', freshnessErrorAfter: 'P2W' })).toEqual({ warnAfterSeconds: 2 * day, errorAfterSeconds: 14 * day });
  // The API accepts months and years, so the workers must honour them rather than use the default.
  expect(freshnessSla({ freshnessWarnAfter: 'P1M', freshnessErrorAfter: 'P1Y' })).toEqual({ warnAfterSeconds: 30 * day, errorAfterSeconds: 365 * day });
});

it('falls back to the product default when a setting does not parse', () => {
  expect(freshnessSla({ freshnessWarnAfter: '7 days', freshnessErrorAfter: 'P30D' })).toBe(DEFAULT_FRESHNESS_SLA);
  expect(freshnessSla({ freshnessWarnAfter: 'P7D', freshnessErrorAfter: '' })).toBe(DEFAULT_FRESHNESS_SLA);
});
