import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { createPage, createSecret, ingest, mint } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeBrowserTest, figure, frameOf, hostHtml, launchChromium, requireBuiltClient, SCREENSHOT_DIR, startHostSite, type HostSite } from './browser.js';

/**
 * What a viewer sees, in real Chromium: a range picker that changes the numbers, a host page that
 * sets the range and hears back, tooltips on keyboard focus, and the page at desktop and phone widths.
 * The server's clock starts at Thursday 2026-11-05 15:00 in New York and runs on from there.
 */

const START = Date.now();
const NOW = Date.parse('2026-11-05T20:00:00Z');
const DAY = 86_400_000;
let t: TestServer;
let host: HostSite;
let browser: Browser;
let pageId: string;
const contexts: BrowserContext[] = [];

const CHANNELS = ['phone', 'chat', 'email'];
/** 60 calls over the 30 New York days up to NOW: two a day, plus one on each of the last 7 days. */
const records = [
  ...Array.from({ length: 60 }, (_, i) => ({
    owner: `cust-${i % 4}`,
    at: new Date(NOW - Math.floor(i / 2) * DAY - (i % 2) * 3 * 3600_000 - 3600_000).toISOString(),
    channel: CHANNELS[i % 3],
    minutes: (i * 7) % 23,
    revenue: 1000 + i * 37.5,
  })),
  ...Array.from({ length: 7 }, (_, i) => ({
    owner: 'cust-9',
    at: new Date(NOW - i * DAY - 2 * 3600_000).toISOString(),
    channel: 'chat',
    minutes: 3,
    revenue: 12_345.5,
  })),
];

beforeAll(async () => {
  requireBuiltClient();
  t = await startTestServer({ clock: { now: () => new Date(NOW + (Date.now() - START)) } });
  host = await startHostSite();
  browser = await launchChromium();
  await ingest(t, 'calls', records);
  pageId = await createPage(t, {
    title: 'Support calls',
    description: 'Calls handled by the support team, in New York time.',
    timezone: 'America/New_York',
    dateRange: { default: 'LAST_30_DAYS', presets: ['TODAY', 'YESTERDAY', 'LAST_7_DAYS', 'LAST_30_DAYS', 'THIS_MONTH', 'ALL_TIME'], maxDays: 92 },
    widgets: [
      { title: 'Calls', kind: 'NUMBER', label: 'Calls', query: { dataset: 'calls', metric: { fn: 'COUNT' } } },
      {
        title: 'Revenue',
        kind: 'NUMBER',
        label: 'Revenue (EUR)',
        format: { style: 'CURRENCY', currency: 'EUR', decimals: 0 },
        query: { dataset: 'calls', metric: { fn: 'SUM', field: 'revenue' } },
      },
      {
        title: 'Time on calls',
        kind: 'NUMBER',
        label: 'Total',
        format: { style: 'DURATION', unit: 'minute' },
        query: { dataset: 'calls', metric: { fn: 'SUM', field: 'minutes' } },
      },
      {
        title: 'Calls per day by channel',
        kind: 'LINE',
        label: 'Calls',
        query: { dataset: 'calls', bucket: 'DAY', seriesBy: 'channel', metric: { fn: 'COUNT' } },
      },
      { title: 'By channel', kind: 'BAR', label: 'Calls', query: { dataset: 'calls', groupBy: 'channel', metric: { fn: 'COUNT' } } },
      {
        title: 'Latest calls',
        kind: 'TABLE',
        columnLabels: ['Customer', 'When', 'Minutes'],
        query: { dataset: 'calls', select: ['owner', 'at', 'minutes'], sort: { field: 'at', direction: 'DESC' }, limit: 5 },
      },
    ],
  });
  await createSecret(t);
}, 30_000);

afterAll(() => closeBrowserTest(contexts, browser, host, t));

async function newPage(width = 1280, locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale, timezoneId: 'Europe/Berlin' });
  contexts.push(context);
  return context.newPage();
}

const messagesOf = (page: Page) =>
  page.evaluate(() => (window as unknown as { portholeMessages: Array<{ origin: string; data: Record<string, unknown> }> }).portholeMessages);

async function embedded(page: Page, token: { embedUrl: string }, extra = ''): Promise<Frame> {
  const src = new URL(token.embedUrl);
  src.searchParams.set('origin', host.origin);
  const html = hostHtml(
    'Viewing',
    `<div class="slot"><iframe id="embed" src="${src.href}${extra}" title="Support calls" style="width:100%;height:1500px;border:0"></iframe></div>`,
  );
  await page.goto(host.page(`/viewing-${Math.random().toString(36).slice(2)}.html`, html));
  return frameOf(page, '/embed-page/');
}

