import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { FaultyStore } from '../../server/src/store/faulty-store.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';
import type { RollupSource } from '../../server/src/store/port.js';
import { createPage, createSecret, ingest, mint } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Two Porthole servers over one store (one master key), as two instances behind a load balancer
 * (both use the first's API key: the second finds the workspace already bootstrapped): a new
 * page's rollups are built once however many instances render it first; an erasure on one
 * instance is gone from the other's freshness cache at once; usage adds up.
 */

let store: FaultyStore;
let one: TestServer;
let two: TestServer;

beforeAll(async () => {
  store = new FaultyStore(new MemoryStore());
  const masterKey = new Uint8Array(randomBytes(32));
  one = await startTestServer({ store, masterKey });
  two = await startTestServer({ store, masterKey });
  await createSecret(one);
});
afterAll(async () => {
  await two.server.close();
  await one.close();
});

const OWNERS = ['ada', 'grace', 'alan'];
const calls = (count: number, dataset: string) =>
  Array.from({ length: count }, (_, index) => ({
    id: `${dataset}-${index}`,
    owner: OWNERS[index % 3],
    at: new Date(Date.UTC(2026, 9, 1) + index * 2_777_000).toISOString(),
    channel: ['phone', 'chat'][index % 2],
    minutes: (index * 13) % 47,
  }));

const pageOn = (dataset: string, freshnessSeconds = 0) => ({
  title: `Calls in ${dataset}`,
  freshnessSeconds,
  widgets: [
    { title: 'Calls', kind: 'NUMBER', query: { dataset, metric: { fn: 'COUNT' } } },
    { title: 'Minutes', kind: 'NUMBER', query: { dataset, metric: { fn: 'SUM', field: 'minutes' } } },
    { title: 'By owner', kind: 'BAR', query: { dataset, groupBy: 'owner', metric: { fn: 'COUNT' } } },
    { title: 'Per day', kind: 'LINE', query: { dataset, bucket: 'DAY', metric: { fn: 'SUM', field: 'minutes' } } },
  ],
});

type Rendered = { page: { widgets: Array<{ data: { rows: unknown[][] } }> } };
async function render(t: TestServer, token: string): Promise<unknown[][][]> {
  const response = await t.embedGql<Rendered>('{ page { widgets { data { rows } } } }', token);
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.page.widgets.map((widget) => widget.data.rows);
}

/** What the page must show for these records, computed here from the records themselves. */
function expected(records: ReturnType<typeof calls>): unknown[][][] {
  const byOwner = new Map<string, number>();
  const byDay = new Map<string, number>();
  for (const record of records) {
    byOwner.set(record.owner!, (byOwner.get(record.owner!) ?? 0) + 1);
    const day = `${record.at.slice(0, 10)}T00:00:00.000Z`;
    byDay.set(day, (byDay.get(day) ?? 0) + record.minutes);
  }
  const days = [...byDay.keys()].sort();
  const filled: unknown[][] = [];
  for (let at = Date.parse(days[0]!); at <= Date.parse(days[days.length - 1]!); at += 86_400_000) {
    const day = new Date(at).toISOString();
    filled.push([day, byDay.get(day) ?? 0]);
  }
  return [
    [[records.length]],
    [[records.reduce((sum, record) => sum + record.minutes, 0)]],
    [...byOwner].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([owner, count]) => [owner, count]),
    filled,
  ];
}

describe('two instances on one store', () => {
  test("simultaneous first renders of a new page on both instances build its rollups once, and both answer the records' numbers", async () => {
    const records = calls(240, 'first');
    await ingest(one, 'first', records);
    // Builds scan slowly, so the two instances' first renders overlap them.
    store.intercept = async (call, args) => {
      if (call === 'rollupRecords' && (args[0] as RollupSource).ids === null) await new Promise((resolve) => setTimeout(resolve, 40));
    };
    const buildsBefore = one.server.services.rollups.builds + two.server.services.rollups.builds;
    const pageId = await createPage(one, pageOn('first'));
    const { token } = await mint(one, { pageId, audience: 'PUBLIC' });
    const renders = await Promise.all([render(one, token), render(two, token), render(two, token), render(one, token)]);
    for (const rows of renders) expect(rows).toEqual(expected(records));
    await Promise.all([one.server.services.rollups.idle(), two.server.services.rollups.idle()]);
    store.intercept = null;
    const specs = await store.rollupSpecs.find({ workspaceId: (await store.workspaces.findOne({ slug: 'acme' }))!._id, dataset: 'first' });
    expect(specs.every((spec) => spec.status === 'ready')).toBe(true);
    expect(one.server.services.rollups.builds + two.server.services.rollups.builds - buildsBefore).toBe(specs.length);
    const answeredBefore = two.server.services.rollups.answered;
    expect(await render(two, token)).toEqual(expected(records));
    expect(two.server.services.rollups.answered - answeredBefore).toBe(4);
  });

  test("an erasure on one instance is gone at once from the other's freshness cache", async () => {
    const records = calls(90, 'fresh');
    await ingest(one, 'fresh', records);
    const pageId = await createPage(one, pageOn('fresh', 3600));
    await Promise.all([one.server.services.rollups.idle(), two.server.services.rollups.idle()]);
    const { token } = await mint(one, { pageId, audience: 'PUBLIC' });
    // Both instances now hold the page for an hour.
    expect(await render(one, token)).toEqual(expected(records));
    expect(await render(two, token)).toEqual(expected(records));
    const erased = await two.rest('DELETE', '/api/platform/v1/datasets/fresh/records?owner=grace', undefined, { 'x-api-key': one.apiKey });
    expect(erased).toMatchObject({ status: 200, body: { deleted: 30 } });
    const left = records.filter((record) => record.owner !== 'grace');
    expect(await render(one, token)).toEqual(expected(left));
    expect(await render(two, token)).toEqual(expected(left));
  });

  test("usage from both instances adds up, and lastUsedAt is the latest load's", async () => {
    await ingest(one, 'usage', calls(9, 'usage'));
    const pageId = await createPage(one, pageOn('usage'));
    const minted = await mint(one, { pageId, audience: 'PUBLIC' });
    await render(two, minted.token);
    await render(two, minted.token);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const lastLoad = Date.now();
    await render(one, minted.token);
    // The instance that saw the latest load flushes first.
    await one.server.services.usage.flush();
    await two.server.services.usage.flush();
    const listed = await one.rest('GET', `/api/platform/v1/pages/${pageId}/embeds`, undefined, { 'x-api-key': one.apiKey });
    const embed = (listed.body['embeds'] as Array<{ id: string; load_count: number; last_used_at: string }>).find((one) => one.id === minted.id)!;
    expect(embed.load_count).toBe(3);
    expect(Date.parse(embed.last_used_at)).toBeGreaterThanOrEqual(lastLoad);
  });
});
