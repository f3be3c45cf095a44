import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Clock } from '../../server/src/domain/viewer.js';
import { createPage, createUser, ingest } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * A user dashboard's range pickers, over real HTTP: each dashboard page takes its own range
 * (`ranges`, one per picker), the host page's `range` reaches every page that offers it, and a
 * page that cannot take a range keeps its own without refusing the others.
 */

// Thursday 2026-11-05, 15:00 in New York.
const NOW = new Date('2026-11-05T20:00:00Z');
const clock: Clock = { now: () => new Date(NOW) };

interface Page {
  id: string;
  title: string;
  rangeLocked: boolean;
  presets: string[];
  range: { preset: string | null; from: string | null; to: string | null };
  widgets: Array<{ data: { rows: unknown[][] } }>;
}

const FIELDS = 'id title rangeLocked presets range { preset from to } widgets { data { rows } }';
const EXCHANGE = 'mutation($t: String!) { validateEmbedToken(embedToken: $t) { authToken } }';

let t: TestServer;
let authToken: string;
let ranged: string;
let narrow: string;
let plain: string;

/** The dashboard with these arguments, as `{ title: [preset, count] }`, or the error code. */
async function dashboard(args: string): Promise<Record<string, [string | null, unknown]> | string> {
  const response = await t.embedGql<{ dashboard: { pages: Page[] } }>(`{ dashboard${args ? `(${args})` : ''} { pages { ${FIELDS} } } }`, authToken);
  if (response.body.errors) return response.body.errors[0]!.extensions!.code!;
  return Object.fromEntries(response.body.data!.dashboard.pages.map((page) => [page.title, [page.range.preset, page.widgets[0]!.data.rows[0]![0]]]));
}

beforeAll(async () => {
  t = await startTestServer({ clock });
  await ingest(t, 'calls', [
    // ada's calls: today, 3 days ago, 20 days ago and last year; someone else's today.
    { owner: 'ada', at: '2026-11-05T14:00:00Z', minutes: 1 },
    { owner: 'ada', at: '2026-11-02T14:00:00Z', minutes: 2 },
    { owner: 'ada', at: '2026-10-16T14:00:00Z', minutes: 3 },
    { owner: 'ada', at: '2025-06-01T14:00:00Z', minutes: 4 },
    { owner: 'grace', at: '2026-11-05T15:00:00Z', minutes: 5 },
  ]);
  const widgets = [{ title: 'Calls', kind: 'NUMBER', query: { dataset: 'calls', metric: { fn: 'COUNT' } } }];
  const common = { dashboard: true, timezone: 'America/New_York', widgets };
  ranged = await createPage(t, {
    ...common,
    title: 'Ranged',
    dateRange: { default: 'LAST_30_DAYS', presets: ['TODAY', 'LAST_7_DAYS', 'LAST_30_DAYS', 'ALL_TIME'] },
  });
  narrow = await createPage(t, { ...common, title: 'Narrow', dateRange: { default: 'LAST_7_DAYS', presets: ['TODAY', 'LAST_7_DAYS'], maxDays: 7 } });
  plain = await createPage(t, { ...common, title: 'Plain' });
  const user = await createUser(t, 'ada');
  const exchanged = await t.gql<{ validateEmbedToken: { authToken: string } }>(EXCHANGE, { t: user.embedToken }, { apiKey: null });
  authToken = exchanged.body.data!.validateEmbedToken.authToken;
}, 30_000);

afterAll(async () => {
  await t?.close();
});

