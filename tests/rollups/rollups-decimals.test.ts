import { afterAll, describe, expect, test } from '@jest/globals';
import { newId } from '../../server/src/crypto/random.js';
import type { RecordDoc } from '../../server/src/domain/types.js';
import { systemClock } from '../../server/src/domain/viewer.js';
import type { Scope, View } from '../../server/src/query/compiler.js';
import { presetBounds } from '../../server/src/query/date-range.js';
import { formOf } from '../../server/src/query/query-form.js';
import { RollupsService } from '../../server/src/rollups/rollups.service.js';
import { storeAdapters } from '../support/store-adapters.js';
import { bothWays, pageWith, randomSource, randomWidget, type Random } from './support.js';

/**
 * Rollups against the records with arbitrary decimals: sums of doubles depend on the order they
 * are added in, and a rollup adds them in another order (per cell, then per bucket) than a
 * pipeline over the records does. So numbers are compared within a stated tolerance, everything
 * else exactly. Every zone the rollups claim is viewed, from pages kept in another zone than the
 * viewer's, over ranges on whole quarter hours, and every such view must be answered from rollups
 * (the planner's decision and the service's counters say so). Both adapters: memory, and mongo
 * through the wire peer.
 */

/** Two numbers agree when they differ by at most this much relative to the larger (or 1): a few ulps over thousands of additions. */
const RELATIVE_TOLERANCE = 1e-9;
const WORKSPACE = 'ws-decimals';
const START = Date.UTC(2026, 2, 1);
const SPAN_MS = 275 * 86_400_000;
/**
 * Every zone the rollups claim to answer: whole-hour offsets (read from UTC hour or day rows), with
 * and without DST, and every offset that is a whole number of quarter hours (read from the 15-minute
 * cells): +05:30, +05:45, +12:45 with DST to +13:45, −09:30, −03:30 with DST, +09:30 with DST, and
 * Lord Howe's half-hour DST.
 */
const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/London',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'Pacific/Marquesas',
  'America/St_Johns',
  'Australia/Adelaide',
  'Australia/Lord_Howe',
];

const adapters = await storeAdapters();
afterAll(async () => {
  for (const adapter of adapters) await adapter.close();
});

/** A value that is not a round number: magnitudes from 1e-3 to 1e6, both signs, up to 9 significant digits. */
function decimal(random: Random): number {
  const magnitude = 10 ** (random.int(10) - 3);
  return Number(((random.next() - 0.2) * magnitude).toPrecision(1 + random.int(9)));
}

function decimalRecords(random: Random, count: number): RecordDoc[] {
  return Array.from({ length: count }, () => {
    const data: Record<string, unknown> = {};
    if (random.chance(0.9)) data['channel'] = random.pick(['phone', 'chat', 'email']);
    if (random.chance(0.8)) data['region'] = random.pick(['north', 'south', 'west']);
    if (random.chance(0.9)) data['minutes'] = decimal(random);
    data['score'] = decimal(random);
    return {
      _id: newId(),
      workspaceId: WORKSPACE,
      dataset: 'events',
      owner: random.pick(['o1', 'o2', 'o3', 'o4']),
      at: new Date(START + Math.floor((random.next() * SPAN_MS) / 1000) * 1000),
      data,
    };
  });
}

/** `actual` equals `expected` but for numbers, which agree within RELATIVE_TOLERANCE. */
function withinTolerance(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') {
    return Math.abs(actual - expected) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(actual), Math.abs(expected));
  }
  if (Array.isArray(actual) && Array.isArray(expected))
    return actual.length === expected.length && actual.every((item, index) => withinTolerance(item, expected[index]));
  if (actual !== null && expected !== null && typeof actual === 'object' && typeof expected === 'object') {
    const keys = Object.keys(expected as object);
    return (
      keys.length === Object.keys(actual as object).length &&
      keys.every((key) => withinTolerance((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key]))
    );
  }
  return Object.is(actual, expected);
}

const SCOPES: Array<Omit<Scope, 'workspaceId'>> = [
  { owners: null, rules: [] },
  { owners: ['o1', 'o3'], rules: [] },
  { owners: null, rules: [{ field: 'channel', op: 'IN', value: ['phone', 'email'] }] },
];

