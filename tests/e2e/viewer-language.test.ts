import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { createPage, createSecret, ingest, mint } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeBrowserTest, figure, frameOf, hostHtml, launchChromium, requireBuiltClient, SCREENSHOT_DIR, startHostSite, type HostSite } from './browser.js';

/**
 * What a viewer reads, in real Chromium, PUBLIC embeds on a host page on 127.0.0.1: the period and
 * its zone beside the picker, table times that name their zone, money to its minor units and per
 * column, a German embed in German (`<html lang="de">`), a warning for a zone nobody knows, and light
 * unless someone asks for dark. At 1280 and 390 px, with a screenshot of each.
 *
 * The server's clock starts at Monday 2026-12-07 13:00 in Berlin: "Last 30 days" there is Nov 8 – Dec 7.
 */

const START = Date.now();
const NOW = Date.parse('2026-12-07T12:00:00Z');
const DAY = 86_400_000;
const WIDTHS = [1280, 390] as const;
let t: TestServer;
let host: HostSite;
let browser: Browser;
let pageId: string;
const contexts: BrowserContext[] = [];

const CHANNELS = ['web', 'phone', 'shop'];
/** 40 orders over the last 20 days, two a day; amounts with cents, so money shows its minor units. */
const ORDERS = Array.from({ length: 40 }, (_, i) => ({
  owner: `cust-${i % 5}`,
  at: new Date(NOW - Math.floor(i / 2) * DAY - (i % 2) * 5 * 3600_000 - 3600_000).toISOString(),
  customer: ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara'][i % 5],
  channel: CHANNELS[i % 3],
  amount: 57.9 + i * 312.35,
  minutes: 5 + ((i * 17) % 90),
}));
const REVENUE = ORDERS.reduce((sum, order) => sum + order.amount, 0);

beforeAll(async () => {
  requireBuiltClient();
  t = await startTestServer({ clock: { now: () => new Date(NOW + (Date.now() - START)) } });
  host = await startHostSite();
  browser = await launchChromium();
  await ingest(t, 'orders', ORDERS);
  pageId = await createPage(t, {
    title: 'Shop orders',
    description: 'Orders of the shop, counted in Berlin days.',
    timezone: 'Europe/Berlin',
    dateRange: { default: 'LAST_30_DAYS', presets: ['LAST_7_DAYS', 'LAST_30_DAYS', 'LAST_90_DAYS'], maxDays: 92 },
    widgets: [
      {
        title: 'Revenue',
        kind: 'NUMBER',
        format: { style: 'CURRENCY', currency: 'EUR' },
        query: { dataset: 'orders', metric: { fn: 'SUM', field: 'amount' } },
      },
      { title: 'Orders', kind: 'NUMBER', query: { dataset: 'orders', metric: { fn: 'COUNT' } } },
      { title: 'By channel', kind: 'BAR', query: { dataset: 'orders', groupBy: 'channel', metric: { fn: 'COUNT' } } },
      {
        title: 'Revenue per day',
        kind: 'LINE',
        format: { style: 'CURRENCY', currency: 'EUR' },
        query: { dataset: 'orders', bucket: 'DAY', metric: { fn: 'SUM', field: 'amount' } },
      },
      {
        title: 'Revenue by channel',
        kind: 'BAR',
        format: { style: 'CURRENCY', currency: 'EUR' },
        query: { dataset: 'orders', groupBy: 'channel', metric: { fn: 'SUM', field: 'amount' } },
      },
      {
        title: 'Latest orders',
        kind: 'TABLE',
        columnFormats: [
          { column: 'amount', style: 'CURRENCY', currency: 'EUR' },
          { column: 'minutes', style: 'DURATION', unit: 'minute' },
        ],
        query: { dataset: 'orders', select: ['customer', 'at', 'amount', 'minutes'], sort: { field: 'at', direction: 'DESC' }, limit: 4 },
      },
    ],
  });
  await createSecret(t);
}, 30_000);

afterAll(() => closeBrowserTest(contexts, browser, host, t));

