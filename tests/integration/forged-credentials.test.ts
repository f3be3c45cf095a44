import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  asViewer,
  CALLS,
  CALLS_PAGE,
  createPage,
  createPrincipal,
  createSecret,
  createUser,
  DASHBOARD_QUERY,
  ingest,
  mint,
  PAGE_QUERY,
  viewerToken,
} from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Every broken or forged credential on the embed endpoint must get a byte-identical answer:
 * same status, same headers (Cache-Control, Content-Type, Content-Length, …), same body.
 * Nothing may tell a caller why. The same holds on the embed HTML routes.
 */

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const hs = (algorithm: 'sha256' | 'sha512', input: string, key: string) => createHmac(algorithm, key).update(input).digest('base64url');

let t: TestServer;
const cases: Array<[string, () => Promise<Made>]> = [];

let secret: { id: string; plaintext: string };
let valid: string;
let workspaceId: string;
let pageId: string;
let viewerId: string;
/** `X-Porthole-Viewer` of the admin signed in: the minter of `valid` (a WORKSPACE embed needs a signed-in viewer). */
let signedIn: Record<string, string>;

/** Signs arbitrary header and claims with the real secret, the way an attacker holding it could. */
function sign(header: Record<string, unknown>, claims: Record<string, unknown>, key = secret.plaintext, algorithm: 'sha256' | 'sha512' = 'sha256') {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${hs(algorithm, input, key)}`;
}

function claims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { ws: workspaceId, page: pageId, audience: 'workspace', sub: viewerId, aud: 'porthole:embed', iat: now, exp: now + 600, ...overrides };
}

beforeAll(async () => {
  // Far more failures than one address may make by default (abuse.test.ts shows that limit).
  t = await startTestServer({ env: { PORTHOLE_RATE_AUTH_FAILURES_PER_ADDRESS: '1000' } });
  await ingest(t, 'calls', CALLS);
  pageId = await createPage(t, CALLS_PAGE);
  secret = await createSecret(t);
  const viewer = await t.gql<{ viewer: { id: string; workspace: { id: string } } }>('{ viewer { id workspace { id } } }');
  viewerId = viewer.body.data!.viewer.id;
  workspaceId = viewer.body.data!.viewer.workspace.id;
  valid = (await mint(t, { pageId, audience: 'WORKSPACE' })).token;
  signedIn = asViewer(await viewerToken(t));
});
afterAll(async () => {
  await t.close();
});

const [h, p, s] = ['header', 'payload', 'signature'].map((_, index) => () => valid.split('.')[index]!);

cases.push(
  ['no Authorization header', async () => ({ token: null })],
  ['an empty bearer', async () => ({ token: null, header: 'Bearer ' })],
  ['another scheme', async () => ({ token: null, header: `Basic ${valid}` })],
  ['garbage', async () => ({ token: 'not-a-token' })],
  ['two segments', async () => ({ token: `${h()}.${p()}` })],
  ['four segments', async () => ({ token: `${valid}.${s()}` })],
  ['alg none, empty signature', async () => ({ token: `${b64({ alg: 'none', typ: 'JWT', kid: secret.id })}.${b64(claims())}.` })],
  ['alg none, with a signature', async () => ({ token: `${b64({ alg: 'none', kid: secret.id })}.${b64(claims())}.${s()}` })],
  ['alg "None"', async () => ({ token: sign({ alg: 'None', kid: secret.id }, claims()) })],
  ['alg "NONE"', async () => ({ token: sign({ alg: 'NONE', kid: secret.id }, claims()) })],
  ['HS512 re-signed with the same secret', async () => ({ token: sign({ alg: 'HS512', kid: secret.id }, claims(), secret.plaintext, 'sha512') })],
  ['padded base64', async () => ({ token: `${h()}==.${p()}.${s()}` })],
  [
    'non-canonical base64 (trailing bits set)',
    async () => {
      const signature = s();
      const last = signature[signature.length - 1]!;
      // A 32-byte signature leaves 2 unused bits in its last character; flipping one keeps the bytes.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const twin = alphabet[alphabet.indexOf(last) ^ 1]!;
      return { token: `${h()}.${p()}.${signature.slice(0, -1)}${twin}` };
    },
  ],
  ['kid that is an object', async () => ({ token: sign({ alg: 'HS256', kid: { $ne: null } }, claims()) })],
  ['kid that is a path', async () => ({ token: sign({ alg: 'HS256', kid: '../../secrets/1' }, claims()) })],
  ['unknown kid', async () => ({ token: sign({ alg: 'HS256', kid: '0'.repeat(28) }, claims()) })],
  [
    "another workspace's kid",
    async () => {
      const theirs = await createSecret(t, t.otherApiKey);
      return { token: sign({ alg: 'HS256', kid: theirs.id }, claims(), theirs.plaintext) };
    },
  ],
  ['expired', async () => ({ token: sign({ alg: 'HS256', kid: secret.id }, claims({ exp: Math.floor(Date.now() / 1000) - 5 })) })],
  [
    'missing exp',
    async () => {
      const { exp: _exp, ...rest } = claims();
      return { token: sign({ alg: 'HS256', kid: secret.id }, rest) };
    },
  ],
  ['wrong audience', async () => ({ token: sign({ alg: 'HS256', kid: secret.id }, claims({ aud: 'porthole:session' })) })],
  ['tampered payload', async () => ({ token: `${h()}.${b64(claims({ audience: 'public' }))}.${s()}` })],
  ['tampered signature', async () => ({ token: `${h()}.${p()}.${hs('sha256', 'x', 'y')}` })],
  ['wrong key', async () => ({ token: sign({ alg: 'HS256', kid: secret.id }, claims(), 'phs_not-the-secret') })],
  ['an absurdly long token', async () => ({ token: `${h()}.${'A'.repeat(5000)}.${s()}` })],
  [
    'deleted page',
    async () => {
      const doomed = await createPage(t, CALLS_PAGE);
      const token = (await mint(t, { pageId: doomed, audience: 'WORKSPACE' })).token;
      await t.gql('mutation($id: ID!) { deletePage(id: $id) }', { id: doomed });
      return { token };
    },
  ],
  ['unknown page with a valid signature', async () => ({ token: sign({ alg: 'HS256', kid: secret.id }, claims({ page: '1'.repeat(28) })) })],
  [
    'deleted minter',
    async () => {
      const member = await createPrincipal(t, { name: 'Gone' });
      const token = (await mint(t, { pageId, audience: 'WORKSPACE' }, member.apiKey)).token;
      await t.gql('mutation($id: ID!) { deletePrincipal(id: $id) }', { id: member.id });
      return { token };
    },
  ],
  [
    'revoked secret',
    async () => {
      const doomed = await createSecret(t);
      const token = sign({ alg: 'HS256', kid: doomed.id }, claims());
      await t.gql('mutation($id: ID!) { revokeSigningSecret(id: $id) { id } }', { id: doomed.id });
      return { token };
    },
  ],
  [
    'revoked embed',
    async () => {
      const minted = await mint(t, { pageId, audience: 'WORKSPACE' });
      await t.gql('mutation($id: ID!) { revokePageEmbed(id: $id) { id } }', { id: minted.id });
      return { token: minted.token };
    },
  ],
  ['a user embed token where a session is expected', async () => ({ token: (await createUser(t, 'raw-embed-token')).embedToken, query: DASHBOARD_QUERY })],
  [
    'a dead session (user suspended)',
    async () => {
      const user = await createUser(t, 'suspended-session');
      const exchange = await t.gql<{ validateEmbedToken: { authToken: string } }>(
        'mutation($t: String!) { validateEmbedToken(embedToken: $t) { authToken } }',
        { t: user.embedToken },
        { apiKey: null },
      );
      await t.gql('mutation($id: ID!) { suspendUser(id: $id) { id } }', { id: user.id });
      return { token: exchange.body.data!.validateEmbedToken.authToken, query: DASHBOARD_QUERY };
    },
  ],
  [
    'a forged session signed with a guessed key',
    async () => ({
      token: sign({ alg: 'HS256' }, { sub: 'x', ws: workspaceId, v: 'x', aud: 'porthole:session', iss: 'porthole', exp: claims().exp }, 'guess'),
      query: DASHBOARD_QUERY,
    }),
  ],
  // Valid, so without a viewer it asks for sign-in: sent only with its minter signed in, the refusal is the query's.
  ['a valid page token asking for the dashboard', async () => ({ token: valid, query: DASHBOARD_QUERY, signedInOnly: true })],
  [
    'a rule on __proto__ in a validly signed token',
    async () => ({ token: sign({ alg: 'HS256', kid: secret.id }, claims({ rules: [{ field: '__proto__', op: 'EQ', value: 1 }] })) }),
  ],
  [
    'a rule on constructor in a validly signed token',
    async () => ({ token: sign({ alg: 'HS256', kid: secret.id }, claims({ rules: [{ field: 'constructor', op: 'EQ', value: 1 }] })) }),
  ],
);

/** A broken credential; each is sent both without a viewer and with a signed-in one, except `signedInOnly`. */
type Made = { token: string | null; header?: string; query?: string; signedInOnly?: boolean };
const made = new Map<string, Promise<Made>>();
/** Each case's credential is made once (making some creates users and pages) and reused by every surface. */
const materialize = (name: string, make: () => Promise<Made>): Promise<Made> => {
  if (!made.has(name)) made.set(name, make());
  return made.get(name)!;
};

/** Everything that identifies an answer: status, every header but the per-request ones, and the body. */
function fingerprint(response: { status: number; headers: Headers }, body: string): string {
  const headers = [...response.headers].filter(([name]) => name !== 'date' && name !== 'x-request-id');
  return `${response.status}\n${headers.map(([name, value]) => `${name}: ${value}`).join('\n')}\n\n${body}`;
}

describe('forged and broken embed credentials', () => {
  test('the valid token renders (the control case)', async () => {
    const response = await t.embedGql(PAGE_QUERY, valid, signedIn);
    expect(response.status).toBe(200);
  });

  test(`all ${cases.length} broken credentials get a byte-identical 401, headers included, with or without a signed-in viewer`, async () => {
    expect(cases.length).toBeGreaterThanOrEqual(35);
    const answers = new Map<string, string[]>();
    for (const [name, make] of cases) {
      const { token, header, query, signedInOnly } = await materialize(name, make);
      for (const viewer of signedInOnly ? [signedIn] : [{}, signedIn]) {
        const response = await t.embedGql(query ?? PAGE_QUERY, token, { ...viewer, ...(header !== undefined ? { authorization: header } : {}) });
        const answer = fingerprint(response, response.text);
        answers.set(answer, [...(answers.get(answer) ?? []), `${name}${viewer === signedIn ? ' (signed in)' : ''}`]);
      }
    }
    expect([...answers.values()]).toHaveLength(1);
    const [only] = [...answers.keys()];
    const body = '{"errors":[{"message":"This embed is unavailable.","extensions":{"code":"EMBED_UNAVAILABLE"}}]}\n';
    expect(only).toContain('401\n');
    expect(only).toContain('cache-control: no-store\n');
    expect(only).toContain('content-type: application/json; charset=utf-8\n');
    expect(only).toContain(`content-length: ${body.length}\n`);
    expect(only.endsWith(`\n\n${body}`)).toBe(true);
  });

  test('the scheme is case-insensitive: "bearer" renders like "Bearer"', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const response = await t.embedGql(PAGE_QUERY, null, { ...signedIn, authorization: `${scheme} ${valid}` });
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
    }
  });

  test('every broken credential on the embed page, the dashboard page and the token exchange gets one identical answer there, headers and CSP included', async () => {
    const embedPageAnswers = new Set<string>();
    for (const [name, make] of cases) {
      const { token, header, query } = await materialize(name, make);
      // Cases about the Authorization header or the root field asked for do not apply to a URL.
      if (header !== undefined || query !== undefined) continue;
      const response = await fetch(`${t.ipUrl}/embed-page/acme/${pageId}${token === null ? '' : `?t=${encodeURIComponent(token)}`}`);
      embedPageAnswers.add(fingerprint(response, await response.text()));
    }
    // A valid token for the wrong URL is refused the same way.
    const elsewhere = await fetch(`${t.ipUrl}/embed-page/globex/${pageId}?t=${valid}`);
    embedPageAnswers.add(fingerprint(elsewhere, await elsewhere.text()));
    expect(embedPageAnswers.size).toBe(1);
    const [page] = [...embedPageAnswers];
    expect(page).toMatch(/^401\n/);
    // The refusal document (no embed bundle): framable anywhere, running only its own inline script.
    expect(page).toMatch(
      /\ncontent-security-policy: default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; frame-ancestors \*; base-uri 'none'; form-action 'none'\n/,
    );
    expect(page).toContain('cache-control: no-store\n');

    const dashboardAnswers = new Set<string>();
    const suspended = await createUser(t, 'suspended-dashboard');
    await t.gql('mutation($id: ID!) { suspendUser(id: $id) { id } }', { id: suspended.id });
    const rotated = await createUser(t, 'rotated-dashboard');
    await t.gql('mutation($id: ID!) { regenerateEmbedToken(userId: $id) { token } }', { id: rotated.id });
    const unknownUser = sign({ alg: 'HS256' }, { sub: '2'.repeat(28), ws: workspaceId, v: 'x' }, 'guess');
    for (const token of [null, 'garbage', valid, suspended.embedToken, rotated.embedToken, unknownUser, `${suspended.embedToken}x`]) {
      const response = await fetch(`${t.ipUrl}/dashboard.html${token === null ? '' : `?token=${encodeURIComponent(token)}`}`);
      dashboardAnswers.add(fingerprint(response, await response.text()));
    }
    expect(dashboardAnswers.size).toBe(1);
    expect([...dashboardAnswers][0]).toMatch(/^401\n/);

    // The token exchange, on REST and on GraphQL: one answer each for every bad embed token.
    const restAnswers = new Set<string>();
    const graphqlAnswers = new Set<string>();
    for (const token of [undefined, 'garbage', valid, suspended.embedToken, rotated.embedToken, unknownUser]) {
      const rest = await fetch(`${t.ipUrl}/api/validate-embed-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(token === undefined ? {} : { embed_token: token }),
      });
      restAnswers.add(fingerprint(rest, await rest.text()));
      const graphql = await t.gql('mutation($t: String!) { validateEmbedToken(embedToken: $t) { authToken } }', { t: token ?? '' }, { apiKey: null });
      graphqlAnswers.add(fingerprint(graphql, graphql.text));
    }
    expect(restAnswers.size).toBe(1);
    expect([...restAnswers][0]).toMatch(/^401\n(.*\n)*cache-control: no-store\n/);
    expect(graphqlAnswers.size).toBe(1);
    expect([...graphqlAnswers][0]).toMatch(/^401\n(.*\n)*cache-control: no-store\n/);
  });
});
