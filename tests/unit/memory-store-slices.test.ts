import { describe, expect, test } from '@jest/globals';
import { newId } from '../../server/src/crypto/random.js';
import type { RecordDoc, WidgetQuery } from '../../server/src/domain/types.js';
import { compileFieldValues, compileQuery, type Scope } from '../../server/src/query/compiler.js';
import { MemoryStore } from '../../server/src/store/memory/memory-store.js';
import type { Pipeline } from '../../server/src/store/port.js';

/**
 * The memory store never holds the event loop for a whole aggregation (issue 21.3): callbacks
 * scheduled after an aggregation starts run before it answers. Counted in event-loop turns, not timed.
 */

const WORKSPACE = 'w'.repeat(28);
const scope: Scope = { workspaceId: WORKSPACE, owners: null, rules: [] };
const CHANNELS = ['phone', 'chat', 'email', 'video'];

function records(count: number): RecordDoc[] {
  return Array.from({ length: count }, (_, index) => ({
    _id: newId(),
    workspaceId: WORKSPACE,
    dataset: 'calls',
    owner: `cust-${index % 50}`,
    at: new Date(Date.UTC(2026, 9, 1) + ((index * 7919) % 30) * 86_400_000 + index * 1000),
    data: { channel: CHANNELS[index % 4], minutes: (index * 37) % 61, note: index % 9 === 0 ? 1.5 * index : `n${index % 13}` },
  }));
}

async function storeWith(docs: RecordDoc[], slices?: { chunk: number; sliceMs: number }): Promise<MemoryStore> {
  const store = new MemoryStore(slices ? { slices } : {});
  await store.records.insertNew(docs);
  return store;
}

/** The aggregation's rows, and how many event-loop turns (setImmediate callbacks scheduled after it started) ran before it answered. */
async function turnsDuring(run: () => Promise<Array<Record<string, unknown>>>): Promise<{ rows: Array<Record<string, unknown>>; turns: number }> {
  let turns = 0;
  let answered = false;
  const answer = run();
  const spin = () => {
    if (answered) return;
    turns += 1;
    setImmediate(spin);
  };
  setImmediate(spin);
  const rows = await answer;
  answered = true;
  return { rows, turns };
}

const query = (overrides: Partial<WidgetQuery>): WidgetQuery => ({
  dataset: 'calls',
  filters: [],
  groupBy: null,
  bucket: null,
  metric: null,
  select: null,
  sort: null,
  limit: null,
  seriesBy: null,
  ...overrides,
});

const PIPELINES: Array<[string, Pipeline]> = [
  [
    'a TABLE of 1 000 rows sorted by a field',
    compileQuery(query({ select: ['owner', 'minutes', 'note'], sort: { field: 'minutes', direction: 'DESC' }, limit: 1000 }), scope),
  ],
  ['a grouped AVG', compileQuery(query({ groupBy: 'channel', metric: { fn: 'AVG', field: 'minutes' } }), scope)],
  [
    'a DAY series by channel in New York',
    compileQuery(query({ bucket: 'DAY', seriesBy: 'channel', metric: { fn: 'SUM', field: 'note' } }), scope, {
      timezone: 'America/New_York',
      weekStart: 'MONDAY',
      from: null,
      to: null,
    }),
  ],
  ['fieldValues', compileFieldValues('calls', 'note', scope, 100)],
  // A list's row count (query/shown-series.ts): the scope's match, then `$count`.
  ['a row count of some owners', [compileQuery(query({}), { workspaceId: WORKSPACE, owners: ['cust-1', 'cust-2'], rules: [] })[0]!, { $count: 'n' }]],
];

describe('memory store aggregations yield to the event loop', () => {
  const docs = records(20_000);

  test.each(PIPELINES)(
    '%s over 20 000 records lets callbacks scheduled after it started run before it answers, with the same rows as in one piece',
    async (_, pipeline) => {
      const sliced = await storeWith(docs, { chunk: 128, sliceMs: 0 });
      const whole = await storeWith(docs, { chunk: Number.MAX_SAFE_INTEGER, sliceMs: Number.POSITIVE_INFINITY });
      const { rows, turns } = await turnsDuring(() => sliced.aggregateRecords(pipeline));
      // 20 000 / 128 chunks: one turn at least between every two.
      expect(turns).toBeGreaterThanOrEqual(150);
      const unsliced = await turnsDuring(() => whole.aggregateRecords(pipeline));
      // In one piece, nothing runs between the start and the answer but the one yield before it.
      expect(unsliced.turns).toBeLessThanOrEqual(1);
      expect(rows).toEqual(unsliced.rows);
      expect(rows.length).toBeGreaterThan(0);
    },
  );

  test('with the default slices, a TABLE over 50 000 records still lets other callbacks run before it answers', async () => {
    const store = await storeWith(records(50_000));
    const { rows, turns } = await turnsDuring(() => store.aggregateRecords(PIPELINES[0]![1]));
    expect(rows).toHaveLength(1000);
    expect(turns).toBeGreaterThan(1);
  });

  test('a rollup rebuild over every record of a dataset yields too', async () => {
    const store = await storeWith(docs, { chunk: 128, sliceMs: 0 });
    let turns = 0;
    let answered = false;
    const answer = store.rollupRecords({
      workspaceId: WORKSPACE,
      dataset: 'calls',
      ids: null,
      filters: [],
      grainMs: 3_600_000,
      groupPath: 'data.channel',
      seriesPath: null,
      fieldPath: 'data.minutes',
    });
    const spin = () => {
      if (answered) return;
      turns += 1;
      setImmediate(spin);
    };
    setImmediate(spin);
    const cells = await answer;
    answered = true;
    expect(turns).toBeGreaterThanOrEqual(150);
    expect(cells.reduce((sum, cell) => sum + cell.c, 0)).toBe(20_000);
  });
});
