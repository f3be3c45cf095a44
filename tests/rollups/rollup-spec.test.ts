import { describe, expect, test } from '@jest/globals';
import type { WidgetQuery } from '../../server/src/domain/types.js';
import { declaredFormOf, QUERY_FORM_VERSION } from '../../server/src/query/query-form.js';
import { CELL_MS, nestsUtcHours, QUARTER_HOUR_MS, rollupShapeOf, specIdOf } from '../../server/src/rollups/rollup-spec.js';

const query = (overrides: Partial<WidgetQuery> = {}): WidgetQuery => ({
  dataset: 'calls',
  filters: [],
  groupBy: null,
  bucket: null,
  metric: { fn: 'COUNT', field: null },
  select: null,
  sort: null,
  limit: null,
  ...overrides,
});

const shape = (widget: WidgetQuery, workspaceId = 'ws') => rollupShapeOf(workspaceId, declaredFormOf(widget, workspaceId));

describe('rollup definitions', () => {
  test('every rollup keeps quarter-hour cells, whatever the zone of the page that asked for it', () => {
    expect(CELL_MS).toBe(QUARTER_HOUR_MS);
    expect(shape(query())!.grainMs).toBe(QUARTER_HOUR_MS);
  });

  test('whole-hour zones may read UTC hour rows; zones with half- or quarter-hour offsets at some time of year may not', () => {
    for (const zone of ['UTC', 'America/New_York', 'Europe/London', 'Asia/Tokyo', 'Pacific/Kiritimati'])
      expect([zone, nestsUtcHours(zone)]).toEqual([zone, true]);
    for (const zone of ['Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham', 'Pacific/Marquesas', 'Not/A_Zone'])
      expect([zone, nestsUtcHours(zone)]).toEqual([zone, false]);
  });

  test('widgets with the same query shape share one rollup; the metric function, bucket, sort and limit do not matter, its field and the filters do', () => {
    const id = (widget: WidgetQuery) => specIdOf(shape(widget)!);
    expect(id(query({ metric: { fn: 'SUM', field: 'minutes' } }))).toBe(
      id(query({ metric: { fn: 'AVG', field: 'minutes' }, bucket: 'DAY', sort: { field: 'value', direction: 'DESC' }, limit: 5 })),
    );
    expect(id(query({ metric: { fn: 'SUM', field: 'minutes' } }))).not.toBe(id(query({ metric: { fn: 'SUM', field: 'seconds' } })));
    expect(id(query())).not.toBe(id(query({ filters: [{ field: 'channel', op: 'EQ', value: 'phone' }] })));
    expect(id(query({ groupBy: 'channel' }))).not.toBe(id(query({ groupBy: 'channel', seriesBy: 'region' })));
    expect(id(query({ bucket: 'DAY', seriesBy: 'channel' }))).toBe(id(query({ bucket: 'HOUR', seriesBy: 'channel' })));
    expect(specIdOf(shape(query())!)).not.toBe(specIdOf(shape(query(), 'other')!));
  });

  test("a spec id carries the query form's version: the same shape under another version is another spec", () => {
    const current = specIdOf(shape(query())!);
    expect(QUERY_FORM_VERSION).toBeGreaterThanOrEqual(2);
    expect(current).toMatch(/^[0-9a-f]{40}$/);
    expect(current).toBe(specIdOf(shape(query())!, QUERY_FORM_VERSION));
    expect(current).not.toBe(specIdOf(shape(query())!, QUERY_FORM_VERSION + 1));
    expect(current).not.toBe(specIdOf({ ...shape(query())!, grainMs: 3_600_000 }));
  });

  test('tables, and dimensions on the exact time, are never rolled up', () => {
    expect(shape(query({ metric: null, select: ['owner'] }))).toBeNull();
    expect(shape(query({ groupBy: 'at' }))).toBeNull();
    expect(shape(query({ groupBy: 'channel', seriesBy: 'at' }))).toBeNull();
  });
});
