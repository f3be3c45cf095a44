import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The catalog says when data last arrived (issue 23.8): `lastIngestedAt` is the time of the last
 * ingest that stored a record, beside `lastRecordAt`, the newest record's own time.
 */

let t: TestServer;
let now = new Date('2026-12-07T09:00:00Z');
const DATASET = 'query($name: String!) { dataset(name: $name) { recordCount lastRecordAt lastIngestedAt } }';

async function ingest(records: Array<Record<string, unknown>>): Promise<number> {
  const response = await t.gql<{ ingestRecords: { inserted: number } }>(
    'mutation($records: [JSONObject!]!) { ingestRecords(dataset: "meters", records: $records) { inserted } }',
    { records },
  );
  if (!response.body.data) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data.ingestRecords.inserted;
}

const catalog = async () => (await t.gql<{ dataset: Record<string, unknown> }>(DATASET, { name: 'meters' })).body.data!.dataset;

beforeAll(async () => {
  t = await startTestServer({ clock: { now: () => now } });
});
afterAll(async () => {
  await t.close();
});

describe('Dataset.lastIngestedAt', () => {
  test('is when an ingest last stored a record, whatever the records’ own times; a retry that stores nothing leaves it', async () => {
    // A backfill of last year's readings arrives today.
    expect(await ingest([{ id: 'r1', owner: 'ada', at: '2025-03-01T00:00:00Z', kwh: 3 }])).toBe(1);
    expect(await catalog()).toEqual({ recordCount: 1, lastRecordAt: '2025-03-01T00:00:00.000Z', lastIngestedAt: '2026-12-07T09:00:00.000Z' });

    // The same record sent again an hour later (a retry) stores nothing: data did not arrive.
    now = new Date('2026-12-07T10:00:00Z');
    expect(await ingest([{ id: 'r1', owner: 'ada', at: '2025-03-01T00:00:00Z', kwh: 3 }])).toBe(0);
    expect((await catalog())['lastIngestedAt']).toBe('2026-12-07T09:00:00.000Z');

    // An older reading stored later moves the arrival time but not the newest record's time.
    now = new Date('2026-12-07T11:30:00Z');
    expect(await ingest([{ id: 'r0', owner: 'ada', at: '2024-01-01T00:00:00Z', kwh: 1 }])).toBe(1);
    expect(await catalog()).toEqual({ recordCount: 2, lastRecordAt: '2025-03-01T00:00:00.000Z', lastIngestedAt: '2026-12-07T11:30:00.000Z' });
  });
});
