import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import type { Browser, BrowserContext, Frame, Page, Request } from 'playwright-core';
import { createPage, createSecret, createUser, ingest, mint, type Minted } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeBrowserTest, figure, frameOf, hostHtml, launchChromium, requireBuiltClient, SCREENSHOT_DIR, startHostSite, type HostSite } from './browser.js';

/**
 * A viewer's view outlives its token, in real Chromium: a user dashboard's range pickers, a host page
 * that hands the embed a new token (porthole:set-token after porthole:token-expiring) without the
 * view moving, embed.js renewing from the host's own backend (data-token-url), and a view whose token
 * was revoked saying that it ended. Host pages on 127.0.0.1 frame Porthole on localhost.
 *
 * The server's clock runs `serverSkewMs` ahead of real time, and the browser's is Playwright's, so a
 * token expires for real on both sides.
 */

const DAY = 86_400_000;
let serverSkewMs = 0;
let t: TestServer;
let host: HostSite;
let browser: Browser;
let rangedPageId: string;
let otherPageId: string;
const contexts: BrowserContext[] = [];

/** 10 calls in the last 7 days, 20 more in the last 30, 40 more before: 10, 30 and 70. */
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const calls = (owner: string) => [
  ...Array.from({ length: 10 }, () => ({ owner, at: ago(2), minutes: 1 })),
  ...Array.from({ length: 20 }, () => ({ owner, at: ago(20), minutes: 1 })),
  ...Array.from({ length: 40 }, () => ({ owner, at: ago(100), minutes: 1 })),
];
const RANGE = { default: 'LAST_30_DAYS', presets: ['LAST_7_DAYS', 'LAST_30_DAYS', 'ALL_TIME'] };

beforeAll(async () => {
  requireBuiltClient();
  t = await startTestServer({ clock: { now: () => new Date(Date.now() + serverSkewMs) } });
  host = await startHostSite();
  browser = await launchChromium();
  // Three partner users' calls: a PUBLIC page embed counts them all (90 in 30 days, 30 in 7), a dashboard its user's.
  await ingest(t, 'calls', [...calls('ada-1280'), ...calls('ada-390'), ...calls('ada-renewed')]);
  rangedPageId = await createPage(t, {
    title: 'Calls',
    description: 'Calls in the range picked.',
    dashboard: true,
    refreshSeconds: 5,
    dateRange: RANGE,
    widgets: [
      { title: 'Calls in range', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } },
      { title: 'Per day', kind: 'LINE', query: { dataset: 'calls', bucket: 'DAY', metric: { fn: 'COUNT' } } },
      { title: 'Minutes', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'SUM', field: 'minutes' } } },
    ],
  });
  otherPageId = await createPage(t, {
    title: 'Since the start',
    dashboard: true,
    widgets: [{ title: 'Calls ever', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } }],
  });
  await createSecret(t);
}, 30_000);

afterAll(() => closeBrowserTest(contexts, browser, host, t));

async function newPage(width = 1280, height = 900): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  contexts.push(context);
  return context.newPage();
}

type Message = { origin: string; data: Record<string, unknown> };
const messagesOf = (page: Page): Promise<Message[]> => page.evaluate(() => (window as unknown as { portholeMessages: Message[] }).portholeMessages);
const waitForMessage = (page: Page, type: string, count = 1) =>
  page.waitForFunction(
    ([wanted, n]) => (window as unknown as { portholeMessages: Message[] }).portholeMessages.filter((m) => m.data['type'] === wanted).length >= n,
    [type, count] as const,
    { timeout: 15_000, polling: 50 },
  );
const withParams = (url: string, params: Record<string, string>) => {
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(params)) parsed.searchParams.set(key, value);
  return parsed.href;
};
/** Sends a command as a host page does: to the iframe's window, naming Porthole's origin. */
const command = (page: Page, message: Record<string, unknown>) =>
  page.evaluate(([data, origin]) => document.querySelector('iframe')!.contentWindow!.postMessage(data, origin), [message, new URL(t.url).origin] as const);

/** The embed API requests a frame sends, with their bearer token and variables. */
function embedRequests(page: Page): Array<{ bearer: string; variables: Record<string, unknown> }> {
  const seen: Array<{ bearer: string; variables: Record<string, unknown> }> = [];
  page.on('request', (request: Request) => {
    if (!request.url().endsWith('/embed/graphql')) return;
    const body = JSON.parse(request.postData() ?? '{}') as { variables?: Record<string, unknown> };
    seen.push({ bearer: (request.headers()['authorization'] ?? '').replace(/^Bearer /, ''), variables: body.variables ?? {} });
  });
  return seen;
}

