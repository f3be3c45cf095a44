import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CALLS, CALLS_PAGE, createPage, createSecret, ingest, mint } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeBrowserTest, frameOf, hostHtml, launchChromium, requireBuiltClient, SCREENSHOT_DIR, startHostSite, type HostSite } from './browser.js';

/**
 * Real Chromium: a viewer on another site downloads a widget's CSV from an embed that allows it,
 * and an admin finds the mint and the download in Settings → Audit.
 */

let t: TestServer;
let host: HostSite;
let browser: Browser;
let pageId: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  requireBuiltClient();
  t = await startTestServer();
  host = await startHostSite();
  browser = await launchChromium();
  await ingest(t, 'calls', CALLS);
  pageId = await createPage(t, { ...CALLS_PAGE, dashboard: false });
  await createSecret(t);
}, 30_000);

afterAll(() => closeBrowserTest(contexts, browser, host, t));

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 820, height: 900 }, acceptDownloads: true });
  contexts.push(context);
  return context.newPage();
}

describe('exports in the browser', () => {
  test('a viewer downloads the CSV of a widget from an embed that allows it; an embed without exports shows no button', async () => {
    const minted = await mint(t, { pageId, audience: 'PUBLIC', exports: ['CSV', 'XLSX'] });
    const plain = await mint(t, { pageId, audience: 'PUBLIC' });
    const page = await newPage();
    await page.goto(
      host.page(
        '/exports.html',
        hostHtml(
          'Partner report',
          `<div class="slot"><iframe src="${minted.embedUrl}" title="Porthole embed" style="width:100%;height:1500px;border:0"></iframe></div>`,
        ),
      ),
    );
    const frame = await frameOf(page, '/embed-page/');
    const card = frame.locator('section[data-kind="BAR"]').filter({ has: frame.getByRole('heading', { name: 'By channel', exact: true }) });
    const button = card.getByRole('button', { name: 'Download CSV' });
    await button.waitFor({ timeout: 15_000 });
    await expect(card.getByRole('button', { name: 'Download Excel' }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'exports-embed-buttons.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe('By channel.csv');
    const text = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
    expect(text.split('\r\n')).toEqual(['channel,count', 'phone,3', 'chat,2', 'email,1', '']);

    const other = await newPage();
    await other.goto(
      host.page(
        '/plain.html',
        hostHtml(
          'No exports',
          `<div class="slot"><iframe src="${plain.embedUrl}" title="Porthole embed" style="width:100%;height:900px;border:0"></iframe></div>`,
        ),
      ),
    );
    const plainFrame = await frameOf(other, '/embed-page/');
    await plainFrame.getByRole('heading', { name: 'By channel', exact: true }).waitFor();
    expect(await plainFrame.getByRole('button', { name: 'Download CSV' }).count()).toBe(0);
  });

  test('Settings → Audit lists the mint and the export', async () => {
    await t.server.services.audit.drain();
    const page = await newPage();
    await page.goto(`${t.url}/console`);
    await page.getByRole('button', { name: 'Sign in with an API key' }).click();
    await page.getByLabel('API key').fill(t.apiKey);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Pages', level: 1 }).waitFor();
    await page.goto(`${t.url}/console#/settings/audit`);
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    await page.locator('tr[data-action="embed.export"]').first().waitFor();
    expect(await page.locator('tr[data-action="embed.mint"]').count()).toBe(2);
    await expect(page.locator('tr[data-action="embed.export"]').first().innerText()).resolves.toContain('format: csv');
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect(page.getByTestId('audit-chain').innerText()).resolves.toMatch(/^Chain intact: \d+ events verified\.$/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'exports-audit-settings.png'), fullPage: true });

    await page.getByLabel('Action').selectOption('embed.export');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForFunction(
      () => document.querySelectorAll('tbody tr').length === 1 && document.querySelector('tbody tr')?.getAttribute('data-action') === 'embed.export',
    );
  });

  test('the Embed dialog offers downloads, and the embeds list shows them', async () => {
    const page = await newPage();
    await page.goto(`${t.url}/console`);
    await page.getByRole('button', { name: 'Sign in with an API key' }).click();
    await page.getByLabel('API key').fill(t.apiKey);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Pages', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Calls' }).click();
    await page.getByRole('heading', { name: 'Calls', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Embed', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Embed “Calls”' });
    await dialog.getByLabel('Viewers may download CSV').check();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'exports-embed-dialog.png'), fullPage: true });
    await dialog.getByRole('button', { name: 'Create embed' }).click();
    await dialog
      .getByRole('button', { name: /Close|Done/ })
      .first()
      .click();
    await expect(page.getByTestId('embed-exports').first().innerText()).resolves.toContain('CSV');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'exports-embeds-list.png'), fullPage: true });
  });
});
