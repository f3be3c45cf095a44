import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { newId } from '../../server/src/crypto/random.js';
import { createPage, createSecret, ingest, mint } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * A viewer's own `timezone` argument, different from the page's zone, stays on the rollup path
 * (15-minute cells serve every zone whose offset is a whole number of quarter hours), over real
 * HTTP through the embed endpoint, and shows what the records show: the same page rendered while
 * a write is marked on its dataset (so every widget reads the records) is compared with it.
 */

let t: TestServer;
let token: string;
let workspaceId: string;

/** Sums of doubles differ by the order they are added in (rollups add per cell, then per bucket): a few ulps. */
const RELATIVE_TOLERANCE = 1e-9;

const WIDGETS = [
  { title: 'Minutes', kind: 'NUMBER', query: { dataset: 'visits', metric: { fn: 'SUM', field: 'minutes' } } },
  { title: 'Average by channel', kind: 'BAR', query: { dataset: 'visits', groupBy: 'channel', metric: { fn: 'AVG', field: 'minutes' } } },
  { title: 'Per day', kind: 'LINE', query: { dataset: 'visits', bucket: 'DAY', seriesBy: 'channel', metric: { fn: 'SUM', field: 'minutes' } } },
  { title: 'Per hour', kind: 'LINE', query: { dataset: 'visits', bucket: 'HOUR', metric: { fn: 'COUNT' } } },
  { title: 'Per week', kind: 'BAR', query: { dataset: 'visits', bucket: 'WEEK', metric: { fn: 'MAX', field: 'minutes' } } },
];

const ZONES = ['Asia/Kathmandu', 'Asia/Kolkata', 'Pacific/Chatham', 'Pacific/Marquesas', 'America/St_Johns', 'America/New_York', 'Australia/Lord_Howe'];

type Rendered = { timezone: string; widgets: Array<{ title: string; data: { columns: string[]; rows: unknown[][] } }> };

async function render(timezone: string, preset: string): Promise<Rendered> {
  const response = await t.embedGql<{ page: Rendered }>(
    `{ page(timezone: "${timezone}", range: { preset: ${preset} }) { timezone widgets { title data { columns rows } } } }`,
    token,
  );
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.page;
}

function close(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'number' && typeof expected === 'number')
    return Math.abs(actual - expected) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(actual), Math.abs(expected));
  if (Array.isArray(actual) && Array.isArray(expected)) return actual.length === expected.length && actual.every((item, index) => close(item, expected[index]));
  if (actual && expected && typeof actual === 'object' && typeof expected === 'object')
    return Object.keys(expected).every((key) => close((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key]));
  return Object.is(actual, expected);
}

beforeAll(async () => {
  t = await startTestServer();
  await createSecret(t);
  const start = Date.now() - 40 * 86_400_000;
  // Arbitrary decimals at arbitrary seconds over the last 40 days: many fall in the quarter hours a zone's days begin on.
  const visits = Array.from({ length: 600 }, (_, index) => ({
    owner: `cust-${index % 4}`,
    at: new Date(start + ((index * 7_919_731) % (40 * 86_400_000))).toISOString(),
    channel: ['phone', 'chat', 'email'][index % 3],
    minutes: Number((((index * 37) % 1000) / 7.3 + 0.001 * index).toPrecision(7)),
  }));
  await ingest(t, 'visits', visits);
  const pageId = await createPage(t, { title: 'Visits', timezone: 'UTC', dateRange: { default: 'LAST_30_DAYS' }, widgets: WIDGETS });
  token = (await mint(t, { pageId, audience: 'PUBLIC' })).token;
  workspaceId = (await t.store.pages.findOne({ _id: pageId }))!.workspaceId;
  await t.server.services.rollups.idle();
});

afterAll(async () => {
  await t?.close();
});

describe("a viewer's own zone", () => {
  test.each(ZONES)('%s on a UTC page, over the last 7 and 30 days and all time, is answered from the rollups, equal to the records', async (zone) => {
    const rollups = t.server.services.rollups;
    for (const range of ['LAST_7_DAYS', 'LAST_30_DAYS', 'ALL_TIME']) {
      const before = { answered: rollups.answered, fellBack: rollups.fellBack };
      const fromRollups = await render(zone, range);
      expect(fromRollups.timezone).toBe(zone);
      expect({ zone, range, answered: rollups.answered - before.answered, fellBack: rollups.fellBack - before.fellBack }).toEqual({
        zone,
        range,
        answered: WIDGETS.length,
        fellBack: 0,
      });

      // A write marked on the dataset sends every widget to the records (docs/numbers.md): the same render, from the records.
      const mark = { _id: newId(), workspaceId, dataset: 'visits', kind: 'ingest' as const, createdAt: new Date(), expiresAt: new Date(Date.now() + 60_000) };
      await t.store.rollupMarks.insertOne(mark);
      const marked = { answered: rollups.answered, fellBack: rollups.fellBack };
      const fromRecords = await render(zone, range);
      await t.store.rollupMarks.deleteOne({ _id: mark._id });
      expect({ answered: rollups.answered - marked.answered, fellBack: rollups.fellBack - marked.fellBack }).toEqual({ answered: 0, fellBack: WIDGETS.length });

      expect(fromRecords.widgets.some((widget) => widget.data.rows.length > 0)).toBe(true);
      for (const [index, widget] of fromRollups.widgets.entries()) {
        const expected = fromRecords.widgets[index]!;
        expect({ zone, range, widget: widget.title, close: close(widget.data, expected.data), data: widget.data }).toEqual({
          zone,
          range,
          widget: widget.title,
          close: true,
          data: widget.data,
        });
      }
    }
  });
});
