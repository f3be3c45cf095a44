import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { join } from 'node:path';
import { CALLS, createPage, createSecret, ingest, mint, PAGE_QUERY } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { figure, frameOf, launchChromium, requireBuiltClient, SCREENSHOT_DIR } from './browser.js';

/**
 * The page builder in real Chromium, used as a person would: sign in, New page, widgets picked from
 * the dataset catalog with a live preview, Save page, Edit page, Delete page.
 */

let t: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page;
let savedPageId = '';

beforeAll(async () => {
  requireBuiltClient();
  t = await startTestServer();
  browser = await launchChromium();
  await ingest(t, 'calls', CALLS);
  await createSecret(t);
}, 30_000);

afterAll(async () => {
  await Promise.allSettled(contexts.map((context) => context.close()));
  await browser?.close();
  await t?.close();
});

async function newPage(options: { width?: number; height?: number; dark?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    colorScheme: options.dark ? 'dark' : 'light',
  });
  context.setDefaultTimeout(8_000);
  contexts.push(context);
  return context.newPage();
}

const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: join(SCREENSHOT_DIR, `builder-${name}.png`), fullPage });
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function signIn(page: Page, apiKey: string): Promise<void> {
  await page.goto(`${t.url}/console`);
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Pages', level: 1 }).waitFor();
}

const widget = (page: Page, position: number) => page.getByTestId('widget-editor').nth(position - 1);

