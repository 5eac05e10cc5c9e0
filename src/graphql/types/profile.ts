import type { ProfileRow } from '../../db/database.js';
import { builder } from '../builder.js';
import { asArray, asNumber, asRecord, asString } from './json-read.js';

/** One column entry of a profile document. */
export const ColumnProfileRef = builder.objectRef<Record<string, unknown>>('ColumnProfile').implement({
  description: 'Profile of one column of a sample (see METRICS.md for the definitions).',
  fields: (t) => ({
    name: t.string({ description: 'Column name as in the header.', resolve: (c) => asString(c.name) ?? '' }),
    type: t.string({
      description: 'Inferred type: boolean, integer, decimal, date, datetime, time, digit_code, uuid, email, url, phone, text, mixed or empty.',
      resolve: (c) => asString(c.type) ?? 'unknown',
    }),
    completeness: t.float({
      nullable: true,
      description: 'Share of rows (0–1) with a present value: not empty, blank or a null token.',
      resolve: (c) => asNumber(c.completeness),
    }),
    formatConsistency: t.float({
      nullable: true,
      description: 'Share (0–1) of present values in the dominant format.',
      resolve: (c) => asNumber(c.formatConsistency),
    }),
    distinct: t.float({
      nullable: true,
      description: 'Distinct present values: exact while the column has at most 16,384 of them, else a HyperLogLog estimate (see distinctBounds).',
      resolve: (c) => asNumber(c.distinct),
    }),
    distinctExact: t.boolean({ nullable: true, description: 'Whether `distinct` is an exact count.', resolve: (c) => (typeof c.distinctExact === 'boolean' ? c.distinctExact : null) }),
    distinctBounds: t.field({
      type: 'JSON',
      nullable: true,
      description: 'Where the true distinct count lies, `{ low, high }` at 99% (equal to `distinct` when exact).',
      resolve: (c) => c.distinctBounds ?? null,
    }),
    role: t.string({
      nullable: true,
      description: 'What the column is for, decided from its profile: identifier, free_text, categorical, numeric or temporal.',
      resolve: (c) => asString(c.role),
    }),
    roleReason: t.string({ nullable: true, description: 'The figures the role was decided on, in words.', resolve: (c) => asString(c.roleReason) }),
    counts: t.field({ type: 'JSON', nullable: true, description: 'Cell-state counts (present, empty, whitespace, sentinel, missing field).', resolve: (c) => c.counts ?? null }),
    numeric: t.field({ type: 'JSON', nullable: true, description: 'Numeric summary (count, min, max, mean, stddev, quantiles) for numeric columns.', resolve: (c) => c.numeric ?? null }),
    formats: t.field({ type: 'JSON', nullable: true, description: 'Format → count of present values.', resolve: (c) => c.formats ?? null }),
    topValues: t.field({
      type: 'JSON',
      nullable: true,
      description:
        'Most frequent values (masked for sensitive columns) as `{ value, count, countMax }`: exact counts when `topValuesExact`, ' +
        'otherwise only values guaranteed frequent, each with its bounds (count ≤ true count ≤ countMax).',
      resolve: (c) => c.topValues ?? null,
    }),
    topValuesExact: t.boolean({ nullable: true, description: 'Whether the top values carry exact counts.', resolve: (c) => (typeof c.topValuesExact === 'boolean' ? c.topValuesExact : null) }),
    freshness: t.field({ type: 'JSON', nullable: true, description: 'Timestamp summary (min, max, recency, age quantiles) for date columns.', resolve: (c) => c.freshness ?? null }),
    json: t.field({ type: 'JSON', description: 'The whole column document.', resolve: (c) => c }),
  }),
});

/** The merged profile of a sample. */
export const ProfileRef = builder.objectRef<ProfileRow>('Profile').implement({
  description: 'The merged profile of a sample: dataset-level figures and one column profile per column.',
  fields: (t) => ({
    rows: t.float({
      nullable: true,
      description: 'Number of data rows (an integer).',
      resolve: (p) => asNumber(asRecord(p.profile).rows),
    }),
    columns: t.field({
      type: [ColumnProfileRef],
      description: 'Column profiles, in header order.',
      resolve: (p) => asArray(asRecord(p.profile).columns).map(asRecord),
    }),
    engineVersion: t.string({ nullable: true, description: 'Version of the profiling engine that produced it.', resolve: (p) => p.engine_version }),
    createdAt: t.field({ type: 'DateTime', description: 'When the profile was stored.', resolve: (p) => p.created_at }),
    json: t.field({
      type: 'JSON',
      description: 'The whole profile document, as `realitycheck profile --json` prints it.',
      resolve: (p) => p.profile ?? null,
    }),
  }),
});
