import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { repoRoot } from '../../server/src/paths.js';
import {
  asViewer,
  CALLS,
  CALLS_PAGE,
  createPage,
  createPrincipal,
  createSecret,
  createUser,
  ingest,
  mint,
  PAGE_QUERY,
  viewerToken,
} from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeBrowserTest, figure, frameOf, hostHtml, launchChromium, requireBuiltClient, SCREENSHOT_DIR, startHostSite, type HostSite } from './browser.js';

/**
 * The console in real Chromium, used as a person would: the console on http://localhost:<port>,
 * the partner's site that pastes the snippet on http://127.0.0.1:<other port> (another origin).
 */

let t: TestServer;
let host: HostSite;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** The admin's console tab, shared by the tests that follow one another. */
let admin: Page;
/** The partner's page with the pasted snippet. */
let hostPage: Page;

beforeAll(async () => {
  requireBuiltClient();
  const built = readFileSync(join(repoRoot(), 'dist', 'client', 'console.html'), 'utf8');
  if (!built.includes('/assets/console-')) throw new Error('The console is not built: run `npm run build:client` first.');
  t = await startTestServer();
  host = await startHostSite();
  browser = await launchChromium();
  await ingest(t, 'calls', CALLS);
  await createPage(t, CALLS_PAGE);
  await createSecret(t);
}, 30_000);

afterAll(() => closeBrowserTest(contexts, browser, host, t));

async function newPage(options: { width?: number; height?: number; dark?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    colorScheme: options.dark ? 'dark' : 'light',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: t.url,
  });
  // Fail in seconds, with the locator named, rather than at the 30 s test timeout.
  context.setDefaultTimeout(8_000);
  contexts.push(context);
  return context.newPage();
}

const shot = (page: Page, name: string, fullPage = false) =>
  page.screenshot({
    path: join(SCREENSHOT_DIR, `console-${name}.png`),
    fullPage,
  });

async function signIn(page: Page, apiKey: string): Promise<void> {
  await page.goto(`${t.url}/console`);
  // Sign-in offers email and password first; the API key is behind a link.
  await page.getByRole('button', { name: 'Sign in with an API key' }).click();
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Pages', level: 1 }).waitFor();
}

async function openCallsPage(page: Page): Promise<Frame> {
  await page.getByRole('link', { name: 'Calls' }).click();
  await page.getByRole('heading', { name: 'Calls', level: 1 }).waitFor();
  return frameOf(page, '/embed-page/');
}

const embedDialog = (page: Page): Locator => page.getByRole('dialog', { name: 'Embed “Calls”' });
const clipboard = (page: Page): Promise<string> => page.evaluate(() => navigator.clipboard.readText());

