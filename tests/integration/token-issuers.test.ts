import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CALLS, CALLS_PAGE, createPage, createPrincipal, ingest, PAGE_QUERY } from '../support/factories.js';
import { startTestServer, type GqlResponse, type TestServer } from '../support/server.js';

/**
 * Tokens signed by a partner's own keys (issue 26.3): a registered issuer's JWKS (served here on
 * loopback) or PEM key verifies page embed tokens under its algorithm allowlist, `iss` and `aud`,
 * with the same claims and checks as a signing secret's tokens; anything else is the one uniform
 * failure, and a JWKS that hangs costs a load its timeout, not more.
 */

type Alg = 'ES256' | 'EdDSA' | 'RS256';
interface Pair {
  kid: string;
  alg: Alg;
  privateKey: CryptoKey;
  jwk: JWK;
}

const pair = async (alg: Alg, kid: string): Promise<Pair> => {
  const { privateKey, publicKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' } };
};

/** The clock every check reads; tests move it forward. */
let nowMs = Date.parse('2026-12-01T12:00:00Z');
const clock = { now: () => new Date(nowMs) };

let t: TestServer;
let jwks: Server;
let jwksUrl = '';
/** What the loopback JWKS serves, and how often it was asked. */
let served: JWK[] = [];
let fetches = 0;
const ISSUER = 'https://idp.partner.example';
const keys: Record<string, Pair> = {};
let workspaceId = '';
let adminId = '';
let pageId = '';
let jwksIssuerId = '';
let uniform: GqlResponse;

const gqlData = <T>(response: GqlResponse<T>): T => {
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data!;
};

async function createIssuer(input: Record<string, unknown>, apiKey = t.apiKey): Promise<GqlResponse<{ createTokenIssuer: { id: string } }>> {
  return t.gql(
    'mutation($input: CreateTokenIssuerInput!) { createTokenIssuer(input: $input) { id issuer audience algorithms jwksUrl } }',
    { input },
    { apiKey },
  );
}

/** A page embed token as a partner's identity provider signs it. */
function sign(key: Pair, overrides: { iss?: string; aud?: string; alg?: string; kid?: string; claims?: Record<string, unknown> } = {}): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({ ws: workspaceId, page: pageId, audience: 'public', sub: adminId, rules: [], origins: [], ...overrides.claims })
    .setProtectedHeader({ alg: overrides.alg ?? key.alg, typ: 'JWT', kid: overrides.kid ?? key.kid })
    .setIssuer(overrides.iss ?? ISSUER)
    .setAudience(overrides.aud ?? 'porthole:embed')
    .setJti(`jti-${Math.random().toString(36).slice(2)}`)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 600)
    .sign(key.privateKey);
}

const render = async (token: string) => t.embedGql<{ page: { title: string } }>(PAGE_QUERY, token);

/** The same status and body as any refused credential. */
const expectUniform = (response: GqlResponse) => {
  expect(response.status).toBe(uniform.status);
  expect(response.text).toBe(uniform.text);
};

