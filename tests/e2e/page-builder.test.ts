import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { join } from 'node:path';
import { asViewer, CALLS, createPage, createPrincipal, createSecret, ingest, mint, PAGE_QUERY, viewerToken } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeBrowserTest, figure, frameOf, launchChromium, requireBuiltClient, SCREENSHOT_DIR } from './browser.js';

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

afterAll(() => closeBrowserTest(contexts, browser, t));

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

let adminViewer: Promise<Record<string, string>> | undefined;
/** The admin signed in: SELF and WORKSPACE embeds (the console's previews among them) load over the API only for a signed-in viewer. */
const asAdmin = (): Promise<Record<string, string>> => (adminViewer ??= viewerToken(t).then(asViewer));

async function signIn(page: Page, apiKey: string): Promise<void> {
  await page.goto(`${t.url}/console`);
  // Sign-in offers email and password first; the API key is behind a link.
  await page.getByRole('button', { name: 'Sign in with an API key' }).click();
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
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
    await expect(first.getByTestId('number-value').innerText()).resolves.toBe('6');

    await admin.getByRole('button', { name: 'Add widget' }).click();
    const second = widget(admin, 2);
    await second.getByLabel('Kind').selectOption('BAR');
    await second.getByLabel('Title').fill('By channel');
    await second.getByLabel('Group by').selectOption('channel');
    // The preview is the widget as the saved page draws it: bars, named by what they show.
    await second.getByRole('group', { name: 'By channel: phone 3, chat 2, email 1' }).waitFor();
    await shot(admin, 'new-page', true);
  });

  test('the grouping is picked from the dataset’s fields, and a bar chart left without one is flagged at the field', async () => {
    const second = widget(admin, 2);
    const offered = await second
      .getByLabel('Group by')
      .locator('option')
      .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    // The catalog's fields, then time buckets: nothing can be misspelt.
    expect(offered).toEqual(expect.arrayContaining(['channel', 'minutes', 'owner', '@DAY']));
    await second.getByLabel('Group by').selectOption('');
    await second.getByLabel('Group by').blur();
    await second.getByText('Choose what the bars stand for.').waitFor();
    await second.screenshot({ path: join(SCREENSHOT_DIR, 'builder-typo.png') });
    await second.getByLabel('Group by').selectOption('channel');
    await second.getByRole('group', { name: /^By channel: phone 3, / }).waitFor();
  });

  test('filters suggest the field’s values and narrow the preview', async () => {
    const first = widget(admin, 1);
    await first.getByText('More options').click();
    await first.getByRole('button', { name: 'Add a filter' }).click();
    await first.getByLabel('Filter 1 field').selectOption('channel');
    const options = first.locator('datalist option');
    await admin.waitForFunction(
      (element) => [...(element as HTMLElement).querySelectorAll('datalist option')].some((option) => (option as HTMLOptionElement).value === 'email'),
      await first.elementHandle(),
    );
    expect(await options.evaluateAll((list) => list.map((option) => (option as HTMLOptionElement).value))).toEqual(
      expect.arrayContaining(['phone', 'chat', 'email']),
    );
    await first.getByLabel('Filter 1 value').fill('phone');
    await first.getByTestId('number-value').filter({ hasText: /^3$/ }).waitFor();
    await first.getByRole('button', { name: 'Remove filter 1' }).click();
    await first.getByText('More options').click();
    await first.getByTestId('number-value').filter({ hasText: /^6$/ }).waitFor();
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
    await shot(admin, 'pages-list');
    // Opened from the list, the page shows the numbers its preview showed while it was built.
    await card.getByRole('link', { name: 'Support overview' }).click();
    const reopened = await frameOf(admin, '/embed-page/');
    expect(await figure(reopened, 'Calls')).toBe('6');
    // The bar chart's labels and values are SVG text: read them as text content.
    const bars = (await reopened.locator('section[data-kind="BAR"]').textContent()) ?? '';
    // Each bar's label with the value printed beside it, in bar order: phone 3, chat 2, email 1.
    expect(bars).toMatch(/phone\s*3\s*chat\s*2\s*email\s*1\D*$/);
    await admin.getByRole('link', { name: 'Pages', exact: true }).first().click();
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
    await widget(admin, 1)
      .getByRole('group', { name: /^By channel: phone 3, / })
      .waitFor();
    await shot(admin, 'edit-page', true);
    await admin.getByRole('button', { name: 'Save page' }).click();
    await admin.getByRole('heading', { name: 'Support overview', level: 1 }).waitFor();
    const saved = await t.gql<{ page: { widgets: Array<{ title: string }> } }>('query($id: ID!) { page(id: $id) { widgets { title } } }', { id: savedPageId });
    expect(saved.body.data?.page.widgets).toEqual([{ title: 'By channel' }]);
  });

  test('Delete page lists the live embeds that will stop, and they stop', async () => {
    const embed = await mint(t, { pageId: savedPageId, audience: 'WORKSPACE', label: 'partner.example', origins: ['https://partner.example'] });
    expect((await t.embedGql(PAGE_QUERY, embed.token, await asAdmin())).body.errors).toBeUndefined();
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
    for (const viewer of [await asAdmin(), {}])
      expect((await t.embedGql(PAGE_QUERY, embed.token, viewer)).body.errors?.[0]?.extensions?.code).toBe('EMBED_UNAVAILABLE');
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
    // The preview is SELF: over the API it opens for the admin, signed in, as it does in the console.
    const signedIn = await asAdmin();
    expect((await t.embedGql(PAGE_QUERY, token, signedIn)).body.errors).toBeUndefined();
    await admin.getByRole('link', { name: 'Pages', exact: true }).first().click();
    await admin.getByRole('heading', { name: 'Pages', level: 1 }).waitFor();
    // The end is sent as the view closes; give that request a moment to land.
    for (let attempt = 0; attempt < 50 && !(await t.embedGql(PAGE_QUERY, token, signedIn)).body.errors; attempt += 1) await admin.waitForTimeout(100);
    expect((await t.embedGql(PAGE_QUERY, token, signedIn)).body.errors?.[0]?.extensions?.code).toBe('EMBED_UNAVAILABLE');
  });
});

