import { Writable } from 'node:stream';
import { createLogger } from '../../server/src/logger.js';
import { CALLS, CALLS_PAGE, createPage, createSecret, createUser, ingest, mint, PAGE_QUERY, DASHBOARD_QUERY } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Logs are structured JSON with a request id, and no credential ever reaches them: not in
 * headers, not in query strings, not in bodies, not on failures.
 */

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const lines = () => t.logs.flatMap((chunk) => chunk.split('\n').filter(Boolean)).map((line) => JSON.parse(line) as Record<string, unknown>);

test('no token, key or cookie reaches the log, whatever route it travels and however the request ends', async () => {
  await ingest(t, 'calls', CALLS);
  const pageId = await createPage(t, CALLS_PAGE);
  await createSecret(t);
  const minted = await mint(t, { pageId, audience: 'PUBLIC' });
  const user = await createUser(t, 'logged-user');
  const session = await t.rest('POST', '/api/validate-embed-token', {
    embed_token: user.embedToken,
  });
  const authToken = String(session.body['auth_token']);
  const cookie = `porthole_console=${'c'.repeat(43)}`;
  const base = t.ipUrl;

  // Successful and failing uses of every credential, on every surface that takes one.
  await t.embedGql(PAGE_QUERY, minted.token);
  await t.embedGql(PAGE_QUERY, `${minted.token}x`);
  await t.embedGql(DASHBOARD_QUERY, authToken);
  await t.embedGql('{ dashboard { pages { nope } } }', authToken);
  await fetch(`${base}/embed-page/acme/${pageId}?t=${minted.token}`);
  await fetch(`${base}/embed-page/acme/${pageId}?t=${minted.token}x&other=1`);
  await fetch(`${base}/dashboard.html?token=${user.embedToken}`);
  await fetch(`${base}/dashboard.html?token=${user.embedToken}x`);
  await t.gql('mutation($token: String!) { validateEmbedToken(embedToken: $token) { authToken } }', { token: user.embedToken }, { apiKey: null });
  await t.gql('mutation($token: String!) { validateEmbedToken(embedToken: $token) { authToken } }', { token: `${user.embedToken}x` }, { apiKey: null });
  await t.gql(`{ viewer { id } }`, {}, { headers: { cookie } });
  await t.gql(`{ viewer { id } }`, {}, { apiKey: `${t.apiKey}x` });
  await t.gql(`{ viewr { id } }`);
  await t.rest('POST', '/api/validate-embed-token', {
    embed_token: `${user.embedToken}x`,
  });
  await t.rest('GET', `/api/v1/users/${user.id}/embed-token`, undefined, {
    'x-api-key': t.apiKey,
    cookie,
  });
  // Bodies that fail to parse, carrying a token: they are refused without being echoed or logged.
  await fetch(`${base}/api/validate-embed-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: `{"embed_token": "${user.embedToken}"`,
  });
  await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': t.apiKey },
    body: `{"query": "${minted.token}`,
  });

  const log = t.logs.join('');
  expect(log.length).toBeGreaterThan(0);
  const secrets = {
    'page embed token': minted.token,
    'page embed token signature': minted.token.split('.')[2]!,
    'embed token': user.embedToken,
    'embed token signature': user.embedToken.split('.')[2]!,
    'auth token': authToken,
    'auth token signature': authToken.split('.')[2]!,
    'API key': t.apiKey,
    'other API key': t.otherApiKey,
    'cookie value': 'c'.repeat(43),
  };
  for (const [name, secret] of Object.entries(secrets)) expect([name, log.includes(secret)]).toEqual([name, false]);
});

test('every request is logged once, as JSON, with a request id, method, path without query, status and time', async () => {
  const before = t.logs.length;
  const response = await fetch(`${t.ipUrl}/healthz?t=some-token-value`);
  const requestId = response.headers.get('x-request-id');
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  const entries = lines()
    .slice(0)
    .filter((entry) => entry['requestId'] === requestId);
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({
    msg: 'request',
    method: 'GET',
    path: '/healthz',
    status: 200,
    service: 'porthole',
    level: 30,
  });
  expect(typeof entries[0]!['ms']).toBe('number');
  expect(t.logs.slice(before).join('')).not.toContain('some-token-value');
});

test('the logger redacts credentials wherever a caller logs them', () => {
  const written: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write: (chunk, _encoding, done) => void (written.push(String(chunk)), done()),
    }),
  );
  logger.info(
    {
      req: {
        headers: {
          authorization: 'Bearer abc.def.ghi',
          'x-api-key': 'key-1',
          cookie: 'porthole_session=s1',
        },
        query: { t: 'tok-1', token: 'tok-2' },
      },
      headers: { authorization: 'Bearer jkl', cookie: 'c2' },
      res: { headers: { 'set-cookie': 'porthole_session=s2' } },
      query: { t: 'tok-3', token: 'tok-4' },
      body: { embed_token: 'tok-5', auth_token: 'tok-6' },
      err: { message: 'bad json', body: '{"embed_token":"tok-7"' },
    },
    'probe',
  );
  const text = written.join('');
  for (const secret of ['abc.def.ghi', 'key-1', 's1', 'jkl', 'c2', 's2', 'tok-1', 'tok-2', 'tok-3', 'tok-4', 'tok-5', 'tok-6', 'tok-7']) {
    expect([secret, text.includes(secret)]).toEqual([secret, false]);
  }
  expect(text).toContain('[redacted]');
  expect(text).toContain('bad json');
});
