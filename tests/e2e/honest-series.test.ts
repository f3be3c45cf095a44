import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import type { Browser, BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { createPage, createSecret, ingest, mint } from '../support/factories.js';
import { clock, HONEST_PAGE, PEAKS, READINGS } from '../support/honest-series.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeBrowserTest, figure, frameOf, hostHtml, launchChromium, requireBuiltClient, SCREENSHOT_DIR, startHostSite, type HostSite } from './browser.js';

/**
 * Honest series in real Chromium, at 1280 and 390 px, on a host page of another site framing a
 * PUBLIC embed: 90 days by the hour shown by day with its note, isolated peaks as dots, a chart as
 * one tab stop with arrows between its marks and the focus kept across a refresh, "first N of M"
 * under cut widgets, Show as table, and the builder's preview drawing what the saved page draws.
 */

let t: TestServer;
let host: HostSite;
let browser: Browser;
let pageId: string;
let embedUrl: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  requireBuiltClient();
  t = await startTestServer({ clock });
  host = await startHostSite();
  browser = await launchChromium();
  await createSecret(t);
  await ingest(t, 'readings', READINGS);
  await ingest(t, 'sensor', PEAKS);
  pageId = await createPage(t, HONEST_PAGE);
  embedUrl = (await mint(t, { pageId, audience: 'PUBLIC' })).embedUrl;
}, 30_000);

afterAll(() => closeBrowserTest(contexts, browser, host, t));

async function newPage(width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  return context.newPage();
}

/** The embed in an iframe on the host site, sized to its content by hand (tall enough for the page). */
async function embedded(page: Page, width: number): Promise<Frame> {
  const src = new URL(embedUrl);
  src.searchParams.set('origin', host.origin);
  const html = hostHtml(
    `Honest series at ${width}px`,
    `<div class="slot"><iframe id="embed" src="${src.href}" title="Honest series" style="width:100%;height:3200px;border:0"></iframe></div>`,
  );
  await page.goto(host.page(`/honest-${width}-${Math.random().toString(36).slice(2)}.html`, html));
  const frame = await frameOf(page, '/embed-page/');
  await figure(frame, 'Readings');
  return frame;
}

const card = (frame: Frame, title: string): Locator =>
  frame.locator('section[data-kind]').filter({ has: frame.getByRole('heading', { name: title, exact: true }) });

