import type { Bucket, WidgetDoc, WidgetQuery } from '../domain/types.js';
import type { Pipeline } from '../store/port.js';
import { compileQuery, isTimeSeries, MAX_LIMIT, rowLimit, toWidgetData, type Scope, type View, type WidgetData } from './compiler.js';
import { nextStart, truncate, type TimeUnit } from './zoned-time.js';

/*
 * What a widget shows when its query asks for more than one answer may carry, said rather than hidden:
 *
 * - A time series read left to right has every bucket of its range (empty ones filled), at most its point
 *   cap (its limit, at most MAX_LIMIT). When the range holds more buckets than that, it is shown by the
 *   next coarser bucket that fits (HOUR → DAY → WEEK → MONTH), and says how many it would have had.
 * - Anything else cut by its limit (a TABLE, top categories) keeps the rows its sort asks for and says
 *   how many there were in all ("first N of M").
 * - The first and last buckets of a series say when they cover only part of their period.
 *
 * The grain is chosen from the query and the range alone, so a coarser series is one more query of the
 * same kind: rollups answer it where they answer the widget's own (their rows nest in every bucket), and
 * the records otherwise.
 */

const COARSER: Record<Bucket, Bucket | null> = { HOUR: 'DAY', DAY: 'WEEK', WEEK: 'MONTH', MONTH: null };
const UNITS: Record<Bucket, TimeUnit> = { HOUR: 'hour', DAY: 'day', WEEK: 'week', MONTH: 'month' };
const HOUR_MS = 3_600_000;

/** The most points one series may have: its limit, at most MAX_LIMIT (the compiler fills up to it). */
export const pointCap = (query: WidgetQuery): number => Math.min(query.limit ?? MAX_LIMIT, MAX_LIMIT);

/** How many `bucket`s start in `[from, to)` in the view's zone (the first is the one `from` falls in). */
export function bucketsBetween(from: number, to: number, bucket: Bucket, view: View): number {
  const unit = UNITS[bucket];
  const first = truncate(from, unit, view.timezone, view.weekStart);
  // Every hour is an hour long, in every zone whose clocks change by whole hours or not at all.
  if (unit === 'hour') return Math.max(0, Math.ceil((to - first) / HOUR_MS));
  let count = 0;
  for (let at = first; at < to; at = nextStart(at, unit, view.timezone)) count += 1;
  return count;
}

/** How one widget's query is run for a view, and what to say about it. */
export interface ShownPlan {
  /** The widget's own query. */
  asked: WidgetQuery;
  /** What runs: the widget's query by a coarser bucket, or (groups, lists) cut by the renderer instead of the store. */
  query: WidgetQuery;
  /** How many of the widget's own buckets the range holds, when it is shown by a coarser one (null: unbounded, see `from`). */
  buckets: number | null;
  /** Unbounded: the first bucket of the widget's own that has data (known once its own answer did not fit). */
  from?: number;
  /** A record list (TABLE without metric): its rows in all are counted beside it. */
  countsRecords: boolean;
}

/**
 * The query a widget runs in a view: a time series by the finest bucket from its own up whose
 * buckets in the range fit its point cap (when the range is unbounded, its own; `coarsen` steps
 * later if the data is longer); grouped rows with the limit lifted to MAX_LIMIT, so the rows in
 * all are known and the renderer keeps the first `limit`.
 */
export function planShown(asked: WidgetQuery, view: View): ShownPlan {
  if (asked.bucket && isTimeSeries(asked)) {
    let bucket: Bucket = asked.bucket;
    let buckets: number | null = null;
    if (view.from && view.to) {
      const cap = pointCap(asked);
      const own = bucketsBetween(view.from.getTime(), view.to.getTime(), bucket, view);
      while (COARSER[bucket] && bucketsBetween(view.from.getTime(), view.to.getTime(), bucket, view) > cap) bucket = COARSER[bucket]!;
      if (bucket !== asked.bucket) buckets = own;
    }
    return { asked, query: bucket === asked.bucket ? asked : { ...asked, bucket }, buckets, countsRecords: false };
  }
  if (asked.groupBy || asked.bucket) return { asked, query: { ...asked, limit: MAX_LIMIT }, buckets: null, countsRecords: false };
  return { asked, query: asked, buckets: null, countsRecords: !asked.metric };
}

/** The distinct series of a pipeline's output (one when the widget has no `seriesBy`). */
const seriesIn = (query: WidgetQuery, output: ReadonlyArray<Record<string, unknown>>): number =>
  query.seriesBy ? Math.max(1, new Set(output.map((row) => String((row['_id'] as Record<string, unknown> | null)?.['s']))).size) : 1;

const instant = (row: Record<string, unknown> | undefined, seriesBy: boolean): number | null => {
  const id = seriesBy ? (row?.['_id'] as Record<string, unknown> | null)?.['k'] : row?.['_id'];
  return id instanceof Date ? id.getTime() : null;
};

