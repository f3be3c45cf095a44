import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CALLS, CALLS_PAGE, createPage, createSecret, createUser, ingest, mint, PAGE_QUERY } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeBrowserTest, figure, frameOf, hostHtml, launchChromium, requireBuiltClient, SCREENSHOT_DIR, startHostSite, type HostSite } from './browser.js';

/**
 * Real Chromium against a real Porthole server (http://localhost:<port>), with every host page served
 * by another site (http://127.0.0.1:<other port>): a different origin, as on the web.
 */

/** The server's clock runs `serverSkewMs` ahead of real time, so tests can expire sessions for real. */
let serverSkewMs = 0;
let t: TestServer;
let host: HostSite;
let browser: Browser;
let pageId: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  requireBuiltClient();
  t = await startTestServer({
    env: { PORTHOLE_SESSION_TTL_SECONDS: '60' },
    clock: { now: () => new Date(Date.now() + serverSkewMs) },
  });
  host = await startHostSite();
  browser = await launchChromium();
  await ingest(t, 'calls', CALLS);
  pageId = await createPage(t, { ...CALLS_PAGE, refreshSeconds: 10 });
  await createSecret(t);
}, 30_000);

afterAll(() => closeBrowserTest(contexts, browser, host, t));

async function newPage(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 820, height: 900 },
  });
  contexts.push(context);
  return context.newPage();
}

const iframe = (src: string, height = 900) =>
  `<div class="slot"><iframe src="${src}" title="Porthole embed" style="width:100%;height:${height}px;border:0"></iframe></div>`;
const withParams = (url: string, params: Record<string, string>) => {
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(params)) parsed.searchParams.set(key, value);
  return parsed.href;
};
const messagesOf = (page: Page) =>
  page.evaluate(
    () =>
      (
        window as unknown as {
          portholeMessages: Array<{ origin: string; data: { type: string } }>;
        }
      ).portholeMessages,
  );

