import { describe, expect, it } from 'vitest';
import { childLogger, createLogger, REDACTED, redactText, registerSecret } from './logger.js';

function capture(level: 'debug' | 'info' = 'info') {
  const lines: string[] = [];
  return { lines, logger: createLogger({ level, write: (line) => lines.push(line) }) };
}

describe('createLogger', () => {
  it('writes one JSON object per line with level, time, message, context and child bindings', () => {
    const { lines, logger } = capture();
    const child = childLogger(childLogger(logger, { requestId: 'r1' }), { sampleId: 's1' });
    child.info('upload refused', { reason: 'NOT_CSV', sampleId: 's1', bytes: 12 });
    logger.debug('dropped below the level');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 'info', msg: 'upload refused', requestId: 'r1', sampleId: 's1', reason: 'NOT_CSV', bytes: 12 });
    expect(new Date(entry.time).toISOString()).toBe(entry.time);
    // A field the child already carries is written once.
    expect(lines[0]!.match(/"sampleId"/g)).toHaveLength(1);
  });

  it('writes errors with their message, stack and cause', () => {
    const { lines, logger } = capture();
    logger.error('failed', { error: new Error('outer', { cause: new Error('inner') }) });
    const entry = JSON.parse(lines[0]!);
    expect(entry.error).toMatchObject({ type: 'Error', message: 'outer', cause: { message: 'inner' } });
    expect(entry.error.stack).toMatch(/outer/);
  });

  it('replaces secrets in messages and context, wherever they are', () => {
    const { lines, logger } = capture();
    const apiKey = 'rc_k3j9x0a1bc_9f0e1d2c3b4a59687766554433221100ffeeddccbbaa99887766554433221100';
    const own = 'an-operator-chosen-admin-secret';
    registerSecret(own);
    logger.warn(`refused ${apiKey}`, {
      url: 'postgres://rc:hunter2-password@db.internal:5432/rc',
      upload: 'http://host/uploads/abc?token=eyJhbGciOi.sig&x=1',
      header: `Bearer ${apiKey}`,
      authorization: 'anything at all',
      nested: { list: [{ secret: 'x' }, own] },
      error: new Error(`connect failed for postgres://u:pw-in-error@h/db with ${own}`),
    });
    const line = lines[0]!;
    for (const secret of ['9f0e1d2c3b4a5968', 'hunter2-password', 'eyJhbGciOi.sig', 'anything at all', own, 'pw-in-error']) {
      expect(line).not.toContain(secret);
    }
    const entry = JSON.parse(line);
    expect(entry.msg).toBe(`refused rc_k3j9x0a1bc_${REDACTED}`);
    expect(entry.url).toBe(`postgres://rc:${REDACTED}@db.internal:5432/rc`);
    expect(entry.upload).toBe(`http://host/uploads/abc?token=${REDACTED}&x=1`);
    expect(entry.authorization).toBe(REDACTED);
    expect(entry.nested.list).toEqual([{ secret: REDACTED }, REDACTED]);
  });

  it('leaves ordinary text alone', () => {
    const text = 'the query has 20 aliases; the limit is 15 (GRAPHQL_MAX_ALIASES); send "Authorization: Bearer <secret>"';
    expect(redactText(text)).toBe(text);
  });
});
