import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { SignJWT } from 'jose';
import { CALLS, CALLS_PAGE, createPage, createPrincipal, createSecret, createUser, ingest, mint, PAGE_QUERY } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * inspectEmbedToken (issue 23.6): the engineer wiring an embed learns why a credential does not
 * open it, for credentials of its own workspace; the public keeps the one uniform answer.
 */

let t: TestServer;
let now = new Date('2026-12-07T12:00:00Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);
let pageId = '';
let workspaceId = '';
let adminId = '';
let secret = { id: '', plaintext: '' };

const INSPECT = `query($token: String!) {
  inspectEmbedToken(token: $token) { kind valid reason expiresAt audience pageId page { id title } user { id externalId } }
}`;

interface Inspection {
  kind: string;
  valid: boolean;
  reason: string | null;
  expiresAt: string | null;
  audience: string | null;
  pageId: string | null;
  page: { id: string; title: string } | null;
  user: { id: string; externalId: string } | null;
}

async function inspect(token: string, apiKey = t.apiKey): Promise<Inspection> {
  const response = await t.gql<{ inspectEmbedToken: Inspection }>(INSPECT, { token }, { apiKey });
  if (!response.body.data) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data.inspectEmbedToken;
}

const NOTHING = { kind: 'UNKNOWN', valid: false, reason: null, expiresAt: null, audience: null, pageId: null, page: null, user: null };

async function mutate(query: string, variables: Record<string, unknown>, apiKey = t.apiKey) {
  const response = await t.gql(query, variables, { apiKey });
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data;
}

/** A token the workspace's own signing service mints with the plaintext secret (a documented format). */
const selfMint = (issuedAt: Date, jti: string) =>
  new SignJWT({ ws: workspaceId, page: pageId, audience: 'public', sub: adminId, rules: [], origins: [] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: secret.id })
    .setAudience('porthole:embed')
    .setJti(jti)
    .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
    .setExpirationTime(Math.floor(issuedAt.getTime() / 1000) + 600)
    .sign(new TextEncoder().encode(secret.plaintext));

beforeAll(async () => {
  t = await startTestServer({ clock: { now: () => now } });
  await ingest(t, 'calls', CALLS);
  await ingest(t, 'calls', CALLS, t.otherApiKey);
  pageId = await createPage(t, CALLS_PAGE);
  secret = await createSecret(t);
  await createSecret(t, t.otherApiKey);
  const viewer = await t.gql<{ viewer: { id: string; workspace: { id: string } } }>('{ viewer { id workspace { id } } }');
  adminId = viewer.body.data!.viewer.id;
  workspaceId = viewer.body.data!.viewer.workspace.id;
});
afterAll(async () => {
  await t.close();
});

describe('page embed tokens', () => {
  test('a valid PUBLIC token says what it opens and until when', async () => {
    const minted = await mint(t, { pageId, audience: 'PUBLIC', ttlSeconds: 600 });
    expect(await inspect(minted.token)).toEqual({
      kind: 'PAGE_EMBED',
      valid: true,
      reason: null,
      expiresAt: minted.expiresAt,
      audience: 'PUBLIC',
      pageId,
      page: { id: pageId, title: 'Calls' },
      user: null,
    });
  });

  test('an expired token is EXPIRED, and still names its page', async () => {
    const minted = await mint(t, { pageId, audience: 'PUBLIC', ttlSeconds: 60 });
    const start = now;
    now = later(61);
    try {
      expect(await inspect(minted.token)).toMatchObject({ kind: 'PAGE_EMBED', valid: false, reason: 'EXPIRED', pageId, expiresAt: minted.expiresAt });
    } finally {
      now = start;
    }
  });

  test('a self-minted token issued ten minutes ahead of the server clock is NOT_YET_VALID', async () => {
    expect(await inspect(await selfMint(later(600), 'ahead-1'))).toMatchObject({ kind: 'PAGE_EMBED', valid: false, reason: 'NOT_YET_VALID' });
  });

  test('a valid self-minted token is valid, and inspecting it does not register it', async () => {
    const token = await selfMint(now, 'inspected-only');
    expect(await inspect(token)).toMatchObject({ kind: 'PAGE_EMBED', valid: true, reason: null, audience: 'PUBLIC' });
    const listed = await t.gql<{ pageEmbeds: Array<{ id: string }> }>('query($p: ID!) { pageEmbeds(pageId: $p) { id } }', { p: pageId });
    expect(listed.body.data!.pageEmbeds.map((embed) => embed.id)).not.toContain('inspected-only');
  });

  test('a revoked embed is REVOKED', async () => {
    const minted = await mint(t, { pageId, audience: 'PUBLIC' });
    await mutate('mutation($id: ID!) { revokePageEmbed(id: $id) { id } }', { id: minted.id });
    expect(await inspect(minted.token)).toMatchObject({ kind: 'PAGE_EMBED', valid: false, reason: 'REVOKED', pageId });
  });

  test('a token whose signing secret was revoked is SECRET_REVOKED, and the public still sees only EMBED_UNAVAILABLE', async () => {
    // The newest secret signs new tokens; a frozen clock would tie it with the first.
    now = later(1);
    const newest = await createSecret(t);
    const minted = await mint(t, { pageId, audience: 'PUBLIC' });
    await mutate('mutation($id: ID!) { revokeSigningSecret(id: $id) { id } }', { id: newest.id });
    expect(await inspect(minted.token)).toMatchObject({ kind: 'PAGE_EMBED', valid: false, reason: 'SECRET_REVOKED' });
    const publicAnswer = await t.embedGql(PAGE_QUERY, minted.token);
    const forged = await t.embedGql(PAGE_QUERY, `${minted.token.slice(0, -4)}AAAA`);
    expect(publicAnswer.body.errors?.[0]?.extensions?.code).toBe('EMBED_UNAVAILABLE');
    expect([publicAnswer.status, publicAnswer.text]).toEqual([forged.status, forged.text]);
  });

  test('a token of a deleted page is PAGE_DELETED, with the page id it named', async () => {
    const doomed = await createPage(t, { ...CALLS_PAGE, title: 'Doomed', dashboard: false });
    const minted = await mint(t, { pageId: doomed, audience: 'PUBLIC' });
    await mutate('mutation($id: ID!) { deletePage(id: $id) }', { id: doomed });
    expect(await inspect(minted.token)).toMatchObject({ kind: 'PAGE_EMBED', valid: false, reason: 'PAGE_DELETED', pageId: doomed, page: null });
  });

  test('a token whose minter was removed is MINTER_LOST_ACCESS', async () => {
    const member = await createPrincipal(t, { name: 'Leaver' });
    const minted = await mint(t, { pageId, audience: 'WORKSPACE' }, member.apiKey);
    expect(await inspect(minted.token)).toMatchObject({ kind: 'PAGE_EMBED', valid: true, audience: 'WORKSPACE' });
    await mutate('mutation($id: ID!) { deletePrincipal(id: $id) }', { id: member.id });
    expect(await inspect(minted.token)).toMatchObject({ kind: 'PAGE_EMBED', valid: false, reason: 'MINTER_LOST_ACCESS' });
  });

  test('an altered token is BAD_SIGNATURE without detail, and a string that is no token is MALFORMED', async () => {
    const minted = await mint(t, { pageId, audience: 'PUBLIC' });
    const [header, payload, signature] = minted.token.split('.');
    const altered = `${header}.${payload}.${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
    expect(await inspect(altered)).toEqual({ ...NOTHING, kind: 'PAGE_EMBED', reason: 'BAD_SIGNATURE' });
    expect(await inspect('https://partner.example/embed?id=42')).toEqual({ ...NOTHING, reason: 'MALFORMED' });
    expect(await inspect(minted.token.slice(0, 40))).toEqual({ ...NOTHING, reason: 'MALFORMED' });
  });

  test('a token of a PRIVATE page is UNKNOWN to a member who cannot see the page', async () => {
    const hidden = await createPage(t, { ...CALLS_PAGE, title: 'Hidden', dashboard: false });
    await mutate('mutation($id: ID!) { setPageAccess(pageId: $id, sharing: PRIVATE) { id } }', { id: hidden });
    const minted = await mint(t, { pageId: hidden, audience: 'PUBLIC' });
    const member = await createPrincipal(t, { name: 'Outsider' });
    expect(await inspect(minted.token, member.apiKey)).toEqual(NOTHING);
    expect(await inspect(minted.token)).toMatchObject({ kind: 'PAGE_EMBED', valid: true });
  });
});

describe('user embed tokens and dashboard sessions', () => {
  const exchange = async (embedToken: string) =>
    (
      await t.gql<{ validateEmbedToken: { authToken: string } }>(
        'mutation($e: String!) { validateEmbedToken(embedToken: $e) { authToken } }',
        { e: embedToken },
        { apiKey: null },
      )
    ).body.data!.validateEmbedToken.authToken;

  test('a user embed token is valid, then REGENERATED once regenerated', async () => {
    const user = await createUser(t, 'ada');
    expect(await inspect(user.embedToken)).toMatchObject({ kind: 'USER_EMBED', valid: true, reason: null, user: { id: user.id, externalId: 'ada' } });
    const regenerated = (await mutate('mutation($id: ID!) { regenerateEmbedToken(userId: $id) { token } }', { id: user.id })) as {
      regenerateEmbedToken: { token: string };
    };
    expect(await inspect(user.embedToken)).toMatchObject({ kind: 'USER_EMBED', valid: false, reason: 'REGENERATED' });
    expect(await inspect(regenerated.regenerateEmbedToken.token)).toMatchObject({ kind: 'USER_EMBED', valid: true });
  });

  test('a suspended user’s embed token is USER_SUSPENDED, and its session SESSION_ENDED after reactivation', async () => {
    const user = await createUser(t, 'grace');
    const session = await exchange(user.embedToken);
    expect(await inspect(session)).toMatchObject({ kind: 'DASHBOARD_SESSION', valid: true, user: { externalId: 'grace' } });
    await mutate('mutation($id: ID!) { suspendUser(id: $id) { id } }', { id: user.id });
    expect(await inspect(user.embedToken)).toMatchObject({ kind: 'USER_EMBED', valid: false, reason: 'USER_SUSPENDED' });
    expect(await inspect(session)).toMatchObject({ kind: 'DASHBOARD_SESSION', valid: false, reason: 'USER_SUSPENDED' });
    await mutate('mutation($id: ID!) { reactivateUser(id: $id) { id } }', { id: user.id });
    expect(await inspect(session)).toMatchObject({ kind: 'DASHBOARD_SESSION', valid: false, reason: 'SESSION_ENDED' });
  });

  test('a dashboard session past its hour is EXPIRED, with its expiry', async () => {
    const user = await createUser(t, 'linus');
    const session = await exchange(user.embedToken);
    const start = now;
    now = later(3601);
    try {
      const inspection = await inspect(session);
      expect(inspection).toMatchObject({ kind: 'DASHBOARD_SESSION', valid: false, reason: 'EXPIRED', user: { externalId: 'linus' } });
      expect(new Date(inspection.expiresAt!).getTime()).toBeLessThan(now.getTime());
    } finally {
      now = start;
    }
  });
});

describe('API keys and other workspaces', () => {
  test('an API key pasted as an embed token is named as one to its holder', async () => {
    expect(await inspect(t.apiKey.replace(/^acme_/, 'ph_'))).toEqual(NOTHING);
    const member = await createPrincipal(t, { name: 'Key holder' });
    expect(await inspect(member.apiKey, member.apiKey)).toEqual({ ...NOTHING, kind: 'API_KEY', reason: 'NOT_AN_EMBED_CREDENTIAL' });
  });

  test("another workspace's page token, user token, session and API key are UNKNOWN with no detail", async () => {
    const globexPage = await createPage(t, CALLS_PAGE, t.otherApiKey);
    const minted = await mint(t, { pageId: globexPage, audience: 'PUBLIC' }, t.otherApiKey);
    const user = await createUser(t, 'ada', t.otherApiKey);
    const member = await createPrincipal(t, { name: 'Globex dev' }, t.otherApiKey);
    const session = (
      await t.gql<{ validateEmbedToken: { authToken: string } }>(
        'mutation($e: String!) { validateEmbedToken(embedToken: $e) { authToken } }',
        { e: user.embedToken },
        { apiKey: null },
      )
    ).body.data!.validateEmbedToken.authToken;
    for (const token of [minted.token, user.embedToken, session, member.apiKey]) expect(await inspect(token)).toEqual(NOTHING);
    // Their own workspace sees them.
    expect(await inspect(minted.token, t.otherApiKey)).toMatchObject({ kind: 'PAGE_EMBED', valid: true });
    expect(await inspect(user.embedToken, t.otherApiKey)).toMatchObject({ kind: 'USER_EMBED', valid: true });
  });

  test('inspecting needs a signed-in principal, and no token reaches the log', async () => {
    const minted = await mint(t, { pageId, audience: 'PUBLIC' });
    const anonymous = await t.gql(INSPECT, { token: minted.token }, { apiKey: null });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await inspect(minted.token);
    expect(t.logs.join('\n')).not.toContain(minted.token.split('.')[2]);
  });
});
