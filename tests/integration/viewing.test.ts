import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Clock } from '../../server/src/domain/viewer.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { asViewer, createPage, createSecret, ingest, mint, viewerToken } from '../support/factories.js';

/**
 * What a viewer sees, over real HTTP: buckets cut in the effective time zone (viewer, token, page),
 * gaps filled, date ranges the viewer may change but never widen, and a token that locks its range.
 */

// Thursday 2026-11-05, 15:00 in New York (EST, UTC−5).
const NOW = new Date('2026-11-05T20:00:00Z');
const clock: Clock = { now: () => new Date(NOW) };

const RANGE_FIELDS = 'timezone weekStart locale rangeLocked presets maxDays range { preset from to }';
const pageQuery = (args = '', fields = '') =>
  `{ page${args ? `(${args})` : ''} { ${RANGE_FIELDS} ${fields} widgets { title label format { style currency decimals } seriesBy bucket data { columns rows } } } }`;

interface Page {
  timezone: string;
  weekStart: string;
  locale: string | null;
  rangeLocked: boolean;
  presets: string[];
  maxDays: number | null;
  range: { preset: string | null; from: string | null; to: string | null };
  widgets: Array<{ title: string; label: string | null; format: unknown; seriesBy: string | null; data: { columns: string[]; rows: unknown[][] } }>;
}

const widget = (page: Page, title: string) => page.widgets.find((w) => w.title === title)!.data;

