import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CALLS, CALLS_PAGE, createPage, createUser, ingest } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeBrowserTest, figure, frameOf, hostHtml, launchChromium, requireBuiltClient, SCREENSHOT_DIR, startHostSite, type HostSite } from './browser.js';

/**
 * `Workspace.dashboardOrigins` as a browser enforces it: Porthole on `localhost`, the partner's
 * page on `127.0.0.1` (another origin), real Chromium.
 */

let t: TestServer;
let host: HostSite;
let browser: Browser;
let embedToken: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  requireBuiltClient();
  t = await startTestServer();
  host = await startHostSite();
  browser = await launchChromium();
  await ingest(t, 'calls', CALLS);
  await createPage(t, CALLS_PAGE);
  embedToken = (await createUser(t, 'ada')).embedToken;
}, 30_000);

afterAll(() => closeBrowserTest(contexts, browser, host, t));

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 820, height: 700 } });
  contexts.push(context);
  return context.newPage();
}

async function setDashboardOrigins(origins: string[]): Promise<void> {
  const response = await t.gql('mutation($o: [String!]) { updateWorkspace(input: { dashboardOrigins: $o }) { dashboardOrigins } }', { o: origins });
  expect(response.body.errors).toBeUndefined();
}

test("a dashboard framed by the partner's site renders while its origin is listed, and the browser blocks it once it is not", async () => {
  const src = `${t.url}/dashboard.html?token=${encodeURIComponent(embedToken)}&origin=${encodeURIComponent(host.origin)}`;
  const url = host.page(
    '/partner.html',
    hostHtml('Partner portal', `<div class="slot"><iframe src="${src}" title="Dashboard" style="width:100%;height:600px;border:0"></iframe></div>`),
  );

  // Listed: the dashboard renders ada's numbers inside the partner's page.
  await setDashboardOrigins([host.origin]);
  const allowed = await newPage();
  await allowed.goto(url);
  expect(await figure(await frameOf(allowed, '/dashboard.html'), 'Calls')).toBe('3');
  await allowed.screenshot({ path: join(SCREENSHOT_DIR, 'dashboard-origins-allowed.png') });

  // Another site listed instead: Chromium refuses the frame (CSP frame-ancestors) and nothing of it runs.
  await setDashboardOrigins(['https://partner.example']);
  const blocked = await newPage();
  const refusals: string[] = [];
  blocked.on('console', (message) => {
    if (/frame-ancestors/.test(message.text())) refusals.push(message.text());
  });
  let answered = false;
  blocked.on('response', (response) => {
    if (response.url().startsWith(`${t.url}/dashboard.html`)) answered = response.status() === 200;
  });
  await blocked.goto(url);
  await blocked.waitForFunction(() => document.querySelectorAll('iframe').length === 1);
  const deadline = Date.now() + 10_000;
  while (refusals.length === 0 && Date.now() < deadline) await blocked.waitForTimeout(50);
  // The server answered the document (the token is good): the browser is what refused to show it.
  expect(answered).toBe(true);
  expect(refusals.join('\n')).toMatch(/frame-ancestors/);
  const frames = blocked.frames().filter((frame) => frame !== blocked.mainFrame());
  expect(frames).toHaveLength(1);
  expect(await frames[0]!.locator('[data-testid="number-value"]').count()).toBe(0);
  expect(await frames[0]!.evaluate(() => document.body?.innerText ?? '').catch(() => '')).not.toMatch(/\d/);
  await blocked.screenshot({ path: join(SCREENSHOT_DIR, 'dashboard-origins-blocked.png') });

  // Listed again: it renders again.
  await setDashboardOrigins(['https://partner.example', host.origin]);
  const again = await newPage();
  await again.goto(url);
  expect(await figure(await frameOf(again, '/dashboard.html'), 'Calls')).toBe('3');
}, 40_000);
