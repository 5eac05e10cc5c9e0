import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './harness.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

it('passes every GraphQL-over-HTTP server audit of graphql-http at /graphql', async () => {
  const audits = serverAudits({ url: () => `${api.url}/graphql`, fetchFn: fetch });
  expect(audits.length).toBeGreaterThan(50);
  const failures: string[] = [];
  for (const audit of audits) {
    const result = await audit.fn();
    if (result.status !== 'ok') failures.push(`${audit.id} ${audit.name}: ${result.status} — ${result.reason}`);
  }
  expect(failures).toEqual([]);
});
