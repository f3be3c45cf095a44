import type { MetricFn, Rule, Weekday, WidgetQuery } from '../domain/types.js';
import type { TimeUnit } from './zoned-time.js';

/**
 * What a widget asks for in one view, as meaning rather than as a pipeline: the widget compiler
 * makes it once (`formOf`), and both the pipeline compiler (`compileForm`, over the records) and
 * the rollup planner (`planRollup`, over rollup rows) read it. Neither reads the other's output,
 * so the planner never has to recognise a pipeline, and anything the form does not say cannot be
 * answered differently by the two paths.
 *
 * Bump QUERY_FORM_VERSION whenever the form or what either compiler makes of it changes meaning:
 * rollup spec ids include it, so the next sync stores and builds new specs and drops the old ones
 * (and their rows) through the usual machinery (`RollupsService.#sync`).
 */
export const QUERY_FORM_VERSION = 2;

/** A grouping key: a field's value, or the start of a calendar period of `at` in a zone. */
export type Dimension = { kind: 'field'; field: string } | { kind: 'time'; unit: TimeUnit; zone: string; weekStart: Weekday | null };

/**
 * One term of the result order. `key` and `series` are the first and second dimension, `value`
 * the metric; `field` and `record` order a record list (by a field, then by stored id).
 */
export type SortTerm = { by: 'key' | 'series' | 'value' | 'record'; direction: 1 | -1 } | { by: 'field'; field: string; direction: 1 | -1 };

export interface QueryForm {
  version: typeof QUERY_FORM_VERSION;
  dataset: string;
  /** What the viewer may see (workspace, owners, rules): ANDed before anything else. */
  scope: { workspaceId: string; owners: readonly string[] | null; rules: readonly Rule[] };
  /** `[from, to)` on `at`; null: unbounded on that side. */
  range: { from: Date | null; to: Date | null };
  /** The widget's own filters. */
  filters: readonly Rule[];
  /** None (one total, or a record list), one, or two (the second is always a field: the series). */
  dimensions: readonly Dimension[];
  metric: { fn: MetricFn; field: string | null } | null;
  sort: readonly SortTerm[];
  /** The most rows; null for a single total. */
  limit: number | null;
  /** A record list's columns (no metric, no dimensions); null otherwise. */
  select: readonly string[] | null;
}

export const MAX_LIMIT = 1000;
const DEFAULT_TABLE_LIMIT = 100;
const METRIC_COLUMN = 'value';
const BUCKET_UNITS = { HOUR: 'hour', DAY: 'day', WEEK: 'week', MONTH: 'month' } as const;

/** The most rows a widget's query can return. */
export function rowLimit(query: WidgetQuery): number {
  return Math.min(query.limit ?? (query.metric ? MAX_LIMIT : DEFAULT_TABLE_LIMIT), MAX_LIMIT);
}

export const isSortedByValue = (query: WidgetQuery): boolean =>
  Boolean(query.sort?.field === METRIC_COLUMN || (query.metric && query.sort && query.sort.field === query.metric.field));

/** How a page is viewed, as far as the form needs it (the compiler's `View`). */
export interface FormView {
  timezone: string;
  weekStart: Weekday;
  from: Date | null;
  to: Date | null;
}

/**
 * The form of a widget's declared query in a scope and a view. Every choice the compilers used to
 * make from the query (which key wins, the default orders, limits) is made here, once.
 */
export function formOf(query: WidgetQuery, scope: QueryForm['scope'], view: FormView): QueryForm {
  const base = {
    version: QUERY_FORM_VERSION,
    dataset: query.dataset,
    scope: { workspaceId: scope.workspaceId, owners: scope.owners, rules: scope.rules },
    range: { from: view.from, to: view.to },
    filters: query.filters,
    metric: query.metric ? { fn: query.metric.fn, field: query.metric.fn === 'COUNT' ? null : query.metric.field } : null,
  } as const;
  const descending = query.sort?.direction === 'DESC' ? -1 : 1;
  if (query.groupBy || query.bucket) {
    const unit = query.bucket ? BUCKET_UNITS[query.bucket] : null;
    const key: Dimension = unit
      ? { kind: 'time', unit, zone: view.timezone, weekStart: unit === 'week' ? view.weekStart : null }
      : { kind: 'field', field: query.groupBy! };
    const limit = rowLimit(query);
    if (query.seriesBy) {
      // Two dimensions: one row per (key, series), read in key order, then series order.
      const sort: SortTerm[] = [
        { by: 'key', direction: query.sort && !query.bucket ? descending : 1 },
        { by: 'series', direction: 1 },
      ];
      return { ...base, dimensions: [key, { kind: 'field', field: query.seriesBy }], sort, limit, select: null };
    }
    // Time series read left to right; groups default to the largest first. The key breaks ties.
    const sort: SortTerm[] = isSortedByValue(query)
      ? [
          { by: 'value', direction: descending },
          { by: 'key', direction: 1 },
        ]
      : query.sort
        ? [{ by: 'key', direction: descending }]
        : query.bucket
          ? [{ by: 'key', direction: 1 }]
          : [
              { by: 'value', direction: -1 },
              { by: 'key', direction: 1 },
            ];
    return { ...base, dimensions: [key], sort, limit, select: null };
  }
  if (query.metric) return { ...base, dimensions: [], sort: [], limit: null, select: null };
  const sort: SortTerm[] = [
    query.sort ? { by: 'field', field: query.sort.field, direction: descending } : { by: 'field', field: 'at', direction: -1 },
    { by: 'record', direction: 1 },
  ];
  return { ...base, metric: null, dimensions: [], sort, limit: rowLimit(query), select: query.select ?? ['owner', 'at'] };
}

/** The form of a page's widget as its rollup is defined (no scope, no view): what `rollupShapeOf` reads. */
export const declaredFormOf = (query: WidgetQuery, workspaceId: string): QueryForm =>
  formOf(query, { workspaceId, owners: null, rules: [] }, { timezone: 'UTC', weekStart: 'MONDAY', from: null, to: null });