interface Visitor {
  width?: number;
  locale?: string;
  timezoneId?: string;
  colorScheme?: 'light' | 'dark';
}

async function newPage({ width = 1280, locale = 'en-US', timezoneId = 'Europe/Berlin', colorScheme = 'light' }: Visitor = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale, timezoneId, colorScheme });
  contexts.push(context);
  return context.newPage();
}

const withParams = (url: string, params: Record<string, string>) => {
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(params)) parsed.searchParams.set(key, value);
  return parsed.href;
};

/** The embed in a plain iframe on the host site, its URL carrying `params`. */
async function embedded(page: Page, embedUrl: string, params: Record<string, string> = {}): Promise<Frame> {
  const src = withParams(embedUrl, { origin: host.origin, ...params });
  const html = hostHtml(
    'Viewer language',
    `<div class="slot"><iframe id="embed" src="${src}" title="Shop orders" style="width:100%;height:2000px;border:0"></iframe></div>`,
  );
  await page.goto(host.page(`/language-${Math.random().toString(36).slice(2)}.html`, html));
  return frameOf(page, '/embed-page/');
}

const messagesOf = (page: Page) =>
  page.evaluate(() => (window as unknown as { portholeMessages: Array<{ origin: string; data: Record<string, unknown> }> }).portholeMessages);

/** Chromium paints an iframe only within the viewport: make the viewport as tall as the host page, then shoot. */
async function screenshot(page: Page, width: number, name: string): Promise<void> {
  await page.setViewportSize({ width, height: await page.evaluate(() => document.documentElement.scrollHeight) });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `viewer-language-${name}-${width}.png`), fullPage: true });
}

/** Intl's narrow and non-breaking spaces (German and French money), read as plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
/** Every text of a chart, and whether it lies wholly inside its SVG (a clipped label does not). */
const chartTexts = (frame: Frame, title: string) =>
  frame
    .locator('section.card')
    .filter({ has: frame.getByRole('heading', { name: title, exact: true }) })
    .locator('svg')
    .evaluate((svg: SVGSVGElement) =>
      [...svg.querySelectorAll('text')].map((text) => {
        const box = text.getBBox();
        return { kind: text.getAttribute('class'), text: text.textContent ?? '', inside: box.x >= 0 && box.x + box.width <= svg.width.baseVal.value };
      }),
    );
const tableRows = (frame: Frame) =>
  frame
    .locator('section[data-kind="TABLE"] tbody tr')
    .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => (cell as HTMLElement).innerText.trim())));

