import { describe, expect, test } from '@jest/globals';
import type { WidgetQuery } from '../../server/src/domain/types.js';
import { grainForZone, HOUR_MS, QUARTER_HOUR_MS, shapeFor, specIdOf } from '../../server/src/rollups/rollup-spec.js';

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

describe('rollup definitions', () => {
  test('rows are kept per hour, or per quarter hour where the zone has a half- or quarter-hour offset at some time of year', () => {
    for (const zone of ['UTC', 'America/New_York', 'Europe/London', 'Asia/Tokyo', null, 'Not/A_Zone'])
      expect([zone, grainForZone(zone)]).toEqual([zone, HOUR_MS]);
    for (const zone of ['Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/St_Johns'])
      expect([zone, grainForZone(zone)]).toEqual([zone, QUARTER_HOUR_MS]);
  });

  test('widgets with the same query shape share one rollup; the metric function does not matter, its field and the filters do', () => {
    const id = (widget: WidgetQuery) => specIdOf(shapeFor('ws', widget, HOUR_MS)!);
    expect(id(query({ metric: { fn: 'SUM', field: 'minutes' } }))).toBe(
      id(query({ metric: { fn: 'AVG', field: 'minutes' }, bucket: 'DAY', sort: { field: 'value', direction: 'DESC' } })),
    );
    expect(id(query({ metric: { fn: 'SUM', field: 'minutes' } }))).not.toBe(id(query({ metric: { fn: 'SUM', field: 'seconds' } })));
    expect(id(query())).not.toBe(id(query({ filters: [{ field: 'channel', op: 'EQ', value: 'phone' }] })));
    expect(id(query({ groupBy: 'channel' }))).not.toBe(id(query({ groupBy: 'channel', seriesBy: 'region' })));
    expect(specIdOf(shapeFor('ws', query(), HOUR_MS)!)).not.toBe(specIdOf(shapeFor('other', query(), HOUR_MS)!));
    expect(specIdOf(shapeFor('ws', query(), HOUR_MS)!)).not.toBe(specIdOf(shapeFor('ws', query(), QUARTER_HOUR_MS)!));
  });

  test('tables, and dimensions on the exact time, are never rolled up', () => {
    expect(shapeFor('ws', query({ metric: null, select: ['owner'] }), HOUR_MS)).toBeNull();
    expect(shapeFor('ws', query({ groupBy: 'at' }), HOUR_MS)).toBeNull();
    expect(shapeFor('ws', query({ groupBy: 'channel', seriesBy: 'at' }), HOUR_MS)).toBeNull();
  });
});
