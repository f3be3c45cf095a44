import { mongoConnectionOptions, OPERATION_DEADLINE_MS, SERVER_TIME_LIMIT_MS } from '../../server/src/store/mongo/connection-options.js';
import { FaultyStore } from '../../server/src/store/faulty-store.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';
import { CALLS, CALLS_PAGE, createPage, createSecret, createUser, ingest, mint, PAGE_QUERY } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * With the store unreachable, every surface answers 503 with Retry-After (never a hang,
 * never a 500, never the embed 401), /readyz turns 503 while /healthz stays 200, and
 * everything recovers by itself when the store answers again.
 */

let t: TestServer;
let store: FaultyStore;
let pageToken: string;
let embedToken: string;
let pageId: string;

beforeAll(async () => {
  store = new FaultyStore(new MemoryStore());
  t = await startTestServer({ store });
  await ingest(t, 'calls', CALLS);
  pageId = await createPage(t, CALLS_PAGE);
  await createSecret(t);
  pageToken = (await mint(t, { pageId, audience: 'PUBLIC' })).token;
  embedToken = (await createUser(t, 'fault-user')).embedToken;
});
afterAll(async () => {
  store.recover();
  await t.close();
});
afterEach(() => store.recover());

const get = async (path: string) => {
  const response = await fetch(`${t.ipUrl}${path}`);
  return {
    status: response.status,
    headers: response.headers,
    text: await response.text(),
  };
};

/** Every kind of request a client makes, each answering with status, headers and text. */
const surfaces: Array<[string, () => Promise<{ status: number; headers: Headers; text: string }>]> = [
  ['an API-key query on /graphql', () => t.gql('{ viewer { id } pages { id } }')],
  [
    'a mutation on /graphql',
    () => t.gql('mutation($input: CreateUserInput!) { createUser(input: $input) { embedToken } }', { input: { externalId: 'during-outage' } }),
  ],
  [
    'a token exchange on /graphql',
    () => t.gql('mutation($token: String!) { validateEmbedToken(embedToken: $token) { authToken } }', { token: embedToken }, { apiKey: null }),
  ],
  ['a page render on /embed/graphql', () => t.embedGql(PAGE_QUERY, pageToken)],
  [
    'a REST call with an API key',
    async () => {
      const response = await t.rest('GET', '/api/v1/users/nobody/embed-token', undefined, { 'x-api-key': t.apiKey });
      return { ...response, text: JSON.stringify(response.body) };
    },
  ],
  [
    'the REST token exchange',
    async () => {
      const response = await t.rest('POST', '/api/validate-embed-token', {
        embed_token: embedToken,
      });
      return { ...response, text: JSON.stringify(response.body) };
    },
  ],
  ['the embed page HTML', () => get(`/embed-page/acme/${pageId}?t=${pageToken}`)],
  ['/readyz', () => get('/readyz')],
];

describe.each([
  ['unreachable (every call fails at once)', () => store.breakDown()],
  ['stalled (every call fails after 200 ms, as driver timeouts do)', () => store.stall(200)],
])('with the store %s', (_mode, fail) => {
  test.each(surfaces)('%s answers 503 with Retry-After', async (_name, call) => {
    fail();
    const response = await call();
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(response.text).not.toMatch(/EMBED_UNAVAILABLE|INTERNAL_SERVER_ERROR|stack/);
    expect(store.refused).toBeGreaterThan(0);
  });

  test('/healthz still answers 200: the process is up', async () => {
    fail();
    expect((await get('/healthz')).status).toBe(200);
  });
});

test('everything recovers by itself when the store answers again', async () => {
  store.breakDown();
  expect((await t.embedGql(PAGE_QUERY, pageToken)).status).toBe(503);
  expect((await get('/readyz')).status).toBe(503);
  store.recover();
  for (const [name, call] of surfaces) {
    const response = await call();
    expect([name, response.status < 500]).toEqual([name, true]);
  }
  expect((await get('/readyz')).status).toBe(200);
  const rendered = await t.embedGql<{
    page: { widgets: Array<{ data: { rows: unknown[][] } }> };
  }>(PAGE_QUERY, pageToken);
  expect(rendered.body.data?.page.widgets[0]?.data.rows).toEqual([[CALLS.length]]);
});

test('a render that failed mid-outage is not remembered: the next viewer gets live data', async () => {
  store.breakDown();
  await t.embedGql(PAGE_QUERY, pageToken);
  store.recover();
  await ingest(t, 'calls', [{ owner: 'ada', at: '2026-11-04T10:00:00Z', channel: 'phone', minutes: 1 }]);
  const rendered = await t.embedGql<{
    page: { widgets: Array<{ data: { rows: unknown[][] } }> };
  }>(PAGE_QUERY, pageToken);
  expect(rendered.body.data?.page.widgets[0]?.data.rows).toEqual([[CALLS.length + 1]]);
});

test('the mongo adapter fails fast instead of queueing: no command buffering, a bounded wait for a connection, a 2 s deadline', () => {
  // Configuration, not timing: every operation carries an AbortSignal of OPERATION_DEADLINE_MS, retries included.
  expect(mongoConnectionOptions.bufferCommands).toBe(false);
  expect(mongoConnectionOptions.waitQueueTimeoutMS).toBeGreaterThan(0);
  expect(mongoConnectionOptions.waitQueueTimeoutMS).toBeLessThanOrEqual(OPERATION_DEADLINE_MS);
  expect(SERVER_TIME_LIMIT_MS).toBeLessThan(OPERATION_DEADLINE_MS);
  expect(OPERATION_DEADLINE_MS).toBeLessThanOrEqual(2000);
});
