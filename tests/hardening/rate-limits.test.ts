import { CALLS, CALLS_PAGE, createPage, createSecret, createUser, ingest, mint, PAGE_QUERY } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Rate limits: token exchange per client address and per token, renders per viewer and per
 * token, and /graphql per API key, counted per operation in the store's counters. Over the limit:
 * 429 with Retry-After, RateLimit and RateLimit-Policy.
 */

const EXCHANGE = 'mutation($token: String!) { validateEmbedToken(embedToken: $token) { authToken } }';
const EXCHANGE_TWICE =
  'mutation($token: String!) { a: validateEmbedToken(embedToken: $token) { authToken } b: validateEmbedToken(embedToken: $token) { authToken } }';

function expectLimited(response: { status: number; headers: Headers }, policy: string, quota: number) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(response.headers.get('ratelimit-policy')).toBe(`"${policy}";q=${quota};w=60`);
  expect(response.headers.get('ratelimit')).toBe(`"${policy}";r=0;t=${retryAfter}`);
}

describe('token exchange per embed token', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      env: { PORTHOLE_RATE_EXCHANGE_PER_TOKEN: '3' },
    });
  });
  afterAll(() => t.close());

  test('is counted per operation, not per request: aliases count one each', async () => {
    const { embedToken } = await createUser(t, 'per-token');
    const first = await t.gql(EXCHANGE_TWICE, { token: embedToken }, { apiKey: null });
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    const second = await t.gql(EXCHANGE_TWICE, { token: embedToken }, { apiKey: null });
    expectLimited(second, 'exchange-token', 3);
    expect(second.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(second.body.errors?.[0]?.message).toMatch(/Too many requests.*Retry in \d+ s/);
  });

  test('is one count across REST and GraphQL', async () => {
    const { embedToken } = await createUser(t, 'shared-count');
    expect((await t.gql(EXCHANGE_TWICE, { token: embedToken }, { apiKey: null })).status).toBe(200);
    expect(
      (
        await t.rest('POST', '/api/validate-embed-token', {
          embed_token: embedToken,
        })
      ).status,
    ).toBe(200);
    const limited = await t.rest('POST', '/api/validate-embed-token', {
      embed_token: embedToken,
    });
    expectLimited(limited, 'exchange-token', 3);
    expect(limited.body).toEqual({
      error: {
        code: 'RATE_LIMITED',
        message: expect.stringMatching(/Too many requests/),
      },
    });
  });

  test('leaves other tokens alone', async () => {
    const { embedToken } = await createUser(t, 'untouched');
    expect(
      (
        await t.rest('POST', '/api/validate-embed-token', {
          embed_token: embedToken,
        })
      ).status,
    ).toBe(200);
  });

  test('keeps digests in the counters, never a token', async () => {
    const counters = await t.store.counters.find({});
    expect(counters.length).toBeGreaterThan(0);
    const { embedToken } = await createUser(t, 'digest-check');
    await t.rest('POST', '/api/validate-embed-token', {
      embed_token: embedToken,
    });
    for (const counter of await t.store.counters.find({})) {
      expect(counter._id).toMatch(/^rl:[a-z-]+:\d+:[A-Za-z0-9_-]{32}$/);
      expect(JSON.stringify(counter)).not.toContain(embedToken.split('.')[2]!);
    }
  });
});

describe('token exchange per client address', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      env: { PORTHOLE_RATE_EXCHANGE_PER_ADDRESS: '4' },
    });
  });
  afterAll(() => t.close());

  test('counts every exchange from one address, whichever token and route, and refuses past the limit', async () => {
    const tokens = await Promise.all(['a1', 'a2', 'a3', 'a4', 'a5'].map(async (id) => (await createUser(t, id)).embedToken));
    expect(
      (
        await t.rest('POST', '/api/validate-embed-token', {
          embed_token: tokens[0],
        })
      ).status,
    ).toBe(200);
    expect((await t.gql(EXCHANGE, { token: tokens[1] }, { apiKey: null })).status).toBe(200);
    expect(
      (
        await t.rest('POST', '/api/validate-embed-token', {
          embed_token: tokens[2],
        })
      ).status,
    ).toBe(200);
    expect((await t.gql(EXCHANGE, { token: tokens[3] }, { apiKey: null })).status).toBe(200);
    expectLimited(
      await t.rest('POST', '/api/validate-embed-token', {
        embed_token: tokens[4],
      }),
      'exchange-address',
      4,
    );
    expectLimited(await t.gql(EXCHANGE, { token: tokens[4] }, { apiKey: null }), 'exchange-address', 4);
  });

  test('refuses a forged token by address as well, before any verification', async () => {
    const response = await t.rest('POST', '/api/validate-embed-token', {
      embed_token: 'forged.token.value',
    });
    expectLimited(response, 'exchange-address', 4);
  });
});

