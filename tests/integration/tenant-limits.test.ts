import { CALLS, CALLS_PAGE, createPage, createPrincipal, createSecret, createUser, DASHBOARD_QUERY, mint, PAGE_QUERY } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Limits that follow the tenant, not the credential: a second API key does not reset the
 * workspace's quota, a new dashboard session does not reset its end user's render budget, a
 * workspace cannot store past its records limit; and the failed-authentication limit refuses
 * failing credentials only — a valid one from the same address is served.
 */

const servers: TestServer[] = [];
const start = async (env: Record<string, string>) => {
  const t = await startTestServer({ env });
  servers.push(t);
  return t;
};
afterAll(async () => {
  for (const t of servers) await t.close();
});

const VIEWER = '{ viewer { name } }';

describe('API quota per workspace', () => {
  test('a second API key does not reset the workspace quota, on GraphQL and REST together', async () => {
    const t = await start({ PORTHOLE_RATE_API_PER_KEY: '100', PORTHOLE_RATE_API_PER_WORKSPACE: '6' });
    // createPrincipal is the first call of the workspace's six.
    const second = await createPrincipal(t, { name: 'Second key', kind: 'AGENT', role: 'ADMIN' });
    for (let index = 0; index < 2; index += 1) expect((await t.gql(VIEWER)).status).toBe(200);
    expect((await t.gql(VIEWER, {}, { apiKey: second.apiKey })).status).toBe(200);
    expect((await t.rest('GET', '/api/v1/users', undefined, { 'x-api-key': second.apiKey })).status).toBe(200);
    expect((await t.rest('GET', '/api/v1/users', undefined, { 'x-api-key': t.apiKey })).status).toBe(200);

    const refused = await t.gql(VIEWER, {}, { apiKey: second.apiKey });
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(refused.headers.get('ratelimit-policy')).toBe('"api-workspace";q=6;w=60');
    const third = await createPrincipal(t, { name: 'Third key', kind: 'AGENT', role: 'ADMIN' }, t.otherApiKey);
    expect((await t.rest('GET', '/api/v1/users', undefined, { 'x-api-key': t.apiKey })).status).toBe(429);
    // Another workspace has its own quota.
    expect((await t.gql(VIEWER, {}, { apiKey: third.apiKey })).status).toBe(200);
  });
});

describe('render budget per end user', () => {
  test("a new dashboard session of the same end user does not reset the user's render budget", async () => {
    const t = await start({ PORTHOLE_RATE_RENDER_PER_END_USER: '3' });
    await createPage(t, CALLS_PAGE);
    const ada = await createUser(t, 'ada');
    const grace = await createUser(t, 'grace');
    const session = async (embedToken: string) => {
      const response = await t.gql<{ validateEmbedToken: { authToken: string } }>(
        'mutation($t: String!) { validateEmbedToken(embedToken: $t) { authToken } }',
        { t: embedToken },
        { apiKey: null },
      );
      return response.body.data!.validateEmbedToken.authToken;
    };
    const first = await session(ada.embedToken);
    expect((await t.embedGql(DASHBOARD_QUERY, first)).status).toBe(200);
    expect((await t.embedGql(DASHBOARD_QUERY, first)).status).toBe(200);
    const fresh = await session(ada.embedToken);
    expect((await t.embedGql(DASHBOARD_QUERY, fresh)).status).toBe(200);
    const refused = await t.embedGql(DASHBOARD_QUERY, await session(ada.embedToken));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit-policy')).toBe('"render-end-user";q=3;w=60');
    // Another end user is not affected.
    expect((await t.embedGql(DASHBOARD_QUERY, await session(grace.embedToken))).status).toBe(200);
  });
});