/** A card as the viewer sees it, into test-output/screenshots/. */
async function shoot(page: Page, frame: Frame, title: string, name: string): Promise<void> {
  const box = (await card(frame, title).boundingBox())!;
  // Chromium paints an iframe only within the viewport: make it tall enough to hold the card.
  await page.setViewportSize({ width: page.viewportSize()!.width, height: Math.ceil(box.y + box.height + 40) });
  await card(frame, title).screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

const activeLabel = (frame: Frame) => frame.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');
/** The title of the card holding the focus, and what has it. */
const focusIn = (frame: Frame) =>
  frame.evaluate(() => {
    const active = document.activeElement;
    return {
      card: active?.closest('section')?.querySelector('h2')?.textContent ?? null,
      what: active?.getAttribute('class') ?? active?.tagName.toLowerCase() ?? null,
    };
  });

describe.each([1280, 390])('at %i px', (width) => {
  test('90 days by the hour are shown by day, with the note saying so and the latest day present', async () => {
    const page = await newPage(width);
    const frame = await embedded(page, width);
    const hourly = card(frame, 'Readings per hour');

    await hourly.getByText('by day: 2,160 hours are more than 1,000 points', { exact: true }).waitFor();
    const tips = await hourly.locator('rect.hit').evaluateAll((marks) => marks.map((mark) => mark.getAttribute('data-tip')));
    expect(tips).toHaveLength(90);
    expect(tips[0]).toBe('Wed, Sep 9, 2026 — Count: 2');
    // Today is there, and marked as still running.
    expect(tips.at(-1)).toBe('Mon, Dec 7, 2026 (partial) — Count: 2');
    await expect(hourly.locator('text.tick').allTextContents()).resolves.toContain('Dec 7');
    await expect(hourly.locator('path.line.partial').getAttribute('d')).resolves.toMatch(/^M[\d.]+,[\d.]+L/);
    await expect(hourly.getByText('partial', { exact: true }).isVisible()).resolves.toBe(true);
    await shoot(page, frame, 'Readings per hour', `honest-series-by-day-${width}`);
    // Weeks the range cuts at either end are drawn lighter, and say so on focus.
    const weekly = card(frame, 'Value per week');
    await expect(weekly.locator('path.bars.partial').getAttribute('d')).resolves.toMatch(/z.*z$/);
    await shoot(page, frame, 'Value per week', `honest-series-partial-weeks-${width}`);
  });

  test('isolated hourly MAX values are drawn as dots, and the hour axis names each day', async () => {
    const page = await newPage(width);
    const frame = await embedded(page, width);
    await frame.getByLabel('Date range').selectOption('LAST_7_DAYS');
    const peaks = card(frame, 'Peak per hour');
    await peaks.locator('rect.hit').nth(167).waitFor();

    expect(await peaks.locator('rect.hit').count()).toBe(7 * 24);
    await expect(peaks.getByText(/^by /).count()).resolves.toBe(0);
    // One dot (two arcs) per peak, each with empty hours on both sides; drawn, not a zero-width path.
    const dots = peaks.locator('path.dots');
    expect(((await dots.getAttribute('d')) ?? '').match(/a3\.5,3\.5/g)).toHaveLength(2 * PEAKS.length);
    const box = (await dots.boundingBox())!;
    expect(box.width).toBeGreaterThan(width / 3);
    // 168 hours do not leave room for hours under the axis: it reads the days, on their midnights.
    await expect(peaks.locator('text.tick').allTextContents()).resolves.toEqual(expect.arrayContaining(['Dec 1', 'Dec 7']));
    await shoot(page, frame, 'Peak per hour', `honest-series-isolated-peaks-${width}`);

    // Two days, from the host page: round hours under the axis, and the date under the first hour of each day.
    await page.evaluate((origin) => {
      const frameWindow = (document.getElementById('embed') as HTMLIFrameElement).contentWindow!;
      frameWindow.postMessage({ v: 1, type: 'porthole:set-range', range: { from: '2026-12-05T00:00:00Z', to: '2026-12-07T00:00:00Z' } }, origin);
    }, new URL(t.url).origin);
    await peaks.locator('rect.hit').nth(48).waitFor({ state: 'detached' });
    await expect(peaks.locator('rect.hit').count()).resolves.toBe(48);
    const hours = await peaks.locator('text.tick').allTextContents();
    // At 390 px there is room for midnights only, which the dates mark.
    expect(hours).toEqual(expect.arrayContaining(width > 500 ? ['12:00 AM', '12:00 PM', 'Dec 5', 'Dec 6'] : ['Dec 5', 'Dec 6']));
    expect(hours.filter((tick) => /^Dec \d$/.test(tick))).toEqual(['Dec 5', 'Dec 6']);
    await shoot(page, frame, 'Peak per hour', `honest-series-hours-${width}`);
  });

  test('a cut table and cut categories say "first N of M", keeping the rows their sort asks for', async () => {
    const page = await newPage(width);
    const frame = await embedded(page, width);
    const table = card(frame, 'Latest readings');

    await table.getByText('first 5 of 180', { exact: true }).waitFor();
    await expect(table.getByRole('rowheader').count()).resolves.toBe(5);
    await expect(table.getByRole('row').nth(1).locator('td').first().innerText()).resolves.toMatch(/^Dec 7(, 2026)?, 3:00\sPM$/);
    const owners = card(frame, 'Top owners');
    await owners.getByText('first 3 of 8', { exact: true }).waitFor();
    await expect(owners.locator('text.category').allTextContents()).resolves.toEqual(['o1', 'o2', 'o3']);
    await shoot(page, frame, 'Latest readings', `honest-series-first-n-of-m-${width}`);
  });

  test('"Show as table" shows a chart\'s numbers as a table, and back', async () => {
    const page = await newPage(width);
    const frame = await embedded(page, width);
    const weekly = card(frame, 'Value per week');

    await weekly.getByRole('button', { name: 'Show as table' }).click();
    const table = weekly.getByRole('table', { name: 'Value per week' });
    await expect(table.getByRole('rowheader').count()).resolves.toBe(14);
    await expect(table.getByRole('rowheader').first().innerText()).resolves.toBe('Week of Sep 7, 2026 (partial)');
    await shoot(page, frame, 'Value per week', `honest-series-as-table-${width}`);
    await weekly.getByRole('button', { name: 'Show as chart' }).click();
    await expect(weekly.locator('svg rect.hit').count()).resolves.toBe(14);
  });
});

describe('by keyboard', () => {
  test('a chart is one tab stop, arrows move between its marks, and a refresh keeps the focus', async () => {
    const page = await newPage(1280);
    const frame = await embedded(page, 1280);

    // Every chart has exactly one mark in the tab order.
    const stops = await frame.evaluate(() => [...document.querySelectorAll('svg')].map((svg) => svg.querySelectorAll('.hit[tabindex="0"]').length));
    expect(stops).toEqual([1, 1, 1, 1]);
    // Real key presses: past the picker, onto the first chart's first day.
    await frame.getByLabel('Date range').focus();
    await page.keyboard.press('Tab');
    expect(await focusIn(frame)).toEqual({ card: 'Readings per hour', what: 'hit' });
    expect(await activeLabel(frame)).toBe('Wed, Sep 9, 2026 — Count: 2');
    await page.keyboard.press('ArrowRight');
    expect(await activeLabel(frame)).toBe('Thu, Sep 10, 2026 — Count: 2');
    await expect(frame.getByRole('tooltip').innerText()).resolves.toBe('Thu, Sep 10, 2026 — Count: 2');
    await page.keyboard.press('End');
    expect(await activeLabel(frame)).toBe('Mon, Dec 7, 2026 (partial) — Count: 2');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await activeLabel(frame)).toBe('Fri, Sep 11, 2026 — Count: 2');
    // Tab leaves the chart: its own "Show as table", then the next chart (where it left off: its first mark).
    await page.keyboard.press('Tab');
    expect(await focusIn(frame)).toEqual({ card: 'Readings per hour', what: 'button' });
    await page.keyboard.press('Tab');
    expect(await focusIn(frame)).toEqual({ card: 'Peak per hour', what: 'hit' });
    // Back to the first chart: the mark it left.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await activeLabel(frame)).toBe('Fri, Sep 11, 2026 — Count: 2');
    await shoot(page, frame, 'Readings per hour', 'honest-series-keyboard-focus');

    // A refresh with new data (a higher peak today) keeps that very element focused.
    await frame.evaluate(() => ((window as unknown as { kept: Element | null }).kept = document.activeElement));
    await ingest(t, 'sensor', [{ owner: 'o1', at: '2026-12-07T10:00:00Z', level: 99 }]);
    await page.evaluate((origin) => {
      (document.getElementById('embed') as HTMLIFrameElement).contentWindow!.postMessage({ v: 1, type: 'porthole:refresh' }, origin);
    }, new URL(t.url).origin);
    await card(frame, 'Peak per hour').locator('text.value', { hasText: /^99$/ }).waitFor();
    const kept = await frame.evaluate(() => {
      const element = (window as unknown as { kept: Element | null }).kept;
      return { same: document.activeElement === element, connected: element?.isConnected ?? false };
    });
    expect(kept).toEqual({ same: true, connected: true });
    expect(await activeLabel(frame)).toBe('Fri, Sep 11, 2026 — Count: 2');
    await page.keyboard.press('ArrowRight');
    expect(await activeLabel(frame)).toBe('Sat, Sep 12, 2026 — Count: 2');
  });
});