/** How many points a time series' output fills to in the view: its buckets (in the range, else from its first to its last) times its series. */
function pointsOf(plan: ShownPlan, output: ReadonlyArray<Record<string, unknown>>, view: View): number {
  const bucket = plan.query.bucket!;
  let buckets: number;
  if (view.from && view.to) buckets = bucketsBetween(view.from.getTime(), view.to.getTime(), bucket, view);
  else {
    const times = output.map((row) => instant(row, Boolean(plan.query.seriesBy))).filter((at): at is number => at !== null);
    if (times.length === 0) return 0;
    const first = Math.min(...times);
    const last = Math.max(...times);
    buckets = bucketsBetween(
      view.from ? Math.min(first, view.from.getTime()) : first,
      view.to && view.to.getTime() > last ? view.to.getTime() : last + 1,
      bucket,
      view,
    );
  }
  return buckets * seriesIn(plan.query, output);
}

/**
 * When a time series' answer still does not fit its cap (an unbounded range longer than the cap,
 * or several series), the plan one bucket coarser; null when it fits or is by month already.
 */
export function coarsen(plan: ShownPlan, output: ReadonlyArray<Record<string, unknown>>, view: View): ShownPlan | null {
  const bucket = plan.query.bucket;
  if (!bucket || !isTimeSeries(plan.query) || !COARSER[bucket]) return null;
  const cap = pointCap(plan.asked);
  if (output.length < rowLimit(plan.query) && pointsOf(plan, output, view) <= cap) return null;
  const own = plan.buckets ?? (view.from && view.to ? bucketsBetween(view.from.getTime(), view.to.getTime(), plan.asked.bucket!, view) : null);
  const from = plan.from ?? instant(output[0], Boolean(plan.query.seriesBy)) ?? undefined;
  return { ...plan, query: { ...plan.query, bucket: COARSER[bucket] }, buckets: own, ...(from !== undefined && { from }) };
}

/**
 * The count of a widget's rows in all, as a pipeline over the records: its groups, or for a record
 * list its records. The widget's own pipeline up to its `$sort`, then `$count`.
 */
export function compileRowCount(query: WidgetQuery, scope: Scope, view: View): Pipeline {
  const stages = compileQuery(query, scope, view);
  const sort = stages.findIndex((stage) => '$sort' in stage);
  return [...(sort === -1 ? stages : stages.slice(0, sort)), { $count: 'n' }];
}

/** A `$count` pipeline's answer as a number. */
export const countOf = (output: ReadonlyArray<Record<string, unknown>> | null | undefined): number => Number(output?.[0]?.['n'] ?? 0);

/** Rows shown of rows in all, when a widget shows fewer than its query matched. */
export interface RowsShown {
  shown: number;
  total: number;
}

/** A series shown by a coarser bucket: how many of its own buckets the range holds, and its point cap. */
export interface CoarserBucket {
  buckets: number | null;
  maxPoints: number;
}

/** Which ends of a time series cover only part of their bucket. */
export interface PartialBuckets {
  first: boolean;
  last: boolean;
}

/**
 * The first and last buckets of a filled series that cover only part of their period: the range
 * starts after the first one starts, or ends before the last one does, or the last one is still
 * running at `now`. Null when there is no time series, or neither end is partial.
 */
export function partialBuckets(query: WidgetQuery, rows: ReadonlyArray<ReadonlyArray<unknown>>, view: View, now: Date): PartialBuckets | null {
  if (!query.bucket || !isTimeSeries(query) || rows.length === 0) return null;
  const unit = UNITS[query.bucket];
  const first = Date.parse(String(rows[0]![0]));
  const last = Date.parse(String(rows[rows.length - 1]![0]));
  if (Number.isNaN(first) || Number.isNaN(last)) return null;
  const lastEnd = nextStart(last, unit, view.timezone);
  const partial = {
    first: view.from !== null && view.from.getTime() > first,
    last: (view.to !== null && view.to.getTime() < lastEnd) || (last <= now.getTime() && now.getTime() < lastEnd),
  };
  return partial.first || partial.last ? partial : null;
}

/** A widget's data as shown, and what the viewer is told about it. */
export interface ShownData {
  data: WidgetData;
  /** The bucket of the data's first column: the widget's, or a coarser one (`coarser` says why). */
  bucketShown: Bucket | null;
  coarser: CoarserBucket | null;
  cut: RowsShown | null;
  partial: PartialBuckets | null;
}

type Output = Array<Record<string, unknown>>;

/** One widget of a render: its query, and the scope and view of its page. */
export interface ShownItem {
  query: WidgetQuery;
  scope: Scope;
  view: View;
}

