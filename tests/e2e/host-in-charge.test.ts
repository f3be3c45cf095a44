import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { createPage, createSecret, ingest, mint } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeBrowserTest, frameOf, hostHtml, launchChromium, requireBuiltClient, SCREENSHOT_DIR, startHostSite, type HostSite } from './browser.js';

/**
 * The host page in charge (issue 26.1–2), in real Chromium, the host page on 127.0.0.1 and
 * Porthole on localhost: clicks and key presses on marks and rows reach the host as
 * `porthole:point-click` with what the viewer sees of them and nothing else; the host highlights a
 * mark, reads the rows as drawn (`get-data`) and a chart as a PNG (`get-image`); a frame that is
 * not the embed's parent commands nothing.
 */

let t: TestServer;
let host: HostSite;
let browser: Browser;
let pageId: string;
const contexts: BrowserContext[] = [];
const ids: Record<string, string> = {};

const CALLS = [
  { owner: 'ada', at: '2026-11-01T10:00:00Z', channel: 'phone', minutes: 10 },
  { owner: 'ada', at: '2026-11-01T12:00:00Z', channel: 'chat', minutes: 4 },
  { owner: 'ada', at: '2026-11-02T09:00:00Z', channel: 'phone', minutes: 6 },
  { owner: 'grace', at: '2026-11-02T10:00:00Z', channel: 'email', minutes: 20 },
  { owner: 'grace', at: '2026-11-03T10:00:00Z', channel: 'phone', minutes: 2 },
  { owner: 'alan', at: '2026-11-03T11:00:00Z', channel: 'chat', minutes: 8 },
];

beforeAll(async () => {
  requireBuiltClient();
  t = await startTestServer();
  host = await startHostSite();
  browser = await launchChromium();
  await ingest(t, 'calls', CALLS);
  pageId = await createPage(t, {
    title: 'Calls',
    widgets: [
      { title: 'By channel', kind: 'BAR', clickEvents: true, query: { dataset: 'calls', groupBy: 'channel', metric: { fn: 'COUNT' } } },
      { title: 'Minutes per day', kind: 'LINE', clickEvents: true, query: { dataset: 'calls', bucket: 'DAY', metric: { fn: 'SUM', field: 'minutes' } } },
      {
        title: 'Latest',
        kind: 'TABLE',
        clickEvents: true,
        query: { dataset: 'calls', select: ['owner', 'channel', 'minutes'], sort: { field: 'at', direction: 'DESC' }, limit: 4 },
      },
      { title: 'Quiet bars', kind: 'BAR', query: { dataset: 'calls', groupBy: 'owner', metric: { fn: 'COUNT' } } },
    ],
  });
  const page = await t.gql<{ page: { widgets: Array<{ id: string; title: string; clickEvents: boolean }> } }>(
    'query($id: ID!) { page(id: $id) { widgets { id title clickEvents } } }',
    { id: pageId },
  );
  for (const widget of page.body.data!.page.widgets) ids[widget.title] = widget.id;
  expect(page.body.data!.page.widgets.map((widget) => widget.clickEvents)).toEqual([true, true, true, false]);
  await createSecret(t);
}, 30_000);

afterAll(() => closeBrowserTest(contexts, browser, host, t));

type Message = { origin: string; data: Record<string, unknown> };
const messagesOf = (page: Page): Promise<Message[]> => page.evaluate(() => (window as unknown as { portholeMessages: Message[] }).portholeMessages);

/** The messages of `type` once there are at least `count`. */
async function waitForMessages(page: Page, type: string, count = 1): Promise<Message[]> {
  await page.waitForFunction(
    ([wanted, n]) => (window as unknown as { portholeMessages: Message[] }).portholeMessages.filter((m) => m.data?.type === wanted).length >= (n as number),
    [type, count] as const,
  );
  return (await messagesOf(page)).filter((m) => m.data['type'] === type);
}