async function until(what: () => boolean, label: string, timeout = 15_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!what()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Chromium paints an iframe only within the viewport: grow the viewport to the page first. */
async function fullShot(page: Page, name: string): Promise<void> {
  const width = page.viewportSize()!.width;
  await page.setViewportSize({ width, height: Math.max(300, await page.evaluate(() => document.documentElement.scrollHeight)) });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Waits until the NUMBER widget titled `title` reads `value`. */
async function figureIs(frame: Frame, title: string, value: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await figure(frame, title).catch(() => '')) !== value) {
    if (Date.now() > deadline) throw new Error(`"${title}" never read ${value} (it reads ${await figure(frame, title).catch(() => 'nothing')})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const ENDED = 'This view has ended. Reload the page to see current data.';

describe("a user dashboard's range picker", () => {
  test.each([1280, 390])("at %i px, picking a range changes that page's numbers, and porthole:set-range reaches the dashboard", async (width) => {
    const user = await createUser(t, `ada-${width}`);
    const page = await newPage(width);
    await page.goto(
      host.page(
        `/dashboard-range-${width}.html`,
        hostHtml(
          'Partner app',
          `<div class="slot"><div id="porthole" data-token="${user.embedToken}" data-api-url="${t.url}"></div></div><script src="${t.url}/embed.js" async></script>`,
        ),
      ),
    );
    const frame = await frameOf(page, '/dashboard.html');
    const ranged = frame.locator(`section[data-page="${rangedPageId}"]`);
    const other = frame.locator(`section[data-page="${otherPageId}"]`);
    expect(await figure(frame, 'Calls in range')).toBe('30');
    expect(await figure(frame, 'Calls ever')).toBe('70');
    // The page with a dateRange has the page embed's picker and period line; the other has neither.
    const picker = ranged.getByLabel('Date range');
    await expect(picker.inputValue()).resolves.toBe('LAST_30_DAYS');
    await expect(ranged.locator('.range').innerText()).resolves.toMatch(/[A-Z][a-z]{2} \d{1,2} – [A-Z][a-z]{2} \d{1,2}/);
    await expect(other.getByLabel('Date range').count()).resolves.toBe(0);
    const ready = (await messagesOf(page)).find((m) => m.data['type'] === 'porthole:ready')!;
    expect(ready.data['pages']).toEqual([
      expect.objectContaining({ pageId: rangedPageId, range: expect.objectContaining({ preset: 'LAST_30_DAYS' }) }),
      expect.objectContaining({ pageId: otherPageId, range: { preset: 'ALL_TIME', from: null, to: null } }),
    ]);
    await page.waitForFunction(() => (document.querySelector('iframe')?.getBoundingClientRect().height ?? 0) > 400);
    await fullShot(page, `dashboard-range-${width}`);

    await picker.selectOption({ label: 'Last 7 days' });
    await figureIs(frame, 'Calls in range', '10');
    expect(await figure(frame, 'Calls ever')).toBe('70');
    await waitForMessage(page, 'porthole:range-changed');
    expect((await messagesOf(page)).filter((m) => m.data['type'] === 'porthole:range-changed').map((m) => m.data)).toEqual([
      expect.objectContaining({ v: 1, pageId: rangedPageId, range: expect.objectContaining({ preset: 'LAST_7_DAYS' }) }),
    ]);
    await fullShot(page, `dashboard-range-${width}-last-7-days`);

    // The host page, through embed.js: every page that offers ALL_TIME shows it.
    await page.evaluate(() =>
      document.getElementById('porthole')!.dispatchEvent(new CustomEvent('porthole:set-range', { detail: { range: { preset: 'ALL_TIME' } } })),
    );
    await figureIs(frame, 'Calls in range', '70');
    await expect(picker.inputValue()).resolves.toBe('ALL_TIME');
  });
});

describe('renewal that keeps the view', () => {
  /** A page embed in a plain iframe 420 px tall (so it scrolls inside), dark, in New York time. */
  async function embedded(page: Page, minted: Minted): Promise<Frame> {
    const src = withParams(minted.embedUrl, { origin: host.origin, theme: 'dark', tz: 'America/New_York' });
    const html = hostHtml('Renewal', `<div class="slot"><iframe src="${src}" title="Calls" style="width:100%;height:420px;border:0"></iframe></div>`);
    await page.goto(host.page(`/renewal-${Math.random().toString(36).slice(2)}.html`, html));
    return frameOf(page, '/embed-page/');
  }

  test('porthole:set-token swaps an expiring token; the range, zone, theme and scroll stay', async () => {
    serverSkewMs = 0;
    const page = await newPage();
    const requests = embedRequests(page);
    await page.clock.install();
    const first = await mint(t, { pageId: rangedPageId, audience: 'PUBLIC', ttlSeconds: 90 });
    const frame = await embedded(page, first);
    expect(await figure(frame, 'Calls in range')).toBe('90');
    await frame.getByLabel('Date range').selectOption({ label: 'Last 7 days' });
    await figureIs(frame, 'Calls in range', '30');
    await waitForMessage(page, 'porthole:range-changed');
    await frame.evaluate(() => scrollTo(0, 240));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'renewal-before-swap.png') });

    // 60 s before its exp, the embed says so.
    expect((await messagesOf(page)).some((m) => m.data['type'] === 'porthole:token-expiring')).toBe(false);
    await page.clock.fastForward(31_000);
    await waitForMessage(page, 'porthole:token-expiring');
    const expiring = (await messagesOf(page)).find((m) => m.data['type'] === 'porthole:token-expiring')!;
    expect(expiring).toEqual({ origin: new URL(t.url).origin, data: { v: 1, type: 'porthole:token-expiring', expiresAt: first.expiresAt } });

    // A token for another page is refused by the embed itself; the right one is taken.
    const elsewhere = await mint(t, { pageId: otherPageId, audience: 'PUBLIC' });
    await command(page, { v: 1, type: 'porthole:set-token', token: elsewhere.token });
    const second = await mint(t, { pageId: rangedPageId, audience: 'PUBLIC', ttlSeconds: 3600 });
    const before = requests.length;
    await command(page, { v: 1, type: 'porthole:set-token', token: second.token });
    await until(() => requests.slice(before).some((request) => request.bearer === second.token), 'a load with the new token');
    expect(requests.some((request) => request.bearer === elsewhere.token)).toBe(false);
    // Sent with the viewer's range and zone, as before.
    expect(requests.at(-1)!.variables).toEqual({ range: { preset: 'LAST_7_DAYS' }, timezone: 'America/New_York' });
    await expect(frame.evaluate(() => new URLSearchParams(location.search).get('t'))).resolves.toBe(second.token);

    // The old token's end passes on both clocks: the view carries on with the new one.
    serverSkewMs = 120_000;
    await page.clock.fastForward(90_000);
    await until(() => requests.filter((request) => request.bearer === second.token).length >= 2, 'a refresh after the old token ended');
    expect(requests.slice(before).every((request) => request.bearer === second.token)).toBe(true);
    expect(await figure(frame, 'Calls in range')).toBe('30');
    await expect(frame.getByLabel('Date range').inputValue()).resolves.toBe('LAST_7_DAYS');
    await expect(frame.evaluate(() => document.documentElement.dataset['theme'])).resolves.toBe('dark');
    await expect(frame.evaluate(() => scrollY)).resolves.toBe(240);
    const types = (await messagesOf(page)).map((m) => m.data['type']);
    expect(types).not.toContain('porthole:expired');
    // Only the viewer's own pick changed the range; the swap did not.
    expect(types.filter((type) => type === 'porthole:range-changed')).toHaveLength(1);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'renewal-after-swap.png') });
    serverSkewMs = 0;
  }, 60_000);

  test('embed.js with data-token-url renews the token by itself, before it ends and after a revocation', async () => {
    serverSkewMs = 0;
    const page = await newPage();
    const requests = embedRequests(page);
    const tokenCalls: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/porthole-token')) tokenCalls.push(request.method());
    });
    await page.clock.install();
    const first = await mint(t, { pageId: rangedPageId, audience: 'PUBLIC', ttlSeconds: 90 });
    const second = await mint(t, { pageId: rangedPageId, audience: 'PUBLIC', ttlSeconds: 3600 });
    // The host's own backend: answers { token } (a real one would mint it for the signed-in user).
    host.page('/porthole-token', JSON.stringify({ token: second.token }), { 'content-type': 'application/json' });
    await page.goto(
      host.page(
        '/renewal-loader.html',
        hostHtml(
          'Renewal by embed.js',
          `<div class="slot"><div data-porthole data-page-url="${first.embedUrl}" data-token-url="/porthole-token"></div></div><script src="${t.url}/embed.js" async></script>`,
        ),
      ),
    );
    const frame = await frameOf(page, '/embed-page/');
    expect(await figure(frame, 'Calls in range')).toBe('90');
    await frame.getByLabel('Date range').selectOption({ label: 'Last 7 days' });
    await figureIs(frame, 'Calls in range', '30');

    await page.clock.fastForward(31_000);
    await until(() => requests.some((request) => request.bearer === second.token), 'a load with the renewed token');
    expect(tokenCalls).toEqual(['POST']);
    expect(
      requests
        .filter((request) => request.bearer === second.token)
        .every((request) => (request.variables['range'] as { preset: string }).preset === 'LAST_7_DAYS'),
    ).toBe(true);
    serverSkewMs = 120_000;
    await page.clock.fastForward(90_000);
    await until(() => requests.filter((request) => request.bearer === second.token).length >= 2, 'a refresh after the old token ended');
    expect(await figure(frame, 'Calls in range')).toBe('30');

    // Revoked while open: the next refresh is refused, embed.js asks its backend again, and the view comes back.
    const third = await mint(t, { pageId: rangedPageId, audience: 'PUBLIC', ttlSeconds: 3600 });
    host.page('/porthole-token', JSON.stringify({ token: third.token }), { 'content-type': 'application/json' });
    await t.gql('mutation($id: ID!) { revokePageEmbed(id: $id) { id } }', { id: second.id });
    await page.clock.fastForward(6_000);
    await until(() => requests.some((request) => request.bearer === third.token), 'a load with the token fetched after the revocation');
    await figureIs(frame, 'Calls in range', '30');
    expect(tokenCalls).toEqual(['POST', 'POST']);
    await expect(frame.getByLabel('Date range').inputValue()).resolves.toBe('LAST_7_DAYS');
    await fullShot(page, 'renewal-token-url');
    serverSkewMs = 0;
  }, 60_000);

  test("a regenerated embed token ends a dashboard's view; the user's new one, handed over, brings it back with its range", async () => {
    const user = await createUser(t, 'ada-renewed');
    const page = await newPage();
    await page.clock.install();
    const src = withParams(`${t.url}/dashboard.html`, { token: user.embedToken, origin: host.origin });
    await page.goto(
      host.page(
        '/dashboard-renewal.html',
        hostHtml('Dashboard renewal', `<div class="slot"><iframe src="${src}" title="Dashboard" style="width:100%;height:900px;border:0"></iframe></div>`),
      ),
    );
    const frame = await frameOf(page, '/dashboard.html');
    expect(await figure(frame, 'Calls in range')).toBe('30');
    await frame.locator(`section[data-page="${rangedPageId}"]`).getByLabel('Date range').selectOption({ label: 'Last 7 days' });
    await figureIs(frame, 'Calls in range', '10');

    const rotated = await t.gql<{ regenerateEmbedToken: { token: string } }>('mutation($id: ID!) { regenerateEmbedToken(userId: $id) { token } }', {
      id: user.id,
    });
    const fresh = rotated.body.data!.regenerateEmbedToken.token;
    await page.clock.fastForward(6_000);
    await frame.getByRole('status').filter({ hasText: ENDED }).waitFor({ timeout: 15_000 });
    expect(await frame.locator('[data-testid="number-value"]').count()).toBe(0);
    await waitForMessage(page, 'porthole:token-expiring');
    expect((await messagesOf(page)).find((m) => m.data['type'] === 'porthole:token-expiring')!.data).toEqual({
      v: 1,
      type: 'porthole:token-expiring',
      expiresAt: null,
    });

    await command(page, { v: 1, type: 'porthole:set-token', token: fresh });
    await figureIs(frame, 'Calls in range', '10');
    await expect(frame.locator(`section[data-page="${rangedPageId}"]`).getByLabel('Date range').inputValue()).resolves.toBe('LAST_7_DAYS');
    await expect(frame.evaluate(() => new URLSearchParams(location.search).get('token'))).resolves.toBe(fresh);
  }, 40_000);

  test.each([1280, 390])(
    'at %i px, a revoked token without renewal shows that the view ended, and no data',
    async (width) => {
      const page = await newPage(width);
      await page.clock.install();
      const minted = await mint(t, { pageId: rangedPageId, audience: 'PUBLIC' });
      const frame = await embedded(page, minted);
      expect(await figure(frame, 'Calls in range')).toBe('90');
      await t.gql('mutation($id: ID!) { revokePageEmbed(id: $id) { id } }', { id: minted.id });
      await page.clock.fastForward(6_000);
      await frame.getByRole('status').filter({ hasText: ENDED }).waitFor({ timeout: 15_000 });
      await expect(frame.getByRole('status').innerText()).resolves.toBe(ENDED);
      expect(await frame.locator('[data-testid="number-value"], svg, table, select').count()).toBe(0);
      expect(await frame.locator('body').innerText()).not.toMatch(/\d/);
      await waitForMessage(page, 'porthole:token-expiring');
      const types = (await messagesOf(page)).map((m) => m.data['type']);
      expect(types).toEqual(expect.arrayContaining(['porthole:ready', 'porthole:expired', 'porthole:token-expiring']));
      expect(types).not.toContain('porthole:unavailable');
      await page.screenshot({ path: join(SCREENSHOT_DIR, `renewal-ended-${width}.png`) });
    },
    40_000,
  );

  test.each([
    [1280, 'expired'],
    [390, 'revoked'],
  ] as const)(
    'at %i px, embed.js with data-token-url opens a frame again with a renewed token when its token was %s before it opened',
    async (width, how) => {
      serverSkewMs = 0;
      const page = await newPage(width);
      const requests = embedRequests(page);
      const tokenCalls: string[] = [];
      const tokenPath = `/porthole-token-${how}-at-load`;
      page.on('request', (request) => {
        if (request.url().endsWith(tokenPath)) tokenCalls.push(request.method());
      });
      const ended = await mint(t, { pageId: rangedPageId, audience: 'PUBLIC', ttlSeconds: 90 });
      if (how === 'revoked') await t.gql('mutation($id: ID!) { revokePageEmbed(id: $id) { id } }', { id: ended.id });
      // Expired: two minutes on, on both clocks, the token ended before the frame opened.
      else serverSkewMs = 120_000;
      await page.clock.install({ time: Date.now() + serverSkewMs });
      const fresh = await mint(t, { pageId: rangedPageId, audience: 'PUBLIC', ttlSeconds: 3600 });
      host.page(tokenPath, JSON.stringify({ token: fresh.token }), { 'content-type': 'application/json' });
      await page.goto(
        host.page(
          `/renewal-${how}-at-load.html`,
          hostHtml(
            `Token ${how} before the frame opened`,
            `<div class="slot"><div data-porthole data-page-url="${ended.embedUrl}" data-token-url="${tokenPath}"></div></div><script src="${t.url}/embed.js" async></script>`,
          ),
        ),
      );
      const frame = await until(
        () => page.frames().some((candidate) => candidate.url().includes(`t=${fresh.token}`)),
        'the frame opened again with the renewed token',
      ).then(() => page.frames().find((candidate) => candidate.url().includes(`t=${fresh.token}`))!);
      await figureIs(frame, 'Calls in range', '90');
      expect(tokenCalls).toEqual(['POST']);
      expect(requests.every((request) => request.bearer === fresh.token)).toBe(true);
      const types = (await messagesOf(page)).map((m) => m.data['type']);
      expect(types.indexOf('porthole:ready')).toBeGreaterThan(types.indexOf('porthole:unavailable'));
      expect(types.indexOf('porthole:unavailable')).toBeGreaterThanOrEqual(0);
      await fullShot(page, `renewal-${how}-at-load-${width}`);
      serverSkewMs = 0;
    },
    40_000,
  );

  test('a frame whose token was revoked before it opened, on a host without renewal, stays refused with no data', async () => {
    serverSkewMs = 0;
    const page = await newPage(390);
    const revoked = await mint(t, { pageId: rangedPageId, audience: 'PUBLIC' });
    await t.gql('mutation($id: ID!) { revokePageEmbed(id: $id) { id } }', { id: revoked.id });
    const frame = await embedded(page, revoked);
    await frame.getByRole('status').filter({ hasText: 'This embed is unavailable.' }).waitFor({ timeout: 15_000 });
    await waitForMessage(page, 'porthole:unavailable');
    expect(await frame.locator('body').innerText()).not.toMatch(/\d/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'renewal-revoked-at-load-no-renewal-390.png') });
  }, 40_000);
});