describe('the console, as an admin', () => {
  test('signs in with the bootstrap admin key; the key is kept nowhere in the browser', async () => {
    admin = await newPage();
    await admin.goto(`${t.url}/console`);
    await admin.getByRole('heading', { name: 'Sign in to Porthole' }).waitFor();
    await shot(admin, 'sign-in');

    await signIn(admin, t.apiKey);
    await admin.getByRole('link', { name: 'Calls' }).waitFor();
    const stored = await admin.evaluate(() => ({
      local: localStorage.length,
      session: sessionStorage.length,
      cookie: document.cookie,
      input: document.querySelector('input[type=password]') !== null,
    }));
    // HttpOnly: scripts on the page cannot read the session cookie.
    expect(stored).toEqual({ local: 0, session: 0, cookie: '', input: false });
    expect(await admin.content()).not.toContain(t.apiKey);
    await shot(admin, 'pages');
  });

  test('opens a page and sees its numbers in the live preview', async () => {
    const preview = await openCallsPage(admin);
    expect(await figure(preview, 'Calls')).toBe('6');
    expect(await figure(preview, 'Minutes')).toBe('50');
    await admin.waitForTimeout(300);
    await shot(admin, 'page', true);
  });

  test('the Embed dialog is keyboard-friendly: focus moves in, Tab stays inside, Escape closes', async () => {
    const embedButton = admin.getByRole('button', {
      name: 'Embed',
      exact: true,
    });
    await embedButton.click();
    const dialog = embedDialog(admin);
    await dialog.waitFor();
    expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    for (let press = 0; press < 40; press += 1) {
      await admin.keyboard.press('Tab');
      expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    }
    await admin.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await embedButton.evaluate((element) => element === document.activeElement)).toBe(true);
  });

  let snippet = '';
  let iframeSnippet = '';
  let token = '';

  test('Embed → Anyone with the link → Create embed offers the auto-sizing snippet first, the iframe second, its expiry and a preview', async () => {
    await admin.getByRole('button', { name: 'Embed', exact: true }).click();
    const dialog = embedDialog(admin);
    await dialog.getByRole('radio', { name: /^Only me/ }).waitFor();
    await shot(admin, 'embed-dialog');

    await dialog.getByRole('radio', { name: /^Anyone with the link/ }).check();
    await dialog.getByRole('button', { name: 'Create embed' }).click();
    const snippetBox = dialog.getByLabel('Snippet to paste into your site');
    await snippetBox.waitFor();
    await dialog.getByRole('button', { name: 'Copy snippet' }).click();
    await dialog.getByText('Copied').waitFor();
    snippet = await clipboard(admin);
    expect(snippet).toBe(await snippetBox.inputValue());
    // The loader, which sizes the embed itself, is the one offered first.
    expect(snippet).toMatch(
      new RegExp(
        `^<div data-porthole data-page-url="${t.url}/embed-page/acme/[a-f0-9]+\\?t=[\\w.-]+"></div>\n<script src="${t.url}/embed.js" async></script>$`,
      ),
    );
    token = /\?t=([\w.-]+)"/.exec(snippet)![1]!;
    await expect(dialog.locator('textarea').evaluateAll((boxes) => boxes.map((box) => box.dataset['testid']))).resolves.toEqual([
      'embed-script-snippet',
      'embed-snippet',
    ]);
    iframeSnippet = await dialog.getByLabel('Plain iframe (for sites that allow no scripts)').inputValue();
    expect(iframeSnippet).toMatch(
      new RegExp(`^<iframe src="${t.url}/embed-page/acme/[a-f0-9]+\\?t=${token}" title="Calls" style="width:100%;height:\\d+px;border:0"`),
    );
    await expect(dialog.getByTestId('embed-expiry').innerText()).resolves.toMatch(/^Expires .+ \(tomorrow\)/);

    const preview = await frameOf(admin, token);
    expect(await figure(preview, 'Calls')).toBe('6');
    await admin.waitForTimeout(300);
    await shot(admin, 'embed-created');
  });

  test('the plain iframe snippet, pasted on another origin, shows the same numbers in a height that fits the page', async () => {
    hostPage = await newPage();
    const url = host.page('/partner.html', hostHtml('Partner site', `<div class="slot">${iframeSnippet}</div>`));
    expect(new URL(url).origin).not.toBe(t.url);
    await hostPage.goto(url);
    const embed = await frameOf(hostPage, token);
    expect(await figure(embed, 'Calls')).toBe('6');
    expect(await figure(embed, 'Minutes')).toBe('50');
    // The height the snippet carries shows the whole page at this width, with little to spare.
    await embed.getByRole('table', { name: 'Latest' }).waitFor();
    const given = await hostPage.locator('iframe').evaluate((frame) => frame.getBoundingClientRect().height);
    const needed = await embed.evaluate(() => Math.ceil(document.getElementById('app')!.getBoundingClientRect().bottom + scrollY));
    expect([needed <= given, given - needed < 0.25 * given]).toEqual([true, true]);
    await hostPage.waitForTimeout(300);
    await shot(hostPage, 'host-page');
  });

  test('the copied auto-sizing snippet grows to fit the whole page on another origin', async () => {
    const page = await newPage();
    await page.goto(host.page('/partner-auto.html', hostHtml('Partner site (auto-sizing)', `<div class="slot">${snippet}</div>`)));
    const embed = await frameOf(page, token);
    expect(await figure(embed, 'Calls')).toBe('6');
    await embed.getByText('Latest').waitFor();
    const frameHeight = async () => page.locator('[data-porthole] iframe').evaluate((frame) => frame.getBoundingClientRect().height);
    await page.waitForFunction(() => (document.querySelector('[data-porthole] iframe')?.getBoundingClientRect().height ?? 0) > 600);
    expect(await frameHeight()).toBeGreaterThan(600);
    await shot(page, 'host-page-auto-sizing');
    await page.close();
  });

  test("revoking the embed in the console turns the partner's page unavailable on reload", async () => {
    const dialog = embedDialog(admin);
    const publicEmbed = dialog.locator('li[data-audience="PUBLIC"]');
    // Loads are counted in memory and written in batches; write them now, then refresh the list.
    await t.server.services.usage.flush();
    await dialog.getByRole('button', { name: 'Refresh' }).click();
    // Viewed three times: the console's preview and the partner's two pages (iframe and embed.js).
    await publicEmbed.getByTestId('embed-loads').filter({ hasText: /^3$/ }).waitFor();
    await publicEmbed.getByRole('button', { name: /^Revoke/ }).click();
    const confirm = admin.getByRole('dialog', { name: 'Revoke this embed?' });
    await confirm.getByText(/This embed is unavailable/).waitFor();
    await shot(admin, 'embed-revoke-confirm');
    await confirm.getByRole('button', { name: 'Revoke embed' }).click();
    await confirm.waitFor({ state: 'detached' });
    await publicEmbed.waitFor({ state: 'detached' });
    await dialog.getByLabel('Show expired and revoked').check();
    await publicEmbed.getByText('Revoked').waitFor();
    await shot(admin, 'embed-revoked');

    await hostPage.reload();
    const embed = await frameOf(hostPage, token);
    await embed.getByText('This embed is unavailable.').waitFor();
    expect(await embed.locator('[data-testid="number-value"]').count()).toBe(0);
    await shot(hostPage, 'host-page-unavailable');
    await admin.getByRole('button', { name: 'Close' }).click();
  });

  test('a signing secret is shown once, then only by its prefix; revoking it stops its tokens', async () => {
    await admin.getByRole('link', { name: 'Settings' }).click();
    await admin.getByRole('heading', { name: 'Embedding: signing secrets' }).waitFor();
    await admin.getByLabel('Name (optional)').fill('e2e signer');
    await admin.getByRole('button', { name: 'Create signing secret' }).click();
    const once = admin.getByTestId('shown-once');
    await once.waitFor();
    const plaintext = await once.inputValue();
    expect(plaintext).toMatch(/^phs_/);
    await admin.getByText('This is the only time the secret is shown.', { exact: false }).waitFor();
    await shot(admin, 'secret-created');

    // A token signed with the new secret (the newest active one signs new embeds).
    const pageId = (await t.gql<{ pages: Array<{ id: string }> }>('{ pages { id } }')).body.data!.pages[0]!.id;
    const signed = await mint(t, { pageId, audience: 'WORKSPACE' });
    // A WORKSPACE embed opens for a signed-in viewer: its minter here.
    const signedIn = asViewer(await viewerToken(t));
    expect((await t.embedGql(PAGE_QUERY, signed.token, signedIn)).status).toBe(200);

    await admin.reload();
    await admin.getByRole('heading', { name: 'Embedding: signing secrets' }).waitFor();
    const prefix = plaintext.slice(0, 10);
    const item = admin.locator('li', { hasText: 'e2e signer' });
    await expect(item.getByTestId('credential-prefix').innerText()).resolves.toBe(`${prefix}…`);
    expect(await admin.content()).not.toContain(plaintext);
    await expect(admin.getByTestId('shown-once').count()).resolves.toBe(0);
    await shot(admin, 'secrets-after-reload');

    await item.getByRole('button', { name: 'Revoke' }).click();
    const confirm = admin.getByRole('dialog', {
      name: `Revoke signing secret ${prefix}…?`,
    });
    // Before confirming, the dialog says what stops: the live embeds the secret signed, their pages and sites.
    await confirm.getByText('1 live embed stops').waitFor();
    await expect(confirm.innerText()).resolves.toMatch(/Calls · 1 embed[\s\S]*1 embed that any site may show/);
    await shot(admin, 'secret-revoke-confirm');
    await confirm.getByRole('button', { name: 'Revoke secret' }).click();
    await item.locator('.badge', { hasText: 'Revoked' }).waitFor();
    const refused = await t.embedGql(PAGE_QUERY, signed.token, signedIn);
    expect([refused.status, refused.body.errors?.[0]?.extensions?.code]).toEqual([401, 'EMBED_UNAVAILABLE']);
    await shot(admin, 'secret-revoked');
  });

  test('users: search, copy the embed token, regenerate it, suspend and reactivate', async () => {
    const grace = await createUser(t, 'grace');
    await createUser(t, 'ada');
    await admin.getByRole('link', { name: 'Users' }).click();
    await admin.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await admin.getByLabel('Search users').fill('gra');
    await admin.getByText('1 user', { exact: true }).waitFor();
    const row = admin.locator('li[data-user-id]', { hasText: 'grace' });

    await row.getByRole('button', { name: 'Copy the embed token of grace' }).click();
    await row.getByText('Embed token copied.').waitFor();
    expect(await clipboard(admin)).toBe(grace.embedToken);

    await row.getByRole('button', { name: 'Regenerate the embed token of grace' }).click();
    await admin
      .getByRole('dialog', { name: /Regenerate the embed token of grace/ })
      .getByRole('button', { name: 'Regenerate token' })
      .click();
    await row.getByText(/New embed token issued/).waitFor();
    const regenerated = await clipboard(admin);
    expect(regenerated).not.toBe(grace.embedToken);
    const exchange = 'mutation($t: String!) { validateEmbedToken(embedToken: $t) { expiresAt } }';
    expect((await t.gql(exchange, { t: grace.embedToken }, { apiKey: null })).body.errors).toBeDefined();
    expect((await t.gql(exchange, { t: regenerated }, { apiKey: null })).body.data).toBeTruthy();

    await row.getByRole('button', { name: 'Suspend grace' }).click();
    const confirmSuspend = admin.getByRole('dialog', { name: 'Suspend grace?' });
    await confirmSuspend.getByText(/Their dashboard stops working at once/).waitFor();
    await confirmSuspend.getByRole('button', { name: 'Suspend user' }).click();
    await row.getByText('Suspended', { exact: true }).waitFor();
    await shot(admin, 'users');
    await row.getByRole('button', { name: 'Reactivate grace' }).click();
    await row.getByText('Active', { exact: true }).waitFor();
  });

  test('users: search sends one request per pause in typing, and says when nothing matches', async () => {
    const searches: string[] = [];
    const listen = (request: { url(): string; postData(): string | null }) => {
      const body = request.url().endsWith('/graphql') ? request.postData() : null;
      if (body?.includes('ConsoleUsers')) searches.push(JSON.parse(body).variables.search);
    };
    admin.on('request', listen);
    await admin.getByLabel('Search users').fill('');
    await admin.getByLabel('Search users').pressSequentially('nobody-here', { delay: 30 });
    await admin.getByTestId('users-empty').filter({ hasText: 'No user matches “nobody-here”.' }).waitFor();
    admin.off('request', listen);
    expect(searches.filter((search) => search !== null && search !== undefined)).toEqual(['nobody-here']);
    await shot(admin, 'users-empty-search');
    await admin.getByLabel('Search users').fill('');
    await admin.getByText('2 users', { exact: true }).waitFor();
  });

  test('users: create one, then open their dashboard in a new tab', async () => {
    await admin.getByRole('button', { name: 'New user' }).click();
    await admin.getByLabel('External id').fill('alan');
    await admin.getByLabel('Email (optional)').fill('alan@example.com');
    await shot(admin, 'user-create');
    await admin.getByRole('button', { name: 'Create user' }).click();
    const row = admin.locator('li[data-user-id]', { hasText: 'alan' });
    await row.getByText(/^Created\./).waitFor();
    const [tab] = await Promise.all([
      admin.context().waitForEvent('page'),
      row.getByRole('button', { name: 'Open the dashboard of alan in a new tab' }).click(),
    ]);
    await tab.waitForLoadState();
    expect(new URL(tab.url()).pathname).toBe('/dashboard.html');
    // alan owns one call in the fixture: the dashboard page shows that user's count alone.
    const frame = tab.mainFrame();
    expect(await figure(frame, 'Calls')).toBe('1');
    expect(await tab.evaluate(() => window.opener)).toBeNull();
    await tab.close();
  });

  test('API keys: a new key is shown once, listed by prefix, and revocable', async () => {
    await admin.getByRole('link', { name: 'Settings' }).click();
    await admin.getByRole('link', { name: 'API keys' }).click();
    await admin.getByRole('heading', { name: 'Your API keys' }).waitFor();
    await admin.getByLabel('Name (optional)').fill('e2e script');
    await admin.getByRole('button', { name: 'Create API key' }).click();
    const plaintext = await admin.getByTestId('shown-once').inputValue();
    expect(plaintext).toMatch(/^ph_/);
    expect((await t.gql('{ viewer { id } }', {}, { apiKey: plaintext })).body.data).toBeTruthy();
    await shot(admin, 'api-key-created');

    await admin.getByRole('button', { name: 'I have copied it' }).click();
    const item = admin.locator('li', { hasText: 'e2e script' });
    await expect(item.innerText()).resolves.toContain(plaintext.slice(0, 11));
    await item.getByRole('button', { name: 'Revoke' }).click();
    await admin
      .getByRole('dialog', { name: /Revoke API key/ })
      .getByRole('button', { name: 'Revoke key' })
      .click();
    await item.locator('.badge', { hasText: 'Revoked' }).waitFor();
    expect((await t.gql('{ viewer { id } }', {}, { apiKey: plaintext })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await shot(admin, 'api-keys');
  });

  test('signing out ends the session: a reload shows the sign-in form again', async () => {
    await admin.getByRole('button', { name: 'Sign out' }).click();
    await admin.getByText('You are signed out.').waitFor();
    await admin.reload();
    await admin.getByRole('heading', { name: 'Sign in to Porthole' }).waitFor();
  });
});

describe('the console, as a member', () => {
  test('a non-admin member finds "Anyone with the link" disabled, with the reason', async () => {
    const member = await createPrincipal(t, { name: 'Mia Member' });
    const page = await newPage();
    await signIn(page, member.apiKey);
    const preview = await openCallsPage(page);
    expect(await figure(preview, 'Calls')).toBe('6');
    await page.getByRole('button', { name: 'Embed', exact: true }).click();
    const dialog = embedDialog(page);
    const publicChoice = dialog.getByRole('radio', { name: /^Anyone with the link/ });
    expect(await publicChoice.isDisabled()).toBe(true);
    await expect(dialog.getByTestId('public-disabled-reason').innerText()).resolves.toBe(
      'Only workspace admins can create public embeds. Ask an admin, or choose another audience.',
    );
    expect(await dialog.getByRole('radio', { name: /^People in this workspace/ }).isEnabled()).toBe(true);
    await shot(page, 'member-public-disabled');

    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByText('Only workspace admins can manage signing secrets.').waitFor();
  });
});

describe('the console at 360 px, in dark mode', () => {
  test('pages, a page and the Embed dialog fit a 360 px screen', async () => {
    const page = await newPage({ width: 360, height: 780, dark: true });
    await signIn(page, t.apiKey);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBe(0);
    await shot(page, 'pages-360-dark');
    const preview = await openCallsPage(page);
    expect(await figure(preview, 'Calls')).toBe('6');
    await page.waitForTimeout(300);
    expect(await overflow()).toBe(0);
    await shot(page, 'page-360-dark', true);
    await page.getByRole('button', { name: 'Embed', exact: true }).click();
    await embedDialog(page).getByRole('button', { name: 'Create embed' }).waitFor();
    expect(await overflow()).toBe(0);
    await shot(page, 'embed-dialog-360-dark');
  });
});
