import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { join } from 'node:path';
import { createPrincipal, createSecret, createUser, ingest, mint } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeBrowserTest, launchChromium, requireBuiltClient, SCREENSHOT_DIR } from './browser.js';

/**
 * The console for a person who is not an engineer (issue 23): a five-widget page built with pickers only, laid
 * out two cards side by side, shared from the page view, and the same layout in the embed; the signing secrets
 * screen (ids, ready code, what a revocation stops) and the users' host snippets.
 */

let t: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
let admin: Page;
let pageId = '';
let secret: { id: string; plaintext: string };
let memberId = '';

const SALES = [
  { owner: 'ada', at: '2026-11-01T10:00:00Z', channel: 'web', region: 'north', amount: 120.5, seconds: 300 },
  { owner: 'ada', at: '2026-11-01T12:00:00Z', channel: 'shop', region: 'south', amount: 80, seconds: 240 },
  { owner: 'grace', at: '2026-11-02T09:00:00Z', channel: 'web', region: 'north', amount: 42, seconds: 600 },
  { owner: 'grace', at: '2026-11-03T10:00:00Z', channel: 'phone', region: 'south', amount: 57.5, seconds: 660 },
];

beforeAll(async () => {
  requireBuiltClient();
  t = await startTestServer();
  browser = await launchChromium();
  await ingest(t, 'sales', SALES);
  secret = await createSecret(t);
  memberId = (await createPrincipal(t, { name: 'Mo Member', role: 'MEMBER' })).id;
  admin = await newPage();
  await signIn(admin);
}, 30_000);

afterAll(() => closeBrowserTest(contexts, browser, t));

async function newPage(width = 1280, height = 900): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  context.setDefaultTimeout(8_000);
  contexts.push(context);
  return context.newPage();
}

const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: join(SCREENSHOT_DIR, `people-${name}.png`), fullPage });

async function signIn(page: Page): Promise<void> {
  await page.goto(`${t.url}/console`);
  await page.getByRole('button', { name: 'Sign in with an API key' }).click();
  await page.getByLabel('API key').fill(t.apiKey);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Pages', level: 1 }).waitFor();
}

const widget = (position: number) => admin.getByTestId('widget-editor').nth(position - 1);

/** Counts what a person fills in: every visible text box, list and text area in the given part of the builder. */
const countInputs = (page: Page, selector: string) =>
  page.evaluate(
    (within) =>
      [...document.querySelectorAll(within)].flatMap((part) =>
        // checkVisibility: what is inside a closed "More options" is not shown, though it has boxes.
        [...part.querySelectorAll('input, select, textarea')].filter((element) => element.checkVisibility()),
      ).length,
    selector,
  );

/** Each card's box in an embed, by title. */
async function cardBoxes(frame: Frame | Page): Promise<Record<string, { x: number; y: number; width: number }>> {
  const boxes = await frame.locator('section[data-kind]').evaluateAll((cards) =>
    cards.map((card) => {
      const box = card.getBoundingClientRect();
      return [card.querySelector('h2')?.textContent?.trim() ?? '', { x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width) }] as const;
    }),
  );
  return Object.fromEntries(boxes);
}

/** The two cards laid side by side share a row and split it; every other card has a row of its own. */
function expectSideBySide(boxes: Record<string, { x: number; y: number; width: number }>) {
  const revenue = boxes['Revenue']!;
  const handling = boxes['Handling time']!;
  const full = boxes['Orders per day']!;
  expect(handling.y).toBe(revenue.y);
  expect(handling.x).toBeGreaterThan(revenue.x + revenue.width - 1);
  expect(Math.abs(revenue.width - handling.width)).toBeLessThanOrEqual(1);
  expect(revenue.width * 2).toBeLessThan(full.width + 20);
  expect(revenue.width * 2).toBeGreaterThan(full.width - 30);
  for (const title of ['By channel', 'Revenue by region']) expect(boxes[title]!.width).toBe(full.width);
}

