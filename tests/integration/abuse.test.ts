import { CALLS, CALLS_PAGE, createPage, createSecret, createUser, ingest, mint, PAGE_QUERY } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Each attack from issue 10, tried over HTTP as an attacker would, and the refusal it now gets.
 * Client addresses are set with X-Forwarded-For on a server that trusts its proxy.
 */

const from = (address: string) => ({ 'x-forwarded-for': address });
const PROXIED = { PORTHOLE_TRUST_PROXY: 'true' };

function expect429(response: { status: number; headers: Headers }, policy: string) {
  expect(response.status).toBe(429);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(response.headers.get('ratelimit-policy')).toMatch(new RegExp(`^"${policy}";q=\\d+;w=60$`));
}

const wideTable = (index: number, limit: number) => ({
  title: `Table ${index}`,
  kind: 'TABLE',
  query: { dataset: 'wide', select: Array.from({ length: 20 }, (_, field) => `f${field}`), limit },
});

describe('render amplification', () => {
  let t: TestServer;
  let token: string;
  beforeAll(async () => {
    t = await startTestServer();
    await ingest(t, 'calls', CALLS);
    // A dataset with twenty fields, so that wide tables name fields the catalog knows.
    await ingest(t, 'wide', [Object.fromEntries(Array.from({ length: 20 }, (_, field) => [`f${field}`, field]))]);
    await createSecret(t);
    token = (await mint(t, { pageId: await createPage(t, CALLS_PAGE), audience: 'PUBLIC' })).token;
  });
  afterAll(() => t.close());

  const CREATE = 'mutation($input: CreatePageInput!) { createPage(input: $input) { id } }';

  test('a page of 24 twenty-field tables at limit 1000 is refused at save, naming the widget that breaks the cell budget', async () => {
    const response = await t.gql(CREATE, { input: { title: 'Amplifier', widgets: Array.from({ length: 24 }, (_, index) => wideTable(index, 1000)) } });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // 20 000 cells each: the third one crosses 50 000.
    expect(response.body.errors?.[0]?.message).toMatch(/^widgets\[2\] \("Table 2"\) brings the page to 60000 cells.*at most 50000/);
    expect((await t.gql('{ pages { title } }')).body.data).toEqual({ pages: [{ title: 'Calls' }] });
  });

  test('the same refusal on updatePage, and a page just inside the budget saves', async () => {
    const pageId = await createPage(t, { title: 'Inside', widgets: [wideTable(0, 1000), wideTable(1, 1000), wideTable(2, 500)] });
    const update = await t.gql('mutation($id: ID!, $input: UpdatePageInput!) { updatePage(id: $id, input: $input) { id } }', {
      id: pageId,
      input: { widgets: [wideTable(0, 1000), wideTable(1, 1000), wideTable(2, 501)] },
    });
    expect(update.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(update.body.errors?.[0]?.message).toMatch(/^widgets\[2\] \("Table 2"\) brings the page to 50020 cells/);
  });

  test('a 25th widget is refused', async () => {
    const widgets = Array.from({ length: 25 }, (_, index) => ({ title: `N${index}`, kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } }));
    const response = await t.gql(CREATE, { input: { title: 'Too many', widgets } });
    expect(response.body.errors?.[0]).toMatchObject({ message: 'A page holds at most 24 widgets.', extensions: { code: 'BAD_USER_INPUT' } });
  });

  test('five aliased pages in one request are refused with 400 before anything renders', async () => {
    const before = t.server.services.renderer.rendersRequested;
    const response = await t.embedGql('{ a: page { id } b: page { id } c: page { id } d: page { id } e: page { id } }', token);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.body.errors?.[0]?.message).toMatch(/one root field per request; this operation asks for 5/);
    expect(response.body.data).toBeUndefined();
    expect(t.server.services.renderer.rendersRequested).toBe(before);
  });

  test('two root fields hidden in fragments are refused too; one page with __typename renders', async () => {
    const hidden = await t.embedGql('{ ...A ... on EmbedQuery { again: page { id } } } fragment A on EmbedQuery { page { id } }', token);
    expect(hidden.status).toBe(400);
    const one = await t.embedGql('{ __typename page { id } }', token);
    expect(one.status).toBe(200);
    expect(one.body.errors).toBeUndefined();
  });

  test('a mutation or a subscription on the embed endpoint answers 400, not 200 with an internal error', async () => {
    for (const document of ['mutation { page { id } }', 'subscription { page { id } }']) {
      const response = await t.embedGql(document, token);
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(response.body.errors?.[0]?.message).toMatch(/answers queries only/);
    }
  });
});