describe('the period and the zone', () => {
  test.each(WIDTHS)('at %i px, "Nov 8 – Dec 7 · Berlin time" sits beside the picker, and table times name Berlin for a viewer in New York', async (width) => {
    const page = await newPage({ width, timezoneId: 'America/New_York' });
    const frame = await embedded(page, (await mint(t, { pageId, audience: 'PUBLIC' })).embedUrl);
    await figure(frame, 'Orders');
    await expect(frame.getByTestId('period').innerText()).resolves.toBe('Nov 8 – Dec 7 · Berlin time');
    // The viewer's clock is New York's: each time says whose it is.
    const rows = await tableRows(frame);
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row[1]).toMatch(/^(Dec|Nov) \d+, \d+:\d\d\s[AP]M GMT\+1$/);
    // Money to its cents in its own column, minutes as a duration in theirs.
    expect(rows.map((row) => row[2])).toEqual(
      ORDERS.slice(0, 4)
        .sort((a, b) => b.at.localeCompare(a.at))
        .map((order) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(order.amount)),
    );
    expect(rows[0]![2]).toMatch(/^€[\d,]+\.\d\d$/);
    for (const row of rows) expect(row[3]).toMatch(/^(\d+ hr )?\d+ min$/);
    expect(await figure(frame, 'Revenue')).toBe(new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(REVENUE));
    // Money on charts: one way per axis (€0, €15K, €30K), and no label cut at an edge.
    for (const title of ['Revenue per day', 'Revenue by channel']) {
      const texts = await chartTexts(frame, title);
      const values = texts.filter((text) => text.kind === 'tick' && text.text.startsWith('€'));
      expect(values.length).toBeGreaterThanOrEqual(2);
      expect(values.map((tick) => tick.text)).toEqual(values.map((tick) => (tick.text === '€0' ? '€0' : expect.stringMatching(/^€\d+(\.\d+)?K$/))));
      expect(texts.filter((text) => !text.inside)).toEqual([]);
    }
    await screenshot(page, width, 'period');
  });

  test("in the viewer's own zone the line names it, and table times need no zone", async () => {
    const page = await newPage({ timezoneId: 'America/New_York' });
    const frame = await embedded(page, (await mint(t, { pageId, audience: 'PUBLIC' })).embedUrl, { tz: 'America/New_York' });
    await figure(frame, 'Orders');
    await expect(frame.getByTestId('period').innerText()).resolves.toBe('Nov 8 – Dec 7 · New York time');
    for (const row of await tableRows(frame)) expect(row[1]).toMatch(/^(Dec|Nov) \d+, \d+:\d\d\s[AP]M$/);
  });

  test('a locked range names its period and zone, whatever zone the viewer sends', async () => {
    const page = await newPage();
    const minted = await mint(t, { pageId, audience: 'PUBLIC', range: { preset: 'LAST_7_DAYS' }, timezone: 'Europe/Berlin' });
    const frame = await embedded(page, minted.embedUrl, { tz: 'Pacific/Kiritimati' });
    await figure(frame, 'Orders');
    await expect(frame.getByLabel('Date range').count()).resolves.toBe(0);
    await expect(frame.getByTestId('period').innerText()).resolves.toBe('Last 7 days: Dec 1 – Dec 7 · Berlin time');
  });

  test.each(WIDTHS)('at %i px, an unknown zone from the URL or the host is warned about in the console and sent as porthole:warning', async (width) => {
    const page = await newPage({ width });
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    const frame = await embedded(page, (await mint(t, { pageId, audience: 'PUBLIC' })).embedUrl, { tz: 'Mars/Olympus_Mons' });
    await figure(frame, 'Orders');
    // The page's own zone is shown, and said.
    await expect(frame.getByTestId('period').innerText()).resolves.toBe('Nov 8 – Dec 7 · Berlin time');
    const warned = () => messagesOf(page).then((messages) => messages.filter((m) => m.data['type'] === 'porthole:warning'));
    expect(await warned()).toEqual([
      { origin: new URL(t.url).origin, data: { v: 1, type: 'porthole:warning', code: 'UNKNOWN_TIMEZONE', value: 'Mars/Olympus_Mons' } },
    ]);
    expect(warnings.some((text) => text.includes('"Mars/Olympus_Mons" is not a time zone'))).toBe(true);
    // The host's porthole:set-timezone with a zone nobody knows: the same, and the view stays.
    await page.evaluate((origin) => {
      (document.getElementById('embed') as HTMLIFrameElement).contentWindow!.postMessage(
        { v: 1, type: 'porthole:set-timezone', timezone: 'Atlantis/Capital' },
        origin,
      );
    }, new URL(t.url).origin);
    await page.waitForFunction(
      () =>
        (window as unknown as { portholeMessages: Array<{ data: { type: string } }> }).portholeMessages.filter((m) => m.data.type === 'porthole:warning')
          .length === 2,
    );
    expect((await warned())[1]!.data).toEqual({ v: 1, type: 'porthole:warning', code: 'UNKNOWN_TIMEZONE', value: 'Atlantis/Capital' });
    expect(warnings.some((text) => text.includes('"Atlantis/Capital" is not a time zone'))).toBe(true);
    await expect(frame.getByTestId('period').innerText()).resolves.toBe('Nov 8 – Dec 7 · Berlin time');
    await screenshot(page, width, 'unknown-zone');
  });
});

