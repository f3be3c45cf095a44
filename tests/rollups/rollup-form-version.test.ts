import { afterAll, describe, expect, test } from '@jest/globals';
import { newId } from '../../server/src/crypto/random.js';
import type { RecordDoc } from '../../server/src/domain/types.js';
import { systemClock } from '../../server/src/domain/viewer.js';
import type { Scope, View } from '../../server/src/query/compiler.js';
import { declaredFormOf, QUERY_FORM_VERSION } from '../../server/src/query/query-form.js';
import { RollupsService } from '../../server/src/rollups/rollups.service.js';
import { rollupShapeOf, rowsOf, specIdOf } from '../../server/src/rollups/rollup-spec.js';
import { storeAdapters } from '../support/store-adapters.js';
import { bothWays, pageWith } from './support.js';

/**
 * Spec ids carry the query form's version: rollups a planner of another version stored are not
 * read by this one, and the reconcile drops them (with their rows) and builds this version's.
 * Both adapters: memory, and mongo through the wire peer.
 */

const WORKSPACE = 'ws-version';
const adapters = await storeAdapters();
afterAll(async () => {
  for (const adapter of adapters) await adapter.close();
});

const query = {
  dataset: 'events',
  filters: [],
  groupBy: 'channel',
  bucket: null,
  metric: { fn: 'SUM' as const, field: 'minutes' },
  select: null,
  sort: null,
  limit: null,
};

describe.each(adapters)('a rollup of an older query form version: $name adapter', (adapter) => {
  test("is never read, and the reconcile replaces it with this version's, dropping its rows", async () => {
    const store = await adapter.open();
    const rollups = new RollupsService(store, systemClock, (error) => {
      throw error;
    });
    const records: RecordDoc[] = Array.from({ length: 40 }, (_, index) => ({
      _id: newId(),
      workspaceId: WORKSPACE,
      dataset: 'events',
      owner: `o${index % 3}`,
      at: new Date(Date.UTC(2026, 4, 1) + index * 1_234_567),
      data: { channel: ['phone', 'chat'][index % 2], minutes: index * 1.5 },
    }));
    await store.records.insertNew(records);
    const page = pageWith(WORKSPACE, 'author', [{ kind: 'BAR', query }], 'Asia/Kathmandu');
    // As the previous version left it: its spec, ready, with rows (wrong ones: they count double), named by the page.
    const shape = rollupShapeOf(WORKSPACE, declaredFormOf(query, WORKSPACE))!;
    const oldId = specIdOf(shape, QUERY_FORM_VERSION - 1);
    const oldSpec = { _id: oldId, ...shape, generation: 1, status: 'ready' as const, updatedAt: new Date() };
    await store.rollupSpecs.insertOne(oldSpec);
    const cells = await store.rollupRecords({
      workspaceId: WORKSPACE,
      dataset: 'events',
      ids: null,
      filters: [],
      groupPath: 'data.channel',
      seriesPath: null,
      fieldPath: 'data.minutes',
      grainMs: shape.grainMs,
    });
    await store.mergeRollups(rowsOf(oldSpec, 1, [...cells, ...cells]));
    await store.pages.insertOne({ ...page, rollupSpecIds: [oldId] });

    const scope: Scope = { workspaceId: WORKSPACE, owners: null, rules: [] };
    const view: View = { timezone: 'Asia/Kathmandu', weekStart: 'MONDAY', from: null, to: null };
    // Not this version's: the records answer (and the old rows' double counts are never shown).
    const before = await bothWays(store, rollups, page, query, scope, view);
    expect(before.rollup).toBeNull();

    await rollups.reconcile();
    await rollups.idle();
    const newId_ = specIdOf(shape);
    expect((await store.rollupSpecs.find({ workspaceId: WORKSPACE })).map((spec) => [spec._id, spec.status])).toEqual([[newId_, 'ready']]);
    expect(await store.rollups.count({ specId: oldId })).toBe(0);
    expect((await store.pages.findOne({ _id: page._id }))!.rollupSpecIds).toEqual([newId_]);
    const after = await bothWays(store, rollups, page, query, scope, view);
    expect(after.rollup).toEqual(after.raw);
    await rollups.stop();
    await store.close();
  }, 120_000);
});