// The page embeds here are PUBLIC: these tests are about rendering on another site, not about who
// views (a SELF or WORKSPACE embed shows "Sign in to view" first; see viewer-identity.test.ts).
describe('page embed', () => {
  test('shows the page title and the right numbers, charts and table in an iframe on another site', async () => {
    const minted = await mint(t, { pageId, audience: 'PUBLIC' });
    expect(new URL(minted.embedUrl).origin).not.toBe(host.origin);
    const page = await newPage();
    for (const theme of ['light', 'dark'] as const) {
      const src = withParams(minted.embedUrl, { theme, origin: host.origin });
      await page.goto(host.page(`/page-${theme}.html`, hostHtml(`Page embed (${theme})`, iframe(src, 1150))));
      const frame = await frameOf(page, '/embed-page/');

      expect(await figure(frame, 'Calls')).toBe('6');
      expect(await figure(frame, 'Minutes')).toBe('50');
      await expect(frame.locator('h1').innerText()).resolves.toBe('Calls');
      const bars = frame.locator('section[data-kind="BAR"] svg');
      await expect(bars.getAttribute('aria-label')).resolves.toBe('By channel: phone 3, chat 2, email 1');
      await expect(bars.locator('text.value').allTextContents()).resolves.toEqual(['3', '2', '1']);
      // The latest value is printed; every day's is in its tooltip (and read out on focus).
      await expect(frame.locator('section[data-kind="LINE"] text.value').allTextContents()).resolves.toEqual(['10']);
      await expect(frame.locator('section[data-kind="LINE"] rect.hit').evaluateAll((hits) => hits.map((hit) => hit.getAttribute('data-tip')))).resolves.toEqual(
        ['Sun, Nov 1, 2026 — Sum of minutes: 14', 'Mon, Nov 2, 2026 — Sum of minutes: 26', 'Tue, Nov 3, 2026 — Sum of minutes: 10'],
      );
      const table = frame.getByRole('table', { name: 'Latest' });
      await expect(table.getByRole('columnheader').allInnerTexts()).resolves.toEqual(['Owner', 'Channel', 'Minutes']);
      await expect(table.getByRole('rowheader').allInnerTexts()).resolves.toEqual(['alan', 'grace', 'grace']);
      await expect(frame.evaluate(() => document.documentElement.dataset['theme'])).resolves.toBe(theme);

      await page.screenshot({
        path: join(SCREENSHOT_DIR, `page-embed-${theme}.png`),
        fullPage: true,
      });
      const messages = await messagesOf(page);
      expect(messages.map((message) => message.data.type)).toContain('porthole:ready');
      expect(messages.every((message) => message.origin === new URL(minted.embedUrl).origin)).toBe(true);
    }
  }, 40_000);

  test('shows hostile titles and record values as literal text, creating no element or script from them', async () => {
    const HOSTILE = [
      '<script>alert(1)</script>',
      '"><img src=x onerror=alert(2)>',
      '</svg><script>alert(3)</script>',
      '&amp;',
      "' onmouseover='alert(4)",
      '" onload="alert(5)',
    ];
    await ingest(
      t,
      'notes',
      HOSTILE.map((label, i) => ({
        at: `2026-11-0${i + 1}T10:00:00Z`,
        label,
        amount: i + 1,
      })),
    );
    const hostilePageId = await createPage(t, {
      title: HOSTILE[0],
      description: HOSTILE[1],
      widgets: [
        {
          title: HOSTILE[2],
          kind: 'NUMBER',
          query: { dataset: 'notes', metric: { fn: 'COUNT' } },
        },
        {
          title: HOSTILE[3],
          kind: 'TABLE',
          query: {
            dataset: 'notes',
            select: ['label', 'amount'],
            sort: { field: 'amount', direction: 'ASC' },
          },
        },
        {
          title: HOSTILE[4],
          kind: 'BAR',
          query: {
            dataset: 'notes',
            groupBy: 'label',
            metric: { fn: 'SUM', field: 'amount' },
          },
        },
        {
          title: HOSTILE[5],
          kind: 'LINE',
          query: { dataset: 'notes', bucket: 'DAY', metric: { fn: 'COUNT' } },
        },
      ],
    });
    const minted = await mint(t, {
      pageId: hostilePageId,
      audience: 'PUBLIC',
    });
    const page = await newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(host.page('/hostile.html', hostHtml('Hostile data', iframe(withParams(minted.embedUrl, { origin: host.origin }), 1400))));
    const frame = await frameOf(page, '/embed-page/');
    expect(await figure(frame, HOSTILE[2]!)).toBe(String(HOSTILE.length));

    await expect(frame.locator('h1').innerText()).resolves.toBe(HOSTILE[0]);
    await expect(frame.locator('header p').innerText()).resolves.toBe(HOSTILE[1]);
    await expect(frame.locator('section h2').allTextContents()).resolves.toEqual(HOSTILE.slice(2));
    const table = frame.getByRole('table', { name: HOSTILE[3] });
    await expect(table.getByRole('rowheader').allTextContents()).resolves.toEqual(HOSTILE);
    const bars = frame.locator('section[data-kind="BAR"] svg');
    await expect(bars.locator('text.category').allTextContents()).resolves.toEqual(expect.arrayContaining(HOSTILE));
    for (const label of HOSTILE) await expect(bars.getAttribute('aria-label')).resolves.toContain(label);
    await expect(frame.locator('section[data-kind="LINE"] svg').getAttribute('aria-label')).resolves.toContain(`${HOSTILE[5]}: 6 points`);

    // Nothing in the data became an element, an attribute or a running script.
    const injected = await frame.evaluate(() => {
      const app = document.getElementById('app')!;
      return {
        elements: app.querySelectorAll('script, img, svg svg, foreignObject').length,
        handlers: [...app.querySelectorAll('*')].flatMap((element) =>
          [...element.attributes].map((attribute) => attribute.name).filter((name) => name.startsWith('on')),
        ),
        svgsOutsideCards: [...app.querySelectorAll('svg')].filter((svg) => !svg.parentElement?.matches('section[data-kind="BAR"], section[data-kind="LINE"]'))
          .length,
      };
    });
    expect(injected).toEqual({
      elements: 0,
      handlers: [],
      svgsOutsideCards: 0,
    });
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
  }, 30_000);

  test('a token pinned to other origins is refused by the browser, and one pinned to this host renders', async () => {
    const elsewhere = await mint(t, {
      pageId,
      audience: 'PUBLIC',
      origins: ['https://partner.example'],
    });
    const here = await mint(t, {
      pageId,
      audience: 'PUBLIC',
      origins: [host.origin],
    });
    const page = await newPage();
    const refusals: string[] = [];
    page.on('console', (message) => {
      if (/frame-ancestors/.test(message.text())) refusals.push(message.text());
    });
    await page.goto(host.page('/pinned.html', hostHtml('Pinned tokens', iframe(elsewhere.embedUrl, 300) + iframe(here.embedUrl, 300))));

    const allowed = page.frames().find((frame) => frame.url() === here.embedUrl) ?? (await frameOf(page, here.token.slice(-16)));
    expect(await figure(allowed, 'Calls')).toBe('6');
    // Chromium replaces a frame that CSP frame-ancestors refuses with an error page: nothing of Porthole runs.
    await page.waitForFunction(() => document.querySelectorAll('iframe').length === 2);
    await page.waitForTimeout(300);
    const refused = page.frames().filter((frame) => frame !== page.mainFrame() && frame !== allowed);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.url()).not.toContain(elsewhere.token);
    expect(await refused[0]!.locator('[data-testid="number-value"]').count()).toBe(0);
    expect(refusals.join('\n')).toMatch(/frame-ancestors/);
  }, 30_000);

  test('a bad token shows "This embed is unavailable." and no number', async () => {
    // WORKSPACE on purpose: a broken token of an audience that needs sign-in is unavailable, not "Sign in to view".
    const minted = await mint(t, { pageId, audience: 'WORKSPACE' });
    const tampered = minted.embedUrl.replace(/t=([^&]+)/, (_match, token: string) => `t=${token.slice(0, -4)}AAAA`);
    const page = await newPage();
    await page.goto(host.page('/bad-token.html', hostHtml('Bad token', iframe(withParams(tampered, { origin: host.origin }), 300))));
    const frame = await frameOf(page, '/embed-page/');

    // The status reads "Loading…" until the refusal arrives: wait for the refusal, then read it exactly.
    await frame.getByRole('status').filter({ hasText: 'This embed is unavailable.' }).waitFor({ timeout: 15_000 });
    await expect(frame.getByRole('status').innerText()).resolves.toBe('This embed is unavailable.');
    expect(await frame.getByRole('button', { name: 'Sign in to view' }).count()).toBe(0);
    expect(await frame.locator('body').innerText()).not.toMatch(/\d/);
    expect(await frame.locator('[data-testid="number-value"], svg, table').count()).toBe(0);
    await page.waitForFunction(() =>
      (
        window as unknown as {
          portholeMessages: Array<{ data: { type: string } }>;
        }
      ).portholeMessages.some((m) => m.data.type === 'porthole:unavailable'),
    );
    await page.screenshot({
      path: join(SCREENSHOT_DIR, 'page-embed-unavailable.png'),
    });
  }, 30_000);

  test('works on a host page that requires Cross-Origin-Embedder-Policy: require-corp', async () => {
    const minted = await mint(t, { pageId, audience: 'PUBLIC' });
    const page = await newPage();
    const url = host.page('/strict.html', hostHtml('Strict host', iframe(minted.embedUrl, 400)), {
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-opener-policy': 'same-origin',
    });
    await page.goto(url);
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
    expect(await figure(await frameOf(page, '/embed-page/'), 'Calls')).toBe('6');
  }, 30_000);
});

