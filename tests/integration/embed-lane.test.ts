import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DASHBOARD_QUERY as CLIENT_DASHBOARD_QUERY, PAGE_QUERY as CLIENT_PAGE_QUERY } from '../../client/src/api/queries.js';
import { StoreUnavailableError } from '../../server/src/errors.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';
import { CALLS, CALLS_PAGE, createPage, createSecret, createUser, DASHBOARD_QUERY, ingest, mint, PAGE_QUERY } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The embed endpoint's fast lane (server/src/graphql/embed-lane.ts) must answer exactly as
 * Apollo's pipeline does. Two servers share one store, one master key and one clock; one has
 * the lane, the other does not. Every request below goes to both, and the answers must be
 * identical: status, every header in order (Date's and X-Request-Id's values aside), and body bytes. The
 * lane must also have served the requests it is for, so that the comparison is not vacuous.
 */

interface Answer {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

/** One raw request, answered with its headers exactly as sent (names as spelled, order kept). */
function send(base: string, headers: Record<string, string>, body: string | Buffer, method = 'POST'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${base}/embed/graphql`, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const raw = response.rawHeaders;
        const pairs: Array<[string, string]> = [];
        for (let index = 0; index < raw.length; index += 2) {
          const name = raw[index]!;
          // Both differ by request, not by path: their place is compared, not their value.
          pairs.push([name, /^(date|x-request-id)$/i.test(name) ? '…' : raw[index + 1]!]);
        }
        resolve({ status: response.statusCode ?? 0, headers: pairs, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };

let lane: TestServer;
let apollo: TestServer;
const store = new MemoryStore();
let upsertFails = false;
let pageToken: string;
let authToken: string;

beforeAll(async () => {
  const masterKey = new Uint8Array(randomBytes(32));
  const at = new Date();
  const clock = { now: () => new Date(at) };
  const env = { PORTHOLE_RATE_AUTH_FAILURES_PER_ADDRESS: '1000' };
  lane = await startTestServer({ store, masterKey, clock, env });
  apollo = await startTestServer({ store, masterKey, clock, env, embedLane: false });
  await ingest(lane, 'calls', CALLS);
  const pageId = await createPage(lane, CALLS_PAGE);
  await createSecret(lane);
  pageToken = (await mint(lane, { pageId, audience: 'PUBLIC' })).token;
  const user = await createUser(lane, 'cust-1');
  const exchanged = await lane.gql<{ validateEmbedToken: { authToken: string } }>(
    'mutation($t: String!) { validateEmbedToken(embedToken: $t) { authToken } }',
    { t: user.embedToken },
    { apiKey: null },
  );
  authToken = exchanged.body.data!.validateEmbedToken.authToken;
  // A store that fails rate-limit counting on demand: an outage in the middle of a render.
  const counters = store.counters;
  const upsert = counters.upsertIncrement.bind(counters);
  counters.upsertIncrement = async (...args) => {
    if (upsertFails) throw new StoreUnavailableError(new Error('injected'));
    return upsert(...args);
  };
});
afterAll(async () => {
  await lane.close();
  await apollo.close();
});

/** Sends one request to both servers (the Apollo one first) and demands identical answers. */
async function both(headers: Record<string, string>, body: string | Buffer): Promise<Answer> {
  const expected = await send(apollo.ipUrl, headers, body);
  const actual = await send(lane.ipUrl, headers, body);
  expect(actual).toEqual(expected);
  return actual;
}

const bearer = (token: string) => ({ ...JSON_TYPE, authorization: `Bearer ${token}` });
const query = (text: string, extra: Record<string, unknown> = {}) => JSON.stringify({ query: text, ...extra });

/** Sends a document to the lane's server once, so that its Apollo pipeline accepts (and the lane learns) it. */
async function teach(text: string, extra: Record<string, unknown> = {}): Promise<void> {
  await send(lane.ipUrl, bearer(pageToken), query(text, extra));
}

describe('the lane answers as Apollo does', () => {
  test('renders of known documents: the test query, the client’s own page and dashboard queries with variables', async () => {
    await teach(PAGE_QUERY);
    await teach(CLIENT_PAGE_QUERY, { variables: { range: null, timezone: null } });
    await send(lane.ipUrl, bearer(authToken), query(CLIENT_DASHBOARD_QUERY, { variables: { timezone: null } }));
    await send(lane.ipUrl, bearer(authToken), query(DASHBOARD_QUERY));
    const before = lane.server.embedLane.served;
    const page = await both(bearer(pageToken), query(PAGE_QUERY));
    expect(page.status).toBe(200);
    expect(JSON.parse(page.body).data.page.widgets.length).toBeGreaterThan(0);
    await both(bearer(pageToken), query(CLIENT_PAGE_QUERY, { variables: { range: null, timezone: 'Asia/Kolkata' } }));
    await both(bearer(pageToken), query(CLIENT_PAGE_QUERY, { variables: { range: { preset: 'LAST_7_DAYS' }, timezone: 'America/New_York' } }));
    await both(bearer(pageToken), query(CLIENT_PAGE_QUERY, { variables: { timezone: 'Europe/Paris' }, operationName: null }));
    await both(bearer(authToken), query(CLIENT_DASHBOARD_QUERY, { variables: { timezone: 'UTC' } }));
    await both(bearer(authToken), query(DASHBOARD_QUERY));
    await both({ ...bearer(pageToken), 'content-type': 'application/json; charset=utf-8' }, query(PAGE_QUERY));
    await both({ ...bearer(pageToken), accept: '*/*' }, query(PAGE_QUERY));
    await both(bearer(pageToken), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(query(PAGE_QUERY))]));
    await both(bearer(pageToken), `  \n${query(PAGE_QUERY)}\n`);
    expect(lane.server.embedLane.served - before).toBe(10);
    expect(apollo.server.embedLane.served).toBe(0);
  });

  test('documents with fragments, aliases, __typename and @skip/@include on variables', async () => {
    const text =
      'query View($brief: Boolean!, $zone: String) { __typename shown: page(timezone: $zone) { ...Head widgets { __typename key: id kind data @skip(if: $brief) { rows columns } title @include(if: $brief) } } } fragment Head on EmbeddedPage { __typename name: title id description }';
    await teach(text, { variables: { brief: true }, operationName: 'View' });
    const before = lane.server.embedLane.served;
    for (const variables of [{ brief: true }, { brief: false, zone: 'Asia/Kolkata' }, { brief: false, zone: null }]) {
      const answer = await both(bearer(pageToken), query(text, { variables, operationName: 'View' }));
      expect(answer.status).toBe(200);
    }
    // A missing required variable does not coerce: Apollo answers it, through the lane's server too.
    await both(bearer(pageToken), query(text, { variables: {}, operationName: 'View' }));
    expect(lane.server.embedLane.served - before).toBe(3);
  });

  test('errors raised while rendering: an unknown zone, a refused range, the wrong credential for the field, a rate limit, an outage', async () => {
    await teach(CLIENT_PAGE_QUERY, { variables: {} });
    await teach(DASHBOARD_QUERY);
    const before = lane.server.embedLane.served;
    // An unknown zone is ignored (the page's own is used); a range on a page with a fixed one is refused.
    await both(bearer(pageToken), query(CLIENT_PAGE_QUERY, { variables: { timezone: 'Not/AZone' } }));
    const range = await both(
      bearer(pageToken),
      query(CLIENT_PAGE_QUERY, { variables: { range: { from: '2026-01-01T00:00:00Z', to: '2025-01-01T00:00:00Z' } } }),
    );
    expect(range.body).toContain('BAD_USER_INPUT');
    // A page token asking for the dashboard, a session asking for a page: the one refusal.
    expect((await both(bearer(pageToken), query(DASHBOARD_QUERY))).status).toBe(401);
    expect((await both(bearer(authToken), query(PAGE_QUERY))).status).toBe(401);
    upsertFails = true;
    try {
      const outage = await both(bearer(pageToken), query(PAGE_QUERY));
      expect(outage.status).toBe(503);
    } finally {
      upsertFails = false;
    }
    expect(lane.server.embedLane.served - before).toBe(5);
  });

  test('a rate-limited render: 429 with the same RateLimit fields from either', async () => {
    const at = new Date();
    const limited = await startTestServer({ store: new MemoryStore(), clock: { now: () => new Date(at) }, env: { PORTHOLE_RATE_RENDER_PER_VIEWER: '2' } });
    try {
      const pageId = await createPage(limited, CALLS_PAGE);
      await createSecret(limited);
      const token = (await mint(limited, { pageId, audience: 'PUBLIC' })).token;
      const answers: Answer[] = [];
      for (let index = 0; index < 4; index += 1) answers.push(await send(limited.ipUrl, bearer(token), query(PAGE_QUERY)));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 429, 429]);
      // The first went through Apollo (and taught the lane the document); the lane served the rest.
      expect(limited.server.embedLane.served).toBe(3);
      // The same document with a space more is new to the lane: Apollo answers it.
      const fromApollo = await send(limited.ipUrl, bearer(token), query(`${PAGE_QUERY} `));
      expect(limited.server.embedLane.served).toBe(3);
      expect(answers[3]).toEqual(fromApollo);
      expect(fromApollo.headers.map(([name]) => name.toLowerCase())).toEqual(expect.arrayContaining(['retry-after', 'ratelimit-policy', 'ratelimit']));
    } finally {
      await limited.close();
    }
  });

  test('the lane counts a viewer by the address Express would see: X-Forwarded-For behind a trusted proxy', async () => {
    const proxied = await startTestServer({ store: new MemoryStore(), env: { PORTHOLE_TRUST_PROXY: 'true', PORTHOLE_RATE_RENDER_PER_VIEWER: '1' } });
    try {
      const pageId = await createPage(proxied, CALLS_PAGE);
      await createSecret(proxied);
      const token = (await mint(proxied, { pageId, audience: 'PUBLIC' })).token;
      const from = (address: string) => send(proxied.ipUrl, { ...bearer(token), 'x-forwarded-for': address }, query(PAGE_QUERY));
      // Through Apollo (the document is new), then through the lane: one render per address.
      expect((await from('203.0.113.1')).status).toBe(200);
      expect((await from('203.0.113.1')).status).toBe(429);
      expect((await from('203.0.113.2')).status).toBe(200);
      expect((await from('203.0.113.2')).status).toBe(429);
      expect(proxied.server.embedLane.served).toBe(3);
    } finally {
      await proxied.close();
    }
  });

  test('refused credentials, before and after the document is known', async () => {
    await teach(PAGE_QUERY);
    for (const headers of [JSON_TYPE, bearer('garbage'), bearer(`${pageToken}x`), { ...JSON_TYPE, authorization: 'Basic abc' }]) {
      const answer = await both(headers, query(PAGE_QUERY));
      expect(answer.status).toBe(401);
    }
  });

  test('what the lane leaves to Apollo: other bodies, types, encodings and documents', async () => {
    const before = lane.server.embedLane.served;
    const cases: Array<[Record<string, string>, string]> = [
      [bearer(pageToken), '{"query": '],
      [bearer(pageToken), 'null'],
      [bearer(pageToken), '"a string"'],
      [bearer(pageToken), ''],
      [bearer(pageToken), '{}'],
      [bearer(pageToken), '[]'],
      [bearer(pageToken), JSON.stringify([{ query: PAGE_QUERY }])],
      [bearer(pageToken), query(PAGE_QUERY, { extensions: {} })],
      [bearer(pageToken), query(PAGE_QUERY, { extensions: { persistedQuery: { version: 1, sha256Hash: 'x' } } })],
      [bearer(pageToken), query(PAGE_QUERY, { variables: 'not an object' })],
      [bearer(pageToken), query(PAGE_QUERY, { variables: [] })],
      [bearer(pageToken), query(PAGE_QUERY, { operationName: 5 })],
      [bearer(pageToken), query(PAGE_QUERY, { operationName: 'Missing' })],
      [bearer(pageToken), query(PAGE_QUERY, { unknown: true })],
      [bearer(pageToken), JSON.stringify({ query: 5 })],
      [bearer(pageToken), query(CLIENT_PAGE_QUERY, { variables: { timezone: 5 } })],
      [bearer(pageToken), query(CLIENT_PAGE_QUERY, { variables: { range: { preset: 'NOT_A_PRESET' } } })],
      [bearer(pageToken), query('{ __typename }')],
      [bearer(pageToken), query('{ page { nope } }')],
      [bearer(pageToken), query('{ a: page { id } b: page { id } }')],
      [bearer(pageToken), query('query A { page { id } } query B { page { title } }')],
      [bearer(pageToken), query('{ page { id ')],
      [{ ...bearer(pageToken), 'content-type': 'text/plain' }, query(PAGE_QUERY)],
      [{ ...bearer(pageToken), 'content-type': 'application/json; charset=latin1' }, query(PAGE_QUERY)],
      [{ ...bearer(pageToken), 'content-type': 'application/graphql+json' }, query(PAGE_QUERY)],
      [{ ...bearer(pageToken), accept: 'application/graphql-response+json' }, query(PAGE_QUERY)],
      [{ ...bearer(pageToken), accept: 'text/html' }, query(PAGE_QUERY)],
      [bearer(pageToken), JSON.stringify({ query: 'x'.repeat(5000) })],
      [bearer(pageToken), JSON.stringify({ query: PAGE_QUERY, padding: 'x'.repeat(70 * 1024) })],
    ];
    for (const [headers, body] of cases) await both(headers, body);
    // The multi-operation document, named: Apollo accepts it once, then the lane serves it.
    await both(bearer(pageToken), query('query A { page { id } } query B { page { title } }', { operationName: 'B' }));
    const named = await both(bearer(pageToken), query('query A { page { id } } query B { page { title } }', { operationName: 'B' }));
    expect(JSON.parse(named.body).data.page.title).toBeDefined();
    // Of all these, the lane served only that last one (the one before taught it the document).
    expect(lane.server.embedLane.served - before).toBe(1);
  });

  test('the lane logs its requests as Express does, under the id it answered with', async () => {
    await teach(PAGE_QUERY);
    const before = lane.server.embedLane.served;
    const response = await fetch(`${lane.ipUrl}/embed/graphql`, { method: 'POST', headers: bearer(pageToken), body: query(PAGE_QUERY) });
    await response.text();
    expect(lane.server.embedLane.served - before).toBe(1);
    const requestId = response.headers.get('x-request-id');
    const line = lane.logs
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry['requestId'] === requestId && entry['msg'] === 'request');
    expect(line).toMatchObject({ method: 'POST', path: '/embed/graphql', status: 200, ms: expect.any(Number) });
    expect(lane.logs.join('\n')).not.toContain(pageToken);
  });

  test('a body over the limit, chunked or declared, and a GET', async () => {
    const big = JSON.stringify({ query: PAGE_QUERY, padding: 'x'.repeat(70 * 1024) });
    await both({ ...bearer(pageToken), 'content-length': String(Buffer.byteLength(big)) }, big);
    await both({ ...bearer(pageToken), 'transfer-encoding': 'chunked' }, query(PAGE_QUERY));
    const get = async (base: string) => send(base, { authorization: `Bearer ${pageToken}` }, '', 'GET');
    expect(await get(lane.ipUrl)).toEqual(await get(apollo.ipUrl));
  });
});
