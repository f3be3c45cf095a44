import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { CALLS, CALLS_PAGE, createPage, createPrincipal, createSecret, ingest, mint } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeBrowserTest, figure, frameOf, hostHtml, requireBuiltClient, SCREENSHOT_DIR, startHostSite, type HostSite } from './browser.js';

/**
 * Who may open an embed, in real Chromium: the host page on another site (127.0.0.1) frames
 * Porthole (localhost). SELF and WORKSPACE embeds show "Sign in to view"; the first-party popup
 * signs the person in and hands the iframe a viewer token by postMessage. The browser blocks
 * third-party cookies outright, so none of it leans on them.
 */

let t: TestServer;
let host: HostSite;
/** Chromium with third-party cookies blocked outright: nothing here may lean on them. */
let browser: Browser;
let pageId: string;
let member: { id: string; apiKey: string };
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  requireBuiltClient();
  t = await startTestServer();
  host = await startHostSite();
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--test-third-party-cookie-phaseout'],
    timeout: 20_000,
  });
  await ingest(t, 'calls', CALLS);
  pageId = await createPage(t, CALLS_PAGE);
  await createSecret(t);
  member = await createPrincipal(t, { name: 'Teammate', dataAccess: { all: true } });
}, 40_000);

afterAll(() => closeBrowserTest(contexts, browser, host, t));

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 820, height: 760 } });
  contexts.push(context);
  return context.newPage();
}

/** The host page on 127.0.0.1 framing the embed URL (localhost). */
async function openHost(page: Page, embedUrl: string, name: string): Promise<Frame> {
  const src = new URL(embedUrl);
  src.searchParams.set('origin', host.origin);
  const html = hostHtml(name, `<div class="slot"><iframe src="${src.href}" title="Porthole embed" style="width:100%;height:640px;border:0"></iframe></div>`);
  await page.goto(host.page(`/${name}.html`, html));
  return frameOf(page, '/embed-page/');
}

/** Signs in inside the popup: with an API key (behind a link where the form offers other ways first). */
async function signInInPopup(popup: Page, apiKey: string): Promise<void> {
  await popup.waitForLoadState('domcontentloaded');
  const keyField = popup.locator('#api-key');
  if (!(await keyField.isVisible({ timeout: 3000 }).catch(() => false)))
    await popup
      .getByRole('button', { name: /api key/i })
      .or(popup.getByRole('link', { name: /api key/i }))
      .first()
      .click();
  await keyField.fill(apiKey);
  await popup.getByRole('button', { name: /^sign in$/i }).click();
}

/** Clicks "Sign in to view" in the frame and signs in as `apiKey`'s principal in the popup it opens. */
async function signInThroughPopup(page: Page, frame: Frame, apiKey: string, screenshot?: string): Promise<void> {
  const [popup] = await Promise.all([page.waitForEvent('popup'), frame.getByRole('button', { name: 'Sign in to view' }).click()]);
  expect(new URL(popup.url()).pathname).toBe('/console/embed-sign-in');
  if (screenshot) {
    await popup.locator('form').waitFor();
    await popup.screenshot({ path: join(SCREENSHOT_DIR, screenshot) });
  }
  const closed = popup.waitForEvent('close', { timeout: 10_000 });
  await signInInPopup(popup, apiKey);
  await closed;
}

describe('SELF embeds', () => {
  test('show "Sign in to view" to a stranger; the popup signs the minter in and the iframe shows the data', async () => {
    const { embedUrl } = await mint(t, { pageId, audience: 'SELF' });
    const page = await newPage();
    const frame = await openHost(page, embedUrl, 'self-embed');
    await frame.getByRole('button', { name: 'Sign in to view' }).waitFor();
    expect(await frame.locator('section[data-kind="NUMBER"]').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'viewer-sign-in-to-view.png') });

    await signInThroughPopup(page, frame, t.apiKey, 'viewer-sign-in-popup.png');
    expect(await figure(frame, 'Calls')).toBe('6');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'viewer-signed-in.png') });
  });

  test('another member who signs in is told "You don\'t have access to this embed."', async () => {
    const { embedUrl } = await mint(t, { pageId, audience: 'SELF' });
    const page = await newPage();
    const frame = await openHost(page, embedUrl, 'self-embed-other');
    await signInThroughPopup(page, frame, member.apiKey);
    await frame.getByText("You don't have access to this embed.").waitFor();
    expect(await frame.locator('section[data-kind="NUMBER"]').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'viewer-forbidden.png') });
  });
});

describe('WORKSPACE and PUBLIC embeds', () => {
  test('a WORKSPACE embed opens for any member of the workspace once signed in', async () => {
    const { embedUrl } = await mint(t, { pageId, audience: 'WORKSPACE' });
    const page = await newPage();
    const frame = await openHost(page, embedUrl, 'workspace-embed');
    await signInThroughPopup(page, frame, member.apiKey);
    expect(await figure(frame, 'Calls')).toBe('6');
  });

  test('a PUBLIC embed opens for a stranger with no sign-in at all', async () => {
    const { embedUrl } = await mint(t, { pageId, audience: 'PUBLIC' });
    const page = await newPage();
    const frame = await openHost(page, embedUrl, 'public-embed');
    expect(await figure(frame, 'Calls')).toBe('6');
    expect(await frame.getByRole('button', { name: 'Sign in to view' }).count()).toBe(0);
  });
});

describe('an existing console session', () => {
  test('opens a SELF embed on another site without a popup once the browser grants the frame storage access', async () => {
    const { embedUrl } = await mint(t, { pageId, audience: 'SELF' });
    const page = await newPage();
    // What the person's earlier "Allow" on the browser's storage-access prompt leaves behind.
    await page.context().grantPermissions(['storage-access']);
    await page.goto(`${t.url}/console`);
    await signInInPopup(page, t.apiKey);
    await page.getByRole('navigation').first().waitFor();
    let popups = 0;
    page.on('popup', () => popups++);
    const frame = await openHost(page, embedUrl, 'self-embed-session');
    expect(await figure(frame, 'Calls')).toBe('6');
    expect(popups).toBe(0);
  });

  test('without storage access and without third-party cookies, the same session still needs the popup', async () => {
    const { embedUrl } = await mint(t, { pageId, audience: 'SELF' });
    const page = await newPage();
    await page.goto(`${t.url}/console`);
    await signInInPopup(page, t.apiKey);
    await page.getByRole('navigation').first().waitFor();
    const frame = await openHost(page, embedUrl, 'self-embed-no-access');
    await frame.getByRole('button', { name: 'Sign in to view' }).waitFor();
    // The popup finds the console session (first-party) and hands over without asking again.
    const [popup] = await Promise.all([page.waitForEvent('popup'), frame.getByRole('button', { name: 'Sign in to view' }).click()]);
    await popup.waitForEvent('close', { timeout: 10_000 });
    expect(await figure(frame, 'Calls')).toBe('6');
  });
});
