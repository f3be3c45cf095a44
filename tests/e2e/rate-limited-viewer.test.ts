import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { CALLS, CALLS_PAGE, createPage, createSecret, ingest, mint } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { figure, launchChromium, requireBuiltClient, SCREENSHOT_DIR } from './browser.js';

/**
 * One viewer of a public embed who reloads past its share is told to wait; a viewer at
 * another address still sees the page. Real Chromium; each browser context comes through a
 * "proxy" (X-Forwarded-For, trusted by the server) from an address of its own.
 */

let t: TestServer;
let browser: Browser;
let pageId: string;
let token: string;

beforeAll(async () => {
  requireBuiltClient();
  t = await startTestServer({ env: { PORTHOLE_TRUST_PROXY: 'true', PORTHOLE_RATE_RENDER_PER_VIEWER: '2' } });
  await ingest(t, 'calls', CALLS);
  await createSecret(t);
  pageId = await createPage(t, CALLS_PAGE);
  token = (await mint(t, { pageId, audience: 'PUBLIC' })).token;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

test('a viewer past its render share sees "retrying"; a viewer at another address sees the page', async () => {
  const embedUrl = `${t.ipUrl}/embed-page/acme/${pageId}?t=${token}`;
  const viewerAt = async (address: string) => (await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': address } })).newPage();

  const flooding = await viewerAt('203.0.113.50');
  for (let load = 0; load < 2; load += 1) {
    await flooding.goto(embedUrl);
    expect(await figure(flooding.mainFrame(), 'Calls')).toBe(String(CALLS.length));
  }
  await flooding.goto(embedUrl);
  await expect(flooding.getByRole('status').innerText({ timeout: 10_000 })).resolves.toBe('This embed could not be loaded right now. Retrying shortly…');
  await flooding.screenshot({ path: join(SCREENSHOT_DIR, 'rate-limited-viewer-refused.png') });

  const other = await viewerAt('198.51.100.60');
  await other.goto(embedUrl);
  expect(await figure(other.mainFrame(), 'Calls')).toBe(String(CALLS.length));
  await other.screenshot({ path: join(SCREENSHOT_DIR, 'rate-limited-viewer-other-address.png') });
});