describe('storage quota per workspace', () => {
  const INGEST = 'mutation($records: [JSONObject!]!) { ingestRecords(dataset: "calls", records: $records) { inserted } }';

  test('ingest past PORTHOLE_MAX_RECORDS_PER_WORKSPACE answers QUOTA_EXCEEDED with the stored count and the limit, and stores nothing', async () => {
    const t = await start({ PORTHOLE_MAX_RECORDS_PER_WORKSPACE: '8' });
    expect((await t.gql(INGEST, { records: CALLS })).body.data).toEqual({ ingestRecords: { inserted: 6 } });
    const refused = await t.gql(INGEST, { records: CALLS.slice(0, 3) });
    // GraphQL answers 200 with `errors` for everything but credentials, outages and rate limits; REST uses the table's 403.
    expect(refused.body.data).toBeNull();
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('QUOTA_EXCEEDED');
    expect(refused.body.errors?.[0]?.message).toMatch(/stores 6 records and its limit is 8/);

    const rest = await t.rest('POST', '/api/platform/v1/datasets/calls/records', CALLS.slice(0, 3), { 'x-api-key': t.apiKey });
    expect(rest.status).toBe(403);
    expect(rest.body).toEqual({ error: { code: 'QUOTA_EXCEEDED', message: expect.stringMatching(/stores 6 records and its limit is 8/) } });

    // Up to the limit is fine; retried ids are not counted twice.
    const withIds = [
      { id: 'a', owner: 'ada', minutes: 1 },
      { id: 'b', owner: 'ada', minutes: 2 },
    ];
    expect((await t.gql(INGEST, { records: withIds })).body.data).toEqual({ ingestRecords: { inserted: 2 } });
    expect((await t.gql(INGEST, { records: withIds })).body.data).toEqual({ ingestRecords: { inserted: 0 } });
    // Erasure gives the room back; the other workspace was never limited by this one.
    const erased = await t.rest('DELETE', '/api/platform/v1/datasets/calls/records?owner=ada', undefined, { 'x-api-key': t.apiKey });
    expect(erased.body).toEqual({ deleted: 5 });
    expect((await t.gql(INGEST, { records: CALLS.slice(0, 3) })).body.data).toEqual({ ingestRecords: { inserted: 3 } });
    expect((await t.gql(INGEST, { records: CALLS }, { apiKey: t.otherApiKey })).body.data).toEqual({ ingestRecords: { inserted: 6 } });
  });

  test('concurrent ingests cannot pass the limit together', async () => {
    const t = await start({ PORTHOLE_MAX_RECORDS_PER_WORKSPACE: '10' });
    const answers = await Promise.all(Array.from({ length: 5 }, () => t.gql(INGEST, { records: CALLS.slice(0, 3) })));
    const stored = answers.filter((answer) => answer.body.data?.['ingestRecords']).length * 3;
    expect(stored).toBe(9);
    expect(answers.filter((answer) => answer.body.errors?.[0]?.extensions?.code === 'QUOTA_EXCEEDED')).toHaveLength(2);
  });
});

describe('failed authentications never refuse a valid credential', () => {
  test('an address over the failure limit still gets its valid API key, REST call, page embed and dashboard served; failing ones get one identical 429', async () => {
    const t = await start({ PORTHOLE_RATE_AUTH_FAILURES_PER_ADDRESS: '3' });
    const pageId = await createPage(t, CALLS_PAGE);
    await createSecret(t);
    const embed = await mint(t, { pageId, audience: 'PUBLIC' });
    const user = await createUser(t, 'ada');

    const answers = [];
    for (let index = 0; index < 6; index += 1) answers.push(await t.gql(VIEWER, {}, { apiKey: `acme_wrong-key-${index}-xxxxxxxxxxxxxxxx` }));
    expect(answers.slice(0, 3).map((answer) => answer.body.errors?.[0]?.extensions?.code)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
    const limited = answers.slice(3);
    expect(limited.map((answer) => answer.status)).toEqual([429, 429, 429]);
    // Every failing credential past the limit gets the same body.
    expect(new Set(limited.map((answer) => answer.text)).size).toBe(1);
    expect((await t.embedGql(PAGE_QUERY, 'not-a-token')).status).toBe(429);

    expect((await t.gql(VIEWER)).status).toBe(200);
    expect((await t.rest('GET', '/api/v1/users', undefined, { 'x-api-key': t.apiKey })).status).toBe(200);
    expect((await t.embedGql(PAGE_QUERY, embed.token)).status).toBe(200);
    const html = await fetch(embed.embedUrl.replace(t.url, t.ipUrl));
    expect(html.status).toBe(200);
    const exchanged = await t.gql<{ validateEmbedToken: { authToken: string } }>(
      'mutation($t: String!) { validateEmbedToken(embedToken: $t) { authToken } }',
      { t: user.embedToken },
      { apiKey: null },
    );
    expect(exchanged.status).toBe(200);
    expect((await t.embedGql(DASHBOARD_QUERY, exchanged.body.data!.validateEmbedToken.authToken)).status).toBe(200);
  });

  test('one stale credential loaded again and again is refused 429 after its own failures, before the address limit', async () => {
    const t = await start({ PORTHOLE_RATE_AUTH_FAILURES_PER_CREDENTIAL: '2', PORTHOLE_RATE_AUTH_FAILURES_PER_ADDRESS: '100' });
    const stale = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c3RhbGU';
    const statuses = [];
    for (let index = 0; index < 4; index += 1) statuses.push((await t.embedGql(PAGE_QUERY, stale)).status);
    expect(statuses).toEqual([401, 401, 429, 429]);
    const limited = await t.embedGql(PAGE_QUERY, stale);
    expect(limited.headers.get('ratelimit-policy')).toBe('"auth-failures-credential";q=2;w=60');
    // Another bad credential from the same address is still its own first failure.
    expect((await t.embedGql(PAGE_QUERY, `${stale}x`)).status).toBe(401);
  });
});
