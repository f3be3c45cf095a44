import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createPrincipal } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Record ids are per owner: the stored id derives from (workspace, dataset, owner, id), so an
 * ingest's `{ inserted, duplicates }` says nothing about another owner's records, and nobody can
 * claim ids ahead of a partner's records for other owners. A retry for the same owner is still a
 * duplicate, records stored before per-owner ids included.
 */

let t: TestServer;
let adaOnly: string;

beforeAll(async () => {
  t = await startTestServer();
  adaOnly = (await createPrincipal(t, { name: 'Ada desk', dataAccess: { all: false, owners: ['ada'] } })).apiKey;
});
afterAll(() => t.close());

async function ingest(dataset: string, records: Array<Record<string, unknown>>, apiKey = t.apiKey) {
  const response = await t.rest('POST', `/api/platform/v1/datasets/${dataset}/records`, records, { 'x-api-key': apiKey });
  expect(response.status).toBe(200);
  return response.body;
}

const call = (id: string, owner: string) => ({ id, owner, at: '2026-11-01T10:00:00Z', minutes: 3 });

describe('record ids are per owner', () => {
  test("a member limited to one owner learns nothing about another owner's ids", async () => {
    await ingest('probe', [call('x-1', 'grace'), call('x-2', 'grace')]);
    // The same ids for ada: new records, exactly as if grace had none.
    expect(await ingest('probe', [call('x-1', 'ada'), call('x-2', 'ada'), call('x-3', 'ada')], adaOnly)).toEqual({ inserted: 3, duplicates: 0 });
  });

  test("ids claimed in advance for one owner do not drop a partner's records for another", async () => {
    expect(await ingest('claims', [call('p-1', 'ada'), call('p-2', 'ada')], adaOnly)).toEqual({ inserted: 2, duplicates: 0 });
    expect(await ingest('claims', [call('p-1', 'grace'), call('p-2', 'grace'), call('p-1', 'alan')])).toEqual({ inserted: 3, duplicates: 0 });
  });

  test('a retried call is counted per owner: every record of it a duplicate, each once', async () => {
    const batch = [call('r-1', 'ada'), call('r-1', 'grace'), call('r-2', 'grace'), call('r-2', 'grace')];
    expect(await ingest('retries', batch)).toEqual({ inserted: 3, duplicates: 1 });
    expect(await ingest('retries', batch)).toEqual({ inserted: 0, duplicates: 4 });
  });

  test('a record stored before ids were per owner is still a duplicate when sent again for its owner, and only for it', async () => {
    const workspaceId = (await t.store.workspaces.findOne({ slug: 'acme' }))!._id;
    const legacyId = createHash('sha256').update(`${workspaceId}\u0000legacy\u0000old-1`).digest('hex').slice(0, 40);
    await t.store.records.insertOne({
      _id: legacyId,
      workspaceId,
      dataset: 'legacy',
      owner: 'ada',
      at: new Date('2026-10-01T00:00:00Z'),
      data: { id: 'old-1' },
    });
    expect(await ingest('legacy', [call('old-1', 'ada')])).toEqual({ inserted: 0, duplicates: 1 });
    expect(await ingest('legacy', [call('old-1', 'grace')])).toEqual({ inserted: 1, duplicates: 0 });
    expect(await t.store.records.count({ workspaceId, dataset: 'legacy' })).toBe(2);
  });
});
