import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createSecret } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeBrowserTest, launchChromium, requireBuiltClient, SCREENSHOT_DIR } from './browser.js';

/**
 * Settings → Developer → Embedding, in real Chromium: an admin registers a partner's token issuer
 * (its JWKS URL, iss, algorithms), sees it listed, and revokes it.
 */

let t: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  requireBuiltClient();
  t = await startTestServer();
  browser = await launchChromium();
  await createSecret(t);
}, 30_000);

afterAll(() => closeBrowserTest(contexts, browser, t));

async function signedIn(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  context.setDefaultTimeout(8_000);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${t.url}/console`);
  await page.getByRole('button', { name: 'Sign in with an API key' }).click();
  await page.getByLabel('API key').fill(t.apiKey);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Pages', level: 1 }).waitFor();
  return page;
}

describe('token issuers in the console', () => {
  test('an admin registers an issuer by its JWKS URL, sees it listed, and revokes it', async () => {
    const page = await signedIn();
    await page.goto(`${t.url}/console#/settings/developer/embedding`);
    const form = page.getByRole('form', { name: 'Register a token issuer' });
    await form.getByLabel('Name').fill('Acme identity provider');
    await form.getByLabel('Issuer (iss)').fill('https://idp.acme.example');
    await form.getByRole('textbox', { name: 'JWKS URL' }).fill('https://idp.acme.example/.well-known/jwks.json');
    await form.getByLabel('EdDSA').check();
    await form.getByRole('button', { name: 'Register issuer' }).click();
    const listed = page.getByRole('list', { name: 'Token issuers' }).getByRole('listitem');
    await listed.filter({ hasText: 'https://idp.acme.example' }).waitFor();
    await expect(listed.first().innerText()).resolves.toContain('ES256, EdDSA');
    await expect(listed.first().innerText()).resolves.toContain('porthole:embed');
    await page.getByRole('heading', { name: 'Token issuers' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'console-token-issuers.png'), fullPage: true });

    await page.getByRole('button', { name: 'Revoke Acme identity provider' }).click();
    await page.getByRole('button', { name: 'Revoke issuer' }).click();
    await listed.first().getByText('Revoked').waitFor();
    const stored = await t.gql<{ tokenIssuers: Array<{ revokedAt: string | null }> }>('{ tokenIssuers { revokedAt } }');
    expect(stored.body.data!.tokenIssuers[0]!.revokedAt).not.toBeNull();
  });

  test('a JWKS URL that is not https: is refused with the reason', async () => {
    const page = await signedIn();
    await page.goto(`${t.url}/console#/settings/developer/embedding`);
    const form = page.getByRole('form', { name: 'Register a token issuer' });
    await form.getByLabel('Name').fill('Plain');
    await form.getByLabel('Issuer (iss)').fill('urn:plain');
    await form.getByRole('textbox', { name: 'JWKS URL' }).fill('http://idp.example/jwks.json');
    await form.getByRole('button', { name: 'Register issuer' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toContain('https:');
  });
});