/** A host page on 127.0.0.1 framing a PUBLIC embed allowed there; `sibling` adds a second frame of the host's own. */
async function hostPage(sibling = false): Promise<{ page: Page; frame: Frame }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  const token = await mint(t, { pageId, audience: 'PUBLIC', origins: [host.origin] });
  const src = new URL(token.embedUrl);
  src.searchParams.set('origin', host.origin);
  const siblingFrame = sibling
    ? `<iframe id="sibling" src="${host.page('/sibling.html', '<!doctype html><p>A widget of the host page</p>')}" style="width:300px;height:40px;border:0"></iframe>`
    : '';
  await page.goto(
    host.page(
      `/host-${Math.random().toString(36).slice(2)}.html`,
      hostHtml(
        'In charge',
        `<div class="slot"><iframe id="embed" src="${src.href}" title="Calls" style="width:100%;height:1400px;border:0"></iframe></div>${siblingFrame}`,
      ),
    ),
  );
  const frame = await frameOf(page, '/embed-page/');
  await frame.locator('section[data-kind="BAR"] rect.hit').first().waitFor();
  return { page, frame };
}

/** Posts a command to the embed from the host page itself (its parent). */
const command = (page: Page, message: Record<string, unknown>) =>
  page.evaluate(([data, origin]) => (document.getElementById('embed') as HTMLIFrameElement).contentWindow!.postMessage({ v: 1, ...data }, origin as string), [
    message,
    new URL(t.url).origin,
  ] as const);

const card = (frame: Frame, title: string) =>
  frame.locator('section[data-widget-id]').filter({ has: frame.getByRole('heading', { name: title, exact: true }) });

describe('clicks reach the host page', () => {
  test("a click on a bar gives porthole:point-click with that bar's category and value and nothing else", async () => {
    const { page, frame } = await hostPage();
    // Bars are in the order the query sorts them; "phone" is the first (3 calls).
    await card(frame, 'By channel').locator('rect.hit').first().click();
    const [click] = await waitForMessages(page, 'porthole:point-click');
    expect(click!.origin).toBe(new URL(t.url).origin);
    expect(click!.data).toEqual({
      v: 1,
      type: 'porthole:point-click',
      widgetId: ids['By channel'],
      title: 'By channel',
      kind: 'BAR',
      group: 'phone',
      value: 3,
    });
  });

  test('Enter on a focused bar and Space on a table row do too; a widget without clickEvents sends nothing', async () => {
    const { page, frame } = await hostPage();
    await card(frame, 'Quiet bars').locator('rect.hit').first().click();
    const chat = card(frame, 'By channel').locator('rect.hit').nth(1);
    await chat.focus();
    await chat.press('Enter');
    const [first] = await waitForMessages(page, 'porthole:point-click');
    expect(first!.data).toMatchObject({ widgetId: ids['By channel'], group: 'chat', value: 2 });
    const row = card(frame, 'Latest').locator('tbody tr').first();
    await row.focus();
    await row.press(' ');
    const clicks = await waitForMessages(page, 'porthole:point-click', 2);
    expect(clicks.map((click) => click.data['widgetId'])).toEqual([ids['By channel'], ids['Latest']]);
    expect(clicks[1]!.data).toEqual({
      v: 1,
      type: 'porthole:point-click',
      widgetId: ids['Latest'],
      title: 'Latest',
      kind: 'TABLE',
      row: { owner: 'alan', channel: 'chat', minutes: 8 },
    });
  });

  test("a click on a day of a line gives that bucket's start and end", async () => {
    const { page, frame } = await hostPage();
    await card(frame, 'Minutes per day').locator('rect.hit').nth(1).click();
    const [click] = await waitForMessages(page, 'porthole:point-click');
    expect(click!.data).toMatchObject({ kind: 'LINE', bucket: { start: '2026-11-02T00:00:00.000Z', end: '2026-11-03T00:00:00.000Z' }, value: 26 });
  });
});