describe('viewing settings in the builder', () => {
  test('time zone, week start, a date range, a metric label and a number format are saved with the page', async () => {
    await admin.goto(`${t.url}/console#/pages/new`);
    await admin.getByRole('heading', { name: 'New page', level: 1 }).waitFor();
    await admin.getByLabel('Title', { exact: true }).first().fill('Viewing');
    await admin.getByLabel('Time zone').fill('New York');
    await admin.getByLabel('Time zone').blur();
    await expect(admin.getByLabel('Time zone').inputValue()).resolves.toBe('America/New_York');
    await admin.getByLabel('Weeks start on').selectOption('SUNDAY');
    await admin.getByLabel('Viewers may choose a date range').check();
    await admin.getByLabel('Opens with').selectOption('ALL_TIME');
    const first = widget(admin, 1);
    await first.getByLabel('Show', { exact: true }).selectOption('SUM:minutes');
    await first.getByText('More options').click();
    await first.getByLabel('Name of the number').fill('Minutes talked');
    await first.getByLabel('Number format').selectOption('DURATION');
    await first.getByLabel('Values are in').selectOption('minute');
    // The preview is the widget as the saved page shows it: in its format, zone and range.
    await first
      .getByTestId('number-value')
      .filter({ hasText: /^50\smin$/ })
      .waitFor();
    const previewed = await first.getByTestId('number-value').innerText();
    await shot(admin, 'viewing-settings', true);
    await admin.getByRole('button', { name: 'Save page' }).click();
    await admin.getByRole('heading', { name: 'Viewing', level: 1 }).waitFor();
    expect(await figure(await frameOf(admin, '/embed-page/'), 'Widget 1')).toBe(previewed);
    const id = decodeURIComponent(/#\/pages\/([^/]+)$/.exec(admin.url())![1]!);
    const saved = await t.gql<{ page: Record<string, unknown> }>(
      'query($id: ID!) { page(id: $id) { timezone weekStart dateRange { default } widgets { label format { style unit } query { metric { fn field } } } } }',
      { id },
    );
    expect(saved.body.data?.page).toEqual({
      timezone: 'America/New_York',
      weekStart: 'SUNDAY',
      dateRange: { default: 'ALL_TIME' },
      widgets: [{ label: 'Minutes talked', format: { style: 'DURATION', unit: 'minute' }, query: { metric: { fn: 'SUM', field: 'minutes' } } }],
    });
  });
});

describe("the builder's theme and column formats", () => {
  test("a page's theme and a TABLE's column format are saved with the page, and its embed shows both", async () => {
    await admin.goto(`${t.url}/console#/pages/new`);
    await admin.getByRole('heading', { name: 'New page', level: 1 }).waitFor();
    await admin.getByLabel('Title', { exact: true }).first().fill('Formatted');
    await admin.getByLabel('Theme').selectOption('DARK');
    const first = widget(admin, 1);
    await first.getByLabel('Kind').selectOption('TABLE');
    await first.getByLabel('Group by').selectOption('channel');
    await first.getByText('Column formats').click();
    await first.getByRole('button', { name: 'Add a column format' }).click();
    await first.getByLabel('Column', { exact: true }).selectOption('count');
    await first.getByLabel('Format', { exact: true }).selectOption('CURRENCY');
    await first.getByLabel('Currency').selectOption('EUR');
    // The preview writes the count column as money; the channel column stays as it is.
    await first
      .locator('td')
      .filter({ hasText: /^€\d+\.00$/ })
      .first()
      .waitFor();
    await shot(admin, 'column-formats', true);
    await admin.getByRole('button', { name: 'Save page' }).click();
    await admin.getByRole('heading', { name: 'Formatted', level: 1 }).waitFor();
    const frame = await frameOf(admin, '/embed-page/');
    await frame
      .locator('td')
      .filter({ hasText: /^€\d+\.00$/ })
      .first()
      .waitFor();
    await expect(frame.evaluate(() => document.documentElement.dataset['theme'])).resolves.toBe('dark');
    const id = decodeURIComponent(/#\/pages\/([^/]+)$/.exec(admin.url())![1]!);
    const saved = await t.gql<{ page: Record<string, unknown> }>(
      'query($id: ID!) { page(id: $id) { theme widgets { columnFormats { column style currency } } } }',
      {
        id,
      },
    );
    expect(saved.body.data?.page).toEqual({ theme: 'DARK', widgets: [{ columnFormats: [{ column: 'count', style: 'CURRENCY', currency: 'EUR' }] }] });
  });
});

describe('the console preview when the member leaves while it is being renewed', () => {
  test('a preview mint still in flight when the page is left is ended as soon as it lands', async () => {
    const pageId = await createPage(t, {
      title: 'In flight',
      widgets: [{ title: 'Calls', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } }],
    });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let seen = false;
    await admin.route(`${t.url}/graphql`, async (route) => {
      if (route.request().postData()?.includes('ConsolePreviewPageEmbed')) {
        seen = true;
        // The server mints at once; only its answer reaches the console late.
        const response = await route.fetch();
        await held;
        await route.fulfill({ response });
      } else await route.continue();
    });
    await admin.goto(`${t.url}/console#/pages/${pageId}`);
    await admin.getByRole('heading', { name: 'In flight', level: 1 }).waitFor();
    for (let attempt = 0; attempt < 50 && !seen; attempt += 1) await admin.waitForTimeout(50);
    expect(seen).toBe(true);
    await admin.getByRole('link', { name: 'Pages', exact: true }).first().click();
    await admin.getByRole('heading', { name: 'Pages', level: 1 }).waitFor();
    const previewRecord = async () => (await t.store.pageEmbeds.find({ pageId, preview: true }))[0];
    expect((await previewRecord())?.revokedAt).toBeNull();
    release();
    for (let attempt = 0; attempt < 50 && !(await previewRecord())?.revokedAt; attempt += 1) await admin.waitForTimeout(100);
    expect((await previewRecord())?.revokedAt).toBeInstanceOf(Date);
    await admin.unroute(`${t.url}/graphql`);
  });
});

describe('page access in the console', () => {
  const UPDATE = 'mutation($id: ID!) { updatePage(id: $id, input: { title: "Taken over" }) { id } }';

  test('a member without EDIT sees no Edit button, and updatePage refuses it', async () => {
    const pageId = await createPage(t, {
      title: 'Read only',
      widgets: [{ title: 'Calls', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } }],
    });
    const viewer = await createPrincipal(t, { name: 'Vera Viewer' });
    const page = await newPage();
    await signIn(page, viewer.apiKey);
    await page.getByRole('link', { name: 'Read only' }).click();
    await page.getByRole('heading', { name: 'Read only', level: 1 }).waitFor();
    expect(await figure(await frameOf(page, '/embed-page/'), 'Calls')).toBe('6');
    expect(await page.getByRole('link', { name: 'Edit page' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete page' }).count()).toBe(0);
    await shot(page, 'member-no-edit');
    await page.goto(`${t.url}/console#/pages/${pageId}/edit`);
    await page.getByText('You may view this page but not edit it.').waitFor();
    const refused = await t.gql(UPDATE, { id: pageId }, { apiKey: viewer.apiKey });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  test('the owner makes a page private and grants one member EDIT in the builder; that member then sees Edit page', async () => {
    const editor = await createPrincipal(t, { name: 'Eddie Editor' });
    const outsider = await createPrincipal(t, { name: 'Olga Outsider' });
    const pageId = await createPage(t, {
      title: 'Shared draft',
      widgets: [{ title: 'Calls', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } }],
    });
    await admin.goto(`${t.url}/console#/pages/${pageId}/edit`);
    await admin.getByRole('heading', { name: 'Edit page', level: 1 }).waitFor();
    const sharing = admin.getByRole('group', { name: 'Sharing' });
    await sharing.getByLabel('In this workspace').selectOption('PRIVATE');
    await sharing.getByRole('button', { name: 'Give someone access' }).click();
    await sharing.getByLabel('Grant 1: who').selectOption({ label: 'Eddie Editor (member)' });
    await sharing.getByLabel('Grant 1: level').selectOption('EDIT');
    await sharing.screenshot({ path: join(SCREENSHOT_DIR, 'builder-sharing.png') });
    await admin.getByRole('button', { name: 'Save page' }).click();
    await admin.getByRole('heading', { name: 'Shared draft', level: 1 }).waitFor();

    const access = await t.gql<{ page: { sharing: string; grants: Array<{ principalId: string; level: string }> } }>(
      'query($id: ID!) { page(id: $id) { sharing grants { principalId level } } }',
      { id: pageId },
    );
    expect(access.body.data?.page).toEqual({ sharing: 'PRIVATE', grants: [{ principalId: editor.id, level: 'EDIT' }] });
    const page = await newPage();
    await signIn(page, editor.apiKey);
    await page.getByRole('link', { name: 'Shared draft' }).click();
    await page.getByRole('link', { name: 'Edit page' }).waitFor();
    expect((await t.gql(UPDATE, { id: pageId }, { apiKey: editor.apiKey })).body.errors).toBeUndefined();
    // Private: a member without a grant does not even see it.
    expect((await t.gql(UPDATE, { id: pageId }, { apiKey: outsider.apiKey })).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('members and agents, as an admin', () => {
  test('creates an agent whose key is shown once in a monospace face, changes its access, and deletes it', async () => {
    await admin.goto(`${t.url}/console#/settings/members`);
    await admin.getByRole('heading', { name: 'Members and agents' }).waitFor();
    await admin.getByRole('button', { name: 'New member or agent' }).click();
    await admin.getByLabel('Name').fill('Ops bot');
    await admin.getByLabel('Kind').selectOption('AGENT');
    await admin.getByLabel('Every record of the workspace').uncheck();
    await admin.getByLabel('Only these owners').fill('ada');
    await admin.getByRole('button', { name: 'Create', exact: true }).click();
    const once = admin.getByTestId('shown-once');
    const apiKey = await once.inputValue();
    expect(apiKey).toMatch(/^ph_/);
    expect(await once.evaluate((element) => getComputedStyle(element).fontFamily)).toMatch(/mono|Menlo|Consolas/i);
    await shot(admin, 'members-created');
    const preview = 'query($input: WidgetInput!) { previewWidget(input: $input) { rows } }';
    const count = { title: 'n', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } };
    expect((await t.gql<{ previewWidget: { rows: unknown[][] } }>(preview, { input: count }, { apiKey })).body.data?.previewWidget.rows).toEqual([[3]]);
    await admin.getByRole('button', { name: 'I have copied it' }).click();
    expect(await admin.content()).not.toContain(apiKey);

    const row = admin.locator('li[data-principal-id]', { hasText: 'Ops bot' });
    await expect(row.innerText()).resolves.toMatch(/Owners ada/);
    await row.getByRole('button', { name: 'Change the role and data access of Ops bot' }).click();
    await row.getByLabel('Every record of the workspace').check();
    await row.getByRole('button', { name: 'Save changes' }).click();
    await row.getByText('All records').waitFor();
    expect((await t.gql<{ previewWidget: { rows: unknown[][] } }>(preview, { input: count }, { apiKey })).body.data?.previewWidget.rows).toEqual([[6]]);

    await row.getByRole('button', { name: 'Delete Ops bot' }).click();
    await admin.getByRole('dialog', { name: 'Delete Ops bot?' }).getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await t.gql('{ viewer { id } }', {}, { apiKey })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  test('the last admin cannot be demoted: the console shows why', async () => {
    const row = admin.locator('li[data-principal-id]', { hasText: '(you)' });
    await row.getByRole('button', { name: /^Change the role and data access of/ }).click();
    await row.getByLabel('Role').selectOption('MEMBER');
    await row.getByRole('button', { name: 'Save changes' }).click();
    await row.getByText('A workspace needs at least one admin: make another principal an admin first.').waitFor();
    await shot(admin, 'members-last-admin');
    expect(await row.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
    const viewer = await t.gql<{ viewer: { role: string } }>('{ viewer { role } }');
    expect(viewer.body.data?.viewer.role).toBe('ADMIN');
  });
});

describe('the last admin keeps a way in', () => {
  test("the last admin's last API key cannot be revoked: the console shows why", async () => {
    await admin.goto(`${t.url}/console#/settings/developer/api-keys`);
    await admin.getByRole('heading', { name: 'Your API keys' }).waitFor();
    const item = admin.locator('li', { hasText: 'bootstrap' });
    await item.getByRole('button', { name: 'Revoke' }).click();
    await admin
      .getByRole('dialog', { name: /Revoke API key/ })
      .getByRole('button', { name: 'Revoke key' })
      .click();
    await admin.getByText('This is the last API key of the last admin: create another key first, or make another principal an admin.').waitFor();
    expect((await t.gql('{ viewer { id } }')).body.data).toBeTruthy();
    await shot(admin, 'last-key');
  });
});

describe('embeds you can manage', () => {
  test('an embed named in the dialog is listed by its label; lifetimes go up to the longest the server allows', async () => {
    const pageId = await createPage(t, {
      title: 'Labelled',
      widgets: [{ title: 'Calls', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } }],
    });
    await admin.goto(`${t.url}/console#/pages/${pageId}`);
    await admin.getByRole('button', { name: 'Embed', exact: true }).click();
    const dialog = admin.getByRole('dialog', { name: 'Embed “Labelled”' });
    const lifetimes = await dialog.getByLabel('Expires after').locator('option').allInnerTexts();
    expect(lifetimes).toEqual(['1 hour', '1 day', '7 days', '30 days', '90 days', '365 days (the longest allowed)']);
    await dialog.getByLabel('Label (optional)').fill('pricing.partner.example');
    await dialog.getByLabel('Expires after').selectOption({ label: '1 day' });
    await dialog.getByRole('button', { name: 'Create embed' }).click();
    await dialog.getByRole('heading', { name: 'Your Only me embed “pricing.partner.example” is ready' }).waitFor();
    const item = dialog.locator('li[data-embed-id]', { hasText: 'pricing.partner.example' });
    // A day is within three days: flagged as ending soon.
    await item
      .locator('.badge-warn')
      .getByText(/^Expires (in 24 hours|in 1 day|tomorrow)$/)
      .waitFor();
    await shot(admin, 'embed-labelled');
    await admin.keyboard.press('Escape');
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
    await expect(widget(page, 1).getByTestId('number-value').innerText()).resolves.toBe('6');
    expect(await overflow(page)).toBe(0);
    await shot(page, 'new-page-360-dark', true);
    await page.getByRole('button', { name: 'Save page' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Keyboard page', level: 1 }).waitFor();
    expect(await overflow(page)).toBe(0);
  });

  test('Members and Users (with the new-user form open) fit a 360 px screen in dark mode', async () => {
    const page = await newPage({ width: 360, height: 780, dark: true });
    await signIn(page, t.apiKey);
    await page.goto(`${t.url}/console#/settings/members`);
    await page.getByRole('heading', { name: 'Members and agents' }).waitFor();
    await page.getByRole('button', { name: 'New member or agent' }).click();
    await page.getByLabel('Every record of the workspace').uncheck();
    expect(await overflow(page)).toBe(0);
    await shot(page, 'members-360-dark', true);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'New user' }).click();
    await page.getByLabel('External id').waitFor();
    expect(await overflow(page)).toBe(0);
    await shot(page, 'users-360-dark', true);
  });
});
