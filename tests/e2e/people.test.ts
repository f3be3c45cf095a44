import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeBrowserTest, launchChromium, requireBuiltClient, SCREENSHOT_DIR } from './browser.js';

/**
 * People sign in as people, in real Chromium: an admin creates a person by email in the console
 * and copies the invitation link; the person opens it, chooses a password and is signed in;
 * signs in again with email and password; registers a passkey under Settings → Security (with
 * Chromium's virtual authenticator) and then signs in with it.
 */

let t: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** The invited person's tab, shared by the tests that follow one another. */
let person: Page;
let invitationUrl = '';
const PASSWORD = 'a long and lovely password';
const EMAIL = 'ines@example.com';

beforeAll(async () => {
  requireBuiltClient();
  t = await startTestServer();
  browser = await launchChromium();
}, 30_000);

afterAll(() => closeBrowserTest(contexts, browser, t));

async function newPage(): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 820 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
  context.setDefaultTimeout(8_000);
  contexts.push(context);
  return { page: await context.newPage(), context };
}

const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: join(SCREENSHOT_DIR, `people-${name}.png`), fullPage });
const pagesHeading = (page: Page) => page.getByRole('heading', { name: 'Pages', level: 1 });

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in to Porthole' }).waitFor();
}

describe('people, in the browser', () => {
  test('an admin creates a person by email and copies the invitation link, shown once', async () => {
    const { page } = await newPage();
    await page.goto(`${t.url}/console#/settings/members`);
    await page.getByRole('button', { name: 'Sign in with an API key' }).click();
    await page.getByLabel('API key').fill(t.apiKey);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Members and agents' }).waitFor();

    await page.getByRole('button', { name: 'New member or agent' }).click();
    await page.getByLabel('Name').fill('Ines Invited');
    await page.getByLabel('Email').fill(EMAIL);
    // A new member reads nothing until the admin says so.
    expect(await page.getByLabel('Every record of the workspace').isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const shown = page.getByTestId('shown-once');
    invitationUrl = await shown.inputValue();
    expect(invitationUrl).toMatch(new RegExp(`^${t.url}/console/invite\\?code=[A-Za-z0-9_-]{43}$`));
    await page.getByRole('button', { name: 'Copy' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(invitationUrl);
    const row = page.locator('li[data-principal-id]').filter({ hasText: 'Ines Invited' });
    await row.getByText(/Invited · link valid until/).waitFor();
    expect(await row.getByTestId('member-email').innerText()).toBe(EMAIL);
    await shot(page, 'members-invitation', true);
  });

  test('the person opens the invitation, chooses a password and is signed in', async () => {
    ({ page: person } = await newPage());
    await person.goto(invitationUrl);
    await person.getByRole('heading', { name: 'Join acme on Porthole' }).waitFor();
    expect(await person.getByTestId('invite-email').innerText()).toBe(EMAIL);
    await shot(person, 'invitation');

    await person.getByLabel('New password').fill('too short');
    await person.getByLabel('Confirm password').fill('too short');
    await person.getByRole('button', { name: 'Choose password and sign in' }).click();
    // The browser's own check (minlength) keeps the form from being sent.
    expect(await person.getByLabel('New password').evaluate((input: HTMLInputElement) => input.validity.tooShort)).toBe(true);

    await person.getByLabel('New password').fill(PASSWORD);
    await person.getByLabel('Confirm password').fill(PASSWORD);
    await person.getByRole('button', { name: 'Choose password and sign in' }).click();
    await pagesHeading(person).waitFor();
    expect(await person.getByTestId('viewer-name').innerText()).toContain('Ines Invited');
    // The spent link left the address bar.
    expect(new URL(person.url()).pathname).toBe('/console');
    expect(person.url()).not.toContain('code=');
  });

  test('the link works once: opened again, it says so', async () => {
    const { page } = await newPage();
    await page.goto(invitationUrl);
    await page.getByRole('heading', { name: 'This invitation link does not work' }).waitFor();
    expect(await page.getByRole('alert').innerText()).toMatch(/used, replaced by a newer one, or has expired/);
  });

  test('signs out, and back in with email and password; a wrong password gets the one answer', async () => {
    await signOut(person);
    await shot(person, 'sign-in');
    await person.getByLabel('Email').fill(EMAIL);
    await person.getByLabel('Password').fill('not the password at all');
    await person.getByRole('button', { name: 'Sign in', exact: true }).click();
    expect(await person.getByRole('alert').innerText()).toMatch(/^That email and password do not match/);
    await person.getByLabel('Password').fill(PASSWORD);
    await person.getByRole('button', { name: 'Sign in', exact: true }).click();
    await pagesHeading(person).waitFor();
    // Nothing of the password stays in the page or in the browser's storage.
    const stored = await person.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }));
    expect(stored).toEqual({ local: 0, session: 0, cookie: '' });
    expect(await person.content()).not.toContain(PASSWORD);
  });

  test('registers a passkey under Settings → Security, signs out, and signs in with it', async () => {
    const cdp = await person.context().newCDPSession(person);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    });

    await person.goto(`${t.url}/console#/settings/security`);
    await person.getByRole('heading', { name: 'Passkeys' }).waitFor();
    await person.getByLabel('Name').fill('Test laptop');
    await person.getByRole('button', { name: 'Add a passkey' }).click();
    await person.getByText('Passkey “Test laptop” added.').waitFor();
    const passkeys = person.getByRole('list', { name: 'Passkeys' });
    await passkeys.getByText('Test laptop').waitFor();
    expect(await passkeys.locator('li').count()).toBe(1);

    await signOut(person);
    await person.getByRole('button', { name: 'Sign in with a passkey' }).click();
    // Signed in where the person was: Settings → Security.
    await person.getByRole('heading', { name: 'Passkeys' }).waitFor();
    expect(await person.getByTestId('viewer-name').innerText()).toContain('Ines Invited');

    await person.goto(`${t.url}/console#/settings/security`);
    const sessions = person.getByRole('list', { name: 'Sessions' });
    const current = sessions.locator('li[data-current="true"]');
    await current.waitFor();
    expect(await current.locator('strong').innerText()).toBe('Passkey');
    expect(await current.getByText('This session').count()).toBe(1);
    // Last used is now set: the passkey that signed this session in.
    expect(await passkeys.locator('dd').nth(1).innerText()).not.toBe('Never');
    await shot(person, 'security', true);
  });

  test('sign out everywhere ends every session, this one included', async () => {
    await person.getByRole('button', { name: 'Sign out everywhere' }).first().click();
    await person.getByRole('dialog').getByRole('button', { name: 'Sign out everywhere' }).click();
    await person.getByRole('heading', { name: 'Sign in to Porthole' }).waitFor();
    expect(await person.getByRole('status').first().innerText()).toMatch(/signed out everywhere/);
    expect(await t.store.consoleSessions.count({ principalId: (await t.store.principals.findOne({ email: EMAIL }))!._id })).toBe(0);
  });
});
