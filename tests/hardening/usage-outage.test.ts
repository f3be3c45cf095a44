import { FaultyStore } from '../../server/src/store/faulty-store.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';
import { CALLS, CALLS_PAGE, createPage, createSecret, ingest, mint, PAGE_QUERY } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Embed load counts and last-used times are written in batches. A batch that meets a store
 * outage is kept and written by a later flush: no load is lost, none is counted twice.
 */

let t: TestServer;
let store: FaultyStore;
let pageId: string;
let embedToken: string;
let secretId: string;

beforeAll(async () => {
  store = new FaultyStore(new MemoryStore());
  t = await startTestServer({ store });
  await ingest(t, 'calls', CALLS);
  pageId = await createPage(t, CALLS_PAGE);
  secretId = (await createSecret(t)).id;
  embedToken = (await mint(t, { pageId, audience: 'PUBLIC' })).token;
});
afterAll(async () => {
  store.recover();
  await t.close();
});

async function usage(): Promise<{ loadCount: number; lastUsedAt: string | null; secretLastUsedAt: string | null }> {
  const response = await t.gql<{
    pageEmbeds: Array<{ loadCount: number; lastUsedAt: string | null }>;
    signingSecrets: Array<{ id: string; lastUsedAt: string | null }>;
  }>('query($pageId: ID!) { pageEmbeds(pageId: $pageId) { loadCount lastUsedAt } signingSecrets { id lastUsedAt } }', { pageId });
  const [embed] = response.body.data!.pageEmbeds;
  return {
    loadCount: embed!.loadCount,
    lastUsedAt: embed!.lastUsedAt,
    secretLastUsedAt: response.body.data!.signingSecrets.find((secret) => secret.id === secretId)!.lastUsedAt,
  };
}

test('loads counted before an outage are written after it, with the ones counted since', async () => {
  for (let index = 0; index < 3; index += 1) expect((await t.embedGql(PAGE_QUERY, embedToken)).status).toBe(200);

  store.breakDown();
  await t.server.services.usage.flush();
  expect(store.refused).toBeGreaterThan(0);
  expect(t.server.services.usage.pendingLoads).toBe(3);
  // A second flush during the same outage keeps them too.
  await t.server.services.usage.flush();
  expect(t.server.services.usage.pendingLoads).toBe(3);
  store.recover();

  for (let index = 0; index < 2; index += 1) expect((await t.embedGql(PAGE_QUERY, embedToken)).status).toBe(200);
  await t.server.services.usage.flush();
  expect(t.server.services.usage.pendingLoads).toBe(0);
  const after = await usage();
  expect(after.loadCount).toBe(5);
  expect(after.lastUsedAt).not.toBeNull();
  expect(after.secretLastUsedAt).not.toBeNull();

  // Flushing again writes nothing more: nothing was counted twice.
  await t.server.services.usage.flush();
  expect((await usage()).loadCount).toBe(5);
});

test('a load during an outage that fails to render is not counted; the outage loses nothing counted before it', async () => {
  const before = (await usage()).loadCount;
  expect((await t.embedGql(PAGE_QUERY, embedToken)).status).toBe(200);
  store.breakDown();
  expect((await t.embedGql(PAGE_QUERY, embedToken)).status).toBe(503);
  await t.server.services.usage.flush();
  store.recover();
  await t.server.services.usage.flush();
  expect((await usage()).loadCount).toBe(before + 1);
});
