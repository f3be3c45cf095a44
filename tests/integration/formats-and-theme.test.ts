import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Clock } from '../../server/src/domain/viewer.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createPage, createSecret, ingest, mint } from '../support/factories.js';

/**
 * Over real HTTP: a TABLE's per-column formats (checked when saved, kept on the widget, returned to
 * the embed, over GraphQL and REST), the theme an embed is told (token, else page, else LIGHT), and a
 * locked range that stays in the embed's own zone whatever zone the viewer sends.
 */

// Thursday 2026-11-05, 15:00 in New York (EST, UTC−5); 21:00 in Berlin.
const NOW = new Date('2026-11-05T20:00:00Z');
const clock: Clock = { now: () => new Date(NOW) };

const ORDERS = 'orders';
const table = (columnFormats: unknown, query: Record<string, unknown> = {}) => ({
  title: 'Latest orders',
  kind: 'TABLE',
  columnFormats,
  query: { dataset: ORDERS, select: ['customer', 'amount', 'minutes'], sort: { field: 'at', direction: 'DESC' }, limit: 10, ...query },
});
const MONEY = { column: 'amount', style: 'CURRENCY', currency: 'EUR' };
const TIME = { column: 'minutes', style: 'DURATION', unit: 'minute' };

const EMBED_QUERY = (args = '') =>
  `{ page${args} { timezone theme range { preset from to } widgets { title columnFormats { column style currency unit decimals } format { style } data { columns rows } } } }`;

interface Embedded {
  timezone: string;
  theme: string;
  range: { preset: string | null; from: string | null; to: string | null };
  widgets: Array<{ title: string; columnFormats: unknown; format: unknown; data: { columns: string[]; rows: unknown[][] } }>;
}

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ clock });
  await createSecret(t);
  await ingest(t, ORDERS, [
    // Yesterday in New York (Nov 4) is 05:00Z Nov 4 → 05:00Z Nov 5; in Berlin, 23:00Z Nov 3 → 23:00Z Nov 4.
    { owner: 'ada', at: '2026-11-04T02:00:00Z', customer: 'Ada', amount: 57.9, minutes: 12 },
    { owner: 'ada', at: '2026-11-04T12:00:00Z', customer: 'Grace', amount: 7500, minutes: 95 },
    { owner: 'ada', at: '2026-11-05T02:00:00Z', customer: 'Alan', amount: 13137.5, minutes: 3 },
  ]);
});
afterAll(() => t.close());

const embedded = async (token: string, args = ''): Promise<Embedded> => {
  const response = await t.embedGql<{ page: Embedded }>(EMBED_QUERY(args), token);
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.page;
};

