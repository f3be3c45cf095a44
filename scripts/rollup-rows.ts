/**
 * Rollup rows per spec for the bench's page and data, at the 15-minute cells (with UTC hour, day and
 * total rows) against what hourly cells (with day and total rows) would keep. `npx tsx scripts/rollup-rows.ts [records…]`.
 */
import { BENCH_WIDGETS, benchRecordDocs } from '../bench/fixture.js';
import type { WidgetQuery } from '../server/src/domain/types.js';
import { fieldPath } from '../server/src/query/compiler.js';
import { declaredFormOf } from '../server/src/query/query-form.js';
import { HOUR_MS, rollupShapeOf, rowsOf, specIdOf } from '../server/src/rollups/rollup-spec.js';
import { MemoryStore } from '../server/src/store/memory/memory-store.js';

const counts = process.argv.slice(2).map(Number);
for (const records of counts.length ? counts : [10_000, 100_000, 1_000_000]) {
  const store = new MemoryStore();
  // As the bench stores them: one generated run, stored in slices.
  const docs = benchRecordDocs('ws', records);
  for (let index = 0; index < docs.length; index += 50_000) await store.records.insertNew(docs.slice(index, index + 50_000));
  const lines: string[] = [];
  for (const widget of BENCH_WIDGETS) {
    const shape = rollupShapeOf(
      'ws',
      declaredFormOf({ filters: [], groupBy: null, bucket: null, select: null, sort: null, limit: null, ...widget.query } as WidgetQuery, 'ws'),
    )!;
    const source = (grainMs: number) => ({
      workspaceId: 'ws',
      dataset: shape.dataset,
      ids: null,
      filters: [],
      groupPath: shape.groupBy ? fieldPath(shape.groupBy) : null,
      seriesPath: shape.seriesBy ? fieldPath(shape.seriesBy) : null,
      fieldPath: shape.field ? fieldPath(shape.field) : null,
      grainMs,
    });
    const spec = { _id: specIdOf(shape), workspaceId: 'ws' };
    const now = rowsOf(spec, 1, await store.rollupRecords(source(shape.grainMs))).length;
    // Hourly cells: their 'hour' rows repeat the cells, and the grain before kept no hour rows.
    const hourly = rowsOf(spec, 1, await store.rollupRecords(source(HOUR_MS))).filter((row) => row.level !== 'hour').length;
    lines.push(`${widget.title}: ${hourly} → ${now}`);
  }
  console.log(`${records} records (bench data, 30 days, 50 owners): rollup rows per spec, hourly cells before → 15-minute cells now: ${lines.join('; ')}`);
  await store.close();
}
