import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DASHBOARD_QUERY_HASH, PAGE_QUERY_HASH } from '../../client/src/generated/embed-documents.js';
import { PAGE_QUERY as CLIENT_PAGE_QUERY } from '../../client/src/api/queries.js';
import { CALLS, CALLS_PAGE, createPage, createSecret, ingest, mint, PAGE_QUERY } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Trusted documents on /embed/graphql (issue 21): the embed client sends a document's SHA-256
 * (`extensions.persistedQuery`), Apollo's pipeline reads it from the build's manifest, and in
 * production nothing else runs.
 */

let production: TestServer;
let development: TestServer;
const tokens = new Map<TestServer, string>();

async function setUp(t: TestServer): Promise<void> {
  await ingest(t, 'calls', CALLS);
  const pageId = await createPage(t, CALLS_PAGE);
  await createSecret(t);
  tokens.set(t, (await mint(t, { pageId, audience: 'PUBLIC' })).token);
}

beforeAll(async () => {
  production = await startTestServer({ env: { NODE_ENV: 'production' } });
  development = await startTestServer();
  await Promise.all([setUp(production), setUp(development)]);
});
afterAll(async () => {
  await Promise.all([production.close(), development.close()]);
});

async function post(t: TestServer, body: unknown) {
  const response = await fetch(`${t.ipUrl}/embed/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(t)}` },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    cacheControl: response.headers.get('cache-control'),
    body: (await response.json()) as { data?: { page?: { title: string } } | null; errors?: Array<{ extensions?: { code?: string } }> },
  };
}

const byHash = (hash: string, variables: Record<string, unknown> = {}) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables });

describe('in production', () => {
  test('the client’s page document, sent by its hash alone, renders', async () => {
    const response = await post(production, byHash(PAGE_QUERY_HASH));
    expect(response.status).toBe(200);
    expect(response.body.data?.page?.title).toBe('Calls');
    // One viewer's data: never stored by a cache on the way (the project's own no-store plugin, not Apollo's cache-control one).
    expect(response.cacheControl).toBe('no-store');
  });

  test('an unknown document sent as text is refused with 400 PERSISTED_QUERY_NOT_FOUND', async () => {
    for (const query of [PAGE_QUERY, `${CLIENT_PAGE_QUERY} `, '{ page { id } }']) {
      const response = await post(production, { query });
      expect([response.status, response.body.errors?.[0]?.extensions?.code, response.body.data ?? null]).toEqual([400, 'PERSISTED_QUERY_NOT_FOUND', null]);
    }
  });

  test('an unknown hash is 400 PERSISTED_QUERY_NOT_FOUND, and a hash sent with another text cannot register it', async () => {
    const unknown = await post(production, byHash('0'.repeat(64)));
    expect([unknown.status, unknown.body.errors?.[0]?.extensions?.code]).toEqual([400, 'PERSISTED_QUERY_NOT_FOUND']);
    const register = await post(production, { query: '{ page { id } }', ...byHash(DASHBOARD_QUERY_HASH) });
    expect(register.status).toBe(400);
  });

  test('the exact text of a trusted document is accepted as the document it is', async () => {
    const response = await post(production, { query: CLIENT_PAGE_QUERY });
    expect(response.status).toBe(200);
  });
});

describe('in development', () => {
  test('any document works, and the trusted hashes too', async () => {
    expect((await post(development, { query: PAGE_QUERY })).status).toBe(200);
    expect((await post(development, byHash(PAGE_QUERY_HASH))).status).toBe(200);
    const unknown = await post(development, byHash('0'.repeat(64)));
    expect([unknown.status, unknown.body.errors?.[0]?.extensions?.code]).toEqual([400, 'PERSISTED_QUERY_NOT_FOUND']);
  });
});
