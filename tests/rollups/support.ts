import { newId } from '../../server/src/crypto/random.js';
import type { PageDoc, RecordDoc, Rule, WidgetDoc, WidgetKind, WidgetQuery } from '../../server/src/domain/types.js';
import { compileForm, toWidgetData, type Scope, type View } from '../../server/src/query/compiler.js';
import { formOf } from '../../server/src/query/query-form.js';
import type { RollupsService } from '../../server/src/rollups/rollups.service.js';
import type { Store } from '../../server/src/store/port.js';

/** A deterministic generator (a linear congruential one), so that a failing case can be replayed from its seed. */
export function randomSource(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 4_294_967_296;
  };
  return {
    next,
    int: (below: number) => Math.floor(next() * below),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Random = ReturnType<typeof randomSource>;

export const OWNERS = ['o1', 'o2', 'o3', 'o4', 'o5'];
const CHANNELS: unknown[] = ['phone', 'chat', 'email', null, 7, true, ['phone', 'chat']];
const START = Date.UTC(2026, 2, 1);
const SPAN_MS = 275 * 86_400_000;

/**
 * Records that exercise what `$group` and `$sum` are particular about: owners null or absent,
 * dimension values that are missing, null, numbers, booleans and arrays, metric values that are
 * whole or half numbers (so sums are exact in any order), missing, null, and (in `score`)
 * strings; times across the DST changes of March, April, October and November, to the second.
 */
export function randomRecords(random: Random, workspaceId: string, dataset: string, count: number): RecordDoc[] {
  return Array.from({ length: count }, () => {
    const data: Record<string, unknown> = {};
    const channel = random.int(CHANNELS.length + 1);
    if (channel < CHANNELS.length) data['channel'] = CHANNELS[channel];
    if (random.chance(0.8)) data['region'] = random.pick(['north', 'south', 'west']);
    const minutes = random.next();
    if (minutes < 0.85) data['minutes'] = random.int(121) / 2;
    else if (minutes < 0.92) data['minutes'] = null;
    const score = random.next();
    if (score < 0.7) data['score'] = random.int(50) - 10;
    else if (score < 0.75) data['score'] = `s${random.int(5)}`;
    return {
      _id: newId(),
      workspaceId,
      dataset,
      owner: random.chance(0.05) ? null : random.pick(OWNERS),
      at: new Date(START + Math.floor((random.next() * SPAN_MS) / 1000) * 1000),
      data,
    };
  });
}

const FILTERS: Rule[][] = [
  [],
  [],
  [],
  [{ field: 'channel', op: 'IN', value: ['phone', 'chat'] }],
  [{ field: 'region', op: 'NE', value: 'west' }],
  [{ field: 'minutes', op: 'GTE', value: 10 }],
];

/** A random widget query of the shapes a page may declare (NUMBER, BAR by a field or a bucket, LINE with or without series). */
export function randomWidget(random: Random, dataset: string): { kind: WidgetKind; query: WidgetQuery } {
  const kind = random.pick<WidgetKind>(['NUMBER', 'BAR', 'BAR', 'LINE', 'LINE']);
  const fn = random.pick(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX'] as const);
  const field = random.chance(0.8) ? 'minutes' : 'score';
  const grouped = kind !== 'NUMBER';
  const bucket = kind === 'LINE' || (kind === 'BAR' && random.chance(0.4)) ? random.pick(['HOUR', 'DAY', 'WEEK', 'MONTH'] as const) : null;
  const groupBy = grouped && !bucket ? random.pick(['channel', 'region', 'owner']) : null;
  const seriesBy = grouped && random.chance(0.35) ? random.pick(['channel', 'region']) : null;
  const sort = grouped && random.chance(0.4) ? { field: random.pick(['value', groupBy ?? 'value']), direction: random.pick(['ASC', 'DESC'] as const) } : null;
  return {
    kind,
    query: {
      dataset,
      filters: random.pick(FILTERS),
      groupBy,
      bucket,
      metric: { fn, field: fn === 'COUNT' ? null : field },
      select: null,
      sort,
      limit: grouped && random.chance(0.3) ? 1 + random.int(6) : null,
      seriesBy,
    },
  };
}

/** A page holding `widgets`, in `timezone` (which decides its rollups' grain). */
export function pageWith(workspaceId: string, authorId: string, widgets: ReadonlyArray<{ kind: WidgetKind; query: WidgetQuery }>, timezone = 'UTC'): PageDoc {
  const now = new Date();
  return {
    _id: newId(),
    workspaceId,
    title: 'Differential',
    description: null,
    dashboard: false,
    refreshSeconds: null,
    freshnessSeconds: 0,
    widgets: widgets.map((widget, index): WidgetDoc => ({ id: `w${index}`, title: `Widget ${index}`, kind: widget.kind, query: widget.query })),
    createdBy: authorId,
    ownerId: authorId,
    authorId,
    sharing: 'WORKSPACE_VIEW',
    grants: [],
    timezone,
    createdAt: now,
    updatedAt: now,
  } as PageDoc;
}

/** A widget's answer both ways: from the records, and from its rollup (null when the rollup cannot answer). */
export async function bothWays(store: Store, rollups: RollupsService, page: PageDoc, query: WidgetQuery, scope: Scope, view: View) {
  const form = formOf(query, scope, view);
  const raw = await store.aggregateRecords(compileForm(form));
  const specs = await rollups.readyFor(page);
  const fromRollup = await rollups.answer(specs, page, form);
  return {
    raw: toWidgetData(query, raw, view),
    rollup: fromRollup === null ? null : toWidgetData(query, fromRollup, view),
  };
}
