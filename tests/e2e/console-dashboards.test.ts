import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createPrincipal, createUser } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeBrowserTest, launchChromium, requireBuiltClient, SCREENSHOT_DIR } from './browser.js';

/** Settings → Dashboards in the console: which sites may frame the workspace's user dashboards. */

let t: TestServer;
let browser: Browser;
let embedToken: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  requireBuiltClient();
  t = await startTestServer();
  browser = await launchChromium();
  embedToken = (await createUser(t, 'ada')).embedToken;
}, 30_000);

afterAll(() => closeBrowserTest(contexts, browser, t));

/** A console page signed in with `apiKey` (the session cookie set by POST /console/session). */
async function signedIn(apiKey: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 720 } });
  contexts.push(context);
  const page = await context.newPage();
  const response = await page.request.post(`${t.url}/console/session`, { data: { apiKey } });
  expect(response.status()).toBe(201);
  await page.goto(`${t.url}/console#/settings/dashboards`);
  return page;
}

const frameAncestors = async () =>
  /frame-ancestors ([^;]*)/.exec((await fetch(`${t.ipUrl}/dashboard.html?token=${embedToken}`)).headers.get('content-security-policy') ?? '')?.[1];

test('an admin sees the any-site warning while the list is empty, adds and removes origins, and the dashboard follows', async () => {
  const page = await signedIn(t.apiKey);
  const warning = page.getByTestId('any-site-warning');
  await expect(warning.innerText()).resolves.toContain("Any site can frame your users' dashboards.");
  expect(await frameAncestors()).toBe('*');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'console-dashboards-empty.png'), fullPage: true });

  const field = page.getByLabel('Origin');
  const add = page.getByRole('button', { name: 'Add origin' });
  // Not an origin: the server's reason is shown, and nothing changes.
  await field.fill('https://app.partner.example/embed');
  await add.click();
  await expect(page.getByRole('alert').innerText()).resolves.toContain('is not an origin');
  expect(await frameAncestors()).toBe('*');

  await field.fill('https://app.partner.example');
  await add.click();
  const list = page.getByRole('list', { name: 'Sites that may frame dashboards' });
  await list.getByText('https://app.partner.example').waitFor();
  await field.fill('http://localhost:8080');
  await add.click();
  await list.getByText('http://localhost:8080').waitFor();
  await expect(list.getByRole('listitem').allInnerTexts()).resolves.toEqual([
    expect.stringContaining('https://app.partner.example'),
    expect.stringContaining('http://localhost:8080'),
  ]);
  await expect(warning.count()).resolves.toBe(0);
  await expect(field.inputValue()).resolves.toBe('');
  expect(await frameAncestors()).toBe('https://app.partner.example http://localhost:8080');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'console-dashboards-filled.png'), fullPage: true });

  await page.getByRole('button', { name: 'Remove http://localhost:8080' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.innerText()).resolves.toContain('stop showing on their next load');
  await dialog.getByRole('button', { name: 'Remove origin' }).click();
  await list.getByText('http://localhost:8080').waitFor({ state: 'detached' });
  expect(await frameAncestors()).toBe('https://app.partner.example');
}, 40_000);

test('a member who is not an admin sees the list but cannot change it', async () => {
  const member = await createPrincipal(t, { name: 'Mia', role: 'MEMBER', dataAccess: { all: true } });
  const page = await signedIn(member.apiKey);
  await page.getByText('Only workspace admins can change which sites may frame dashboards.').waitFor();
  await expect(page.getByRole('list', { name: 'Sites that may frame dashboards' }).innerText()).resolves.toContain('https://app.partner.example');
  await expect(page.getByLabel('Origin').count()).resolves.toBe(0);
  await expect(page.getByRole('button', { name: /Remove/ }).count()).resolves.toBe(0);
}, 30_000);
