import { afterAll, describe, expect, test } from '@jest/globals';
import { LEASE_MS, MARK_TTL_MS } from '../../server/src/rollups/rollups.service.js';
import { FaultyStore } from '../../server/src/store/faulty-store.js';
import type { RollupSource } from '../../server/src/store/port.js';
import { storeAdapters, type StoreAdapter } from '../support/store-adapters.js';
import { calls, everyRenderEqualsTheRecords, instance, ManualClock, recordsOf, rollupsAnswerAndEqualTheRecords, WIDGETS } from './numbers-support.js';

/**
 * A rollup answers only when it provably equals the records, whatever fails or races: a merge
 * that fails and is retried, an ingest cut off between storing and counting, a render while its
 * rollup is rebuilt, two instances building one rollup, and drift found by the reconcile. Run on
 * both adapters: memory, and mongo through the real driver and the wire peer.
 */

const OWNERS = ['cust-1', 'cust-2', 'cust-3'];
const adapters = await storeAdapters();
afterAll(async () => {
  for (const adapter of adapters) await adapter.close();
});

/** A resolvable promise, to hold a store call until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

async function setUp(adapter: StoreAdapter, clock = new ManualClock()) {
  const store = new FaultyStore(await adapter.open());
  const errors: unknown[] = [];
  const { services, viewer } = await instance(store, clock, errors);
  await services.records.ingest(viewer, 'calls', calls(0, 90, OWNERS));
  const page = await services.pages.create(viewer, { title: 'Support', widgets: WIDGETS as never });
  await services.rollups.idle();
  await rollupsAnswerAndEqualTheRecords(store, services, page);
  return { store, services, viewer, page, clock, errors };
}

describe.each(adapters)('rollups under faults and races: $name adapter', (adapter) => {
  test('an ingest whose merge fails, retried with the same record ids, is counted exactly once', async () => {
    const { store, services, viewer, page } = await setUp(adapter);
    adapter.failNext(store, 'mergeRollups');
    await expect(services.records.ingest(viewer, 'calls', calls(200, 12, OWNERS))).rejects.toThrow();
    // The records were stored before the merge failed: the retry stores nothing new.
    expect(await services.records.ingest(viewer, 'calls', calls(200, 12, OWNERS))).toEqual({ inserted: 0, duplicates: 12 });
    await services.rollups.idle();
    expect(await store.records.count({ workspaceId: viewer.workspace._id, dataset: 'calls' })).toBe(102);
    await rollupsAnswerAndEqualTheRecords(store, services, page);
    await everyRenderEqualsTheRecords(store, services, page);
  });

  test('an ingest cut off between storing and counting (its process stopped) is repaired by the next instance', async () => {
    const clock = new ManualClock();
    const { store, services, viewer, page } = await setUp(adapter, clock);
    const never = gate();
    const stopped = gate();
    store.intercept = async (call) => {
      if (call !== 'mergeRollups') return;
      store.intercept = null;
      stopped.open();
      await never.opened;
    };
    // The first instance stores ten records and never counts them: as if stopped without draining.
    void services.records.ingest(viewer, 'calls', calls(300, 10, OWNERS)).catch(() => undefined);
    await stopped.opened;
    expect(await store.records.count({ workspaceId: viewer.workspace._id })).toBe(100);
    const next = await instance(store, clock);
    // Until the cut-off ingest's mark expires, renders read the records: right, if slower.
    await everyRenderEqualsTheRecords(store, next.services, page);
    clock.advance(MARK_TTL_MS + 1);
    await next.services.rollups.reconcile();
    expect(next.services.rollups.repairs).toBe(1);
    await rollupsAnswerAndEqualTheRecords(store, next.services, page);
    await everyRenderEqualsTheRecords(store, next.services, page);
    never.open();
  });

  test('an erasure whose rebuild fails, then is retried, leaves the erased owner in no answer', async () => {
    const { store, services, viewer, page } = await setUp(adapter);
    adapter.failNext(store, 'fullBuild');
    await expect(services.records.eraseOwner(viewer, 'cust-2', 'calls')).rejects.toThrow();
    await everyRenderEqualsTheRecords(store, services, page);
    expect(await services.records.eraseOwner(viewer, 'cust-2', 'calls')).toBe(0);
    expect(await recordsOf(store, viewer.workspace._id, 'cust-2')).toBe(0);
    await rollupsAnswerAndEqualTheRecords(store, services, page);
    await everyRenderEqualsTheRecords(store, services, page);
  });

  test('a render while its rollup is rebuilt answers the records as they were before or after, never the emptied rows', async () => {
    const { store, services, viewer, page } = await setUp(adapter);
    const count = (await services.renderer.render(page, { workspaceId: viewer.workspace._id, owners: null, rules: [] }, viewingOf(page))).widgets[0]!.data
      .rows[0]![0];
    const erased = gate();
    const reading = gate();
    let held = false;
    store.intercept = async (call) => {
      if (call === 'aggregateRollups' && !held) {
        held = true;
        reading.open();
        await erased.opened;
      }
    };
    // The render has read which generation answers, and reads its rows only once the rebuild has switched.
    const rendering = services.renderer.render(page, { workspaceId: viewer.workspace._id, owners: null, rules: [] }, viewingOf(page));
    await reading.opened;
    await services.records.eraseOwner(viewer, 'cust-3', 'calls');
    erased.open();
    const rendered = await rendering;
    store.intercept = null;
    expect([count, 60]).toContain(rendered.widgets[0]!.data.rows[0]![0]);
    await everyRenderEqualsTheRecords(store, services, page);
  });

  test('two instances building one rollup at once build it once, and it equals the records', async () => {
    const clock = new ManualClock();
    const store = new FaultyStore(await adapter.open());
    const first = await instance(store, clock);
    const second = await instance(store, clock);
    await first.services.records.ingest(first.viewer, 'calls', calls(0, 120, OWNERS));
    // Both instances scan slowly, so their builds overlap.
    store.intercept = async (call, args) => {
      if (call === 'rollupRecords' && (args[0] as RollupSource).ids === null) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    const page = await first.services.pages.create(first.viewer, { title: 'Support', widgets: WIDGETS as never });
    await Promise.all([first.services.rollups.syncWorkspace(page.workspaceId), second.services.rollups.syncWorkspace(page.workspaceId)]);
    store.intercept = null;
    const specs = await store.rollupSpecs.count({ workspaceId: page.workspaceId });
    expect(first.services.rollups.builds + second.services.rollups.builds).toBe(specs);
    await rollupsAnswerAndEqualTheRecords(store, first.services, page);
    await rollupsAnswerAndEqualTheRecords(store, second.services, page);
  });

  test('a builder that stopped holding the lease is taken over once the lease expires', async () => {
    const clock = new ManualClock();
    const store = new FaultyStore(await adapter.open());
    const first = await instance(store, clock);
    await first.services.records.ingest(first.viewer, 'calls', calls(0, 60, OWNERS));
    const never = gate();
    const stopped = gate();
    store.intercept = async (call, args) => {
      if (call !== 'rollupRecords' || (args[0] as RollupSource).ids !== null) return;
      store.intercept = null;
      stopped.open();
      await never.opened;
    };
    const page = await first.services.pages.create(first.viewer, { title: 'Support', widgets: WIDGETS as never });
    // The first instance took a spec's lease and stopped in the middle of its scan.
    await stopped.opened;
    const second = await instance(store, clock);
    await second.services.rollups.reconcile();
    // The lease still holds: the second instance leaves that spec to its builder.
    expect(await store.rollupSpecs.count({ workspaceId: page.workspaceId, status: 'building' })).toBeGreaterThan(0);
    clock.advance(LEASE_MS + 1);
    await second.services.rollups.reconcile();
    await rollupsAnswerAndEqualTheRecords(store, second.services, page);
    never.open();
  });

  test('the reconcile finds a rollup that drifted from its records and rebuilds it', async () => {
    const { store, services, viewer, page } = await setUp(adapter);
    // Records stored behind the rollups' back (by hand, as a restore from a backup would).
    await store.records.insertMany(
      calls(500, 5, OWNERS).map((call, index) => ({
        _id: `restored-${index}`,
        workspaceId: viewer.workspace._id,
        dataset: 'calls',
        owner: call.owner!,
        at: new Date(call.at),
        data: { channel: call.channel, minutes: call.minutes },
      })),
    );
    await services.rollups.reconcile();
    expect(services.rollups.drifts).toBeGreaterThan(0);
    await rollupsAnswerAndEqualTheRecords(store, services, page);
    await everyRenderEqualsTheRecords(store, services, page);
  });
});

function viewingOf(page: { timezone?: string }) {
  return {
    view: { timezone: 'UTC', weekStart: 'MONDAY' as const, from: null, to: null },
    timezone: page.timezone ?? 'UTC',
    weekStart: 'MONDAY' as const,
    locale: null,
    theme: 'LIGHT' as const,
    range: { preset: 'ALL_TIME' as const, from: null, to: null },
    rangeLocked: true,
    presets: [],
    maxDays: null,
  };
}
