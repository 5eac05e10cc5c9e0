import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_CHROMIUM as CHROMIUM } from '../support/test-services.js';
import { createWorkflow } from './fixtures.js';
import { startTestApi, type TestApi } from './harness.js';

// Debian's Chromium: the test drives it and never downloads a browser of its own. Without it the
// run leaves this file out and says so (see test-services.ts); with TEST_REQUIRE_SERVICES=1 it fails.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

let api: TestApi;
let userDataDir: string;
let context: BrowserContext;
let page: Page;
const requested: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await context?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  await api?.close();
});

/** The text an editor shows: it renders spaces as no-break spaces. */
async function shownText(editor: Locator): Promise<string> {
  return (await editor.innerText()).replace(/\u00a0/g, ' ');
}

/** Whether a request stayed on this machine: data: URLs, and blob: URLs of a local origin, count as local. */
function isLocal(url: string): boolean {
  const parsed = new URL(url.startsWith('blob:') ? url.slice('blob:'.length) : url);
  return parsed.protocol === 'data:' || LOCAL_HOSTS.has(parsed.hostname);
}

it('serves a working GraphiQL from the installed packages, with no request leaving localhost', async () => {
  // Without a browser this test fails (it is never skipped): what it checks is GraphiQL in a browser.
  expect(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium; .ci/run does it when it is absent)`).toBe(true);
  userDataDir = await mkdtemp(path.join(tmpdir(), 'rc-chromium-'));
  // A persistent context is how Playwright takes a user data directory: a fresh one per run.
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  context.on('request', (request) => requested.push(request.url()));
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => pageErrors.push(error.message));

  await createWorkflow(api, 'Seen through GraphiQL');

  await page.goto(`${api.url}/`);
  expect(new URL(page.url()).pathname).toBe('/graphql');
  expect(await page.title()).toBe('realitycheck GraphiQL');

  const queryEditor = page.locator('.graphiql-query-editor');
  await expect
    .poll(() => queryEditor.isVisible(), { timeout: 20_000, message: 'the query editor shows (GraphiQL rendered)' })
    .toBe(true);
  await expect.poll(() => shownText(queryEditor)).toMatch(/query Workflows/);

  // The Headers tab opens with the hint {"Authorization":"Bearer "}: replace it with the admin key.
  await page.getByRole('button', { name: 'Headers' }).click();
  const headersEditor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden)');
  await expect.poll(() => headersEditor.innerText()).toMatch(/Authorization/);
  await headersEditor.click();
  const headers = JSON.stringify({ Authorization: `Bearer ${api.adminKey}` });
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(headers);
  // The editor closes brackets and quotes as they are typed: drop what it added after the text.
  await page.keyboard.press('Shift+ControlOrMeta+End');
  await page.keyboard.press('Delete');
  await expect.poll(async () => (await shownText(headersEditor)).replace(/^1\s*/, '')).toBe(headers); // after the line number

  await page.getByRole('button', { name: /^Execute query/ }).click();
  const result = page.locator('.graphiql-response');
  await expect.poll(() => shownText(result), { timeout: 20_000 }).toMatch(/Seen through GraphiQL/);
  const shown = (await shownText(result)).replace(/\s+/g, ' ');
  expect(shown).toMatch(/"workflows": \{ "edges": \[/);
  expect(shown).not.toMatch(/"errors"/);

  expect(pageErrors).toEqual([]);
  expect(requested.length).toBeGreaterThan(1);
  expect(requested.filter((url) => !isLocal(url))).toEqual([]);
});