describe('user dashboard', () => {
  test("/dashboard.html?token= shows that user's own numbers", async () => {
    const ada = await createUser(t, 'ada');
    const grace = await createUser(t, 'grace');
    const page = await newPage();
    const dashboard = (token: string) =>
      withParams(`${t.url}/dashboard.html`, {
        token,
        origin: host.origin,
        theme: 'light',
      });
    await page.goto(host.page('/dashboards.html', hostHtml('Two users', iframe(dashboard(ada.embedToken), 1150) + iframe(dashboard(grace.embedToken), 300))));

    const adaFrame = await frameOf(page, ada.embedToken);
    const graceFrame = await frameOf(page, grace.embedToken);
    expect([await figure(adaFrame, 'Calls'), await figure(adaFrame, 'Minutes')]).toEqual(['3', '20']);
    expect([await figure(graceFrame, 'Calls'), await figure(graceFrame, 'Minutes')]).toEqual(['2', '22']);
    await expect(adaFrame.getByRole('table', { name: 'Latest' }).getByRole('rowheader').allInnerTexts()).resolves.toEqual(['ada', 'ada', 'ada']);
    await page
      .locator('iframe')
      .first()
      .screenshot({ path: join(SCREENSHOT_DIR, 'dashboard.png') });
  }, 30_000);

  test('a bad embed token shows the unavailable state and no number', async () => {
    const page = await newPage();
    await page.goto(host.page('/bad-dashboard.html', hostHtml('Bad dashboard token', iframe(`${t.url}/dashboard.html?token=not-a-token`, 300))));
    const frame = await frameOf(page, '/dashboard.html');
    // The status reads "Loading…" until the refusal arrives: wait for the refusal, then read it exactly.
    await frame.getByRole('status').filter({ hasText: 'This embed is unavailable.' }).waitFor({ timeout: 15_000 });
    await expect(frame.getByRole('status').innerText()).resolves.toBe('This embed is unavailable.');
    expect(await frame.locator('body').innerText()).not.toMatch(/\d/);
  }, 30_000);

  test('an expiring session is renewed, and a refused one re-exchanged, without a blank screen', async () => {
    const user = await createUser(t, 'ada-renewal');
    await ingest(t, 'calls', [
      {
        owner: 'ada-renewal',
        at: '2026-11-04T10:00:00Z',
        channel: 'phone',
        minutes: 7,
      },
    ]);
    const page = await newPage();
    const exchanges: string[] = [];
    const dashboardStatuses: number[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && !request.url().endsWith('/embed/graphql') && request.postData()?.includes('validateEmbedToken'))
        exchanges.push(request.url());
    });
    page.on('response', (response) => {
      if (response.url().endsWith('/embed/graphql')) dashboardStatuses.push(response.status());
    });
    await page.clock.install();
    const src = withParams(`${t.url}/dashboard.html`, {
      token: user.embedToken,
      origin: host.origin,
    });
    await page.goto(host.page('/renewal.html', hostHtml('Session renewal', iframe(src, 1100))));
    const frame = await frameOf(page, '/dashboard.html');
    expect(await figure(frame, 'Calls')).toBe('1');
    expect(exchanges).toHaveLength(1);
    // From here on, record whether the figure ever leaves the screen.
    await frame.evaluate(() => {
      const state = window as unknown as { blanked: boolean };
      state.blanked = false;
      new MutationObserver(() => {
        if (!document.querySelector('[data-testid="number-value"]')) state.blanked = true;
      }).observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    });
    const waitFor = async (what: () => boolean, label: string) => {
      const deadline = Date.now() + 10_000;
      while (!what()) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${label}: exchanges=${exchanges.length} statuses=${dashboardStatuses}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    // 1. The 60 s session nears its end (server and browser clocks both at +56 s): renewed ahead of time.
    serverSkewMs = 56_000;
    await page.clock.fastForward(56_000);
    await waitFor(() => exchanges.length === 2 && dashboardStatuses.length >= 2, 'the proactive renewal');
    expect(dashboardStatuses).toEqual([200, 200]);

    // 2. The server's clock passes the renewed session's expiry while the browser still trusts it:
    //    the next refresh is refused (401), re-exchanged once, and retried.
    serverSkewMs = 56_000 + 70_000;
    await page.clock.fastForward(10_000);
    await waitFor(() => exchanges.length === 3 && dashboardStatuses.length >= 4, 'the re-exchange after a refusal');
    expect(dashboardStatuses.slice(2)).toEqual([401, 200]);

    expect(await figure(frame, 'Calls')).toBe('1');
    expect(await frame.evaluate(() => (window as unknown as { blanked: boolean }).blanked)).toBe(false);
    expect((await messagesOf(page)).map((message) => message.data.type)).not.toContain('porthole:expired');
    serverSkewMs = 0;
  }, 40_000);
});

