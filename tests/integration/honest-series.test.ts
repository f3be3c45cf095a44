import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createPage, createSecret, ingest, mint } from '../support/factories.js';
import { clock, HONEST_PAGE, PEAKS, READINGS, SHOWN_FIELDS, type ShownWidget } from '../support/honest-series.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Honest series, over real HTTP: a series whose range holds more buckets than a series may have
 * points is shown by a coarser bucket and says so; a widget cut by its limit keeps the rows its sort
 * asks for and says how many there were; partial buckets at either end say so.
 */

let t: TestServer;
let token: string;

const PAGE = (args = '') => `{ page${args} { range { preset from to } widgets { ${SHOWN_FIELDS} } } }`;

async function widgets(args = ''): Promise<Record<string, ShownWidget>> {
  const response = await t.embedGql<{ page: { widgets: ShownWidget[] } }>(PAGE(args), token);
  expect(response.body.errors).toBeUndefined();
  return Object.fromEntries(response.body.data!.page.widgets.map((widget) => [widget.title, widget]));
}

const sum = (rows: unknown[][]) => rows.reduce((total, row) => total + Number(row[row.length - 1]), 0);

beforeAll(async () => {
  t = await startTestServer({ clock });
  await createSecret(t);
  await ingest(t, 'readings', READINGS);
  await ingest(t, 'sensor', PEAKS);
  const pageId = await createPage(t, HONEST_PAGE);
  token = (await mint(t, { pageId, audience: 'PUBLIC' })).token;
  await t.server.services.rollups.idle();
});

afterAll(async () => {
  await t?.close();
});

describe('a time series longer than its point cap', () => {
  test('90 days by the hour are shown by day, with the latest day present, and say 2160 hours are more than 1000 points', async () => {
    const shown = await widgets();
    const hourly = shown['Readings per hour']!;

    expect(hourly.bucket).toBe('HOUR');
    expect(hourly.bucketShown).toBe('DAY');
    expect(hourly.coarser).toEqual({ buckets: 2160, maxPoints: 1000 });
    expect(hourly.data.rows).toHaveLength(90);
    expect(hourly.data.rows[0]![0]).toBe('2026-09-09T00:00:00.000Z');
    expect(hourly.data.rows.at(-1)![0]).toBe('2026-12-07T00:00:00.000Z');
    // Every number equals the records: the days add up to the count, two readings each.
    expect(sum(hourly.data.rows)).toBe(READINGS.length);
    expect(hourly.data.rows.every((row) => row[1] === 2)).toBe(true);
    expect(shown['Readings']!.data.rows).toEqual([[READINGS.length]]);
    // Today is still running.
    expect(hourly.partial).toEqual({ first: false, last: true });
    expect(hourly.cut).toBeNull();
  });

  test('a range whose hours fit is shown by the hour, without a note', async () => {
    const hourly = (await widgets('(range: { preset: LAST_7_DAYS })'))['Readings per hour']!;

    expect(hourly.bucketShown).toBe('HOUR');
    expect(hourly.coarser).toBeNull();
    expect(hourly.data.rows).toHaveLength(7 * 24);
    expect(sum(hourly.data.rows)).toBe(14);
  });

  test('all time (no bounds) by the hour is shown by day once the data is longer than 1000 hours, counting hours from the first reading to now', async () => {
    const hourly = (await widgets('(range: { preset: ALL_TIME })'))['Readings per hour']!;

    expect(hourly.bucketShown).toBe('DAY');
    // Sep 9, 03:00 to Dec 7, 15:00: 89 days and 12 hours.
    expect(hourly.coarser).toEqual({ buckets: 89 * 24 + 12, maxPoints: 1000 });
    expect(hourly.data.rows).toHaveLength(90);
    expect(sum(hourly.data.rows)).toBe(READINGS.length);
  });

  test('a coarser series is answered from the rollups, and equals the records', async () => {
    const rollups = t.server.services.rollups;
    const [answered, fellBack] = [rollups.answered, rollups.fellBack];
    const hourly = (await widgets())['Readings per hour']!;

    // Every widget but the table (a list of records) is read from its rollup, the hourly one by day.
    expect(rollups.answered - answered).toBe(HONEST_PAGE.widgets.length - 1);
    expect(rollups.fellBack - fellBack).toBe(1);
    expect(sum(hourly.data.rows)).toBe(READINGS.length);
  });

  test('isolated hourly peaks stay values with empty hours (null) on both sides', async () => {
    const peaks = (await widgets('(range: { preset: LAST_7_DAYS })'))['Peak per hour']!;

    expect(peaks.bucketShown).toBe('HOUR');
    const values = peaks.data.rows.map((row) => row[1]);
    expect(values.filter((value) => value !== null)).toHaveLength(PEAKS.length);
    values.forEach((value, i) => {
      if (value !== null) expect([values[i - 1] ?? null, values[i + 1] ?? null]).toEqual([null, null]);
    });
  });

  test('weeks cut by the range at both ends are marked partial', async () => {
    const weekly = (await widgets())['Value per week']!;

    // Sep 9 is a Wednesday: the first week started on Monday Sep 7; the last one, today's, is running.
    expect(weekly.data.rows[0]![0]).toBe('2026-09-07T00:00:00.000Z');
    expect(weekly.partial).toEqual({ first: true, last: true });
    expect(sum(weekly.data.rows)).toBe(READINGS.reduce((total, reading) => total + reading.value, 0));
  });
});

