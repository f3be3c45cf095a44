import { describe, expect, test } from '@jest/globals';
import type { RollupSource } from '../../server/src/store/port.js';
import { FaultyStore } from '../../server/src/store/faulty-store.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';
import { calls, everyRenderEqualsTheRecords, instance, recordsOf, rollupsAnswerAndEqualTheRecords, servedRollupRowsOf, WIDGETS } from './numbers-support.js';

/**
 * Erasure is total and idempotent: once `eraseOwner` (REST `DELETE …/records?owner=`, GraphQL
 * `deleteRecords`, `deleteUser(eraseRecords: true)`) returns, no render, rollup, catalog field or
 * field value shows the owner; and a retry after a failed attempt finishes what it left.
 */

const OWNERS = ['cust-1', 'cust-2', 'cust-3'];
/** cust-2 alone carries a `vip` field and the channel value "fax". */
const withSecrets = (index: number) => (OWNERS[index % 3] === 'cust-2' ? { vip: true, channel: index % 2 ? 'fax' : 'phone' } : {});

async function setUp() {
  const store = new FaultyStore(new MemoryStore());
  const { services, viewer } = await instance(store);
  await services.records.ingest(viewer, 'calls', calls(0, 150, OWNERS, withSecrets));
  const page = await services.pages.create(viewer, { title: 'Support', widgets: WIDGETS as never, freshnessSeconds: 3600 });
  await services.rollups.idle();
  await rollupsAnswerAndEqualTheRecords(store, services, page);
  return { store, services, viewer, page };
}

/** A full rebuild reads the whole dataset (`ids: null`); an ingest's merge reads only what it stored. */
const isFullBuild = (call: string, args: readonly unknown[]) => call === 'rollupRecords' && (args[0] as RollupSource).ids === null;

describe('erasure is total, everywhere, at once', () => {
  test('an erasure whose rollup rebuild fails is finished by its retry: no rollup, render, catalog field or field value shows the owner', async () => {
    const { store, services, viewer, page } = await setUp();
    store.intercept = (call, args) => {
      if (isFullBuild(call, args)) throw new Error('rebuild cut off');
    };
    await expect(services.records.eraseOwner(viewer, 'cust-2', 'calls')).rejects.toThrow('rebuild cut off');
    store.intercept = null;
    // The retry finds nothing left to erase: it must still finish the rebuild the first attempt began.
    await services.records.eraseOwner(viewer, 'cust-2', 'calls');

    expect(await recordsOf(store, viewer.workspace._id, 'cust-2')).toBe(0);
    expect(await servedRollupRowsOf(store, viewer.workspace._id, 'cust-2')).toBe(0);
    await rollupsAnswerAndEqualTheRecords(store, services, page);
    await everyRenderEqualsTheRecords(store, services, page);
    const catalog = await services.catalog.get(viewer, 'calls');
    expect(catalog?.fields.map((field) => field.name)).not.toContain('vip');
    expect(catalog?.recordCount).toBe(100);
    expect(await services.catalog.fieldValues(viewer, 'calls', 'channel')).not.toContain('fax');
  });

  test('a page with freshnessSeconds serves no erased row once deleteUser(eraseRecords: true) has returned', async () => {
    const { store, services, viewer, page } = await setUp();
    // Renders now fill the page's freshness cache (an hour) with cust-2's numbers.
    await everyRenderEqualsTheRecords(store, services, page);
    const user = await services.users.create(viewer, { externalId: 'cust-2' });
    await services.users.delete(viewer, user.user._id, { eraseRecords: true });
    await everyRenderEqualsTheRecords(store, services, page);
    expect(await servedRollupRowsOf(store, viewer.workspace._id, 'cust-2')).toBe(0);
    const fields = (await services.catalog.get(viewer, 'calls'))?.fields.map((field) => field.name);
    expect(fields).toEqual(expect.arrayContaining(['owner', 'at', 'channel', 'minutes']));
    expect(fields).not.toContain('vip');
  });

  test('a failed erasure already keeps caches from serving what it deleted, and renders read the records until its retry rebuilds', async () => {
    const { store, services, viewer, page } = await setUp();
    await everyRenderEqualsTheRecords(store, services, page);
    store.intercept = (call, args) => {
      if (isFullBuild(call, args)) throw new Error('rebuild cut off');
    };
    await expect(services.records.eraseOwner(viewer, 'cust-2', null)).rejects.toThrow('rebuild cut off');
    store.intercept = null;
    await everyRenderEqualsTheRecords(store, services, page);
    await services.records.eraseOwner(viewer, 'cust-2', null);
    await rollupsAnswerAndEqualTheRecords(store, services, page);
  });

  test('erasing an owner with no records is cheap: no rebuild', async () => {
    const { services, viewer } = await setUp();
    const before = services.rollups.builds;
    expect(await services.records.eraseOwner(viewer, 'nobody', 'calls')).toBe(0);
    expect(services.rollups.builds).toBe(before);
  });
});