describe('the page builder, as an admin', () => {
  test('New page: a NUMBER (COUNT over calls) and a BAR grouped by channel show live preview numbers', async () => {
    admin = await newPage();
    await signIn(admin, t.apiKey);
    await admin.getByRole('link', { name: 'New page' }).click();
    await admin.getByRole('heading', { name: 'New page', level: 1 }).waitFor();
    await admin.getByLabel('Title', { exact: true }).first().fill('Support overview');

    const first = widget(admin, 1);
    // The dataset picker starts from the catalog's first dataset, and the default metric is a count.
    expect(await first.getByLabel('Dataset').inputValue()).toBe('calls');
    await first.getByLabel('Title').fill('Calls');
    await expect(first.getByTestId('preview-number').innerText()).resolves.toBe('6');

    await admin.getByRole('button', { name: 'Add widget' }).click();
    const second = widget(admin, 2);
    await second.getByLabel('Kind').selectOption('BAR');
    await second.getByLabel('Title').fill('By channel');
    await second.getByLabel('Group by').fill('channel');
    const table = second.getByTestId('preview-table');
    await table.getByRole('row', { name: /phone\s+3/ }).waitFor();
    await expect(table.innerText()).resolves.toMatch(/chat\s+2[\s\S]*email\s+1/);
    await shot(admin, 'new-page', true);
  });

  test('a typo is caught while typing, with the closest field suggested, before saving', async () => {
    const second = widget(admin, 2);
    await second.getByLabel('Group by').fill('chanel');
    await second.getByText('Unknown field "chanel" in dataset "calls"; did you mean "channel"?').first().waitFor();
    // The server's preview says the same, so a save would be refused with that message.
    await expect(second.getByTestId('preview-error').innerText()).resolves.toBe('Unknown field "chanel" in dataset "calls"; did you mean "channel"?');
    await second.screenshot({ path: join(SCREENSHOT_DIR, 'builder-typo.png') });
    await second.getByLabel('Group by').fill('channel');
    await second
      .getByTestId('preview-table')
      .getByRole('row', { name: /phone\s+3/ })
      .waitFor();
  });

  test('filters suggest the field’s values and narrow the preview', async () => {
    const first = widget(admin, 1);
    await first.getByRole('button', { name: 'Add a filter' }).click();
    await first.getByLabel('Filter 1 field').fill('channel');
    const options = first.locator('datalist option');
    await admin.waitForFunction(
      (element) => [...(element as HTMLElement).querySelectorAll('datalist option')].some((option) => (option as HTMLOptionElement).value === 'email'),
      await first.elementHandle(),
    );
    expect(await options.evaluateAll((list) => list.map((option) => (option as HTMLOptionElement).value))).toEqual(
      expect.arrayContaining(['phone', 'chat', 'email']),
    );
    await first.getByLabel('Filter 1 value').fill('phone');
    await first.getByTestId('preview-number').filter({ hasText: /^3$/ }).waitFor();
    await first.getByRole('button', { name: 'Remove filter 1' }).click();
    await first.getByTestId('preview-number').filter({ hasText: /^6$/ }).waitFor();
  });

  test('Save page opens the saved page, whose live embed shows the same numbers; the list has it', async () => {
    await admin.getByRole('button', { name: 'Save page' }).click();
    await admin.getByRole('heading', { name: 'Support overview', level: 1 }).waitFor();
    savedPageId = decodeURIComponent(/#\/pages\/([^/]+)$/.exec(admin.url())![1]!);
    const preview = await frameOf(admin, '/embed-page/');
    expect(await figure(preview, 'Calls')).toBe('6');
    await preview.getByRole('heading', { name: 'By channel' }).waitFor();
    await shot(admin, 'saved-page', true);

    await admin.getByRole('link', { name: 'Pages', exact: true }).first().click();
    const card = admin.locator('li', { has: admin.getByRole('link', { name: 'Support overview' }) });
    await expect(card.innerText()).resolves.toMatch(/2 widgets/);
    // The console's own preview is not among the page's embeds.
    const embeds = await t.gql<{ pageEmbeds: unknown[] }>('query($id: ID!) { pageEmbeds(pageId: $id) { id } }', { id: savedPageId });
    expect(embeds.body.data?.pageEmbeds).toEqual([]);
  });

  test('Edit page: remove a widget, move and save; the page has one widget left', async () => {
    await admin.getByRole('link', { name: 'Support overview' }).click();
    await admin.getByRole('link', { name: 'Edit page' }).click();
    await admin.getByRole('heading', { name: 'Edit page', level: 1 }).waitFor();
    await expect(widget(admin, 2).getByLabel('Group by').inputValue()).resolves.toBe('channel');
    await admin.getByRole('button', { name: 'Move By channel up' }).click();
    await expect(widget(admin, 1).getByLabel('Title').inputValue()).resolves.toBe('By channel');
    await admin.getByRole('button', { name: 'Remove Calls' }).click();
    await expect(admin.getByTestId('widget-editor').count()).resolves.toBe(1);
    await shot(admin, 'edit-page', true);
    await admin.getByRole('button', { name: 'Save page' }).click();
    await admin.getByRole('heading', { name: 'Support overview', level: 1 }).waitFor();
    const saved = await t.gql<{ page: { widgets: Array<{ title: string }> } }>('query($id: ID!) { page(id: $id) { widgets { title } } }', { id: savedPageId });
    expect(saved.body.data?.page.widgets).toEqual([{ title: 'By channel' }]);
  });

  test('Delete page lists the live embeds that will stop, and they stop', async () => {
    const embed = await mint(t, { pageId: savedPageId, audience: 'WORKSPACE', label: 'partner.example', origins: ['https://partner.example'] });
    expect((await t.embedGql(PAGE_QUERY, embed.token)).body.errors).toBeUndefined();
    await admin.reload();
    await admin.getByRole('heading', { name: 'Support overview', level: 1 }).waitFor();
    await admin.locator('li[data-embed-id]').getByText('partner.example', { exact: true }).waitFor();
    await admin.getByRole('button', { name: 'Delete page' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Delete “Support overview”?' });
    await expect(dialog.getByTestId('embeds-to-stop').innerText()).resolves.toMatch(/partner\.example[\s\S]*My workspace · https:\/\/partner\.example/);
    await shot(admin, 'delete-page');
    await dialog.getByRole('button', { name: 'Delete page' }).click();
    await admin.getByRole('heading', { name: 'Pages', level: 1 }).waitFor();
    expect(await admin.getByRole('link', { name: 'Support overview' }).count()).toBe(0);
    expect((await t.embedGql(PAGE_QUERY, embed.token)).body.errors?.[0]?.extensions?.code).toBe('EMBED_UNAVAILABLE');
  });

  test('leaving a page ends its console preview embed', async () => {
    const pageId = await createPage(t, {
      title: 'Short visit',
      widgets: [{ title: 'Calls', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } }],
    });
    await admin.goto(`${t.url}/console#/pages/${pageId}`);
    const frame = await frameOf(admin, '/embed-page/');
    expect(await figure(frame, 'Calls')).toBe('6');
    const token = new URL(frame.url()).searchParams.get('t')!;
    expect((await t.embedGql(PAGE_QUERY, token)).body.errors).toBeUndefined();
    await admin.getByRole('link', { name: 'Pages', exact: true }).first().click();
    await admin.getByRole('heading', { name: 'Pages', level: 1 }).waitFor();
    // The end is sent as the view closes; give that request a moment to land.
    for (let attempt = 0; attempt < 50 && !(await t.embedGql(PAGE_QUERY, token)).body.errors; attempt += 1) await admin.waitForTimeout(100);
    expect((await t.embedGql(PAGE_QUERY, token)).body.errors?.[0]?.extensions?.code).toBe('EMBED_UNAVAILABLE');
  });
});

describe('the page builder at 360 px, in dark mode, by keyboard', () => {
  test('the builder fits a 360 px screen and a widget can be added and saved with the keyboard alone', async () => {
    const page = await newPage({ width: 360, height: 780, dark: true });
    await signIn(page, t.apiKey);
    await page.getByRole('link', { name: 'New page' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'New page', level: 1 }).waitFor();
    await page.getByLabel('Title', { exact: true }).first().focus();
    await page.keyboard.type('Keyboard page');
    await expect(widget(page, 1).getByTestId('preview-number').innerText()).resolves.toBe('6');
    expect(await overflow(page)).toBe(0);
    await shot(page, 'new-page-360-dark', true);
    await page.getByRole('button', { name: 'Save page' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Keyboard page', level: 1 }).waitFor();
    expect(await overflow(page)).toBe(0);
  });
});