describe('a user dashboard with range pickers', () => {
  test('each page starts in its own default range, and a page without a dateRange shows all time with no picker', async () => {
    expect(await dashboard('')).toEqual({ Ranged: ['LAST_30_DAYS', 3], Narrow: ['LAST_7_DAYS', 2], Plain: ['ALL_TIME', 4] });
    const response = await t.embedGql<{ dashboard: { pages: Page[] } }>(`{ dashboard { pages { ${FIELDS} } } }`, authToken);
    const byTitle = Object.fromEntries(response.body.data!.dashboard.pages.map((page) => [page.title, page]));
    expect([byTitle['Ranged']!.rangeLocked, byTitle['Ranged']!.presets]).toEqual([false, ['TODAY', 'LAST_7_DAYS', 'LAST_30_DAYS', 'ALL_TIME']]);
    expect([byTitle['Plain']!.rangeLocked, byTitle['Plain']!.presets, byTitle['Plain']!.range.from]).toEqual([true, [], null]);
  });

  test("one page's picker changes that page only", async () => {
    expect(await dashboard(`ranges: [{ pageId: "${ranged}", range: { preset: TODAY } }]`)).toEqual({
      Ranged: ['TODAY', 1],
      Narrow: ['LAST_7_DAYS', 2],
      Plain: ['ALL_TIME', 4],
    });
    expect(await dashboard(`ranges: [{ pageId: "${narrow}", range: { preset: TODAY } }, { pageId: "${ranged}", range: { preset: ALL_TIME } }]`)).toEqual({
      Ranged: ['ALL_TIME', 4],
      Narrow: ['TODAY', 1],
      Plain: ['ALL_TIME', 4],
    });
  });

  test("the host page's range reaches every page that offers it; the others keep their own", async () => {
    expect(await dashboard('range: { preset: TODAY }')).toEqual({ Ranged: ['TODAY', 1], Narrow: ['TODAY', 1], Plain: ['ALL_TIME', 4] });
    // Narrow offers no ALL_TIME, and a 30-day custom range is over its maxDays: it keeps its default.
    expect(await dashboard('range: { preset: ALL_TIME }')).toEqual({ Ranged: ['ALL_TIME', 4], Narrow: ['LAST_7_DAYS', 2], Plain: ['ALL_TIME', 4] });
    const custom = await dashboard('range: { from: "2026-10-10T04:00:00Z", to: "2026-11-09T05:00:00Z" }');
    expect(custom).toEqual({ Ranged: [null, 3], Narrow: ['LAST_7_DAYS', 2], Plain: ['ALL_TIME', 4] });
    // A page's own range wins over the host's there.
    expect(await dashboard(`range: { preset: TODAY }, ranges: [{ pageId: "${ranged}", range: { preset: LAST_7_DAYS } }]`)).toEqual({
      Ranged: ['LAST_7_DAYS', 2],
      Narrow: ['TODAY', 1],
      Plain: ['ALL_TIME', 4],
    });
  });

  test('a range for a page that takes none, or for a page not on the dashboard, changes nothing', async () => {
    expect(await dashboard(`ranges: [{ pageId: "${plain}", range: { preset: TODAY } }, { pageId: "elsewhere", range: { preset: TODAY } }]`)).toEqual({
      Ranged: ['LAST_30_DAYS', 3],
      Narrow: ['LAST_7_DAYS', 2],
      Plain: ['ALL_TIME', 4],
    });
  });

  test("a range never shows another user's records, and malformed or too many ranges are BAD_USER_INPUT", async () => {
    // grace's call today is not ada's.
    expect(await dashboard(`ranges: [{ pageId: "${ranged}", range: { preset: TODAY } }]`)).toMatchObject({ Ranged: ['TODAY', 1] });
    expect(await dashboard(`ranges: [{ pageId: "${ranged}", range: { preset: TODAY, from: "2026-11-01T00:00:00Z" } }]`)).toBe('BAD_USER_INPUT');
    // Sent as variables, as the embed client sends them (a document that long is over the endpoint's token limit).
    const response = await fetch(`${t.url}/embed/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${authToken}` },
      body: JSON.stringify({
        query: `query($ranges: [PageRangeInput!]) { dashboard(ranges: $ranges) { pages { id } } }`,
        variables: { ranges: Array.from({ length: 51 }, () => ({ pageId: ranged, range: { preset: 'TODAY' } })) },
      }),
    });
    const body = (await response.json()) as { data: unknown; errors?: Array<{ extensions: { code: string } }> };
    expect([body.data, body.errors?.[0]?.extensions.code]).toEqual([null, 'BAD_USER_INPUT']);
  });
});