describe('one viewer cannot lock out every viewer of a public embed', () => {
  let t: TestServer;
  let token: string;
  beforeAll(async () => {
    t = await startTestServer({ env: { ...PROXIED, PORTHOLE_RATE_RENDER_PER_VIEWER: '5' } });
    await ingest(t, 'calls', CALLS);
    await createSecret(t);
    token = (await mint(t, { pageId: await createPage(t, CALLS_PAGE), audience: 'PUBLIC' })).token;
  });
  afterAll(() => t.close());

  test('one address exhausts its renders; a second address still renders the same public embed', async () => {
    for (let index = 0; index < 5; index += 1) expect((await t.embedGql(PAGE_QUERY, token, from('203.0.113.7'))).status).toBe(200);
    const flooded = await t.embedGql(PAGE_QUERY, token, from('203.0.113.7'));
    expect429(flooded, 'render-viewer');
    expect(flooded.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const other = await t.embedGql(PAGE_QUERY, token, from('198.51.100.20'));
    expect(other.status).toBe(200);
    expect((other.body.data as { page: { widgets: unknown[] } }).page.widgets).toHaveLength(5);
  });
});

describe('unlimited guessing', () => {
  let t: TestServer;
  let pageId: string;
  beforeAll(async () => {
    t = await startTestServer({ env: { ...PROXIED, PORTHOLE_RATE_AUTH_FAILURES_PER_ADDRESS: '5', PORTHOLE_RATE_API_PER_KEY: '6' } });
    await ingest(t, 'calls', CALLS);
    await createSecret(t);
    pageId = await createPage(t, CALLS_PAGE);
  });
  afterAll(() => t.close());

  test('bad API keys on /graphql reach 429; past the limit the right key is still served from that address', async () => {
    const attacker = from('192.0.2.1');
    for (let index = 0; index < 5; index += 1) {
      const guess = await t.gql('{ viewer { id } }', {}, { apiKey: `ph_guess_${index}_aaaaaaaaaaaaaaaaaaaa`, headers: attacker });
      expect(guess.status).toBe(200);
      expect(guess.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const limited = await t.gql('{ viewer { id } }', {}, { apiKey: 'ph_guess_5_aaaaaaaaaaaaaaaaaaaa', headers: attacker });
    expect429(limited, 'auth-failures-address');
    expect(limited.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // A failing key stays refused; the right one (an office behind the same NAT address) is served.
    expect429(await t.gql('{ viewer { id } }', {}, { apiKey: 'ph_guess_6_aaaaaaaaaaaaaaaaaaaa', headers: attacker }), 'auth-failures-address');
    const right = await t.gql('{ viewer { id } }', {}, { headers: attacker });
    expect(right.status).toBe(200);
    expect(right.body.errors).toBeUndefined();
    expect((await t.gql('{ viewer { id } }', {}, { headers: from('192.0.2.2') })).status).toBe(200);
  });

  test('bad API keys on REST count too, and are refused past the limit', async () => {
    const attacker = from('192.0.2.10');
    for (let index = 0; index < 5; index += 1) {
      expect((await t.rest('GET', '/api/v1/users/x/embed-token', undefined, { 'x-api-key': `ph_rest_guess_${index}`, ...attacker })).status).toBe(401);
    }
    const limited = await t.rest('GET', '/api/v1/users/x/embed-token', undefined, { 'x-api-key': 'ph_rest_guess_5', ...attacker });
    expect429(limited, 'auth-failures-address');
    expect(limited.body).toEqual({ error: { code: 'RATE_LIMITED', message: expect.stringMatching(/Too many requests/) } });
  });

  test('failures add up across surfaces: console sign-in, bearer tokens, embed pages, the dashboard page and the exchange', async () => {
    const attacker = from('192.0.2.20');
    expect((await t.rest('POST', '/console/session', { apiKey: 'ph_console_guess_aaaaaaaaaaaa' }, attacker)).status).toBe(401);
    expect((await t.embedGql(PAGE_QUERY, 'guess.guess.guess', attacker)).status).toBe(401);
    expect((await fetch(`${t.ipUrl}/embed-page/acme/${pageId}?t=guess`, { headers: attacker })).status).toBe(401);
    expect((await fetch(`${t.ipUrl}/dashboard.html?token=guess`, { headers: attacker })).status).toBe(401);
    expect((await t.rest('POST', '/api/validate-embed-token', { embed_token: 'guess' }, attacker)).status).toBe(401);

    expect429(await t.rest('POST', '/console/session', { apiKey: 'ph_console_guess_bbbbbbbbbbbb' }, attacker), 'auth-failures-address');
    // The right key still signs in from there.
    expect((await t.rest('POST', '/console/session', { apiKey: t.apiKey }, attacker)).status).toBe(201);
    expect429(await t.embedGql(PAGE_QUERY, 'guess.guess.guess', attacker), 'auth-failures-address');
    const page = await fetch(`${t.ipUrl}/embed-page/acme/${pageId}?t=guess`, { headers: attacker });
    expect429(page, 'auth-failures-address');
    expect(page.headers.get('content-security-policy')).toMatch(/(^|; )frame-ancestors \*(;|$)/);
    expect429(await fetch(`${t.ipUrl}/dashboard.html?token=guess`, { headers: attacker }), 'auth-failures-address');
    expect429(await t.rest('POST', '/api/validate-embed-token', { embed_token: 'guess' }, attacker), 'auth-failures-address');
    const exchange = await t.gql('mutation { validateEmbedToken(embedToken: "guess") { authToken } }', {}, { apiKey: null, headers: attacker });
    expect429(exchange, 'auth-failures-address');
  });

  test('6 200 bad bearer tokens do not get 6 200 tries: the sixth is already refused', async () => {
    const attacker = from('192.0.2.30');
    const statuses: number[] = [];
    for (let index = 0; index < 8; index += 1) statuses.push((await t.embedGql(PAGE_QUERY, `forged.${index}.token`, attacker)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  });

  test('REST calls with a valid key count toward its quota, shared with GraphQL', async () => {
    const { id } = await createUser(t, 'quota-user', t.otherApiKey);
    for (let index = 0; index < 2; index += 1) expect((await t.gql('{ viewer { id } }', {}, { apiKey: t.otherApiKey })).status).toBe(200);
    for (let index = 0; index < 3; index += 1) {
      expect((await t.rest('GET', `/api/v1/users/${id}/embed-token`, undefined, { 'x-api-key': t.otherApiKey })).status).toBe(200);
    }
    // createUser was the first of six operations.
    expect429(await t.rest('GET', `/api/v1/users/${id}/embed-token`, undefined, { 'x-api-key': t.otherApiKey }), 'api-key');
    expect429(await t.gql('{ viewer { id } }', {}, { apiKey: t.otherApiKey }), 'api-key');
  });
});

describe('field names that mean something to every JavaScript object', () => {
  let t: TestServer;
  let pageId: string;
  beforeAll(async () => {
    t = await startTestServer();
    await ingest(t, 'calls', CALLS);
    await createSecret(t);
    pageId = await createPage(t, CALLS_PAGE);
  });
  afterAll(() => t.close());

  const MINT = 'mutation($input: MintPageEmbedInput!) { mintPageEmbed(input: $input) { token } }';

  test.each(['__proto__', 'constructor', 'prototype'])('a rule on %s is refused at mint', async (field) => {
    const response = await t.gql(MINT, { input: { pageId, audience: 'WORKSPACE', rules: [{ field, op: 'EQ', value: 1 }] } });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0]?.message).toContain(`"${field}" is not a valid field name`);
    expect(response.body.data).toBeNull();
  });

  test('the same over REST', async () => {
    const response = await t.rest(
      'POST',
      `/api/platform/v1/pages/${pageId}/embed-token`,
      { audience: 'workspace', rules: [{ field: '__proto__', op: 'EQ', value: 1 }] },
      { 'x-api-key': t.apiKey },
    );
    expect(response.status).toBe(400);
    expect((response.body['error'] as { code: string }).code).toBe('BAD_USER_INPUT');
  });

  test.each([
    ['groupBy', { title: 'G', kind: 'BAR', query: { dataset: 'calls', groupBy: '__proto__', metric: { fn: 'COUNT' } } }],
    ['select', { title: 'S', kind: 'TABLE', query: { dataset: 'calls', select: ['owner', 'constructor'] } }],
    ['sort', { title: 'O', kind: 'TABLE', query: { dataset: 'calls', sort: { field: 'prototype' } } }],
    ['metric field', { title: 'M', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'SUM', field: '__proto__' } } }],
    ['filter', { title: 'F', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' }, filters: [{ field: '__proto__', op: 'EQ', value: 'x' }] } }],
  ])('a widget query naming a reserved field in its %s is refused at save', async (_where, widget) => {
    const response = await t.gql('mutation($input: CreatePageInput!) { createPage(input: $input) { id } }', { input: { title: 'Proto', widgets: [widget] } });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0]?.message).toMatch(/is not a valid field name/);
  });

  test('a record with a __proto__ or constructor key is refused at ingest', async () => {
    for (const records of [[JSON.parse('{"owner":"ada","__proto__":{"polluted":true}}')], [{ owner: 'ada', nested: { constructor: 1 } }]]) {
      const response = await t.gql('mutation($records: [JSONObject!]!) { ingestRecords(dataset: "calls", records: $records) { inserted } }', { records });
      expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test('a principal whose data-access rules name __proto__ is refused', async () => {
    const response = await t.gql('mutation($input: CreatePrincipalInput!) { createPrincipal(input: $input) { apiKey } }', {
      input: { name: 'Proto', kind: 'AGENT', role: 'MEMBER', dataAccess: { all: true, rules: [{ field: '__proto__', op: 'EQ', value: 1 }] } },
    });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
