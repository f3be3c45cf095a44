import { Agent, request } from 'node:http';
import { FaultyStore } from '../../server/src/store/faulty-store.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';
import { CALLS, CALLS_PAGE, createPage, createSecret, ingest, mint, PAGE_QUERY } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Many viewers, one query: concurrent renders of one page at one scope share one in-flight
 * set of store queries; a page's `freshnessSeconds` lets a busy public embed serve a result
 * at most that old; load counts are written in batches, not once per view.
 */

let t: TestServer;
let store: FaultyStore;

beforeAll(async () => {
  store = new FaultyStore(new MemoryStore());
  // A thousand viewers here all come from 127.0.0.1: the per-viewer render limit is set out of reach.
  t = await startTestServer({ store, env: { PORTHOLE_RATE_RENDER_PER_VIEWER: '100000' } });
  await ingest(t, 'calls', CALLS);
  await createSecret(t);
});
afterAll(async () => {
  store.releaseAggregations();
  await t.close();
});

/** A four-widget page, as in the benchmark. */
const PAGE = { ...CALLS_PAGE, widgets: CALLS_PAGE.widgets.slice(0, 4) };
const WIDGETS = PAGE.widgets.length;

async function publicEmbed(freshnessSeconds: number): Promise<{ pageId: string; token: string; embedId: string }> {
  const pageId = await createPage(t, { ...PAGE, freshnessSeconds });
  const minted = await mint(t, { pageId, audience: 'PUBLIC' });
  return { pageId, token: minted.token, embedId: minted.id };
}

/** POSTs the page query for each of `count` viewers at once, each on its own connection, and collects status and body. */
function viewers(count: number, token: string): Array<Promise<{ status: number; body: string }>> {
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const body = JSON.stringify({ query: PAGE_QUERY });
  return Array.from({ length: count }, () => {
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const outgoing = request(
        `${t.ipUrl}/embed/graphql`,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
    // Awaited later, all together; a failure meanwhile must not count as unhandled.
    answer.catch(() => undefined);
    return answer;
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

test('1 000 concurrent viewers of one public embed share one render: fewer than 5 store queries', async () => {
  const { token } = await publicEmbed(0);
  const renderer = t.server.services.renderer;
  const queriesBefore = renderer.queriesIssued;
  const rendersBefore = renderer.rendersRequested;
  // The store holds the first render's queries in flight, as a database does with a slow
  // query, until every viewer has asked for the page.
  store.holdAggregations();
  const answers = viewers(1000, token);
  await until(() => renderer.rendersRequested - rendersBefore === 1000);
  store.releaseAggregations();
  const results = await Promise.all(answers);

  expect(renderer.queriesIssued - queriesBefore).toBe(WIDGETS);
  expect(renderer.queriesIssued - queriesBefore).toBeLessThan(5);
  expect(results.every((result) => result.status === 200)).toBe(true);
  expect(new Set(results.map((result) => result.body)).size).toBe(1);
  expect(JSON.parse(results[0]!.body).data.page.widgets[0].data.rows).toEqual([[CALLS.length]]);
});

test('a page that is always live (freshnessSeconds 0) queries again for the next viewer, and shows new data at once', async () => {
  const { token } = await publicEmbed(0);
  const renderer = t.server.services.renderer;
  const before = renderer.queriesIssued;
  await t.embedGql(PAGE_QUERY, token);
  await ingest(t, 'calls', [{ owner: 'ada', at: '2026-11-05T10:00:00Z', channel: 'phone', minutes: 3 }]);
  const after = await t.embedGql<{
    page: { widgets: Array<{ data: { rows: unknown[][] } }> };
  }>(PAGE_QUERY, token);
  expect(renderer.queriesIssued - before).toBe(2 * WIDGETS);
  expect(after.body.data?.page.widgets[0]?.data.rows).toEqual([[CALLS.length + 1]]);
});

test('a busy public embed with freshnessSeconds serves one render to every viewer within that window', async () => {
  const { token } = await publicEmbed(60);
  const renderer = t.server.services.renderer;
  const before = renderer.queriesIssued;
  const results = await Promise.all(viewers(1000, token));
  expect(results.every((result) => result.status === 200)).toBe(true);
  expect(renderer.queriesIssued - before).toBe(WIDGETS);
});

test('viewers at different scopes never share a render', async () => {
  const pageId = await createPage(t, { ...PAGE, freshnessSeconds: 60 });
  const everyone = await mint(t, { pageId, audience: 'PUBLIC' });
  const adaOnly = await mint(t, {
    pageId,
    audience: 'PUBLIC',
    rules: [{ field: 'owner', op: 'EQ', value: 'ada' }],
  });
  type Counted = { page: { widgets: Array<{ data: { rows: unknown[][] } }> } };
  const [all, ada] = await Promise.all([t.embedGql<Counted>(PAGE_QUERY, everyone.token), t.embedGql<Counted>(PAGE_QUERY, adaOnly.token)]);
  expect(all.body.data?.page.widgets[0]?.data.rows[0]![0]).toBeGreaterThan(ada.body.data?.page.widgets[0]?.data.rows[0]![0] as number);
  expect(ada.body.data?.page.widgets[0]?.data.rows).toEqual([[CALLS.filter((call) => call.owner === 'ada').length + 1]]);
});

test('load counts are batched: 50 views, no write until the flush, then one count of 50', async () => {
  const { token, embedId } = await publicEmbed(0);
  const usage = t.server.services.usage;
  // Its periodic flush is paused, so that the count written is exactly the batch.
  await usage.stop();
  try {
    for (let index = 0; index < 50; index += 1) expect((await t.embedGql(PAGE_QUERY, token)).status).toBe(200);
    expect((await t.store.pageEmbeds.findOne({ _id: embedId }))?.loadCount).toBe(0);
    await usage.flush();
    const embed = await t.store.pageEmbeds.findOne({ _id: embedId });
    expect(embed?.loadCount).toBe(50);
    expect(embed?.lastUsedAt).toBeInstanceOf(Date);
  } finally {
    usage.start();
  }
});
