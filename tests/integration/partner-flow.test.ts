import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createPrincipal, createUser, DASHBOARD_QUERY } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

const EXCHANGE = 'mutation($t: String!) { validateEmbedToken(embedToken: $t) { authToken expiresAt } }';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

async function exchange(token: string) {
  return t.gql<{ validateEmbedToken: { authToken: string; expiresAt: string } }>(EXCHANGE, { t: token }, { apiKey: null });
}

function codeOf(response: { body: { errors?: Array<{ extensions?: { code?: string } }> } }) {
  return response.body.errors?.[0]?.extensions?.code;
}

describe('API keys', () => {
  test('a missing API key gets UNAUTHENTICATED', async () => {
    const response = await t.gql('{ viewer { id } }', {}, { apiKey: null });
    expect(codeOf(response)).toBe('UNAUTHENTICATED');
  });

  test('a wrong API key gets UNAUTHENTICATED', async () => {
    const response = await t.gql('{ viewer { id } }', {}, { apiKey: `${t.apiKey}x` });
    expect(codeOf(response)).toBe('UNAUTHENTICATED');
  });

  test('the bootstrap key is the admin of its workspace', async () => {
    const response = await t.gql<{ viewer: { role: string; kind: string; workspace: { slug: string } } }>('{ viewer { role kind workspace { slug } } }');
    expect(response.body.data?.viewer).toEqual({ role: 'ADMIN', kind: 'MEMBER', workspace: { slug: 'acme' } });
  });

  test('a created key is shown once, listed by prefix, and stops working when revoked', async () => {
    const created = await t.gql<{ createApiKey: { key: { id: string; prefix: string }; plaintext: string } }>(
      'mutation { createApiKey(name: "ci") { key { id prefix } plaintext } }',
    );
    const { key, plaintext } = created.body.data!.createApiKey;
    expect(plaintext.startsWith(key.prefix)).toBe(true);
    const listed = await t.gql<{ apiKeys: Array<{ id: string; prefix: string; lastUsedAt: string | null }> }>(
      '{ apiKeys { id prefix lastUsedAt } }',
      {},
      { apiKey: plaintext },
    );
    expect(JSON.stringify(listed.body)).not.toContain(plaintext);
    expect(listed.body.data!.apiKeys.find((entry) => entry.id === key.id)?.lastUsedAt).not.toBeNull();
    await t.gql('mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: key.id });
    expect(codeOf(await t.gql('{ viewer { id } }', {}, { apiKey: plaintext }))).toBe('UNAUTHENTICATED');
  });

  test('only admins create principals; an agent gets its own key', async () => {
    const agent = await createPrincipal(t, { name: 'Report bot', kind: 'AGENT', role: 'MEMBER' });
    const viewer = await t.gql<{ viewer: { kind: string; role: string } }>('{ viewer { kind role } }', {}, { apiKey: agent.apiKey });
    expect(viewer.body.data?.viewer).toEqual({ kind: 'AGENT', role: 'MEMBER' });
    const denied = await t.gql(
      'mutation { createPrincipal(input: { name: "x", kind: MEMBER, role: ADMIN, dataAccess: { all: true } }) { apiKey } }',
      {},
      { apiKey: agent.apiKey },
    );
    expect(codeOf(denied)).toBe('FORBIDDEN');
  });

  test("a deleted principal's key stops working", async () => {
    const member = await createPrincipal(t, { name: 'Temp' });
    await t.gql('mutation($id: ID!) { deletePrincipal(id: $id) }', { id: member.id });
    expect(codeOf(await t.gql('{ viewer { id } }', {}, { apiKey: member.apiKey }))).toBe('UNAUTHENTICATED');
  });
});

describe('users and embed tokens', () => {
  test('createUser returns the user and a compact HS256 embed token without padding', async () => {
    const response = await t.gql<{ createUser: { user: Record<string, unknown>; embedToken: string } }>(
      'mutation { createUser(input: { externalId: "u-1", email: "u1@example.com", name: "One" }) { user { id externalId email name status } embedToken } }',
    );
    const { user, embedToken } = response.body.data!.createUser;
    expect(user).toMatchObject({ externalId: 'u-1', email: 'u1@example.com', name: 'One', status: 'ACTIVE' });
    expect(embedToken).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(embedToken.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'HS256' });
    // Compact enough for a query parameter or a data attribute.
    expect(embedToken.length).toBeLessThanOrEqual(200);
  });

  test('a duplicate externalId is CONFLICT and a bad email is BAD_USER_INPUT', async () => {
    await createUser(t, 'dup');
    expect(codeOf(await t.gql('mutation { createUser(input: { externalId: "dup" }) { embedToken } }'))).toBe('CONFLICT');
    expect(codeOf(await t.gql('mutation { createUser(input: { externalId: "e", email: "not-an-email" }) { embedToken } }'))).toBe('BAD_USER_INPUT');
  });

  test('the same externalId may exist in two workspaces', async () => {
    await createUser(t, 'shared-id');
    await expect(createUser(t, 'shared-id', t.otherApiKey)).resolves.toMatchObject({ id: expect.any(String) });
  });

  test('embedToken returns the current token, stable until regenerated', async () => {
    const user = await createUser(t, 'stable');
    const again = await t.gql<{ embedToken: { token: string } }>('query($id: ID!) { embedToken(userId: $id) { token } }', { id: user.id });
    expect(again.body.data?.embedToken.token).toBe(user.embedToken);
  });

  test('after regeneration the old token is refused and the new one accepted', async () => {
    const user = await createUser(t, 'rotating');
    expect((await exchange(user.embedToken)).status).toBe(200);
    const rotated = await t.gql<{ regenerateEmbedToken: { token: string } }>('mutation($id: ID!) { regenerateEmbedToken(userId: $id) { token } }', {
      id: user.id,
    });
    const fresh = rotated.body.data!.regenerateEmbedToken.token;
    expect(fresh).not.toBe(user.embedToken);
    expect(codeOf(await exchange(user.embedToken))).toBe('EMBED_UNAVAILABLE');
    expect((await exchange(fresh)).body.data?.validateEmbedToken.authToken).toEqual(expect.any(String));
  });

  test('a session ends on its next request when the embed token is regenerated', async () => {
    const user = await createUser(t, 'session-rotate');
    const session = (await exchange(user.embedToken)).body.data!.validateEmbedToken;
    expect((await t.embedGql(DASHBOARD_QUERY, session.authToken)).status).toBe(200);
    await t.gql('mutation($id: ID!) { regenerateEmbedToken(userId: $id) { token } }', { id: user.id });
    expect((await t.embedGql(DASHBOARD_QUERY, session.authToken)).status).toBe(401);
  });

  test("a token spliced from two users' tokens is refused", async () => {
    const first = await createUser(t, 'splice-a');
    const second = await createUser(t, 'splice-b');
    const [header, payload] = first.embedToken.split('.');
    const signature = second.embedToken.split('.')[2];
    expect(codeOf(await exchange(`${header}.${payload}.${signature}`))).toBe('EMBED_UNAVAILABLE');
    const [, secondPayload] = second.embedToken.split('.');
    expect(codeOf(await exchange(`${header}.${secondPayload}.${first.embedToken.split('.')[2]}`))).toBe('EMBED_UNAVAILABLE');
  });

  test('suspended users are refused, sessions included, until reactivated', async () => {
    const user = await createUser(t, 'suspend-me');
    const session = (await exchange(user.embedToken)).body.data!.validateEmbedToken;
    await t.gql('mutation($id: ID!) { suspendUser(id: $id) { status } }', { id: user.id });
    expect(codeOf(await exchange(user.embedToken))).toBe('EMBED_UNAVAILABLE');
    expect((await t.embedGql(DASHBOARD_QUERY, session.authToken)).status).toBe(401);
    await t.gql('mutation($id: ID!) { reactivateUser(id: $id) { status } }', { id: user.id });
    expect((await exchange(user.embedToken)).status).toBe(200);
  });

  test('deleted users are refused, sessions included', async () => {
    const user = await createUser(t, 'delete-me');
    const session = (await exchange(user.embedToken)).body.data!.validateEmbedToken;
    await t.gql('mutation($id: ID!) { deleteUser(id: $id) }', { id: user.id });
    expect(codeOf(await exchange(user.embedToken))).toBe('EMBED_UNAVAILABLE');
    expect((await t.embedGql(DASHBOARD_QUERY, session.authToken)).status).toBe(401);
  });

  test("one workspace can neither read nor rotate another's users: NOT_FOUND, never FORBIDDEN", async () => {
    const theirs = await createUser(t, 'private-user', t.otherApiKey);
    for (const operation of [
      'query($id: ID!) { user(id: $id) { id } }',
      'query($id: ID!) { embedToken(userId: $id) { token } }',
      'mutation($id: ID!) { regenerateEmbedToken(userId: $id) { token } }',
      'mutation($id: ID!) { suspendUser(id: $id) { id } }',
      'mutation($id: ID!) { deleteUser(id: $id) }',
    ]) {
      expect(codeOf(await t.gql(operation, { id: theirs.id }))).toBe('NOT_FOUND');
    }
    expect((await exchange(theirs.embedToken)).status).toBe(200);
    const listed = await t.gql<{ users: { nodes: Array<{ id: string }> } }>('{ users(first: 200) { nodes { id } } }');
    expect(listed.body.data!.users.nodes.map((user) => user.id)).not.toContain(theirs.id);
  });

  test('users are paginated with a cursor and searchable', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) await createUser(t, name);
    const first = await t.gql<{ users: { nodes: Array<{ externalId: string }>; nextCursor: string | null; totalCount: number } }>(
      '{ users(first: 2, search: "page-") { nodes { externalId } nextCursor totalCount } }',
    );
    expect(first.body.data!.users.totalCount).toBe(3);
    expect(first.body.data!.users.nodes.map((user) => user.externalId)).toEqual(['page-a', 'page-b']);
    const second = await t.gql<{ users: { nodes: Array<{ externalId: string }>; nextCursor: string | null } }>(
      'query($after: String) { users(first: 2, search: "page-", after: $after) { nodes { externalId } nextCursor } }',
      { after: first.body.data!.users.nextCursor },
    );
    expect(second.body.data!.users).toEqual({ nodes: [{ externalId: 'page-c' }], nextCursor: null });
  });

  test('a search text is matched literally, never as a pattern or operator', async () => {
    const response = await t.gql<{ users: { totalCount: number } }>('{ users(search: ".*") { totalCount } }');
    expect(response.body.data!.users.totalCount).toBe(0);
  });

  test("validateEmbedToken returns a session that opens the user's dashboard and expires in an hour", async () => {
    const user = await createUser(t, 'dash-user');
    const before = Date.now();
    const session = (await exchange(user.embedToken)).body.data!.validateEmbedToken;
    const lifetime = new Date(session.expiresAt).getTime() - before;
    expect(lifetime).toBeGreaterThan(3590_000);
    expect(lifetime).toBeLessThanOrEqual(3600_000);
    const dashboard = await t.embedGql<{ dashboard: { pages: unknown[] } }>(DASHBOARD_QUERY, session.authToken);
    expect(dashboard.body.data?.dashboard.pages).toEqual([]);
  });
});