describe('viewing a page embed', () => {
  let t: TestServer;
  let pageId: string;
  let rangedPageId: string;
  /** The admin, signed in: every embed here is a WORKSPACE one it minted, and opens only for a signed-in viewer. */
  let signedIn: Record<string, string>;

  beforeAll(async () => {
    t = await startTestServer({ clock });
    await createSecret(t);
    signedIn = asViewer(await viewerToken(t));
    await ingest(t, 'calls', [
      // Around New York midnight of Oct 31 → Nov 1 (EDT, UTC−4): 03:30Z is still Oct 31 there.
      { owner: 'ada', at: '2026-10-31T03:59:00Z', channel: 'phone', minutes: 1 },
      { owner: 'ada', at: '2026-11-01T03:30:00Z', channel: 'phone', minutes: 2 },
      { owner: 'ada', at: '2026-11-01T04:00:00Z', channel: 'chat', minutes: 3 },
      // The 25-hour New York day of Nov 1: both 1:30 a.m.s (EDT, then EST) and 23:59 EST.
      { owner: 'grace', at: '2026-11-01T05:30:00Z', channel: 'phone', minutes: 4 },
      { owner: 'grace', at: '2026-11-01T06:30:00Z', channel: 'email', minutes: 5 },
      { owner: 'grace', at: '2026-11-02T04:59:00Z', channel: 'phone', minutes: 6 },
      // Nothing on Nov 2 or 3 in New York, then Nov 4 and today, Nov 5.
      { owner: 'alan', at: '2026-11-04T15:00:00Z', channel: 'chat', minutes: 7 },
      { owner: 'alan', at: '2026-11-05T14:00:00Z', channel: 'phone', minutes: 8 },
      // Earlier this year, for the longer presets.
      { owner: 'ada', at: '2026-10-10T12:00:00Z', channel: 'phone', minutes: 9 },
      { owner: 'ada', at: '2026-08-20T12:00:00Z', channel: 'phone', minutes: 10 },
      { owner: 'ada', at: '2025-12-31T12:00:00Z', channel: 'phone', minutes: 11 },
    ]);
    const widgets = [
      { title: 'Calls', kind: 'NUMBER', label: 'Calls', query: { dataset: 'calls', metric: { fn: 'COUNT' } } },
      { title: 'Per day', kind: 'LINE', query: { dataset: 'calls', bucket: 'DAY', metric: { fn: 'COUNT' } } },
      { title: 'Avg per day', kind: 'LINE', query: { dataset: 'calls', bucket: 'DAY', metric: { fn: 'AVG', field: 'minutes' } } },
      { title: 'By channel per day', kind: 'BAR', query: { dataset: 'calls', bucket: 'DAY', seriesBy: 'channel', metric: { fn: 'COUNT' } } },
      {
        title: 'Spend',
        kind: 'NUMBER',
        format: { style: 'CURRENCY', currency: 'EUR', decimals: 2 },
        query: { dataset: 'calls', metric: { fn: 'SUM', field: 'minutes' } },
      },
    ];
    pageId = await createPage(t, { title: 'New York', timezone: 'America/New_York', widgets });
    rangedPageId = await createPage(t, {
      title: 'Ranged',
      timezone: 'America/New_York',
      dateRange: {
        default: 'LAST_7_DAYS',
        presets: ['TODAY', 'YESTERDAY', 'LAST_7_DAYS', 'LAST_30_DAYS', 'LAST_90_DAYS', 'THIS_MONTH', 'LAST_MONTH', 'THIS_YEAR', 'ALL_TIME'],
        maxDays: 31,
      },
      widgets,
    });
  });
  afterAll(() => t.close());

  const view = async (token: string, args = ''): Promise<Page> => {
    const response = await t.embedGql<{ page: Page }>(pageQuery(args), token, signedIn);
    expect(response.body.errors).toBeUndefined();
    return response.body.data!.page;
  };

  test('day buckets are New York days around midnight and the 25-hour day of the 2026-11-01 DST change, with the gaps filled', async () => {
    const { token } = await mint(t, { pageId, audience: 'WORKSPACE' });
    const page = await view(token);
    expect(page.timezone).toBe('America/New_York');
    expect(widget(page, 'Per day').rows.filter(([at]) => String(at) >= '2026-10-30')).toEqual([
      ['2026-10-30T04:00:00.000Z', 1],
      ['2026-10-31T04:00:00.000Z', 1],
      // Nov 1 runs from 04:00Z (EDT midnight) to 05:00Z next day (EST midnight): 25 hours, one bucket.
      ['2026-11-01T04:00:00.000Z', 4],
      ['2026-11-02T05:00:00.000Z', 0],
      ['2026-11-03T05:00:00.000Z', 0],
      ['2026-11-04T05:00:00.000Z', 1],
      ['2026-11-05T05:00:00.000Z', 1],
    ]);
  });

  test('in UTC (the viewer asking for it) the same records fall on other days', async () => {
    const { token } = await mint(t, { pageId, audience: 'WORKSPACE' });
    const page = await view(token, 'timezone: "UTC"');
    expect(page.timezone).toBe('UTC');
    expect(widget(page, 'Per day').rows.filter(([at]) => String(at) >= '2026-10-31')).toEqual([
      ['2026-10-31T00:00:00.000Z', 1],
      ['2026-11-01T00:00:00.000Z', 4],
      ['2026-11-02T00:00:00.000Z', 1],
      ['2026-11-03T00:00:00.000Z', 0],
      ['2026-11-04T00:00:00.000Z', 1],
      ['2026-11-05T00:00:00.000Z', 1],
    ]);
  });

  test('filled gaps are 0 for COUNT and null for AVG; a series per channel has every day for every channel', async () => {
    const { token } = await mint(t, { pageId, audience: 'WORKSPACE' });
    const page = await view(token);
    expect(widget(page, 'Avg per day').rows.find(([at]) => at === '2026-11-02T05:00:00.000Z')).toEqual(['2026-11-02T05:00:00.000Z', null]);
    const series = widget(page, 'By channel per day');
    expect(series.columns).toEqual(['at', 'channel', 'count']);
    expect(series.rows.filter(([at]) => at === '2026-11-01T04:00:00.000Z')).toEqual([
      ['2026-11-01T04:00:00.000Z', 'chat', 1],
      ['2026-11-01T04:00:00.000Z', 'email', 1],
      ['2026-11-01T04:00:00.000Z', 'phone', 2],
    ]);
    expect(series.rows.filter(([at]) => at === '2026-11-03T05:00:00.000Z')).toEqual([
      ['2026-11-03T05:00:00.000Z', 'chat', 0],
      ['2026-11-03T05:00:00.000Z', 'email', 0],
      ['2026-11-03T05:00:00.000Z', 'phone', 0],
    ]);
  });

  test('an unknown viewer zone is ignored: the token zone, else the page zone, is used', async () => {
    const plain = await mint(t, { pageId, audience: 'WORKSPACE' });
    const page = await view(plain.token, 'timezone: "Mars/Olympus_Mons"');
    expect(page.timezone).toBe('America/New_York');
    expect(widget(page, 'Per day')).toEqual(widget(await view(plain.token), 'Per day'));
    const kolkata = await mint(t, { pageId, audience: 'WORKSPACE', timezone: 'Asia/Kolkata' });
    expect((await view(kolkata.token, 'timezone: "not a zone"')).timezone).toBe('Asia/Kolkata');
    expect((await view(kolkata.token, 'timezone: "europe/berlin"')).timezone).toBe('Europe/Berlin');
  });

  test('an unknown zone is BAD_USER_INPUT when a page is saved or a token minted', async () => {
    const save = await t.gql(`mutation { createPage(input: { title: "x", timezone: "America/Gotham", widgets: [] }) { id } }`);
    expect(save.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const minted = await t.gql(`mutation($id: ID!) { mintPageEmbed(input: { pageId: $id, audience: WORKSPACE, timezone: "+05:00" }) { token } }`, {
      id: pageId,
    });
    expect(minted.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  describe('date ranges', () => {
    // Counts in the New York zone at NOW (Thu Nov 5 2026 15:00 EST).
    test.each([
      ['TODAY', '2026-11-05T05:00:00.000Z', '2026-11-06T05:00:00.000Z', 1],
      ['YESTERDAY', '2026-11-04T05:00:00.000Z', '2026-11-05T05:00:00.000Z', 1],
      ['LAST_7_DAYS', '2026-10-30T04:00:00.000Z', '2026-11-06T05:00:00.000Z', 8],
      ['LAST_30_DAYS', '2026-10-07T04:00:00.000Z', '2026-11-06T05:00:00.000Z', 9],
      ['LAST_90_DAYS', '2026-08-08T04:00:00.000Z', '2026-11-06T05:00:00.000Z', 10],
      ['THIS_MONTH', '2026-11-01T04:00:00.000Z', '2026-12-01T05:00:00.000Z', 6],
      ['LAST_MONTH', '2026-10-01T04:00:00.000Z', '2026-11-01T04:00:00.000Z', 3],
      ['THIS_YEAR', '2026-01-01T05:00:00.000Z', '2027-01-01T05:00:00.000Z', 10],
      ['ALL_TIME', null, null, 11],
    ])('%s is computed in the page zone and bounds every widget', async (preset, from, to, count) => {
      const { token } = await mint(t, { pageId: rangedPageId, audience: 'WORKSPACE' });
      const page = await view(token, `range: { preset: ${preset} }`);
      expect(page.range).toEqual({ preset, from, to });
      expect(widget(page, 'Calls').rows).toEqual([[count]]);
      const days = widget(page, 'Per day').rows;
      if (from && to) {
        // Filled to the range's bounds: the first bucket is the range's first day, the last the day before `to`.
        expect(days[0]![0]).toBe(from);
        expect(days.every(([at]) => String(at) >= from && String(at) < to)).toBe(true);
        expect(days.reduce((sum, [, n]) => sum + (n as number), 0)).toBe(count);
      }
    });

    test('the page default applies without an argument, and the viewer may pick the presets it offers', async () => {
      const { token } = await mint(t, { pageId: rangedPageId, audience: 'WORKSPACE' });
      const page = await view(token);
      expect(page.range.preset).toBe('LAST_7_DAYS');
      expect(page.rangeLocked).toBe(false);
      expect(page.maxDays).toBe(31);
      expect(page.presets).toContain('LAST_30_DAYS');
      expect(widget(page, 'Calls').rows).toEqual([[8]]);
    });

    test('a custom range within maxDays narrows; one longer is BAD_USER_INPUT', async () => {
      const { token } = await mint(t, { pageId: rangedPageId, audience: 'WORKSPACE' });
      const page = await view(token, 'range: { from: "2026-11-01T04:00:00Z", to: "2026-11-02T05:00:00Z" }');
      expect(page.range).toEqual({ preset: null, from: '2026-11-01T04:00:00.000Z', to: '2026-11-02T05:00:00.000Z' });
      expect(widget(page, 'Calls').rows).toEqual([[4]]);
      expect(widget(page, 'Per day').rows).toEqual([['2026-11-01T04:00:00.000Z', 4]]);
      const tooLong = await t.embedGql(pageQuery('range: { from: "2026-09-01T00:00:00Z", to: "2026-11-01T00:00:00Z" }'), token, signedIn);
      expect(tooLong.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const mixed = await t.embedGql(pageQuery('range: { preset: TODAY, from: "2026-09-01T00:00:00Z", to: "2026-11-01T00:00:00Z" }'), token, signedIn);
      expect(mixed.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    test('a page without a dateRange shows all time and refuses a range', async () => {
      const { token } = await mint(t, { pageId, audience: 'WORKSPACE' });
      const page = await view(token);
      expect(page).toMatchObject({ rangeLocked: true, presets: [], range: { preset: 'ALL_TIME', from: null, to: null } });
      const refused = await t.embedGql(pageQuery('range: { preset: TODAY }'), token, signedIn);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    test('a token that locks its range refuses another, and accepts its own', async () => {
      const { token } = await mint(t, { pageId: rangedPageId, audience: 'WORKSPACE', range: { preset: 'YESTERDAY' } });
      const page = await view(token);
      expect(page).toMatchObject({ rangeLocked: true, presets: [], maxDays: null, range: { preset: 'YESTERDAY' } });
      expect(widget(page, 'Calls').rows).toEqual([[1]]);
      const other = await t.embedGql(pageQuery('range: { preset: ALL_TIME }'), token, signedIn);
      expect(other.status).toBe(200);
      expect(other.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(other.body.data).toBeNull();
      expect(widget(await view(token, 'range: { preset: YESTERDAY }'), 'Calls').rows).toEqual([[1]]);
      const custom = await mint(t, { pageId: rangedPageId, audience: 'WORKSPACE', range: { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' } });
      expect((await view(custom.token)).range).toEqual({ preset: null, from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' });
      expect((await t.embedGql(pageQuery('range: { preset: TODAY }'), custom.token, signedIn)).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    test('a token range the viewer may change is only the starting point', async () => {
      const { token } = await mint(t, { pageId: rangedPageId, audience: 'WORKSPACE', range: { preset: 'TODAY' }, viewerCanChangeRange: true });
      expect((await view(token)).range.preset).toBe('TODAY');
      expect(widget(await view(token, 'range: { preset: THIS_MONTH }'), 'Calls').rows).toEqual([[6]]);
    });

    test("a range never shows records outside the token's scope", async () => {
      const scoped = await mint(t, { pageId: rangedPageId, audience: 'WORKSPACE', rules: [{ field: 'owner', op: 'EQ', value: 'ada' }] });
      for (const preset of ['ALL_TIME', 'THIS_YEAR', 'LAST_7_DAYS']) {
        const page = await view(scoped.token, `range: { preset: ${preset} }`);
        // ada has 6 records in all, 5 this year, 3 in the last 7 days; nobody else's ever show.
        expect(widget(page, 'Calls').rows).toEqual([[{ ALL_TIME: 6, THIS_YEAR: 5, LAST_7_DAYS: 3 }[preset]]]);
      }
      // A custom range as wide as allowed around everything still shows only ada's.
      const wide = await view(scoped.token, 'range: { from: "2026-10-20T00:00:00Z", to: "2026-11-20T00:00:00Z" }');
      expect(widget(wide, 'Calls').rows).toEqual([[3]]);
      const series = widget(wide, 'By channel per day').rows;
      expect(series.reduce((sum, [, , n]) => sum + (n as number), 0)).toBe(3);
    });
  });

  test('over REST, a page keeps its zone, range and widget formats, and a minted range locks the embed', async () => {
    const key = { 'x-api-key': t.apiKey };
    const created = await t.rest(
      'POST',
      '/api/platform/v1/pages',
      {
        title: 'REST viewing',
        timezone: 'America/New_York',
        week_start: 'SUNDAY',
        date_range: { default: 'THIS_MONTH', presets: ['THIS_MONTH', 'LAST_MONTH'], max_days: 40 },
        widgets: [
          { title: 'Calls', kind: 'NUMBER', label: 'Calls', format: { style: 'COMPACT' }, query: { dataset: 'calls', metric: { fn: 'COUNT' } } },
          { title: 'Per day', kind: 'LINE', query: { dataset: 'calls', bucket: 'DAY', series_by: 'channel', metric: { fn: 'COUNT' } } },
        ],
      },
      key,
    );
    expect(created.status).toBe(201);
    const page = created.body['page'] as Record<string, unknown> & { id: string; widgets: Array<Record<string, unknown>> };
    expect(page).toMatchObject({
      timezone: 'America/New_York',
      week_start: 'SUNDAY',
      date_range: { default: 'THIS_MONTH', presets: ['THIS_MONTH', 'LAST_MONTH'], max_days: 40 },
    });
    expect(page.widgets[0]).toMatchObject({ label: 'Calls', format: { style: 'COMPACT', currency: null, unit: null, decimals: null } });
    expect(page.widgets[1]).toMatchObject({ query: { series_by: 'channel' } });
    const minted = await t.rest('POST', `/api/platform/v1/pages/${page.id}/embed-token`, { audience: 'workspace', range: { preset: 'LAST_MONTH' } }, key);
    expect(minted.status).toBe(201);
    const shown = await view(minted.body['token'] as string);
    expect(shown).toMatchObject({ rangeLocked: true, range: { preset: 'LAST_MONTH' }, weekStart: 'SUNDAY' });
    expect(widget(shown, 'Calls').rows).toEqual([[3]]);
    const badZone = await t.rest('PATCH', `/api/platform/v1/pages/${page.id}`, { timezone: 'Nowhere/Atlantis' }, key);
    expect(badZone.status).toBe(400);
  });

  test('widgets report their label and format', async () => {
    const { token } = await mint(t, { pageId, audience: 'WORKSPACE', locale: 'de-DE' });
    const response = await t.embedGql<{ page: Page }>(pageQuery(), token, signedIn);
    const page = response.body.data!.page;
    expect(page.locale).toBe('de-DE');
    expect(page.widgets.find((w) => w.title === 'Calls')!.label).toBe('Calls');
    expect(page.widgets.find((w) => w.title === 'Spend')!.format).toEqual({ style: 'CURRENCY', currency: 'EUR', decimals: 2 });
    expect(page.widgets.find((w) => w.title === 'By channel per day')!.seriesBy).toBe('channel');
  });
});