describe('data that looks like markup', () => {
  const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', '</svg><script>alert(3)</script>', '&amp;', "' onmouseover='alert(4)"];

  test("series names, a metric label and column labels stay text: in the legend, the marks, a chart's table view and table headers", async () => {
    await ingest(
      t,
      'tags',
      HOSTILE.map((kind, i) => ({ owner: 'o1', at: `2026-12-0${i + 1}T10:00:00Z`, kind, amount: i + 1 })),
    );
    const hostileId = await createPage(t, {
      title: 'Hostile series',
      widgets: [
        { title: 'By kind', kind: 'BAR', label: HOSTILE[4], query: { dataset: 'tags', bucket: 'DAY', seriesBy: 'kind', metric: { fn: 'COUNT' } } },
        { title: 'Kinds', kind: 'TABLE', columnLabels: [HOSTILE[0], HOSTILE[1]], query: { dataset: 'tags', select: ['kind', 'amount'] } },
      ],
    });
    const src = new URL((await mint(t, { pageId: hostileId, audience: 'PUBLIC' })).embedUrl);
    src.searchParams.set('origin', host.origin);
    const page = await newPage(1280);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(
      host.page(
        '/honest-hostile.html',
        hostHtml('Hostile series', `<iframe src="${src.href}" title="Hostile" style="width:100%;height:1400px;border:0"></iframe>`),
      ),
    );
    const frame = await frameOf(page, '/embed-page/');
    const bars = card(frame, 'By kind');

    await expect(bars.locator('.legend li').allTextContents()).resolves.toEqual([...HOSTILE].sort());
    const tips = await bars.locator('rect.hit').evaluateAll((marks) => marks.map((mark) => mark.getAttribute('aria-label')).join('\n'));
    for (const name of HOSTILE) expect(tips).toContain(`${name}: 1`);
    await expect(bars.locator('text.axis-title').allTextContents()).resolves.toContain(HOSTILE[4]);
    await bars.getByRole('button', { name: 'Show as table' }).click();
    await expect(bars.getByRole('columnheader').allTextContents()).resolves.toEqual(['Time', ...[...HOSTILE].sort()]);
    const table = card(frame, 'Kinds').getByRole('table', { name: 'Kinds' });
    await expect(table.getByRole('columnheader').allTextContents()).resolves.toEqual([HOSTILE[0], HOSTILE[1]]);
    await expect(table.getByRole('rowheader').allTextContents()).resolves.toEqual(expect.arrayContaining(HOSTILE));
    const injected = await frame.evaluate(() => {
      const app = document.getElementById('app')!;
      return {
        elements: app.querySelectorAll('script, img, svg svg, foreignObject').length,
        handlers: [...app.querySelectorAll('*')].flatMap((element) =>
          [...element.attributes].map((attribute) => attribute.name).filter((name) => name.startsWith('on')),
        ),
      };
    });
    expect(injected).toEqual({ elements: 0, handlers: [] });
    expect(dialogs).toEqual([]);
  });
});