describe('per-column formats of a TABLE', () => {
  test('are kept on the widget and returned to the embed, beside the columns they name', async () => {
    const pageId = await createPage(t, { title: 'Orders', widgets: [table([MONEY, { ...TIME, decimals: 0 }])] });
    const saved = await t.gql<{ page: { widgets: Array<{ columnFormats: unknown }> } }>(
      'query($id: ID!) { page(id: $id) { widgets { columnFormats { column style currency unit decimals } } } }',
      { id: pageId },
    );
    const expected = [
      { column: 'amount', style: 'CURRENCY', currency: 'EUR', unit: null, decimals: null },
      { column: 'minutes', style: 'DURATION', currency: null, unit: 'minute', decimals: 0 },
    ];
    expect(saved.body.data!.page.widgets[0]!.columnFormats).toEqual(expected);
    const { token } = await mint(t, { pageId, audience: 'PUBLIC' });
    const page = await embedded(token);
    expect(page.widgets[0]).toMatchObject({ columnFormats: expected, format: null, data: { columns: ['customer', 'amount', 'minutes'] } });
    expect(page.widgets[0]!.data.rows[0]).toEqual(['Alan', 13137.5, 3]);
  });

  test('may name the metric column of a grouped table', async () => {
    const pageId = await createPage(t, {
      title: 'By customer',
      widgets: [
        {
          title: 'Revenue by customer',
          kind: 'TABLE',
          columnFormats: [{ column: 'sum(amount)', style: 'CURRENCY', currency: 'JPY' }],
          query: { dataset: ORDERS, groupBy: 'customer', metric: { fn: 'SUM', field: 'amount' } },
        },
      ],
    });
    const page = await embedded((await mint(t, { pageId, audience: 'PUBLIC' })).token);
    expect(page.widgets[0]!.columnFormats).toEqual([{ column: 'sum(amount)', style: 'CURRENCY', currency: 'JPY', unit: null, decimals: null }]);
  });

  test.each([
    [
      'a column the table does not have',
      [{ column: 'price', style: 'NUMBER' }],
      /columnFormats\[0\]\.column: "price" is not a column of this widget \(customer, amount, minutes\)/,
    ],
    ['the same column twice', [MONEY, { column: 'amount', style: 'NUMBER' }], /columnFormats\[1\]\.column: "amount" has a format already/],
    ['CURRENCY without a currency', [{ column: 'amount', style: 'CURRENCY' }], /columnFormats\[0\]\.currency: CURRENCY needs an ISO 4217 code/],
    ['a currency that is not a code', [{ column: 'amount', style: 'CURRENCY', currency: 'euro' }], /columnFormats\[0\]\.currency/],
    ['decimals out of range', [{ column: 'amount', style: 'NUMBER', decimals: 9 }], /columnFormats\[0\]\.decimals must be 0–6/],
    ['a DURATION unit it cannot count', [{ column: 'minutes', style: 'DURATION', unit: 'fortnight' }], /columnFormats\[0\]\.unit: DURATION counts/],
  ])('refuse %s with BAD_USER_INPUT naming it', async (_, columnFormats, message) => {
    const response = await t.gql('mutation($input: CreatePageInput!) { createPage(input: $input) { id } }', {
      input: { title: 'Refused', widgets: [table(columnFormats)] },
    });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0]?.message).toMatch(message);
  });

  test('are refused on a widget that is not a TABLE', async () => {
    const response = await t.gql('mutation($input: CreatePageInput!) { createPage(input: $input) { id } }', {
      input: {
        title: 'Refused',
        widgets: [
          {
            title: 'Revenue',
            kind: 'NUMBER',
            columnFormats: [{ column: 'sum(amount)', style: 'NUMBER' }],
            query: { dataset: ORDERS, metric: { fn: 'SUM', field: 'amount' } },
          },
        ],
      },
    });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0]?.message).toMatch(/columnFormats are for TABLE widgets/);
  });

  test('go over REST as column_formats, and an unknown column is a 400', async () => {
    const key = { 'x-api-key': t.apiKey };
    const widget = {
      title: 'Latest orders',
      kind: 'TABLE',
      column_formats: [MONEY],
      query: { dataset: ORDERS, select: ['customer', 'amount'], sort: { field: 'at', direction: 'DESC' } },
    };
    const created = await t.rest('POST', '/api/platform/v1/pages', { title: 'REST orders', theme: 'DARK', widgets: [widget] }, key);
    expect(created.status).toBe(201);
    const page = created.body['page'] as { id: string; theme: string; widgets: Array<Record<string, unknown>> };
    expect(page.theme).toBe('DARK');
    expect(page.widgets[0]!['column_formats']).toEqual([{ column: 'amount', style: 'CURRENCY', currency: 'EUR', unit: null, decimals: null }]);
    const read = await t.rest('GET', `/api/platform/v1/pages/${page.id}`, undefined, key);
    expect((read.body['page'] as typeof page).widgets[0]!['column_formats']).toEqual(page.widgets[0]!['column_formats']);
    const refused = await t.rest(
      'PATCH',
      `/api/platform/v1/pages/${page.id}`,
      { widgets: [{ ...widget, column_formats: [{ column: 'minutes', style: 'NUMBER' }] }] },
      key,
    );
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('is not a column of this widget');
  });
});

