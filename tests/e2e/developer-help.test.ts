import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CALLS, CALLS_PAGE, createPage, createSecret, ingest, mint } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeBrowserTest, launchChromium, requireBuiltClient, SCREENSHOT_DIR } from './browser.js';

/**
 * Help for the engineers who integrate Porthole (issue 23.6–8), in a real browser: the REST
 * reference at /api/docs renders with nothing but this server reachable, the console checks a
 * token, and the Data screen says when data last arrived beside the newest record's time.
 */

let t: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  requireBuiltClient();
  t = await startTestServer();
  browser = await launchChromium();
  await ingest(t, 'calls', CALLS);
  await createSecret(t);
}, 30_000);

afterAll(() => closeBrowserTest(contexts, browser, t));

/** A page that can reach only this machine: every other request is refused, and remembered. */
async function offlinePage(blocked: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  await context.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === 'localhost' || hostname === '127.0.0.1') return route.continue();
    blocked.push(route.request().url());
    return route.abort();
  });
  return context.newPage();
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${t.url}/console`);
  await page.getByRole('button', { name: 'Sign in with an API key' }).click();
  await page.getByLabel('API key').fill(t.apiKey);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Pages', level: 1 }).waitFor();
}

describe('GET /api/docs', () => {
  test('renders every operation of the OpenAPI document offline, from the bundled reference', async () => {
    const blocked: string[] = [];
    const page = await offlinePage(blocked);
    const response = await page.goto(`${t.url}/api/docs`);
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
    const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as {
      tags: Array<{ name: string }>;
      paths: Record<string, Record<string, { summary: string; tags: string[] }>>;
    };
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    // Scalar renders the first tag's operations at once and the others as they are scrolled to.
    const first = operations.filter((operation) => operation.tags[0] === doc.tags[0]!.name);
    await page.getByText(first[0]!.summary).first().waitFor();
    for (const { summary } of first) expect([summary, await page.getByText(summary).count()]).not.toEqual([summary, 0]);
    for (const { name } of doc.tags) expect([name, await page.getByText(name, { exact: true }).count()]).not.toEqual([name, 0]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'devx-api-docs.png') });
    expect(blocked).toEqual([]);
  }, 60_000);
});

describe('the console', () => {
  test('links the API reference and GraphiQL, checks a token, and shows when data last arrived', async () => {
    const page = await offlinePage([]);
    await signIn(page);
    await expect(page.getByRole('link', { name: 'REST API reference' }).getAttribute('href')).resolves.toBe('/api/docs');
    await expect(page.getByRole('link', { name: 'GraphiQL' }).getAttribute('href')).resolves.toBe('/graphql');

    const pageId = await createPage(t, CALLS_PAGE);
    const minted = await mint(t, { pageId, audience: 'PUBLIC' });
    await t.gql('mutation($id: ID!) { revokePageEmbed(id: $id) { id } }', { id: minted.id });
    await page.goto(`${t.url}/console#/settings/developer/check-token`);
    await page.getByLabel('Token').fill(minted.token);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    const result = page.getByTestId('token-result');
    await expect(result.getByRole('heading').innerText()).resolves.toBe('Refused · Page embed token');
    await expect(page.getByTestId('token-reason').innerText()).resolves.toContain('REVOKED');
    await expect(result.getByRole('link', { name: 'Calls' }).count()).resolves.toBe(1);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'devx-check-token.png') });

    await page.getByLabel('Token').fill(`ph_${'x'.repeat(40)}`);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect(result.getByRole('heading').innerText()).resolves.toBe('Unknown · Not recognised');

    await page.getByRole('link', { name: 'Data', exact: true }).click();
    const row = page.getByTestId('datasets').getByRole('row').filter({ hasText: 'calls' });
    await row.waitFor();
    const cells = await row.getByRole('cell').allInnerTexts();
    // Records, last data arrived (just now), newest record (November 2026), fields.
    expect(cells[0]).toBe(String(CALLS.length));
    expect(cells[1]).toMatch(/now|second|minute/);
    expect(cells[2]).toMatch(/2026/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'devx-data.png') });
  }, 60_000);
});
