import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { SignJWT } from 'jose';
import { deriveKey } from '../../server/src/crypto/secret-box.js';
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

/**
 * Who may open a page embed (seed 004, issue 19): PUBLIC anyone; SELF only its minter, signed in;
 * WORKSPACE any person of the token's workspace, signed in. Every attack below goes over HTTP.
 */

const masterKey = new Uint8Array(32).fill(7);
let t: TestServer;
let pageId: string;
let member: { id: string; apiKey: string };

beforeAll(async () => {
  t = await startTestServer({ masterKey });
  await ingest(t, 'calls', CALLS);
  pageId = await createPage(t, CALLS_PAGE);
  await createSecret(t);
  member = await createPrincipal(t, { name: 'Teammate', dataAccess: { all: true } });
});
afterAll(async () => {
  await t.close();
});

const codeOf = (response: { body: { errors?: Array<{ extensions?: { code?: string } }> } }) => response.body.errors?.[0]?.extensions?.code;
const callsOf = (response: { body: { data?: unknown } }) =>
  (response.body.data as { page?: { widgets: Array<{ title: string; data: { rows: unknown[][] } }> } } | null)?.page?.widgets.find((w) => w.title === 'Calls')
    ?.data.rows;

async function consoleCookie(apiKey: string): Promise<string> {
  const response = await fetch(`${t.ipUrl}/console/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey }),
  });
  return response.headers.getSetCookie()[0]!.split(';')[0]!;
}

describe('SELF embeds open only for their minter, signed in', () => {
  test('without a viewer a SELF embed answers EMBED_SIGN_IN_REQUIRED (401) and no data', async () => {
    const { token } = await mint(t, { pageId, audience: 'SELF' });
    const response = await t.embedGql(PAGE_QUERY, token);
    expect(response.status).toBe(401);
    expect(codeOf(response)).toBe('EMBED_SIGN_IN_REQUIRED');
    expect(response.body.data ?? null).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  test('the minter, signed in, sees the data', async () => {
    const { token } = await mint(t, { pageId, audience: 'SELF' });
    const response = await t.embedGql(PAGE_QUERY, token, asViewer(await viewerToken(t)));
    expect(response.status).toBe(200);
    expect(callsOf(response)).toEqual([[6]]);
  });

  test('another member of the workspace gets EMBED_VIEWER_FORBIDDEN (403) and no data', async () => {
    const { token } = await mint(t, { pageId, audience: 'SELF' });
    const response = await t.embedGql(PAGE_QUERY, token, asViewer(await viewerToken(t, member.apiKey)));
    expect(response.status).toBe(403);
    expect(codeOf(response)).toBe('EMBED_VIEWER_FORBIDDEN');
    expect(response.body.data ?? null).toBeNull();
  });
});

describe('WORKSPACE embeds open for any person of the workspace, signed in', () => {
  test('a teammate sees the same numbers as the minter; a stranger must sign in', async () => {
    const { token } = await mint(t, { pageId, audience: 'WORKSPACE' });
    const asMinter = await t.embedGql(PAGE_QUERY, token, asViewer(await viewerToken(t)));
    const asTeammate = await t.embedGql(PAGE_QUERY, token, asViewer(await viewerToken(t, member.apiKey)));
    expect(asTeammate.status).toBe(200);
    expect(asTeammate.text).toBe(asMinter.text);
    const anonymous = await t.embedGql(PAGE_QUERY, token);
    expect([anonymous.status, codeOf(anonymous)]).toEqual([401, 'EMBED_SIGN_IN_REQUIRED']);
  });

  test('a person of another workspace is forbidden', async () => {
    const { token } = await mint(t, { pageId, audience: 'WORKSPACE' });
    const response = await t.embedGql(PAGE_QUERY, token, asViewer(await viewerToken(t, t.otherApiKey)));
    expect([response.status, codeOf(response)]).toEqual([403, 'EMBED_VIEWER_FORBIDDEN']);
  });
});

describe('PUBLIC embeds open for anyone', () => {
  test('a stranger without any viewer sees the data', async () => {
    const { token } = await mint(t, { pageId, audience: 'PUBLIC' });
    const response = await t.embedGql(PAGE_QUERY, token);
    expect(response.status).toBe(200);
    expect(callsOf(response)).toEqual([[6]]);
  });
});

describe('an invalid embed token keeps the one uniform answer, whatever the viewer', () => {
  test('a forged token with a valid viewer answers exactly as one without', async () => {
    const { token } = await mint(t, { pageId, audience: 'SELF' });
    const forged = `${token.slice(0, -4)}AAAA`;
    const viewer = asViewer(await viewerToken(t));
    const withViewer = await t.embedGql(PAGE_QUERY, forged, viewer);
    const without = await t.embedGql(PAGE_QUERY, forged);
    expect(withViewer.status).toBe(401);
    expect(codeOf(withViewer)).toBe('EMBED_UNAVAILABLE');
    expect(withViewer.text).toBe(without.text);
  });
});

describe('viewer tokens that do not speak for a live person are not viewers', () => {
  const key = deriveKey(masterKey, 'session');
  const sign = (claims: Record<string, unknown>, audience = 'porthole:viewer', expiresIn = '10m') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setAudience(audience)
      .setIssuer('porthole')
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(key);

  test('forged, expired, wrong-audience and alg-none viewer tokens all ask for sign-in', async () => {
    const { token } = await mint(t, { pageId, audience: 'SELF' });
    const real = await viewerToken(t);
    const [, payload] = real.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const user = await createUser(t, 'viewer-ada');
    const authToken = (
      await t.gql<{ validateEmbedToken: { authToken: string } }>('mutation($e: String!) { validateEmbedToken(embedToken: $e) { authToken } }', {
        e: user.embedToken,
      })
    ).body.data!.validateEmbedToken.authToken;
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    const candidates = [
      `${real.slice(0, -4)}AAAA`,
      await sign({ sub: claims['sub'], ws: claims['ws'], sid: claims['sid'] }, 'porthole:viewer', '-1m'),
      await sign({ sub: claims['sub'], ws: claims['ws'], sid: claims['sid'] }, 'porthole:session'),
      await sign({ sub: claims['sub'], ws: claims['ws'], sid: 'not-a-session' }),
      authToken,
      none,
      'x'.repeat(5000),
    ];
    for (const candidate of candidates) {
      const response = await t.embedGql(PAGE_QUERY, token, asViewer(candidate));
      expect([response.status, codeOf(response)]).toEqual([401, 'EMBED_SIGN_IN_REQUIRED']);
    }
  });

  test('signing out ends the viewer token on the next load, and it can no longer be renewed', async () => {
    const { token } = await mint(t, { pageId, audience: 'SELF' });
    const cookie = await consoleCookie(t.apiKey);
    const issued = await fetch(`${t.ipUrl}/console/viewer-token`, { method: 'POST', headers: { cookie } });
    const { viewerToken: viewer } = (await issued.json()) as { viewerToken: string };
    expect((await t.embedGql(PAGE_QUERY, token, asViewer(viewer))).status).toBe(200);
    await fetch(`${t.ipUrl}/console/session`, { method: 'DELETE', headers: { cookie } });
    const after = await t.embedGql(PAGE_QUERY, token, asViewer(viewer));
    expect([after.status, codeOf(after)]).toEqual([401, 'EMBED_SIGN_IN_REQUIRED']);
    const renewal = await fetch(`${t.ipUrl}/console/viewer-token`, { method: 'POST', headers: asViewer(viewer) });
    expect(renewal.status).toBe(401);
  });

  test('a deleted person is no longer a viewer', async () => {
    const leaving = await createPrincipal(t, { name: 'Leaving', dataAccess: { all: true } });
    const { token } = await mint(t, { pageId, audience: 'WORKSPACE' });
    const viewer = await viewerToken(t, leaving.apiKey);
    expect((await t.embedGql(PAGE_QUERY, token, asViewer(viewer))).status).toBe(200);
    await t.gql('mutation($id: ID!) { deletePrincipal(id: $id) }', { id: leaving.id });
    const after = await t.embedGql(PAGE_QUERY, token, asViewer(viewer));
    expect([after.status, codeOf(after)]).toEqual([401, 'EMBED_SIGN_IN_REQUIRED']);
  });
});

describe('POST /console/viewer-token', () => {
  test('renews a live viewer token with itself, and the new one opens the embed', async () => {
    const { token } = await mint(t, { pageId, audience: 'SELF' });
    const first = await viewerToken(t);
    const renewal = await fetch(`${t.ipUrl}/console/viewer-token`, { method: 'POST', headers: asViewer(first) });
    expect(renewal.status).toBe(200);
    expect(renewal.headers.get('cache-control')).toBe('no-store');
    const { viewerToken: second, expiresAt } = (await renewal.json()) as { viewerToken: string; expiresAt: string };
    expect(new Date(expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000 + 1000);
    expect((await t.embedGql(PAGE_QUERY, token, asViewer(second))).status).toBe(200);
  });

  test('answers 401 without a session, and asking with nothing does not count as a failed sign-in', async () => {
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${t.ipUrl}/console/viewer-token`, { method: 'POST' });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    }
  });

  test('sign-in sets a viewer bridge cookie (SameSite=None, Secure, only for this route) that alone issues a token', async () => {
    const response = await fetch(`${t.ipUrl}/console/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: member.apiKey }),
    });
    const cookies = response.headers.getSetCookie();
    const bridge = cookies.find((cookie) => cookie.startsWith('porthole_viewer='))!;
    expect(bridge).toContain('Path=/console/viewer-token');
    expect(bridge).toContain('SameSite=None');
    expect(bridge).toContain('Secure');
    expect(bridge).toContain('HttpOnly');
    const issued = await fetch(`${t.ipUrl}/console/viewer-token`, { method: 'POST', headers: { cookie: bridge.split(';')[0]! } });
    expect(issued.status).toBe(200);
    // The bridge is not a console session: /graphql does not accept it.
    const api = await fetch(`${t.ipUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: bridge.split(';')[0]! },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    const answer = (await api.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  test('revoking the API key a session signed in with ends its viewer tokens', async () => {
    const keyed = await createPrincipal(t, { name: 'Keyed', dataAccess: { all: true } });
    const { token } = await mint(t, { pageId, audience: 'WORKSPACE' });
    const viewer = await viewerToken(t, keyed.apiKey);
    expect((await t.embedGql(PAGE_QUERY, token, asViewer(viewer))).status).toBe(200);
    const keys = await t.gql<{ apiKeys: Array<{ id: string }> }>('{ apiKeys { id } }', {}, { apiKey: keyed.apiKey });
    for (const { id } of keys.body.data!.apiKeys) await t.gql('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id });
    const after = await t.embedGql(PAGE_QUERY, token, asViewer(viewer));
    expect([after.status, codeOf(after)]).toEqual([401, 'EMBED_SIGN_IN_REQUIRED']);
  });
});

describe('the embed HTML and the sign-in popup', () => {
  test('a SELF embed page is served to anyone (it shows "Sign in to view"), framed only as its token allows', async () => {
    const { embedUrl } = await mint(t, { pageId, audience: 'SELF', origins: ['https://partner.example'] });
    const response = await fetch(embedUrl.replace(t.url, t.ipUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain('frame-ancestors https://partner.example');
  });

  test('the popup is the console, never framed, and keeps its opener', async () => {
    const response = await fetch(`${t.ipUrl}/console/embed-sign-in`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('cross-origin-opener-policy')).toBe('unsafe-none');
    expect((await fetch(`${t.ipUrl}/console`)).headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });
});