describe('rows cut by a limit', () => {
  test('a table keeps its latest rows and says "first 5 of 180"', async () => {
    const table = (await widgets())['Latest readings']!;

    expect(table.cut).toEqual({ shown: 5, total: READINGS.length });
    const latest = [...READINGS].sort((a, b) => b.at.localeCompare(a.at)).slice(0, 5);
    expect(table.data.rows).toEqual(latest.map((reading) => [reading.owner, reading.at, reading.value]));
  });

  test('top categories keep the largest and count every category', async () => {
    const owners = (await widgets())['Top owners']!;

    expect(owners.cut).toEqual({ shown: 3, total: 8 });
    expect(owners.data.rows).toEqual([
      ['o1', 23],
      ['o2', 23],
      ['o3', 23],
    ]);
  });

  test('a range with fewer rows than the limit is not cut', async () => {
    const shown = await widgets('(range: { preset: LAST_7_DAYS })');

    expect(shown['Latest readings']!.cut).toEqual({ shown: 5, total: 14 });
    expect(shown['Top owners']!.cut).toEqual({ shown: 3, total: 8 });
    const narrow = await t.embedGql<{ page: { widgets: ShownWidget[] } }>(PAGE('(range: { from: "2026-12-07T00:00:00Z", to: "2026-12-08T00:00:00Z" })'), token);
    const today = Object.fromEntries(narrow.body.data!.page.widgets.map((widget) => [widget.title, widget]));
    expect(today['Top owners']!.cut).toBeNull();
    expect(today['Latest readings']!.cut).toBeNull();
  });
});

describe('the builder preview', () => {
  test("renders an unsaved widget as the page's embed shows it: same bucket, note and rows", async () => {
    const embedded = (await widgets())['Readings per hour']!;
    const response = await t.gql<{ previewEmbeddedWidget: ShownWidget }>(
      `query($input: WidgetInput!, $viewing: PreviewViewingInput) { previewEmbeddedWidget(input: $input, viewing: $viewing) { ${SHOWN_FIELDS} } }`,
      { input: HONEST_PAGE.widgets[1], viewing: { timezone: 'UTC', range: { preset: 'LAST_90_DAYS' } } },
    );

    expect(response.body.errors).toBeUndefined();
    const preview = response.body.data!.previewEmbeddedWidget;
    expect({ ...preview, id: embedded.id }).toEqual(embedded);
  });

  test('a preview of a cut table counts its rows as the embed does', async () => {
    const response = await t.gql<{ previewEmbeddedWidget: ShownWidget }>(
      `query($input: WidgetInput!, $viewing: PreviewViewingInput) { previewEmbeddedWidget(input: $input, viewing: $viewing) { ${SHOWN_FIELDS} } }`,
      { input: HONEST_PAGE.widgets[5], viewing: { timezone: 'UTC', range: { preset: 'LAST_7_DAYS' } } },
    );

    expect(response.body.data!.previewEmbeddedWidget.cut).toEqual({ shown: 5, total: 14 });
  });
});