describe('seed-compatible REST routes', () => {
  test('POST /api/v1/users creates a user and returns embed_token', async () => {
    const response = await t.rest('POST', '/api/v1/users', { external_id: 'rest-1', email: 'r1@example.com', name: 'Rest' }, { 'x-api-key': t.apiKey });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ user: { external_id: 'rest-1', status: 'ACTIVE' }, embed_token: expect.any(String) });
  });

  test('GET returns the current token; POST rotates it; the exchange answers auth_token and expires_at', async () => {
    const created = await t.rest('POST', '/api/v1/users', { external_id: 'rest-2' }, { 'x-api-key': t.apiKey });
    const id = (created.body['user'] as { id: string }).id;
    const current = await t.rest('GET', `/api/v1/users/${id}/embed-token`, undefined, { 'x-api-key': t.apiKey });
    expect(current.body['embed_token']).toBe(created.body['embed_token']);
    const rotated = await t.rest('POST', `/api/v1/users/${id}/embed-token`, undefined, { 'x-api-key': t.apiKey });
    expect(rotated.body['embed_token']).not.toBe(created.body['embed_token']);
    const refused = await t.rest('POST', '/api/validate-embed-token', { embed_token: created.body['embed_token'] });
    expect(refused.status).toBe(401);
    const accepted = await t.rest('POST', '/api/validate-embed-token', { embed_token: rotated.body['embed_token'] });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ auth_token: expect.any(String), expires_at: expect.any(String) });
  });

  test('a missing or bad API key is 401 with a JSON error', async () => {
    for (const headers of [{}, { 'x-api-key': 'nope-nope-nope-nope-nope' }] as Array<Record<string, string>>) {
      const response = await t.rest('POST', '/api/v1/users', { external_id: 'x' }, headers);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
    }
  });

  test('a body value that is an object is refused, never used as an operator', async () => {
    const response = await t.rest('POST', '/api/v1/users', { external_id: { $gt: '' } }, { 'x-api-key': t.apiKey });
    expect(response.status).toBe(400);
    const exchangeResponse = await t.rest('POST', '/api/validate-embed-token', { embed_token: { $ne: null } });
    expect(exchangeResponse.status).toBe(401);
  });

  test("another workspace's user is 404 over REST", async () => {
    const theirs = await createUser(t, 'rest-private', t.otherApiKey);
    const response = await t.rest('GET', `/api/v1/users/${theirs.id}/embed-token`, undefined, { 'x-api-key': t.apiKey });
    expect(response.status).toBe(404);
  });
});

describe('health', () => {
  test('/healthz and /readyz answer while the store is up', async () => {
    expect((await fetch(`${t.ipUrl}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${t.ipUrl}/readyz`)).json()).toEqual({ status: 'ready', store: 'memory' });
  });
});