describe('embed renders', () => {
  let t: TestServer;
  let token: string;
  beforeAll(async () => {
    t = await startTestServer({ env: { PORTHOLE_RATE_RENDER_PER_VIEWER: '2', PORTHOLE_RATE_RENDER_PER_TOKEN: '3', PORTHOLE_TRUST_PROXY: 'true' } });
    await ingest(t, 'calls', CALLS);
    const pageId = await createPage(t, CALLS_PAGE);
    await createSecret(t);
    token = (await mint(t, { pageId, audience: 'PUBLIC' })).token;
  });
  afterAll(() => t.close());

  const from = (address: string) => ({ 'x-forwarded-for': address });

  test('one viewer (token and address) is refused past its share; the token past its ceiling from every address', async () => {
    expect((await t.embedGql(PAGE_QUERY, token, from('198.51.100.1'))).status).toBe(200);
    expect((await t.embedGql(PAGE_QUERY, token, from('198.51.100.1'))).status).toBe(200);
    const viewer = await t.embedGql(PAGE_QUERY, token, from('198.51.100.1'));
    expectLimited(viewer, 'render-viewer', 2);
    expect(viewer.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(viewer.body.data ?? null).toBeNull();
    expect((await t.embedGql(PAGE_QUERY, token, from('198.51.100.2'))).status).toBe(200);
    expectLimited(await t.embedGql(PAGE_QUERY, token, from('198.51.100.3')), 'render-token', 3);
  });

  test('another token of the same page renders', async () => {
    const pages = await t.gql<{ pages: Array<{ id: string }> }>('{ pages { id } }');
    const other = await mint(t, {
      pageId: pages.body.data!.pages[0]!.id,
      audience: 'PUBLIC',
    });
    expect((await t.embedGql(PAGE_QUERY, other.token)).status).toBe(200);
  });

  test('a bad credential still gets the one canonical 401, never a render 429', async () => {
    const response = await t.embedGql(PAGE_QUERY, 'not.a.token');
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('EMBED_UNAVAILABLE');
  });
});

describe('/graphql per API key', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { PORTHOLE_RATE_API_PER_KEY: '5' } });
  });
  afterAll(() => t.close());

  test('each operation counts once for its API key; another key keeps its own count', async () => {
    for (let index = 0; index < 5; index += 1) expect((await t.gql('{ viewer { id } }')).status).toBe(200);
    const refused = await t.gql('{ viewer { id } }');
    expectLimited(refused, 'api-key', 5);
    expect(refused.body).toEqual({
      errors: [
        {
          message: expect.stringMatching(/Too many requests/),
          extensions: { code: 'RATE_LIMITED' },
        },
      ],
    });
    expect((await t.gql('{ viewer { id } }', {}, { apiKey: t.otherApiKey })).status).toBe(200);
  });

  test('requests without a key are not counted against any key', async () => {
    expect((await t.gql('{ __typename }', {}, { apiKey: null })).status).toBe(200);
  });
});

describe('console sign-in per client address', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { PORTHOLE_RATE_SIGN_IN_PER_ADDRESS: '3' } });
  });
  afterAll(() => t.close());

  test('limits API-key guesses per address, good keys included once the limit is reached', async () => {
    for (const apiKey of ['guess-one-guess-one-guess', 'guess-two-guess-two-guess']) {
      expect((await t.rest('POST', '/console/session', { apiKey })).status).toBe(401);
    }
    expect((await t.rest('POST', '/console/session', { apiKey: t.apiKey })).status).toBe(201);
    const limited = await t.rest('POST', '/console/session', { apiKey: t.apiKey });
    expectLimited(limited, 'sign-in-address', 3);
    expect(limited.headers.get('set-cookie')).toBeNull();
  });
});