test("embed.js passes an unknown data-tz on, and the host's container hears porthole:warning as a DOM event", async () => {
  const page = await newPage();
  const minted = await mint(t, { pageId, audience: 'PUBLIC' });
  await page.goto(
    host.page(
      '/loader-unknown-zone.html',
      hostHtml(
        'Unknown zone',
        `<div class="slot"><div id="box" data-porthole data-page-url="${minted.embedUrl}" data-tz="Mars/Olympus_Mons"></div></div>
        <script>window.heard = []; document.getElementById('box').addEventListener('porthole:warning', (event) => window.heard.push(event.detail));</script>
        <script src="${t.url}/embed.js" async></script>`,
      ),
    ),
  );
  const frame = await frameOf(page, '/embed-page/');
  await figure(frame, 'Orders');
  await page.waitForFunction(() => (window as unknown as { heard: unknown[] }).heard.length > 0);
  await expect(page.evaluate(() => (window as unknown as { heard: unknown[] }).heard)).resolves.toEqual([
    { v: 1, type: 'porthole:warning', code: 'UNKNOWN_TIMEZONE', value: 'Mars/Olympus_Mons' },
  ]);
  await expect(frame.getByTestId('period').innerText()).resolves.toBe('Nov 8 – Dec 7 · Berlin time');
});

describe('the viewer’s language', () => {
  test.each(WIDTHS)('at %i px, a de-DE embed (data-locale) is German: picker, period, axis title, money, and <html lang="de">', async (width) => {
    // The browser speaks English: the host's data-locale wins.
    const page = await newPage({ width, locale: 'en-US' });
    const minted = await mint(t, { pageId, audience: 'PUBLIC' });
    await page.goto(
      host.page(
        `/german-${width}.html`,
        hostHtml(
          'Deutsch',
          `<div class="slot"><div data-porthole data-page-url="${minted.embedUrl}" data-locale="de-DE"></div></div><script src="${t.url}/embed.js" async></script>`,
        ),
      ),
    );
    const frame = await frameOf(page, '/embed-page/');
    await figure(frame, 'Orders');
    await expect(frame.evaluate(() => document.documentElement.lang)).resolves.toBe('de');
    const picker = frame.getByLabel('Zeitraum');
    await expect(picker.inputValue()).resolves.toBe('LAST_30_DAYS');
    await expect(picker.locator('option').allInnerTexts()).resolves.toEqual(['Letzte 7 Tage', 'Letzte 30 Tage', 'Letzte 90 Tage']);
    await expect(frame.getByTestId('period').innerText()).resolves.toBe('8. Nov. – 7. Dez. · Mitteleuropäische Zeit');
    // Axis titles made from column names are German too ("count" → "Anzahl"), and a money axis is written the German way.
    const titles = async (title: string) => (await chartTexts(frame, title)).filter((text) => text.kind === 'axis-title').map((text) => text.text);
    await expect(titles('By channel')).resolves.toContain('Anzahl');
    await expect(titles('Revenue by channel')).resolves.toContain('Summe von amount');
    const money = (await chartTexts(frame, 'Revenue by channel')).filter((text) => text.kind === 'tick').map((text) => plain(text.text));
    expect(money).toEqual(['0 €', '50.000 €', '100.000 €']);
    expect(plain(await figure(frame, 'Revenue'))).toBe(plain(new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(REVENUE)));
    expect(plain(await figure(frame, 'Revenue'))).toMatch(/^[\d.]+,\d\d €$/);
    const rows = await tableRows(frame);
    for (const row of rows) expect(plain(row[2]!)).toMatch(/^[\d.]+,\d\d €$/);
    // A picked preset reloads in German.
    await picker.selectOption({ label: 'Letzte 7 Tage' });
    await frame.getByTestId('period').filter({ hasText: '1. Dez. – 7. Dez. · Mitteleuropäische Zeit' }).waitFor();
    await screenshot(page, width, 'de');
  });

  test('the token’s locale speaks when the viewer names none; a language without a catalog keeps English words and its own numbers', async () => {
    const page = await newPage({ locale: 'en-US' });
    const frame = await embedded(page, (await mint(t, { pageId, audience: 'PUBLIC', locale: 'fr-FR' })).embedUrl);
    await figure(frame, 'Orders');
    await expect(frame.evaluate(() => document.documentElement.lang)).resolves.toBe('fr');
    await expect(frame.getByLabel('Période').count()).resolves.toBe(1);
    await expect(frame.getByTestId('period').innerText()).resolves.toMatch(/ · heure d’Europe centrale$/);
    const portuguese = await embedded(page, (await mint(t, { pageId, audience: 'PUBLIC' })).embedUrl, { locale: 'pt-BR' });
    await figure(portuguese, 'Orders');
    await expect(portuguese.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    await expect(portuguese.getByLabel('Date range').count()).resolves.toBe(1);
    expect(plain(await figure(portuguese, 'Revenue'))).toBe(plain(new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'EUR' }).format(REVENUE)));
  });
});

