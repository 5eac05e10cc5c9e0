import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTransientConflict, retryTransientConflicts } from '../../src/db/pg-errors.js';
import { createTestDatabase, type TestDatabase } from '../api/harness.js';

/**
 * Two transactions that lock rows 1 and 2 in opposite orders: Postgres detects the deadlock and
 * aborts one of them (SQLSTATE 40P01), on a real server.
 */
describe('retryTransientConflicts, on a real Postgres deadlock', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    await pool.query('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)');
    await pool.query('INSERT INTO counters VALUES (1, 0), (2, 0)');
    // Deadlocks are looked for after this long waiting on a lock (the server default is 1 s).
    await pool.query(`ALTER DATABASE ${database.name} SET deadlock_timeout = '50ms'`);
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  /** Increments both rows in one transaction, `first` then the other, pausing between them. */
  async function incrementBoth(first: 1 | 2, gate: { arrived: number; release?: () => void }): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('UPDATE counters SET n = n + 1 WHERE id = $1', [first]);
      // Both transactions hold their first row before either asks for its second.
      if (++gate.arrived === 2) gate.release?.();
      else await new Promise<void>((resolve) => (gate.release = resolve));
      await client.query('UPDATE counters SET n = n + 1 WHERE id = $1', [3 - first]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async function counts(): Promise<number[]> {
    return (await pool.query<{ n: number }>('SELECT n FROM counters ORDER BY id')).rows.map((r) => r.n);
  }

  it('sees the deadlock as a transient conflict, and one of the two transactions fails without it', async () => {
    const before = await counts();
    const gate = { arrived: 0 } as { arrived: number; release?: () => void };
    const outcomes = await Promise.allSettled([incrementBoth(1, gate), incrementBoth(2, gate)]);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect((rejected[0].reason as { code?: string }).code).toBe('40P01');
    expect(isTransientConflict(rejected[0].reason)).toBe(true);
    // The aborted one wrote nothing: each row went up once.
    expect(await counts()).toEqual(before.map((n) => n + 1));
  });

  it('runs the aborted transaction again, so both take effect', async () => {
    const before = await counts();
    const gate = { arrived: 0 } as { arrived: number; release?: () => void };
    let attempts = 0;
    const retried = (first: 1 | 2) =>
      retryTransientConflicts(() => {
        attempts++;
        // A second attempt finds the other transaction gone: no gate to wait at.
        return incrementBoth(first, attempts > 2 ? { arrived: 1 } : gate);
      });
    await Promise.all([retried(1), retried(2)]);
    expect(attempts).toBe(3);
    expect(await counts()).toEqual(before.map((n) => n + 2));
  });

  it('does not retry other errors, and gives up after the attempts it was given', async () => {
    let calls = 0;
    const notTransient = Object.assign(new Error('duplicate key'), { code: '23505' });
    await expect(retryTransientConflicts(async () => (calls++, Promise.reject(notTransient)))).rejects.toBe(notTransient);
    expect(calls).toBe(1);
    calls = 0;
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    await expect(retryTransientConflicts(async () => (calls++, Promise.reject(deadlock)), 3)).rejects.toBe(deadlock);
    expect(calls).toBe(3);
  });
});