describe("the builder's preview", () => {
  test('draws the widget as the saved page does: the same bucket, note, marks and labels', async () => {
    const page = await newPage(1280);
    const frame = await embedded(page, 1280);
    const saved = card(frame, 'Readings per hour');
    const embedSummary = await saved.locator('svg').getAttribute('aria-label');
    const embedTips = await saved.locator('rect.hit').evaluateAll((marks) => marks.map((mark) => mark.getAttribute('data-tip')));

    await page.goto(`${t.url}/console`);
    await page.getByRole('button', { name: 'Sign in with an API key' }).click();
    await page.getByLabel('API key').fill(t.apiKey);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Pages', level: 1 }).waitFor();
    await page.goto(`${t.url}/console#/pages/${encodeURIComponent(pageId)}/edit`);
    await page.getByRole('heading', { name: 'Edit page', level: 1 }).waitFor();
    const editor = page.getByTestId('widget-editor').nth(1);
    const preview = editor.getByRole('region', { name: 'Preview of Readings per hour' });

    await preview.getByText('by day: 2,160 hours are more than 1,000 points', { exact: true }).waitFor();
    await expect(preview.locator('svg').getAttribute('aria-label')).resolves.toBe(embedSummary);
    await expect(preview.locator('rect.hit').evaluateAll((marks) => marks.map((mark) => mark.getAttribute('data-tip')))).resolves.toEqual(embedTips);
    // The table's preview counts as the page does.
    await page.getByTestId('widget-editor').nth(5).getByText('first 5 of 180', { exact: true }).waitFor();
    await editor.scrollIntoViewIfNeeded();
    await editor.screenshot({ path: join(SCREENSHOT_DIR, 'honest-series-builder-preview.png') });
  });
});