describe('embed.js', () => {
  test('renders into #porthole (dashboard) and a data-porthole container (page), which grow to fit', async () => {
    const user = await createUser(t, 'grace-script');
    await ingest(t, 'calls', [
      {
        owner: 'grace-script',
        at: '2026-11-04T10:00:00Z',
        channel: 'chat',
        minutes: 3,
      },
    ]);
    // PUBLIC: the loader's sizing is the point here, not who views (see viewer-identity.test.ts).
    const minted = await mint(t, { pageId, audience: 'PUBLIC' });
    const page = await newPage();
    const body = `
      <div class="slot" id="porthole" data-token="${user.embedToken}" data-api-url="${t.url}" data-theme="light" data-titled="false"></div>
      <p>Between the embeds.</p>
      <div class="slot" data-porthole data-name="page" data-page-url="${minted.embedUrl}" data-theme="dark" data-bordered></div>
      <script src="${t.url}/embed.js" async></script>`;
    await page.goto(host.page('/script.html', hostHtml('Script embed', body)));

    const dashboardFrame = await frameOf(page, '/dashboard.html');
    const pageFrame = await frameOf(page, '/embed-page/');
    expect(await figure(dashboardFrame, 'Calls')).toBe('1');
    // The page embed shows the whole workspace: every call ingested so far, as the embed API itself counts them.
    const api = await t.embedGql<{
      page: { widgets: Array<{ title: string; data: { rows: unknown[][] } }> };
    }>(PAGE_QUERY, minted.token);
    const total = api.body.data!.page.widgets.find((widget) => widget.title === 'Calls')!.data.rows[0]![0];
    expect(await figure(pageFrame, 'Calls')).toBe(String(total));
    expect(new URL(dashboardFrame.url()).searchParams.get('origin')).toBe(host.origin);
    await expect(dashboardFrame.locator('h1').count()).resolves.toBe(0);
    await expect(pageFrame.evaluate(() => document.documentElement.dataset['theme'])).resolves.toBe('dark');

    for (const [selector, frame] of [
      ['#porthole', dashboardFrame],
      ['[data-porthole]', pageFrame],
    ] as const) {
      const content = await frame.evaluate(() => Math.ceil(document.getElementById('app')!.getBoundingClientRect().height));
      await page.waitForFunction(
        ([sel, height]) => Math.abs((document.querySelector(sel) as HTMLElement).offsetHeight - height) <= 1,
        [selector, content] as const,
        { timeout: 5_000 },
      );
      expect(content).toBeGreaterThan(300);
      const widths = await page
        .locator(`${selector} iframe`)
        .evaluate((frameElement) => [frameElement.getBoundingClientRect().width, frameElement.parentElement!.clientWidth]);
      expect(widths[0]).toBe(widths[1]);
    }
    const events = await page.evaluate(
      () =>
        (
          window as unknown as {
            portholeEvents: Array<{ type: string; target: string }>;
          }
        ).portholeEvents,
    );
    expect(events).toEqual(
      expect.arrayContaining([
        { type: 'porthole:ready', target: 'porthole' },
        { type: 'porthole:ready', target: 'page' },
      ]),
    );
    await page.screenshot({
      path: join(SCREENSHOT_DIR, 'embed-js.png'),
      fullPage: true,
    });
  }, 30_000);
});