describe('the theme', () => {
  const colours = (frame: Frame) =>
    frame.evaluate(() => ({ theme: document.documentElement.dataset['theme'], background: getComputedStyle(document.body).backgroundColor }));
  const LIGHT = 'rgb(255, 255, 255)';
  const DARK = 'rgb(17, 21, 28)';

  test.each(WIDTHS)('at %i px, a dark-mode visitor sees a light embed unless someone asks for dark or auto', async (width) => {
    const page = await newPage({ width, colorScheme: 'dark' });
    const plainEmbed = await mint(t, { pageId, audience: 'PUBLIC' });
    let frame = await embedded(page, plainEmbed.embedUrl);
    await figure(frame, 'Orders');
    await expect(colours(frame)).resolves.toEqual({ theme: 'light', background: LIGHT });
    await screenshot(page, width, 'light-for-dark-visitor');
    // The host asks for auto: the visitor's dark mode.
    frame = await embedded(page, plainEmbed.embedUrl, { theme: 'auto' });
    await figure(frame, 'Orders');
    await expect(colours(frame)).resolves.toEqual({ theme: 'auto', background: DARK });
    await screenshot(page, width, 'auto-for-dark-visitor');
  });

  test("the token's theme applies unless the host names one", async () => {
    const page = await newPage({ colorScheme: 'light' });
    const dark = await mint(t, { pageId, audience: 'PUBLIC', theme: 'DARK' });
    let frame = await embedded(page, dark.embedUrl);
    await figure(frame, 'Orders');
    await expect(colours(frame)).resolves.toEqual({ theme: 'dark', background: DARK });
    frame = await embedded(page, dark.embedUrl, { theme: 'light' });
    await figure(frame, 'Orders');
    await expect(colours(frame)).resolves.toEqual({ theme: 'light', background: LIGHT });
  });
});

describe('how the embed looks', () => {
  test.each([
    [1280, 'light'],
    [1280, 'dark'],
    [390, 'light'],
    [390, 'dark'],
  ] as const)('at %i px in %s, a de-DE embed draws every widget, in German, on its theme', async (width, theme) => {
    const page = await newPage({ width, locale: 'de-DE' });
    const frame = await embedded(page, (await mint(t, { pageId, audience: 'PUBLIC' })).embedUrl, { theme, locale: 'de-DE' });
    await figure(frame, 'Orders');
    await expect(frame.evaluate(() => [document.documentElement.lang, document.documentElement.dataset['theme']])).resolves.toEqual(['de', theme]);
    // The charts and the table (chunks loaded on use) are drawn with the page, not after it.
    await expect(frame.locator('section.card svg').count()).resolves.toBe(3);
    await expect(frame.getByRole('table', { name: 'Latest orders' }).locator('tbody tr').count()).resolves.toBe(4);
    await expect(frame.getByTestId('period').innerText()).resolves.toBe('8. Nov. – 7. Dez. · Mitteleuropäische Zeit');
    const [r, g, b] = (await frame.evaluate(() => getComputedStyle(document.body).backgroundColor)).match(/\d+/g)!.map(Number);
    expect((r! + g! + b!) / 3 > 128).toBe(theme === 'light');
    await screenshot(page, width, `de-${theme}`);
  });
});