/**
 * Runs widgets' queries as shown (the widgets of one page, or of pages rendered together). `run`
 * answers several items at once (each as given, but for its query), from rollups or records as the caller reads them; `count` runs
 * count pipelines over the records, at once. The first step runs every widget and counts the
 * record lists beside them; another step follows only when an answer did not fit (a series longer
 * than its cap over an unbounded range, or with several series; MAX_LIMIT groups, which might be
 * more): those run again one bucket coarser, or are counted.
 */
export async function showWidgets<Item extends ShownItem>(
  items: readonly Item[],
  now: Date,
  run: (items: Item[]) => Promise<Output[]>,
  count: (pipelines: Pipeline[]) => Promise<Output[]>,
): Promise<ShownData[]> {
  const plans = items.map((item) => planShown(item.query, item.view));
  const runOf = (index: number): Item => ({ ...items[index]!, query: plans[index]!.query });
  const countsOf = async (indexes: number[]): Promise<number[]> =>
    indexes.length ? (await count(indexes.map((index) => compileRowCount(plans[index]!.query, items[index]!.scope, items[index]!.view)))).map(countOf) : [];
  const lists = plans.flatMap((plan, index) => (plan.countsRecords ? [index] : []));
  const [outputs, listed] = await Promise.all([run(items.map((_, index) => runOf(index))), countsOf(lists)]);
  const totals: Array<number | null> = items.map(() => null);
  lists.forEach((index, at) => (totals[index] = listed[at]!));
  for (;;) {
    const coarser = plans.map((plan, index) => coarsen(plan, outputs[index]!, items[index]!.view));
    const again = coarser.flatMap((plan, index) => (plan ? [index] : []));
    const uncounted = plans.flatMap((plan, index) =>
      !plan.countsRecords &&
      !isTimeSeries(plan.query) &&
      (plan.query.groupBy || plan.query.bucket) &&
      totals[index] === null &&
      outputs[index]!.length >= MAX_LIMIT
        ? [index]
        : [],
    );
    if (again.length === 0 && uncounted.length === 0) break;
    for (const index of again) plans[index] = coarser[index]!;
    const [rerun, recounted] = await Promise.all([again.length ? run(again.map(runOf)) : [], countsOf(uncounted)]);
    again.forEach((index, at) => (outputs[index] = rerun[at]!));
    uncounted.forEach((index, at) => (totals[index] = recounted[at]!));
  }
  return plans.map((plan, index) => shown(plan, outputs[index]!, totals[index] ?? null, items[index]!.view, now));
}

/** One widget's answer shaped for the viewer: cut to its limit where the store was asked for more, and described. */
function shown(plan: ShownPlan, output: Output, counted: number | null, view: View, now: Date): ShownData {
  const { asked, query } = plan;
  let cut: RowsShown | null = null;
  let rows = output;
  if (query.bucket && isTimeSeries(query)) {
    // By month and still over the cap: the first buckets are shown, and the viewer is told.
    const points = pointsOf(plan, output, view);
    if (output.length >= rowLimit(query) || points > pointCap(asked)) cut = { shown: Math.min(points, pointCap(asked)), total: points };
  } else if (query.groupBy || query.bucket) {
    const limit = rowLimit(asked);
    const total = counted ?? output.length;
    rows = output.slice(0, limit);
    if (total > rows.length) cut = { shown: rows.length, total };
  } else if (counted !== null && counted > output.length) cut = { shown: output.length, total: counted };
  const data = toWidgetData(query, rows, view);
  let buckets = plan.buckets;
  const lastKey = Date.parse(String(data.rows.at(-1)?.[0]));
  if (buckets === null && plan.from !== undefined && query.bucket && !Number.isNaN(lastKey)) {
    // Unbounded: the widget's own buckets from its first with data to the end of the last one shown, or now.
    const end = nextStart(lastKey, UNITS[query.bucket], view.timezone);
    buckets = bucketsBetween(plan.from, now.getTime() > plan.from ? Math.min(end, now.getTime()) : end, asked.bucket!, view);
  }
  return {
    data,
    bucketShown: query.bucket,
    coarser: query.bucket !== asked.bucket ? { buckets, maxPoints: pointCap(asked) } : null,
    cut,
    partial: partialBuckets(query, data.rows, view, now),
  };
}

/** The fields of a widget an embed shows besides its data (GraphQL `EmbeddedWidget`, but for `columnFormats`). */
export function widgetFields(widget: WidgetDoc) {
  return {
    id: widget.id,
    title: widget.title,
    kind: widget.kind,
    label: widget.label ?? null,
    columnLabels: widget.columnLabels ?? null,
    format: widget.format ?? null,
    seriesBy: widget.query.seriesBy ?? null,
    bucket: widget.query.bucket,
    clickEvents: widget.clickEvents ?? false,
  };
}

/** A widget as an embed shows it. */
export type ShownWidget = ReturnType<typeof widgetFields> & ShownData & { columnFormats: WidgetDoc['columnFormats'] | null };
