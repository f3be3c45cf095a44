import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { CALLS, CALLS_PAGE, createPage, createSecret, createUser, ingest, mint } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { frameOf, hostHtml, launchChromium, requireBuiltClient, startHostSite, type HostSite } from './browser.js';

/**
 * The integrator's channel (issue 23.6): what an embed answers the public with stays "unavailable",
 * but the engineer with the browser console open is told the likely mistake — by embed.js on the
 * host page, and by the embed itself in its iframe.
 */

let t: TestServer;
let host: HostSite;
let browser: Browser;
let silent: Server;
const sockets: Socket[] = [];
let silentUrl = '';
let pageId = '';
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  requireBuiltClient();
  t = await startTestServer();
  host = await startHostSite();
  browser = await launchChromium();
  await ingest(t, 'calls', CALLS);
  pageId = await createPage(t, CALLS_PAGE);
  await createSecret(t);
  // A "Porthole" that accepts connections and never answers (a wrong data-api-url behind a firewall).
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://localhost:${(silent.address() as AddressInfo).port}`;
}, 30_000);

afterAll(async () => {
  await Promise.allSettled(contexts.map((context) => context.close()));
  await browser?.close();
  await host?.close();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent?.close(resolve));
  await t?.close();
});

/** A new page whose console messages (host page and iframes alike) are collected. */
async function watchedPage(): Promise<{ page: Page; warnings: string[] }> {
  const context = await browser.newContext({ viewport: { width: 820, height: 700 } });
  contexts.push(context);
  const page = await context.newPage();
  const warnings: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  return { page, warnings };
}

/** Waits for a console warning containing `text` (the page's own pace, no timer of ours). */
async function warned(page: Page, warnings: string[], text: string, timeout = 15_000): Promise<string> {
  const seen = warnings.find((warning) => warning.includes(text));
  if (seen) return seen;
  const message = await page.waitForEvent('console', { predicate: (candidate) => candidate.type() === 'warning' && candidate.text().includes(text), timeout });
  return message.text();
}

const loader = () => `<script src="${t.url}/embed.js" async></script>`;

describe('embed.js warns the engineer in the browser console', () => {
  test('when no container is found, naming what it looked for', async () => {
    const { page, warnings } = await watchedPage();
    await page.goto(host.page('/no-container.html', hostHtml('Wrong id', `<div id="porthole-embed" data-token="x"></div>${loader()}`)));
    expect(await warned(page, warnings, 'no container found')).toContain('looked for id="porthole" and data-porthole');
  });

  test('when data-token holds an API key, and then sends it nowhere', async () => {
    const { page, warnings } = await watchedPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(
      host.page(
        '/api-key.html',
        hostHtml('API key', `<div id="porthole" data-token="ph_abcdefghijklmnopqrstuvwxyz012345" data-api-url="${t.url}"></div>${loader()}`),
      ),
    );
    expect(await warned(page, warnings, 'data-token is an API key')).toContain('never put one in a web page');
    expect(await page.locator('#porthole iframe').count()).toBe(0);
    expect(requests.filter((url) => url.includes('ph_abcdef'))).toEqual([]);
  });

  test('when data-token holds a URL', async () => {
    const { page, warnings } = await watchedPage();
    const minted = await mint(t, { pageId, audience: 'PUBLIC' });
    await page.goto(
      host.page('/url-token.html', hostHtml('URL', `<div id="porthole" data-token="${minted.embedUrl}" data-api-url="${t.url}"></div>${loader()}`)),
    );
    expect(await warned(page, warnings, 'data-token is a URL')).toContain('data-page-url');
  });

  test('when data-token was cut short, while the embed still answers only "unavailable"', async () => {
    const { page, warnings } = await watchedPage();
    const user = await createUser(t, 'ada-cut');
    const cut = user.embedToken.slice(0, -10);
    await page.goto(host.page('/cut-token.html', hostHtml('Cut', `<div id="porthole" data-token="${cut}" data-api-url="${t.url}"></div>${loader()}`)));
    expect(await warned(page, warnings, 'data-token is not a whole token')).toContain('cut short');
    const frame = await frameOf(page, '/dashboard.html');
    await expect(
      frame
        .getByRole('alert')
        .or(frame.getByText(/unavailable/i))
        .first()
        .innerText({ timeout: 10_000 }),
    ).resolves.toMatch(/unavailable/i);
  });

  test('when data-api-url does not answer within 10 seconds', async () => {
    const { page, warnings } = await watchedPage();
    const user = await createUser(t, 'ada-silent');
    await page.goto(
      host.page('/silent.html', hostHtml('Silent', `<div id="porthole" data-token="${user.embedToken}" data-api-url="${silentUrl}"></div>${loader()}`)),
      {
        // The page's load event waits for the iframe, which never comes.
        waitUntil: 'domcontentloaded',
      },
    );
    expect(await warned(page, warnings, 'did not answer within 10 s', 25_000)).toContain(`data-api-url (${silentUrl})`);
  }, 40_000);

  test('a working embed raises none of these warnings', async () => {
    const { page, warnings } = await watchedPage();
    const user = await createUser(t, 'ada-fine');
    await page.goto(host.page('/fine.html', hostHtml('Fine', `<div id="porthole" data-token="${user.embedToken}" data-api-url="${t.url}"></div>${loader()}`)));
    await page.waitForFunction(() =>
      (window as unknown as { portholeEvents: Array<{ type: string }> }).portholeEvents.some((event) => event.type === 'porthole:ready'),
    );
    expect(warnings.filter((warning) => warning.includes('Porthole'))).toEqual([]);
  });
});

describe('the embed says in its own console when the token is under the other parameter', () => {
  test('a dashboard URL with t= instead of token=', async () => {
    const { page, warnings } = await watchedPage();
    const user = await createUser(t, 'ada-t');
    const src = `${t.url}/dashboard.html?t=${user.embedToken}`;
    await page.goto(host.page('/dashboard-t.html', hostHtml('t=', `<iframe src="${src}" title="Porthole" style="width:100%;height:400px;border:0"></iframe>`)));
    expect(await warned(page, warnings, 'dashboard URL has t=')).toContain('takes its token as token=');
  });

  test('a page embed URL with token= instead of t=', async () => {
    const { page, warnings } = await watchedPage();
    const minted = await mint(t, { pageId, audience: 'PUBLIC' });
    const src = minted.embedUrl.replace('?t=', '?token=');
    await page.goto(
      host.page('/page-token.html', hostHtml('token=', `<iframe src="${src}" title="Porthole" style="width:100%;height:400px;border:0"></iframe>`)),
    );
    expect(await warned(page, warnings, 'page embed URL has token=')).toContain('takes its token as t=');
  });
});