describe.each(adapters)('rollups with arbitrary decimals: $name adapter', (adapter) => {
  // The wire peer answers with mingo on one thread, so the mongo run is smaller; it checks the adapter's own cell pipeline.
  const { perZone, records, widgetCount } =
    adapter.name === 'memory' ? { perZone: 28, records: 800, widgetCount: 24 } : { perZone: 12, records: 300, widgetCount: 10 };
  const cases = perZone * ZONES.length;
  test(`${cases} random widgets × scopes × ranges on quarter hours, in every zone the rollups claim, viewed from a page in another zone: every one answered from rollups, equal to the records within ${RELATIVE_TOLERANCE} (relative)`, async () => {
    const random = randomSource(20_260_417);
    const store = await adapter.open();
    const rollups = new RollupsService(store, systemClock, (error) => {
      throw error;
    });
    await store.records.insertNew(decimalRecords(random, records));
    // Sums of numbers that are not round are the point here: half the widgets SUM or AVG.
    const widgets = Array.from({ length: widgetCount }, () => randomWidget(random, 'events')).map((widget, index) =>
      index % 2 === 0 && widget.query.metric
        ? { ...widget, query: { ...widget.query, metric: { fn: random.pick(['SUM', 'AVG'] as const), field: 'minutes' } } }
        : widget,
    );
    // Pages kept in a whole-hour zone and in a quarter-hour one; a viewer's zone is never the page's.
    const pages = [pageWith(WORKSPACE, 'author', widgets, 'UTC'), pageWith(WORKSPACE, 'author', widgets, 'Asia/Kathmandu')];
    for (const page of pages) await store.pages.insertOne(page);
    await rollups.syncWorkspace(WORKSPACE);

    let inexact = 0;
    const levels = new Map<string, number>();
    const before = { answered: rollups.answered, fellBack: rollups.fellBack };
    for (let index = 0; index < cases; index += 1) {
      // Zones in turn, so each is viewed as often as the others.
      const zone = ZONES[index % ZONES.length]!;
      const page = pages.find((one) => one.timezone !== zone && random.chance(0.5)) ?? pages.find((one) => one.timezone !== zone)!;
      const widget = page.widgets[random.int(page.widgets.length)]!;
      const range = [
        () => ({ from: null, to: null }),
        () => presetBounds(random.pick(['LAST_30_DAYS', 'THIS_MONTH', 'LAST_90_DAYS', 'LAST_7_DAYS'] as const), new Date(Date.UTC(2026, 10, 14, 15, 20)), zone),
        // Whole quarter hours that are no whole hour: only the cells can answer them.
        () => ({ from: new Date(Date.UTC(2026, 3, 2, 7, 45)), to: new Date(Date.UTC(2026, 9, 30, 22, 15)) }),
      ][index % 3]!();
      const view: View = { timezone: zone, weekStart: random.pick(['MONDAY', 'SUNDAY'] as const), ...range };
      // Scope rules only on what the rows keep (the owner, the widget's dimensions); others read records by design.
      const kept = ['owner', widget.query.groupBy, widget.query.seriesBy];
      const scope: Scope = { workspaceId: WORKSPACE, ...random.pick(SCOPES.filter((one) => one.rules.every((rule) => kept.includes(rule.field)))) };
      const decision = rollups.decide(await rollups.readyFor(page), page, formOf(widget.query, scope, view));
      const { raw, rollup } = await bothWays(store, rollups, page, widget.query, scope, view);
      const where = { case: index, page: page.timezone, view: zone, range, query: widget.query, scope };
      // Answered from the rollup: the planner chose rows, and their answer was not refused.
      expect({ ...where, fallBack: decision.fallBack ?? null, answered: rollup !== null }).toEqual({ ...where, fallBack: null, answered: true });
      levels.set(decision.plan!.level, (levels.get(decision.plan!.level) ?? 0) + 1);
      if (JSON.stringify(rollup) !== JSON.stringify(raw)) inexact += 1;
      expect({ ...where, close: withinTolerance(rollup, raw), rollup }).toEqual({ ...where, close: true, rollup });
    }
    console.log(
      `${adapter.name}: ${cases} of ${cases} answered from rollups (rows read: ${JSON.stringify(Object.fromEntries(levels))}), ${inexact} of them equal only within the tolerance`,
    );
    // The renderer's counters agree: every case went the rollup way, none fell back.
    expect({ answered: rollups.answered - before.answered, fellBack: rollups.fellBack - before.fellBack }).toEqual({ answered: cases, fellBack: 0 });
    // Every kind of row was read: cells (quarter-hour zones and ranges), hours, days and totals.
    expect([...levels.keys()].sort()).toEqual(['cell', 'day', 'hour', 'total']);
    // Its timers (the sweep of retired rows) must not outlive the store they would read.
    await rollups.stop();
    await store.close();
  }, 300_000);
});