describe('building a page with pickers only', () => {
  test('the five-widget page is built from lists: no name, code, zone or currency is typed', async () => {
    await admin.getByRole('link', { name: 'New page' }).click();
    await admin.getByRole('heading', { name: 'New page', level: 1 }).waitFor();
    await admin.getByLabel('Title', { exact: true }).first().fill('Sales overview');

    // A city is enough: it becomes its zone as the person leaves the field; a wrong one is flagged there.
    const zone = admin.getByLabel('Time zone');
    await zone.fill('Atlantis');
    await zone.blur();
    await admin.getByText('“Atlantis” is not a time zone: type a city and pick it from the list.').waitFor();
    await zone.fill('Berlin');
    await zone.blur();
    await expect(zone.inputValue()).resolves.toBe('Europe/Berlin');
    await admin.getByLabel('Refresh every').selectOption({ label: '5 minutes' });
    await admin.getByLabel('Cache results for').selectOption({ label: '1 minute' });

    // 1. NUMBER: revenue in euros. Only number fields are offered to add up.
    const first = widget(1);
    await first.getByLabel('Title').fill('Revenue');
    await first.getByLabel('Dataset').selectOption('sales');
    // One list says what is shown: a count, or a sum, average, minimum or maximum of a number field (only those).
    const shown = await first
      .getByLabel('Show', { exact: true })
      .locator('option')
      .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(shown).toEqual(['COUNT', ...['SUM', 'AVG', 'MIN', 'MAX'].flatMap((fn) => [`${fn}:amount`, `${fn}:seconds`])]);
    await first.getByLabel('Show', { exact: true }).selectOption('SUM:amount');
    await first.getByLabel('Number format').selectOption('CURRENCY');
    await first.getByLabel('Currency').selectOption('EUR');
    await first.getByTestId('number-value').filter({ hasText: '300' }).waitFor();

    // 2. LINE by day, one line per channel: the series sits beside the grouping.
    await admin.getByRole('button', { name: 'Add widget' }).click();
    const second = widget(2);
    await second.getByLabel('Kind').selectOption('LINE');
    await second.getByLabel('Title').fill('Orders per day');
    await expect(second.getByLabel('Group by time').inputValue()).resolves.toBe('DAY');
    await second.getByLabel('Split into series by').selectOption('channel');

    // 3. BAR by channel.
    await admin.getByRole('button', { name: 'Add widget' }).click();
    const third = widget(3);
    await third.getByLabel('Kind').selectOption('BAR');
    await third.getByLabel('Title').fill('By channel');
    await third.getByLabel('Group by').selectOption('channel');
    await third.getByRole('group', { name: /^By channel: web 2, / }).waitFor();

    // 4. TABLE: revenue per region, the money column in euros.
    await admin.getByRole('button', { name: 'Add widget' }).click();
    const fourth = widget(4);
    await fourth.getByLabel('Kind').selectOption('TABLE');
    await fourth.getByLabel('Title').fill('Revenue by region');
    await fourth.getByLabel('Show', { exact: true }).selectOption('SUM:amount');
    await fourth.getByLabel('Group by').selectOption('region');
    await fourth.getByLabel('Number format').selectOption('CURRENCY');
    await fourth.getByLabel('Currency').selectOption('EUR');

    // 5. NUMBER: handling time, counted in seconds, shown as a duration.
    await admin.getByRole('button', { name: 'Add widget' }).click();
    const fifth = widget(5);
    await fifth.getByLabel('Title').fill('Handling time');
    await fifth.getByLabel('Show', { exact: true }).selectOption('AVG:seconds');
    await fifth.getByLabel('Number format').selectOption('DURATION');
    await fifth.getByLabel('Values are in').selectOption('second');
    await fifth.getByTestId('number-value').filter({ hasText: '7 min 30 sec' }).waitFor();

    const widgetInputs = await countInputs(admin, '[data-testid="widget-editor"]');
    const layoutInputs = await countInputs(admin, '[data-testid="layout"]');
    console.log(`builder inputs for the five widgets: ${widgetInputs} in the widget editors + ${layoutInputs} in the layout = ${widgetInputs + layoutInputs}`);
    expect(widgetInputs + layoutInputs).toBeLessThan(47);
    // Nothing in the widgets is a free-text box but their titles.
    const textBoxes = await admin.evaluate(
      () => [...document.querySelectorAll('[data-testid="widget-editor"] input[type="text"]')].filter((box) => box.checkVisibility()).length,
    );
    expect(textBoxes).toBe(5);
    const withMoreOptions = await admin.evaluate(() => document.querySelectorAll('[data-testid="widget-editor"] :is(input, select, textarea)').length);
    console.log(`with every "More options" field counted too: ${withMoreOptions} + ${layoutInputs}`);
    await shot(admin, 'builder');
  });

  test('two cards are laid side by side: one dragged next to the other, both half a row, the order announced', async () => {
    const layout = admin.getByTestId('layout');
    const tiles = layout.getByTestId('layout-tile');
    // Drag "Handling time" (5th) onto "Orders per day" (2nd): it takes its place.
    // By its handle, as a person grabs it.
    await tiles.nth(4).getByTestId('drag-handle').dragTo(tiles.nth(1).getByTestId('drag-handle'));
    await expect(tiles.allInnerTexts()).resolves.toEqual([
      expect.stringContaining('1. Revenue'),
      expect.stringContaining('2. Handling time'),
      expect.stringContaining('3. Orders per day'),
      expect.stringContaining('4. By channel'),
      expect.stringContaining('5. Revenue by region'),
    ]);
    // By keyboard: down and back up, each move announced.
    await admin.getByRole('button', { name: 'Move Handling time down' }).click();
    await admin.getByRole('status').filter({ hasText: 'Handling time moved to position 3 of 5.' }).waitFor();
    await admin.getByRole('button', { name: 'Move Handling time up' }).focus();
    await admin.keyboard.press('Enter');
    await admin.getByRole('status').filter({ hasText: 'Handling time moved to position 2 of 5.' }).waitFor();
    await admin.getByLabel('Width of Revenue', { exact: true }).selectOption('HALF');
    await admin.getByLabel('Width of Handling time').selectOption('HALF');
    const boxes = await layout.getByTestId('layout-tile').evaluateAll((list) => list.map((tile) => tile.getBoundingClientRect().toJSON() as DOMRect));
    expect(boxes[1]!.y).toBe(boxes[0]!.y);
    await layout.screenshot({ path: join(SCREENSHOT_DIR, 'people-layout-builder.png') });

    await admin.getByRole('button', { name: 'Save page' }).click();
    await admin.getByRole('heading', { name: 'Sales overview', level: 1 }).waitFor();
    pageId = decodeURIComponent(/#\/pages\/([^/]+)$/.exec(admin.url())![1]!);
    const saved = await t.gql<{ page: Record<string, unknown> }>(
      'query($id: ID!) { page(id: $id) { timezone refreshSeconds freshnessSeconds widgets { title kind width format { style currency unit } query { seriesBy bucket groupBy } } } }',
      { id: pageId },
    );
    expect(saved.body.data?.page).toMatchObject({
      timezone: 'Europe/Berlin',
      refreshSeconds: 300,
      freshnessSeconds: 60,
      widgets: [
        { title: 'Revenue', kind: 'NUMBER', width: 'HALF', format: { style: 'CURRENCY', currency: 'EUR' } },
        { title: 'Handling time', kind: 'NUMBER', width: 'HALF', format: { style: 'DURATION', unit: 'second' } },
        { title: 'Orders per day', kind: 'LINE', width: 'FULL', query: { bucket: 'DAY', seriesBy: 'channel' } },
        { title: 'By channel', kind: 'BAR', width: 'FULL', query: { groupBy: 'channel' } },
        { title: 'Revenue by region', kind: 'TABLE', width: 'FULL', format: { style: 'CURRENCY', currency: 'EUR' }, query: { groupBy: 'region' } },
      ],
    });
  });

  test('Share sits beside Embed on the page view and gives a member access', async () => {
    const actions = admin.locator('header').filter({ has: admin.getByRole('heading', { name: 'Sales overview', level: 1 }) });
    await actions.getByRole('button', { name: 'Share' }).waitFor();
    await expect(actions.getByRole('button').allInnerTexts()).resolves.toEqual(expect.arrayContaining(['Share', 'Embed']));
    await admin.getByRole('button', { name: 'Share' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Share “Sales overview”' });
    await dialog.getByRole('button', { name: 'Give someone access' }).click();
    await dialog.getByLabel('Grant 1: who').selectOption(memberId);
    await dialog.getByLabel('Grant 1: level').selectOption('EDIT');
    await dialog.getByLabel('In this workspace').selectOption('PRIVATE');
    await shot(admin, 'share', false);
    await dialog.getByRole('button', { name: 'Save sharing' }).click();
    await dialog.getByText('Saved.').waitFor();
    const access = await t.gql<{ page: { sharing: string; grants: Array<{ principalId: string; level: string }> } }>(
      'query($id: ID!) { page(id: $id) { sharing grants { principalId level } } }',
      { id: pageId },
    );
    expect(access.body.data?.page).toEqual({ sharing: 'PRIVATE', grants: [{ principalId: memberId, level: 'EDIT' }] });
    await dialog.getByRole('button', { name: 'Done' }).click();
  });

  test('the embed lays the cards out as the builder did: side by side at 1280 px, one per row at 390 px', async () => {
    const embed = await mint(t, { pageId, audience: 'PUBLIC', origins: ['https://partner.example'], label: 'partner.example' });
    const wide = await newPage(1280, 1000);
    await wide.goto(embed.embedUrl);
    await wide.locator('section[data-kind="LINE"] svg').first().waitFor();
    const wideBoxes = await cardBoxes(wide);
    expectSideBySide(wideBoxes);
    await shot(wide, 'embed-1280');

    const phone = await newPage(390, 844);
    await phone.goto(embed.embedUrl);
    await phone.locator('section[data-kind="LINE"] svg').first().waitFor();
    const narrow = await cardBoxes(phone);
    const widths = new Set(Object.values(narrow).map((box) => box.width));
    expect(widths.size).toBe(1);
    expect(narrow['Handling time']!.y).toBeGreaterThan(narrow['Revenue']!.y);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await shot(phone, 'embed-390');

    // The console's own live preview is the same embed, laid out the same way.
    await admin.reload();
    const preview = admin.frames().find((frame) => frame.url().includes('/embed-page/'));
    const frame = preview ?? (await admin.waitForEvent('frameattached'));
    await frame.locator('section[data-kind="LINE"] svg').first().waitFor();
    expectSideBySide(await cardBoxes(frame));
    await shot(admin, 'page-view-1280');
  });
});

describe('the builder at 390 px', () => {
  test('the layout section puts every tile on its own row and fits the screen', async () => {
    const phone = await newPage(390, 844);
    await signIn(phone);
    await phone.goto(`${t.url}/console#/pages/${pageId}/edit`);
    const layout = phone.getByTestId('layout');
    await layout.waitFor();
    const tiles = await layout.getByTestId('layout-tile').evaluateAll((list) => list.map((tile) => Math.round(tile.getBoundingClientRect().width)));
    expect(new Set(tiles).size).toBe(1);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await layout.scrollIntoViewIfNeeded();
    await shot(phone, 'layout-builder-390', false);
  });
});

describe('signing secrets', () => {
  test('each secret shows its id and ready minting code with the workspace id, and revoking lists what stops first', async () => {
    await admin.goto(`${t.url}/console#/settings/developer/embedding`);
    const item = admin.locator(`li[data-credential-id="${secret.id}"]`);
    await expect(item.getByTestId('secret-kid').innerText()).resolves.toBe(secret.id);
    const viewer = await t.gql<{ viewer: { workspace: { id: string; slug: string } } }>('{ viewer { workspace { id slug } } }');
    const workspace = viewer.body.data!.viewer.workspace;
    await expect(admin.getByTestId('workspace-id').innerText()).resolves.toBe(workspace.id);
    await item.getByText('Mint tokens in your own service').click();
    const code = await item.getByTestId('self-mint-snippet').innerText();
    expect(code).toContain(`ws: '${workspace.id}'`);
    expect(code).toContain(`kid: '${secret.id}'`);
    expect(code).toContain(`/embed-page/${workspace.slug}/`);
    await shot(admin, 'signing-secrets');

    await item.getByRole('button', { name: /^Revoke / }).click();
    const dialog = admin.getByRole('dialog', { name: /^Revoke signing secret/ });
    const impact = dialog.getByTestId('revoke-impact');
    await impact.getByText('1 live embed stops').waitFor();
    await expect(impact.innerText()).resolves.toMatch(/Sales overview · 1 embed[\s\S]*https:\/\/partner\.example/);
    await shot(admin, 'revoke-secret', false);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });
});

describe('users', () => {
  test('a user has copyable embed.js and iframe snippets carrying their embed token', async () => {
    const user = await createUser(t, 'cust-42');
    await admin.goto(`${t.url}/console#/users`);
    await admin.getByRole('button', { name: 'Embed snippets for cust-42' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Embed cust-42’s dashboard' });
    const script = await dialog.getByTestId('user-script-snippet').innerText();
    expect(script).toBe(`<div id="porthole" data-token="${user.embedToken}" data-api-url="${t.url}"></div>\n<script src="${t.url}/embed.js" async></script>`);
    const iframe = await dialog.getByTestId('user-iframe-snippet').innerText();
    expect(iframe).toContain(`${t.url}/dashboard.html?token=${encodeURIComponent(user.embedToken)}`);
    await shot(admin, 'user-snippets', false);
    // The address in the iframe snippet is the user's live dashboard.
    const src = /src="([^"]+)"/.exec(iframe)![1]!.replace(/&amp;/g, '&');
    expect((await fetch(src)).status).toBe(200);
  });
});