describe('the host page reads and marks what is shown', () => {
  test('porthole:get-data returns exactly the rows rendered', async () => {
    const { page, frame } = await hostPage();
    await command(page, { type: 'porthole:get-data', requestId: 'r1' });
    const [answer] = await waitForMessages(page, 'porthole:data');
    const widgets = answer!.data['widgets'] as Array<{ id: string; title: string; columns: string[]; rows: unknown[][] }>;
    expect(answer!.data['requestId']).toBe('r1');
    expect(widgets.map((widget) => widget.title)).toEqual(['By channel', 'Minutes per day', 'Latest', 'Quiet bars']);
    // The table's rows as the viewer reads them, cell by cell.
    const shown = await card(frame, 'Latest')
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => (cell as HTMLElement).innerText.trim())));
    const latest = widgets.find((widget) => widget.title === 'Latest')!;
    expect(latest.rows.map((row) => row.map(String))).toEqual(shown);
    // The bars: one row per bar drawn, in the order drawn.
    const barNames = await card(frame, 'By channel').locator('text.category').allTextContents();
    expect(widgets[0]!.rows).toEqual([
      ['phone', 3],
      ['chat', 2],
      ['email', 1],
    ]);
    expect(barNames).toEqual(['phone', 'chat', 'email']);
  });

  test('porthole:get-image returns a PNG of the chart', async () => {
    const { page } = await hostPage();
    await command(page, { type: 'porthole:get-image', requestId: 'img', widgetId: ids['By channel'] });
    const [answer] = await waitForMessages(page, 'porthole:image');
    const url = String(answer!.data['url']);
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    const png = Buffer.from(url.slice('data:image/png;base64,'.length), 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThan(400);
    writeFileSync(join(SCREENSHOT_DIR, 'host-in-charge-get-image.png'), png);
    // A widget without a chart has no image.
    await command(page, { type: 'porthole:get-image', requestId: 'none', widgetId: ids['Latest'] });
    const answers = await waitForMessages(page, 'porthole:image', 2);
    expect(answers[1]!.data).toMatchObject({ requestId: 'none', error: 'NO_IMAGE' });
  });

  test('porthole:highlight marks the bar it names', async () => {
    const { page, frame } = await hostPage();
    await command(page, { type: 'porthole:highlight', widgetId: ids['By channel'], value: 'chat' });
    const marked = card(frame, 'By channel').locator('rect.hit[data-highlighted]');
    await marked.waitFor();
    expect(await marked.getAttribute('data-tip')).toContain('chat');
    await card(frame, 'By channel').screenshot({ path: join(SCREENSHOT_DIR, 'host-in-charge-highlight.png') });
    await command(page, { type: 'porthole:highlight', widgetId: ids['By channel'], value: 'email' });
    await card(frame, 'By channel').locator('rect.hit[data-highlighted][data-tip*="email"]').waitFor();
    expect(await card(frame, 'By channel').locator('rect.hit[data-highlighted]').count()).toBe(1);
  });

  test('a burst of commands is answered a few at a time: the rest are refused, not queued', async () => {
    const { page } = await hostPage();
    for (let i = 0; i < 10; i++) await command(page, { type: 'porthole:get-data', requestId: `burst-${i}` });
    const answers = await waitForMessages(page, 'porthole:data', 10);
    expect(answers.filter((answer) => answer.data['error'] === 'RATE_LIMITED').length).toBeGreaterThan(0);
    expect(answers.filter((answer) => Array.isArray(answer.data['widgets'])).length).toBeGreaterThan(0);
  });

  test('commands from a frame that is not the embed’s parent are ignored', async () => {
    const { page } = await hostPage(true);
    // The sibling frame (same origin as the host page) commands the embed: no answer comes back to anyone.
    await page.evaluate((origin) => {
      const sibling = (document.getElementById('sibling') as HTMLIFrameElement).contentWindow!;
      const embed = (document.getElementById('embed') as HTMLIFrameElement).contentWindow!;
      // Run in the sibling's realm, so `event.source` is the sibling.
      (sibling as unknown as { eval(code: string): void }).eval(
        `parent.frames[0].postMessage({ v: 1, type: 'porthole:get-data', requestId: 'from-sibling' }, ${JSON.stringify(origin)}); parent.frames[0].postMessage({ v: 1, type: 'porthole:highlight', widgetId: '', value: 'chat' }, ${JSON.stringify(origin)});`,
      );
      void embed;
    }, new URL(t.url).origin);
    await command(page, { type: 'porthole:get-data', requestId: 'from-parent' });
    await waitForMessages(page, 'porthole:data');
    const answered = (await messagesOf(page)).filter((m) => m.data['type'] === 'porthole:data').map((m) => m.data['requestId']);
    expect(answered).toEqual(['from-parent']);
  });
});