// The embeds here are PUBLIC: these tests are about what a viewer sees and does, not who may view
// (a SELF or WORKSPACE embed on another site shows "Sign in to view" first; see viewer-identity.test.ts).
describe('viewing a page embed', () => {
  test('a viewer picks "Last 7 days" and the numbers change', async () => {
    const page = await newPage();
    const frame = await embedded(page, await mint(t, { pageId, audience: 'PUBLIC' }));
    expect(await figure(frame, 'Calls')).toBe('67');
    const picker = frame.getByLabel('Date range');
    await expect(picker.inputValue()).resolves.toBe('LAST_30_DAYS');
    await picker.selectOption({ label: 'Last 7 days' });
    // 14 of the 60 fall in the last 7 New York days, and the 7 extra ones.
    await frame.locator('section[data-kind="NUMBER"]').first().getByText('21', { exact: true }).waitFor();
    expect(await figure(frame, 'Calls')).toBe('21');
    const days = await frame.locator('section[data-kind="LINE"] svg rect.hit').count();
    expect(days).toBe(7);
    // The host heard of it.
    await page.waitForFunction(() =>
      (window as unknown as { portholeMessages: Array<{ data: { type: string } }> }).portholeMessages.some((m) => m.data.type === 'porthole:range-changed'),
    );
    const changed = (await messagesOf(page)).find((m) => m.data['type'] === 'porthole:range-changed')!;
    expect(changed.data).toMatchObject({ v: 1, range: { preset: 'LAST_7_DAYS', from: '2026-10-30T04:00:00.000Z' }, timezone: 'America/New_York' });
  });

  test('the host page sends porthole:set-range and receives porthole:range-changed', async () => {
    const page = await newPage();
    const frame = await embedded(page, await mint(t, { pageId, audience: 'PUBLIC' }));
    expect(await figure(frame, 'Calls')).toBe('67');
    const ready = (await messagesOf(page)).find((m) => m.data['type'] === 'porthole:ready')!;
    expect(ready.data).toMatchObject({ v: 1, range: { preset: 'LAST_30_DAYS' }, timezone: 'America/New_York' });
    const embedOrigin = new URL(t.url).origin;
    // An unversioned command is ignored.
    await page.evaluate((origin) => {
      (document.getElementById('embed') as HTMLIFrameElement).contentWindow!.postMessage(
        { type: 'porthole:set-range', range: { preset: 'YESTERDAY' } },
        origin,
      );
    }, embedOrigin);
    await page.waitForTimeout(400);
    expect((await messagesOf(page)).some((m) => m.data['type'] === 'porthole:range-changed')).toBe(false);
    await page.evaluate((origin) => {
      const frameWindow = (document.getElementById('embed') as HTMLIFrameElement).contentWindow!;
      frameWindow.postMessage({ v: 1, type: 'porthole:set-range', range: { preset: 'TODAY' } }, origin);
    }, embedOrigin);
    await page.waitForFunction(() =>
      (window as unknown as { portholeMessages: Array<{ data: { type: string } }> }).portholeMessages.some((m) => m.data.type === 'porthole:range-changed'),
    );
    const changed = (await messagesOf(page)).filter((m) => m.data['type'] === 'porthole:range-changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]!.origin).toBe(embedOrigin);
    expect(changed[0]!.data).toMatchObject({ v: 1, range: { preset: 'TODAY', from: '2026-11-05T05:00:00.000Z', to: '2026-11-06T05:00:00.000Z' } });
    // Today: 2 of the 60 and 1 extra.
    await frame.locator('section[data-kind="NUMBER"]').first().getByText('3', { exact: true }).waitFor();
    expect(await figure(frame, 'Calls')).toBe('3');
    await expect(frame.getByLabel('Date range').inputValue()).resolves.toBe('TODAY');
    // The theme, too.
    await page.evaluate((origin) => {
      (document.getElementById('embed') as HTMLIFrameElement).contentWindow!.postMessage({ v: 1, type: 'porthole:set-theme', theme: 'dark' }, origin);
    }, embedOrigin);
    await frame.waitForFunction(() => document.documentElement.dataset['theme'] === 'dark');
  });

  test('a locked range ignores the host page and shows no picker', async () => {
    const page = await newPage();
    const frame = await embedded(page, await mint(t, { pageId, audience: 'PUBLIC', range: { preset: 'YESTERDAY' } }));
    expect(await figure(frame, 'Calls')).toBe('3');
    await expect(frame.getByLabel('Date range').count()).resolves.toBe(0);
    await expect(frame.getByTestId('range').innerText()).resolves.toBe('Yesterday: Nov 4 – Nov 4');
    await page.evaluate((origin) => {
      (document.getElementById('embed') as HTMLIFrameElement).contentWindow!.postMessage(
        { v: 1, type: 'porthole:set-range', range: { preset: 'ALL_TIME' } },
        origin,
      );
    }, new URL(t.url).origin);
    await page.waitForTimeout(500);
    expect(await figure(frame, 'Calls')).toBe('3');
    expect((await messagesOf(page)).some((m) => m.data['type'] === 'porthole:range-changed')).toBe(false);
  });

  test('a tooltip with the bucket, series and values appears on keyboard focus, and on hover', async () => {
    const page = await newPage();
    const frame = await embedded(page, await mint(t, { pageId, audience: 'PUBLIC' }));
    await figure(frame, 'Calls');
    // Real key presses: into the frame, past the picker, onto the chart's first day.
    await frame.getByLabel('Date range').focus();
    await page.keyboard.press('Tab');
    const focused = await frame.evaluate(() => document.activeElement?.getAttribute('class'));
    expect(focused).toBe('hit');
    const tooltip = frame.getByRole('tooltip');
    await tooltip.waitFor();
    // The first New York day of the last 30 is Wed Oct 7.
    await expect(tooltip.innerText()).resolves.toMatch(/^Wed, Oct 7, 2026 — chat: \d+, email: \d+, phone: \d+$/);
    // The chart is one tab stop: the arrow keys move between its days.
    await page.keyboard.press('ArrowRight');
    await expect(tooltip.innerText()).resolves.toMatch(/^Thu, Oct 8, 2026 — /);
    await frame.locator('section[data-kind="LINE"]').screenshot({ path: join(SCREENSHOT_DIR, 'viewing-tooltip-focus.png') });
    // One Shift+Tab leaves it, back to the picker.
    await page.keyboard.press('Shift+Tab');
    await expect(frame.getByRole('tooltip').count()).resolves.toBe(0);
    await expect(frame.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe('Date range');
    // And on hover: the chat bar.
    await frame.locator('section[data-kind="BAR"] rect.hit').first().hover();
    await expect(frame.getByRole('tooltip').innerText()).resolves.toBe('chat — Calls: 27');
  });

  test.each([
    [1280, 'en-US'],
    [360, 'en-US'],
    [1280, 'de-DE'],
  ])('at %i px (%s) the page is readable; screenshot', async (width, locale) => {
    const page = await newPage(width, locale);
    const minted = await mint(t, { pageId, audience: 'PUBLIC' });
    await page.goto(
      host.page(
        `/loader-${width}-${locale}.html`,
        hostHtml(
          `Viewing at ${width}px`,
          `<div class="slot"><div data-porthole data-page-url="${minted.embedUrl}" data-tz="America/New_York" data-locale="${locale}"></div></div><script src="${t.url}/embed.js" async></script>`,
        ),
      ),
    );
    const frame = await frameOf(page, '/embed-page/');
    await figure(frame, 'Calls');
    await page.waitForFunction(() => (document.querySelector('iframe')?.getBoundingClientRect().height ?? 0) > 600);
    // No card is wider than its column: nothing wraps or spills at 360 px.
    const overflow = await frame.evaluate(() => [...document.querySelectorAll('.card')].filter((card) => card.scrollWidth > card.clientWidth + 1).length);
    expect(overflow).toBe(0);
    const revenue = await figure(frame, 'Revenue');
    const total = Math.round(records.reduce((sum, record) => sum + record.revenue, 0));
    expect(revenue.replace(/\s/g, ' ')).toBe(
      new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(total).replace(/\s/g, ' '),
    );
    expect(revenue).toMatch(locale === 'de-DE' ? /^212\.794\s€$/ : /^€212,794$/);
    // Chromium paints an iframe only within the viewport: make the viewport as tall as the page.
    await page.setViewportSize({ width, height: await page.evaluate(() => document.documentElement.scrollHeight) });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `viewing-${width}-${locale}.png`), fullPage: true });
  });

  test('embed.js warns in the console, naming the attribute, when a container cannot be used', async () => {
    const page = await newPage();
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    await page.goto(
      host.page(
        '/loader-warnings.html',
        hostHtml(
          'Warnings',
          `<div data-porthole data-name="empty"></div><div data-porthole data-page-url="javascript:alert(1)"></div><div data-porthole data-page-url="${t.url}/embed-page/acme/x?t=y" data-theme="purple" data-tz="Mars/Base"></div><script src="${t.url}/embed.js" async></script>`,
        ),
      ),
    );
    for (let waited = 0; warnings.length < 4 && waited < 5000; waited += 50) await page.waitForTimeout(50);
    expect(warnings).toHaveLength(4);
    expect(warnings.join('\n')).toMatch(/needs data-page-url .* or data-token/);
    expect(warnings.join('\n')).toContain('data-page-url="javascript:alert(1)" is not a usable URL');
    expect(warnings.join('\n')).toContain('data-theme="purple"');
    expect(warnings.join('\n')).toContain('data-tz="Mars/Base"');
    await expect(page.locator('iframe').count()).resolves.toBe(1);
  });
});