beforeAll(async () => {
  for (const [alg, kid] of [
    ['ES256', 'es-1'],
    ['EdDSA', 'ed-1'],
    ['RS256', 'rs-1'],
    ['ES256', 'es-outside'],
    ['ES256', 'es-later'],
  ] as const) {
    keys[kid] = await pair(alg, kid);
  }
  served = [keys['es-1']!.jwk, keys['ed-1']!.jwk, keys['rs-1']!.jwk];
  jwks = createServer((request, response) => {
    fetches += 1;
    if (request.url === '/hang') return; // never answers
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
    response.end(JSON.stringify({ keys: served }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
  t = await startTestServer({ clock, env: { PORTHOLE_JWKS_TIMEOUT_MS: '300' } });
  await ingest(t, 'calls', CALLS);
  pageId = await createPage(t, CALLS_PAGE);
  const viewer = gqlData(await t.gql<{ viewer: { id: string; workspace: { id: string } } }>('{ viewer { id workspace { id } } }'));
  adminId = viewer.viewer.id;
  workspaceId = viewer.viewer.workspace.id;
  jwksIssuerId = gqlData(await createIssuer({ name: 'Partner IdP', issuer: ISSUER, jwksUrl, algorithms: ['ES256', 'EdDSA', 'RS256'] })).createTokenIssuer.id;
  uniform = await render('not-a-token');
});
afterAll(async () => {
  await t.close();
  jwks.closeAllConnections();
  await new Promise((resolve) => jwks.close(resolve));
});

describe('tokens signed by a registered issuer', () => {
  test.each(['es-1', 'ed-1', 'rs-1'])('a token signed with the JWKS key %s renders the page', async (kid) => {
    const response = await render(await sign(keys[kid]!));
    expect(response.status).toBe(200);
    expect(response.body.data?.page.title).toBe('Calls');
  });

  test('the JWKS is fetched once for many loads, not on every one', async () => {
    const before = fetches;
    for (let i = 0; i < 3; i++) expect((await render(await sign(keys['es-1']!))).status).toBe(200);
    expect(fetches).toBe(before);
  });

  test('an issuer registered with one PEM key verifies its tokens', async () => {
    const own = await pair('ES256', 'pem-key');
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const pemPair = { ...own, privateKey };
    const created = await createIssuer({ name: 'Signer', issuer: 'urn:partner:signer', publicKeyPem: await exportSPKI(publicKey), algorithms: ['ES256'] });
    expect(created.body.errors).toBeUndefined();
    const response = await render(await sign(pemPair, { iss: 'urn:partner:signer' }));
    expect(response.body.data?.page.title).toBe('Calls');
  });

  test('a token whose sub names no principal who may mint its audience gets the uniform failure', async () => {
    const member = await createPrincipal(t, { name: 'Member' });
    expectUniform(await render(await sign(keys['es-1']!, { claims: { sub: member.id } })));
    expectUniform(await render(await sign(keys['es-1']!, { claims: { sub: undefined } })));
  });
});

describe('every other token gets the uniform failure', () => {
  test('signed by a key that is not in the set (under a kid that is)', async () => {
    expectUniform(await render(await sign(keys['es-outside']!, { kid: 'es-1' })));
  });

  test('with an unknown kid', async () => {
    expectUniform(await render(await sign(keys['es-outside']!)));
  });

  test('with an algorithm the issuer does not allow', async () => {
    const narrowIss = 'https://narrow.partner.example';
    gqlData(await createIssuer({ name: 'Narrow', issuer: narrowIss, jwksUrl, algorithms: ['ES256'] }));
    expect((await render(await sign(keys['es-1']!, { iss: narrowIss }))).status).toBe(200);
    expectUniform(await render(await sign(keys['rs-1']!, { iss: narrowIss })));
    expectUniform(await render(await sign(keys['ed-1']!, { iss: narrowIss })));
  });

  test('with a wrong iss or aud', async () => {
    expectUniform(await render(await sign(keys['es-1']!, { iss: 'https://evil.example' })));
    expectUniform(await render(await sign(keys['es-1']!, { aud: 'someone-else' })));
  });

  test('of another workspace', async () => {
    expectUniform(await render(await sign(keys['es-1']!, { claims: { ws: 'other-workspace' } })));
  });

  test('past the lifetime cap', async () => {
    const iat = Math.floor(nowMs / 1000);
    const token = await new SignJWT({ ws: workspaceId, page: pageId, audience: 'public', sub: adminId })
      .setProtectedHeader({ alg: 'ES256', kid: 'es-1' })
      .setIssuer(ISSUER)
      .setAudience('porthole:embed')
      .setJti('too-long')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 400 * 86_400)
      .sign(keys['es-1']!.privateKey);
    expectUniform(await render(token));
  });
});

describe('the key set over time', () => {
  test('a key added to the set is fetched on its first token, at most once a minute per issuer', async () => {
    served = [...served, keys['es-later']!.jwk];
    const before = fetches;
    // Fetched less than a minute ago: an unknown kid does not fetch again yet.
    expectUniform(await render(await sign(keys['es-later']!)));
    expect(fetches).toBe(before);
    nowMs += 61_000;
    expect((await render(await sign(keys['es-later']!))).status).toBe(200);
    expect(fetches).toBe(before + 1);
    // A second unknown kid within the minute does not fetch again.
    expectUniform(await render(await sign(keys['es-outside']!)));
    expect(fetches).toBe(before + 1);
  });

  test('a JWKS that never answers gives the uniform failure once its timeout passes, and the next load does not wait again', async () => {
    const hangingIss = 'https://hanging.partner.example';
    gqlData(await createIssuer({ name: 'Hanging', issuer: hangingIss, jwksUrl: jwksUrl.replace('/jwks.json', '/hang'), algorithms: ['ES256'] }));
    expectUniform(await render(await sign(keys['es-1']!, { iss: hangingIss })));
    const before = fetches;
    expectUniform(await render(await sign(keys['es-1']!, { iss: hangingIss })));
    expect(fetches).toBe(before);
  }, 5000);

  test('revoking the issuer ends its tokens on their next load', async () => {
    const token = await sign(keys['ed-1']!);
    expect((await render(token)).status).toBe(200);
    gqlData(await t.gql('mutation($id: ID!) { revokeTokenIssuer(id: $id) { revokedAt } }', { id: jwksIssuerId }));
    expectUniform(await render(token));
  });
});

describe('registering issuers', () => {
  test('only an admin may register or list them', async () => {
    const member = await createPrincipal(t, { name: 'Not an admin' });
    const created = await createIssuer({ name: 'X', issuer: 'urn:x', jwksUrl, algorithms: ['ES256'] }, member.apiKey);
    expect(created.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const listed = await t.gql('{ tokenIssuers { id } }', {}, { apiKey: member.apiKey });
    expect(listed.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  test('a JWKS URL must be https:, or http: to localhost outside production', async () => {
    const plain = await createIssuer({ name: 'X', issuer: 'urn:plain', jwksUrl: 'http://idp.example/jwks', algorithms: ['ES256'] });
    expect(plain.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const both = await createIssuer({ name: 'X', issuer: 'urn:both', algorithms: ['ES256'] });
    expect(both.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('the issuers are listed newest first with what they trust', async () => {
    const listed = gqlData(await t.gql<{ tokenIssuers: Array<{ issuer: string; revokedAt: string | null }> }>('{ tokenIssuers { issuer revokedAt } }'));
    expect(listed.tokenIssuers.map((issuer) => issuer.issuer)).toContain(ISSUER);
    expect(listed.tokenIssuers.find((issuer) => issuer.issuer === ISSUER)!.revokedAt).not.toBeNull();
  });
});
