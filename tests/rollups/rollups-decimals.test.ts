import { afterAll, describe, expect, test } from '@jest/globals';
import { newId } from '../../server/src/crypto/random.js';
import type { RecordDoc } from '../../server/src/domain/types.js';
import { systemClock } from '../../server/src/domain/viewer.js';
import type { Scope, View } from '../../server/src/query/compiler.js';
import { presetBounds } from '../../server/src/query/date-range.js';
import { RollupsService } from '../../server/src/rollups/rollups.service.js';
import { storeAdapters } from '../support/store-adapters.js';
import { bothWays, pageWith, randomSource, randomWidget, type Random } from './support.js';

/**
 * Rollups against the records with arbitrary decimals: sums of doubles depend on the order they
 * are added in, and a rollup adds them in another order (per cell, then per bucket) than a
 * pipeline over the records does. So numbers are compared within a stated tolerance, everything
 * else exactly. Every zone the rollups claim is viewed, from pages kept in another zone than the
 * viewer's, and answered from rollups. Both adapters: memory, and mongo through the wire peer.
 */

/** Two numbers agree when they differ by at most this much relative to the larger (or 1): a few ulps over thousands of additions. */
const RELATIVE_TOLERANCE = 1e-9;
const WORKSPACE = 'ws-decimals';
const START = Date.UTC(2026, 2, 1);
const SPAN_MS = 275 * 86_400_000;
/** Every zone the rollups claim to answer: whole-hour offsets from hourly rows, half- and quarter-hour ones from 15-minute rows. */
const ZONES = ['UTC', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/St_Johns'];

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
  const { cases, records, widgetCount } =
    adapter.name === 'memory' ? { cases: 300, records: 800, widgetCount: 24 } : { cases: 140, records: 300, widgetCount: 10 };
  test(`${cases} random widgets × scopes × every zone the rollups claim, viewed from pages in other zones: rollups equal records within ${RELATIVE_TOLERANCE} (relative)`, async () => {
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
    // Hourly rows (a UTC page) and 15-minute rows (a Kolkata page): viewers come from every zone.
    const pages = [pageWith(WORKSPACE, 'author', widgets, 'UTC'), pageWith(WORKSPACE, 'author', widgets, 'Asia/Kolkata')];
    for (const page of pages) await store.pages.insertOne(page);
    await rollups.syncWorkspace(WORKSPACE);

    let answered = 0;
    let inexact = 0;
    const zonesAnswered = new Set<string>();
    for (let index = 0; index < cases; index += 1) {
      const page = random.pick(pages);
      const widget = page.widgets[random.int(page.widgets.length)]!;
      // Zones in turn, so each is viewed as often as the others.
      const others = ZONES.filter((one) => one !== page.timezone);
      const zone = others[index % others.length]!;
      const range = random.chance(0.5)
        ? { from: null, to: null }
        : presetBounds(random.pick(['LAST_30_DAYS', 'THIS_MONTH', 'LAST_90_DAYS'] as const), new Date(Date.UTC(2026, 10, 14, 15, 20)), zone);
      const view: View = { timezone: zone, weekStart: random.pick(['MONDAY', 'SUNDAY'] as const), ...range };
      const scope: Scope = { workspaceId: WORKSPACE, ...random.pick(SCOPES) };
      const { raw, rollup } = await bothWays(store, rollups, page, widget.query, scope, view);
      if (rollup === null) continue;
      answered += 1;
      zonesAnswered.add(zone);
      if (JSON.stringify(rollup) !== JSON.stringify(raw)) inexact += 1;
      const where = { case: index, page: page.timezone, view: zone, query: widget.query, scope };
      expect({ ...where, close: withinTolerance(rollup, raw), rollup }).toEqual({ ...where, close: true, rollup });
    }
    console.log(`${adapter.name}: ${answered} of ${cases} answered from rollups, ${inexact} of them equal only within the tolerance`);
    expect(answered).toBeGreaterThan(cases * 0.3);
    // Every zone was answered from rollups kept in another zone.
    expect([...zonesAnswered].sort()).toEqual([...ZONES].sort());
    // Its timers (the sweep of retired rows) must not outlive the store they would read.
    await rollups.stop();
    await store.close();
  }, 180_000);
});
