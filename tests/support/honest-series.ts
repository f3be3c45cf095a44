import type { Clock } from '../../server/src/domain/viewer.js';

/**
 * Data and a page for the honest-series tests (tests/integration/honest-series.test.ts and
 * tests/e2e/honest-series.test.ts): a reading every twelve hours over the last 90 days, eight owners,
 * and a sensor with thirty isolated hourly peaks over the last seven days.
 */

// Monday 2026-12-07, 15:00 UTC: "Last 90 days" is Sep 9 – Dec 7.
export const NOW = new Date('2026-12-07T15:00:00Z');
export const clock: Clock = { now: () => new Date(NOW) };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Midnight (UTC) of the first of the last 90 days. */
export const FIRST_DAY = Date.UTC(2026, 8, 9);

/** Two readings a day, at 03:00 and 15:00, from Sep 9 to today (today's 15:00 one is now). */
export const READINGS = Array.from({ length: 90 * 2 }, (_, i) => ({
  owner: `o${(i % 8) + 1}`,
  at: new Date(FIRST_DAY + Math.floor(i / 2) * DAY + (i % 2 ? 15 : 3) * HOUR).toISOString(),
  value: (i % 7) + 1,
}));

/** Thirty hourly peaks over the last seven days, each with empty hours on both sides. */
export const PEAKS = Array.from({ length: 30 }, (_, i) => ({
  owner: 'o1',
  at: new Date(Date.UTC(2026, 11, 1) + (3 + i * 5) * HOUR + 20 * 60_000).toISOString(),
  level: 10 + ((i * 7) % 13),
}));

export const HONEST_PAGE = {
  title: 'Honest series',
  timezone: 'UTC',
  dateRange: { default: 'LAST_90_DAYS', presets: ['LAST_7_DAYS', 'LAST_30_DAYS', 'LAST_90_DAYS', 'ALL_TIME'] },
  widgets: [
    { title: 'Readings', kind: 'NUMBER', query: { dataset: 'readings', metric: { fn: 'COUNT' } } },
    { title: 'Readings per hour', kind: 'LINE', query: { dataset: 'readings', bucket: 'HOUR', metric: { fn: 'COUNT' } } },
    { title: 'Peak per hour', kind: 'LINE', query: { dataset: 'sensor', bucket: 'HOUR', metric: { fn: 'MAX', field: 'level' } } },
    { title: 'Value per week', kind: 'BAR', query: { dataset: 'readings', bucket: 'WEEK', metric: { fn: 'SUM', field: 'value' } } },
    { title: 'Top owners', kind: 'BAR', query: { dataset: 'readings', groupBy: 'owner', metric: { fn: 'COUNT' }, limit: 3 } },
    {
      title: 'Latest readings',
      kind: 'TABLE',
      query: { dataset: 'readings', select: ['owner', 'at', 'value'], sort: { field: 'at', direction: 'DESC' }, limit: 5 },
    },
  ],
};

/** The selection the tests read an embedded widget with. */
export const SHOWN_FIELDS = 'id title bucket bucketShown coarser { buckets maxPoints } cut { shown total } partial { first last } data { columns rows }';

export interface ShownWidget {
  id: string;
  title: string;
  bucket: string | null;
  bucketShown: string | null;
  coarser: { buckets: number | null; maxPoints: number } | null;
  cut: { shown: number; total: number } | null;
  partial: { first: boolean; last: boolean } | null;
  data: { columns: string[]; rows: unknown[][] };
}
