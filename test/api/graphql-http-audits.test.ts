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

// With a key: a request without one is answered UNAUTHENTICATED (401) before its document is read.
it('passes every GraphQL-over-HTTP server audit of graphql-http at /graphql (with an API key)', async () => {
  const withKey: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${api.adminKey}`);
    return fetch(input, { ...init, headers });
  };
  const audits = serverAudits({ url: () => `${api.url}/graphql`, fetchFn: withKey });
  expect(audits.length).toBeGreaterThan(50);
  const failures: string[] = [];
  for (const audit of audits) {
    const result = await audit.fn();
    if (result.status !== 'ok') failures.push(`${audit.id} ${audit.name}: ${result.status} — ${result.reason}`);
  }
  expect(failures).toEqual([]);
});
