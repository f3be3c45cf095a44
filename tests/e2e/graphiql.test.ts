import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { repoRoot } from '../../server/src/paths.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeBrowserTest, launchChromium, requireBuiltClient, SCREENSHOT_DIR } from './browser.js';

/**
 * GET /graphql in real Chromium with every request off this machine refused (as on a machine
 * with no network): GraphiQL loads from Porthole alone and runs queries with the console
 * session, or with an API key typed into its header editor.
 */

let t: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  requireBuiltClient();
  if (!existsSync(join(repoRoot(), 'dist', 'client', 'graphiql.html'))) throw new Error('GraphiQL is not built: run `npm run build:client` first.');
  t = await startTestServer();
  browser = await launchChromium();
}, 30_000);

afterAll(() => closeBrowserTest(contexts, browser, t));

interface Offline {
  page: Page;
  /** Every URL the page tried to reach off this machine (all refused). */
  blocked: string[];
  /** Content-Security-Policy violations and page errors. */
  problems: string[];
}

/** A browser tab that may reach only localhost / 127.0.0.1: everything else is aborted, as offline. */
async function offlineTab(): Promise<Offline> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const { hostname, protocol } = new URL(route.request().url());
    if (protocol === 'data:' || protocol === 'blob:' || hostname === 'localhost' || hostname === '127.0.0.1') return route.continue();
    blocked.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(`csp: ${message.text()}`);
  });
  return { page, blocked, problems };
}

/** Replaces the query editor's text (Monaco) with `query`, without its auto-closing brackets adding any. */
async function setQuery(page: Page, query: string): Promise<void> {
  const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(query);
}

const responseText = (page: Page) => page.locator('.graphiql-response .view-lines').first();

describe('GraphiQL at GET /graphql, offline', () => {
  test('signed in to the console, it runs { viewer { name } } with the session and shows the answer', async () => {
    const { page, blocked, problems } = await offlineTab();
    await page.goto(`${t.url}/console`);
    // Sign-in offers email and password first; the API key is behind a link.
    await page.getByRole('button', { name: 'Sign in with an API key' }).click();
    await page.getByLabel('API key').fill(t.apiKey);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Pages', level: 1 }).waitFor();

    const response = await page.goto(`${t.url}/graphql`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect(page.getByTestId('graphiql-identity').innerText()).resolves.toBe('Porthole · signed in as acme admin (acme)');
    await setQuery(page, '{ viewer { name } }');
    // Monaco draws spaces as no-break spaces.
    expect((await page.locator('.graphiql-query-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ')).toBe('{ viewer { name } }');
    await page.locator('button.graphiql-execute-button').click();
    await responseText(page).getByText('"acme admin"').waitFor();
    const answer = (await responseText(page).innerText()).replace(/\s+/g, '');
    expect(answer).toBe('{"data":{"viewer":{"name":"acmeadmin"}}}');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'graphiql-signed-in.png') });

    expect(blocked).toEqual([]);
    expect(problems).toEqual([]);
  }, 60_000);

  test('signed out, the header editor takes an X-API-KEY; without one the API answers UNAUTHENTICATED', async () => {
    const { page, blocked, problems } = await offlineTab();
    await page.goto(`${t.url}/graphql`);
    await expect(page.getByTestId('graphiql-identity').innerText()).resolves.toBe('Porthole · not signed in: put an API key in Headers');
    await setQuery(page, '{ viewer { name } }');
    await page.locator('button.graphiql-execute-button').click();
    await responseText(page).getByText('UNAUTHENTICATED').waitFor();

    // The header editor is open (signed out) with an empty X-API-KEY slot: fill it in.
    const headers = page.locator('.graphiql-editor-tool .monaco-editor').last();
    await headers.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(JSON.stringify({ 'X-API-KEY': t.otherApiKey }));
    await page.locator('button.graphiql-execute-button').click();
    await responseText(page).getByText('"globex admin"').waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'graphiql-api-key.png') });
    // The key is not kept in the browser's storage (GraphiQL's history would keep it; Porthole strips headers).
    const stored = await page.evaluate(() =>
      Object.keys(localStorage)
        .map((key) => `${key}=${localStorage.getItem(key) ?? ''}`)
        .join('\n'),
    );
    expect(stored).not.toContain(t.otherApiKey);

    expect(blocked).toEqual([]);
    expect(problems).toEqual([]);
  }, 60_000);

  test('a GraphQL client GET (JSON) still reaches the endpoint; the IDE is only for browsers', async () => {
    const json = await fetch(`${t.ipUrl}/graphql?query=${encodeURIComponent('{ viewer { name } }')}`, {
      headers: { accept: 'application/json', 'x-api-key': t.apiKey, 'apollo-require-preflight': 'true' },
    });
    expect(await json.json()).toEqual({ data: { viewer: { name: 'acme admin' } } });
    const html = await fetch(`${t.ipUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('<div id="graphiql">');
    expect((await fetch(`${t.ipUrl}/graphiql.html`)).status).toBe(404);
  });
});
