import { describe, expect, test } from '@jest/globals';
import { systemClock } from '../../server/src/domain/viewer.js';
import type { Scope, View } from '../../server/src/query/compiler.js';
import { presetBounds } from '../../server/src/query/date-range.js';
import { formOf } from '../../server/src/query/query-form.js';
import { RollupsService } from '../../server/src/rollups/rollups.service.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';
import { pageWith, randomRecords, randomSource, randomWidget, bothWays } from './support.js';

/**
 * Random widget queries × scopes × time zones × date ranges, each answered from the records and
 * from the rollups: wherever the rollup path answers, both must be equal, cell for cell.
 */

const SEED = 20_261_201;
const CASES = 600;
const WORKSPACE = 'ws-differential';
const ZONES = ['UTC', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Pacific/Marquesas'];

const SCOPES: Array<Omit<Scope, 'workspaceId'>> = [
  { owners: null, rules: [] },
  { owners: null, rules: [] },
  { owners: ['o1', 'o2'], rules: [] },
  { owners: ['o3'], rules: [] },
  { owners: [], rules: [] },
  { owners: null, rules: [{ field: 'channel', op: 'EQ', value: 'phone' }] },
  { owners: null, rules: [{ field: 'region', op: 'IN', value: ['north', 'south'] }] },
  { owners: ['o1', 'o2', 'o4'], rules: [{ field: 'owner', op: 'NE', value: 'o2' }] },
  { owners: null, rules: [{ field: 'owner', op: 'IN', value: ['o5', 'o1'] }] },
  // Not on a rollup dimension: always read from the records.
  { owners: null, rules: [{ field: 'minutes', op: 'GT', value: 20 }] },
];

function rangeFor(choice: number, zone: string): Pick<View, 'from' | 'to'> {
  const now = new Date(Date.UTC(2026, 10, 14, 15, 20));
  switch (choice) {
    case 0:
      return { from: null, to: null };
    case 1:
      return presetBounds('LAST_30_DAYS', now, zone);
    case 2:
      return presetBounds('THIS_MONTH', now, zone);
    case 3:
      return presetBounds('LAST_90_DAYS', now, zone);
    case 4:
      // Whole UTC days.
      return { from: new Date(Date.UTC(2026, 3, 2)), to: new Date(Date.UTC(2026, 5, 17)) };
    case 5:
      // Whole quarter hours, no whole hour: the 15-minute cells answer.
      return { from: new Date(Date.UTC(2026, 4, 9, 5, 45)), to: new Date(Date.UTC(2026, 7, 20, 18, 15)) };
    default:
      // Not on any row boundary: always read from the records.
      return { from: new Date(Date.UTC(2026, 6, 1, 10, 7)), to: new Date(Date.UTC(2026, 8, 1)) };
  }
}

describe('rollups against the records, differentially', () => {
  test(`${CASES} random widget queries × scopes × time zones × ranges give equal answers from rollups and from records`, async () => {
    const random = randomSource(SEED);
    const store = new MemoryStore();
    const rollups = new RollupsService(store, systemClock, (error) => {
      throw error;
    });
    await store.records.insertNew(randomRecords(random, WORKSPACE, 'events', 1500));
    const widgets = Array.from({ length: 60 }, () => randomWidget(random, 'events'));
    // Pages in two zones: the rollups are the same (15-minute cells serve every zone), viewers come from any.
    const pages = [pageWith(WORKSPACE, 'author', widgets, 'UTC'), pageWith(WORKSPACE, 'author', widgets, 'Asia/Kolkata')];
    for (const page of pages) await store.pages.insertOne(page);
    await rollups.syncWorkspace(WORKSPACE);

    let answered = 0;
    const zonesAnswered = new Set<string>();
    for (let index = 0; index < CASES; index += 1) {
      const page = random.pick(pages);
      const widget = page.widgets[random.int(page.widgets.length)]!;
      const zone = random.pick(ZONES);
      const scope: Scope = { workspaceId: WORKSPACE, ...random.pick(SCOPES) };
      const view: View = { timezone: zone, weekStart: random.pick(['MONDAY', 'SUNDAY'] as const), ...rangeFor(random.int(7), zone) };
      const { raw, rollup } = await bothWays(store, rollups, page, widget.query, scope, view);
      if (rollup === null) continue;
      answered += 1;
      zonesAnswered.add(zone);
      const where = { case: index, grain: page.timezone, query: widget.query, scope, view };
      expect({ ...where, data: rollup }).toEqual({ ...where, data: raw });
    }
    // The comparison means something only if the rollups answered a good share, in every zone.
    expect(answered).toBeGreaterThan(CASES * 0.35);
    expect([...zonesAnswered].sort()).toEqual([...ZONES].sort());
    // Its timers (the sweep of retired rows) must not outlive the test.
    await rollups.stop();
  }, 240_000);

  test('a scope rule on a field the rollup does not keep, or a range off the quarter hour, is answered from the records, and the decision says why', async () => {
    const random = randomSource(7);
    const store = new MemoryStore();
    const rollups = new RollupsService(store, systemClock, (error) => {
      throw error;
    });
    await store.records.insertNew(randomRecords(random, WORKSPACE, 'events', 200));
    const query = {
      dataset: 'events',
      filters: [],
      groupBy: 'channel',
      bucket: null,
      metric: { fn: 'COUNT' as const, field: null },
      select: null,
      sort: null,
      limit: null,
    };
    const page = pageWith(WORKSPACE, 'author', [{ kind: 'BAR', query }]);
    await store.pages.insertOne(page);
    await rollups.syncWorkspace(WORKSPACE);
    const everything: View = { timezone: 'UTC', weekStart: 'MONDAY', from: null, to: null };
    const answered = await bothWays(store, rollups, page, query, { workspaceId: WORKSPACE, owners: null, rules: [] }, everything);
    expect(answered.rollup).toEqual(answered.raw);
    const byMinutes = await bothWays(
      store,
      rollups,
      page,
      query,
      { workspaceId: WORKSPACE, owners: null, rules: [{ field: 'minutes', op: 'GT', value: 3 }] },
      everything,
    );
    expect(byMinutes.rollup).toBeNull();
    const specs = await rollups.readyFor(page);
    const decide = (scope: Scope, view: View) => rollups.decide(specs, page, formOf(query, scope, view)).fallBack ?? null;
    const all: Scope = { workspaceId: WORKSPACE, owners: null, rules: [] };
    expect(decide({ ...all, rules: [{ field: 'minutes', op: 'GT', value: 3 }] }, everything)).toBe('scope outside the rollup');
    // A range from half past: a quarter hour, so the cells answer; from seven past: inside a cell, so the records do.
    const onQuarter = await bothWays(store, rollups, page, query, all, { ...everything, from: new Date(Date.UTC(2026, 5, 1, 0, 30)) });
    expect(onQuarter.rollup).toEqual(onQuarter.raw);
    expect(rollups.decide(specs, page, formOf(query, all, { ...everything, from: new Date(Date.UTC(2026, 5, 1, 0, 30)) })).plan?.level).toBe('cell');
    const offGrain = await bothWays(store, rollups, page, query, all, { ...everything, from: new Date(Date.UTC(2026, 5, 1, 0, 7)) });
    expect(offGrain.rollup).toBeNull();
    expect(decide(all, { ...everything, from: new Date(Date.UTC(2026, 5, 1, 0, 7)) })).toBe('range off the quarter hour');
    const otherWorkspace = await bothWays(store, rollups, page, query, { workspaceId: 'another', owners: null, rules: [] }, everything);
    expect(otherWorkspace.rollup).toBeNull();
    expect(decide({ ...all, workspaceId: 'another' }, everything)).toBe('other workspace');
    expect(rollups.decide(specs, page, formOf({ ...query, metric: null, groupBy: null, select: ['owner'] }, all, everything)).fallBack).toBe('record list');
    expect(rollups.decide(specs, page, formOf({ ...query, groupBy: 'at' }, all, everything)).fallBack).toBe('dimension on at');
    expect(rollups.decide(specs, page, formOf({ ...query, groupBy: 'region' }, all, everything)).fallBack).toBe('no ready rollup');
    await rollups.stop();
  });
});