describe('the theme an embed is told', () => {
  test('is LIGHT by default, the page’s when it names one, and the token’s above both', async () => {
    const plain = await createPage(t, { title: 'Plain', widgets: [] });
    expect((await embedded((await mint(t, { pageId: plain, audience: 'PUBLIC' })).token)).theme).toBe('LIGHT');
    const dark = await createPage(t, { title: 'Dark', theme: 'DARK', widgets: [] });
    expect((await embedded((await mint(t, { pageId: dark, audience: 'PUBLIC' })).token)).theme).toBe('DARK');
    expect((await embedded((await mint(t, { pageId: dark, audience: 'PUBLIC', theme: 'AUTO' })).token)).theme).toBe('AUTO');
    const updated = await t.gql<{ updatePage: { theme: string | null } }>('mutation($id: ID!) { updatePage(id: $id, input: { theme: null }) { theme } }', {
      id: dark,
    });
    expect(updated.body.data!.updatePage.theme).toBeNull();
    expect((await embedded((await mint(t, { pageId: dark, audience: 'PUBLIC' })).token)).theme).toBe('LIGHT');
  });

  test('is minted over REST as theme', async () => {
    const pageId = await createPage(t, { title: 'REST theme', widgets: [] });
    const minted = await t.rest('POST', `/api/platform/v1/pages/${pageId}/embed-token`, { audience: 'public', theme: 'DARK' }, { 'x-api-key': t.apiKey });
    expect(minted.status).toBe(201);
    expect((await embedded(minted.body['token'] as string)).theme).toBe('DARK');
  });
});

describe('a locked range', () => {
  let pageId: string;
  beforeAll(async () => {
    pageId = await createPage(t, {
      title: 'New York orders',
      timezone: 'America/New_York',
      dateRange: { default: 'LAST_7_DAYS', presets: ['YESTERDAY', 'LAST_7_DAYS'] },
      widgets: [{ title: 'Orders', kind: 'NUMBER', query: { dataset: ORDERS, metric: { fn: 'COUNT' } } }],
    });
  });

  test("is the token's days whatever zone the viewer sends, and the page reports that zone", async () => {
    const { token } = await mint(t, { pageId, audience: 'PUBLIC', range: { preset: 'YESTERDAY' }, timezone: 'America/New_York' });
    const berlin = await embedded(token, '(timezone: "Europe/Berlin")');
    expect(berlin.timezone).toBe('America/New_York');
    expect(berlin.range).toEqual({ preset: 'YESTERDAY', from: '2026-11-04T05:00:00.000Z', to: '2026-11-05T05:00:00.000Z' });
    // Grace (12:00Z Nov 4) and Alan (02:00Z Nov 5): New York's Nov 4. Kiritimati's Nov 4 (UTC+14) would hold Ada alone.
    const count = (page: Embedded) => page.widgets.find((w) => w.title === 'Orders')!.data.rows[0]![0];
    expect(count(berlin)).toBe(2);
    const kiritimati = await embedded(token, '(timezone: "Pacific/Kiritimati")');
    expect(kiritimati).toMatchObject({ timezone: 'America/New_York', range: berlin.range });
    expect(count(kiritimati)).toBe(2);
  });

  test('without a zone of its own is computed in the page zone', async () => {
    const { token } = await mint(t, { pageId, audience: 'PUBLIC', range: { preset: 'YESTERDAY' } });
    const page = await embedded(token, '(timezone: "Asia/Tokyo")');
    expect(page.timezone).toBe('America/New_York');
    expect(page.range.from).toBe('2026-11-04T05:00:00.000Z');
  });

  test('that the viewer may change still follows the viewer zone', async () => {
    const { token } = await mint(t, { pageId, audience: 'PUBLIC', range: { preset: 'YESTERDAY' }, viewerCanChangeRange: true });
    const page = await embedded(token, '(timezone: "Europe/Berlin")');
    expect(page.timezone).toBe('Europe/Berlin');
    expect(page.range.from).toBe('2026-11-03T23:00:00.000Z');
  });
});
