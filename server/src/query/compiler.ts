import type { Bucket, Literal, Rule, RuleOp, Weekday, WidgetKind, WidgetQuery } from '../domain/types.js';
import { assertDatasetName, assertFieldName, parseRule } from '../domain/validation.js';
import { badInput } from '../errors.js';
import type { Pipeline } from '../store/port.js';
import { formOf, isSortedByValue, MAX_LIMIT, rowLimit, type Dimension, type QueryForm, type SortTerm } from './query-form.js';
import { nextStart, truncate, type TimeUnit } from './zoned-time.js';

/** What an embed may see: ANDed into every query before anything else. */
export interface Scope {
  workspaceId: string;
  /** null: every owner; otherwise only records of these owners. */
  owners: readonly string[] | null;
  rules: readonly Rule[];
}

/**
 * How a page is being viewed: the zone buckets are cut in, the first day of a week, and the date
 * range `[from, to)` on `at` (null: unbounded on that side). The renderer works it out from the
 * page, the token and the viewer (server/src/embeds/viewing.ts).
 */
export interface View {
  timezone: string;
  weekStart: Weekday;
  from: Date | null;
  to: Date | null;
}

export const UTC_VIEW: View = { timezone: 'UTC', weekStart: 'MONDAY', from: null, to: null };

export { MAX_LIMIT, rowLimit };
const METRIC_COLUMN = 'value';

const OPERATORS: Record<RuleOp, string> = { EQ: '$eq', NE: '$ne', GT: '$gt', GTE: '$gte', LT: '$lt', LTE: '$lte', IN: '$in', NIN: '$nin' };
const BUCKET_UNITS: Record<Bucket, TimeUnit> = { HOUR: 'hour', DAY: 'day', WEEK: 'week', MONTH: 'month' };

/** Where a user-facing field lives in a stored record: `owner` and `at` are top level, the rest under `data`. */
export function fieldPath(field: string): string {
  assertFieldName(field, 'field');
  return field === 'owner' || field === 'at' ? field : `data.${field}`;
}

/** `at` compares as a date, so ISO strings and epoch numbers are turned into dates for it. */
function literalFor(field: string, value: Literal): Literal | Date {
  if (field !== 'at' || value === null || typeof value === 'boolean') return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw badInput('Rules on "at" need an ISO date or epoch milliseconds.');
  return date;
}

/** One rule as a match condition. Values were validated as literals; they are wrapped in their operator. */
export function ruleToMatch(rule: Rule): Record<string, unknown> {
  const checked = parseRule(rule, 'rule');
  const value = Array.isArray(checked.value) ? checked.value.map((item) => literalFor(checked.field, item)) : literalFor(checked.field, checked.value);
  return { [fieldPath(checked.field)]: { [OPERATORS[checked.op]]: value } };
}

function scopeMatch(scope: Scope, dataset: string): Record<string, unknown> {
  const conditions: Array<Record<string, unknown>> = [{ workspaceId: { $eq: scope.workspaceId } }, { dataset: { $eq: dataset } }];
  if (scope.owners !== null) conditions.push({ owner: { $in: [...scope.owners] } });
  for (const rule of scope.rules) conditions.push(ruleToMatch(rule));
  return { $and: conditions };
}

function accumulator(metric: QueryForm['metric']): Record<string, unknown> {
  if (!metric || metric.fn === 'COUNT') return { $sum: 1 };
  const operand = `$${fieldPath(metric.field!)}`;
  return { SUM: { $sum: operand }, AVG: { $avg: operand }, MIN: { $min: operand }, MAX: { $max: operand } }[metric.fn];
}

/** The range as one more condition on `at`: ANDed after the scope, so it can only narrow. */
function rangeMatch(range: QueryForm['range']): Record<string, unknown> | null {
  if (!range.from && !range.to) return null;
  return { $match: { at: { ...(range.from && { $gte: range.from }), ...(range.to && { $lt: range.to }) } } };
}

/** MongoDB's `$dateTrunc` of `date` in the dimension's zone; `startOfWeek` only where it means something. */
export function timeKey(dimension: Extract<Dimension, { kind: 'time' }>, date: unknown): Record<string, unknown> {
  const { unit, zone, weekStart } = dimension;
  return { $dateTrunc: { date, unit, timezone: zone, ...(unit === 'week' && weekStart && { startOfWeek: weekStart.toLowerCase() }) } };
}

/**
 * The group key of a form's dimensions: one expression, or `{ k, s }` for two. `fieldRef` says
 * where the i-th dimension's field value is read from, `date` where `at` is: the record paths
 * here, the rollup row fields in the planner.
 */
export function groupKey(dimensions: readonly Dimension[], fieldRef: (index: number) => string, date: unknown): unknown {
  const one = (index: number) => {
    const dimension = dimensions[index]!;
    return dimension.kind === 'time' ? timeKey(dimension, date) : fieldRef(index);
  };
  if (dimensions.length === 0) return null;
  return dimensions.length === 1 ? one(0) : { k: one(0), s: one(1) };
}

/** A form's order as a `$sort` document over a group's output (`_id`, `value`) or over records. */
export function sortOf(form: Pick<QueryForm, 'sort' | 'dimensions'>): Record<string, 1 | -1> {
  const sort: Record<string, 1 | -1> = {};
  const keyOf = (term: SortTerm): string => {
    if (term.by === 'field') return fieldPath(term.field);
    if (term.by === 'key') return form.dimensions.length > 1 ? '_id.k' : '_id';
    return { series: '_id.s', value: METRIC_COLUMN, record: '_id' }[term.by];
  };
  for (const term of form.sort) {
    const key = keyOf(term);
    sort[key] = term.direction;
  }
  return sort;
}

/**
 * Compiles a widget's declared query plus a scope into one aggregation pipeline, through its
 * form (`formOf`). A viewer's choices reach this function only as a checked zone and two dates.
 */
export function compileQuery(query: WidgetQuery, scope: Scope, view: View = UTC_VIEW): Pipeline {
  return compileForm(formOf(query, scope, view));
}

/**
 * A form as a pipeline over the records. The first stage matches workspace, dataset and scope;
 * the second, when the form has a range, bounds `at`; then the widget's filters.
 */
export function compileForm(form: QueryForm): Pipeline {
  const stages: Array<Record<string, unknown>> = [{ $match: scopeMatch(form.scope, form.dataset) }];
  const range = rangeMatch(form.range);
  if (range) stages.push(range);
  if (form.filters.length > 0) stages.push({ $match: { $and: form.filters.map(ruleToMatch) } });
  if (form.dimensions.length > 0) {
    const key = groupKey(form.dimensions, (index) => `$${fieldPath((form.dimensions[index] as { field: string }).field)}`, '$at');
    stages.push({ $group: { _id: key, [METRIC_COLUMN]: accumulator(form.metric) } });
    stages.push({ $sort: sortOf(form) }, { $limit: form.limit! });
    return stages;
  }
  if (form.metric) {
    stages.push({ $group: { _id: null, [METRIC_COLUMN]: accumulator(form.metric) } });
    return stages;
  }
  const select = form.select ?? ['owner', 'at'];
  stages.push({ $sort: sortOf(form) }, { $limit: form.limit! });
  stages.push({ $project: { _id: 0, ...Object.fromEntries(select.map((field, index) => [`c${index}`, `$${fieldPath(field)}`])) } });
  return stages;
}

/**
 * The most cells one response may carry, counted before any work from declared limits (`maxCells`): a
 * dashboard render (its pages together) and one `/graphql` request (its `previewWidget`s and `fieldValues`
 * together). With every cell at most MAX_CELL_CHARS, it bounds a response at about 10 MB of JSON.
 */
export const MAX_RESPONSE_CELLS = 50_000;

/** The most cells (rows × columns) a widget's query can return: what one render of it may cost. */
export function maxCells(query: WidgetQuery): number {
  if (query.groupBy || query.bucket) {
    // A time series is filled with its empty buckets up to the widget's limit (or MAX_LIMIT): count those too.
    const rows = query.bucket ? Math.max(rowLimit(query), Math.min(query.limit ?? MAX_LIMIT, MAX_LIMIT)) : rowLimit(query);
    return rows * (query.seriesBy ? 3 : 2);
  }
  if (query.metric) return 1;
  return rowLimit(query) * (query.select ?? ['owner', 'at']).length;
}

/** The most cells pages can return together, as one response carries them (a user dashboard): `maxCells` summed over their widgets. */
export function pagesCells(pages: ReadonlyArray<{ widgets: ReadonlyArray<{ query: WidgetQuery }> }>): number {
  let cells = 0;
  for (const page of pages) for (const widget of page.widgets) cells += maxCells(widget.query);
  return cells;
}

/** A time series read left to right: bucketed, in time order. Its empty buckets are filled (`toWidgetData`). */
export const isTimeSeries = (query: WidgetQuery): boolean => Boolean(query.bucket && !isSortedByValue(query) && query.sort?.direction !== 'DESC');

export interface WidgetData {
  columns: string[];
  rows: unknown[][];
}

/**
 * The longest string one cell carries. A record may hold 16 kB; a cell longer than this is cut (see `cell`),
 * so what a render or a `/graphql` response can weigh follows from its cell count.
 */
export const MAX_CELL_CHARS = 200;

/** A string cut to MAX_CELL_CHARS, ending in "…" when it was longer (never between the halves of a surrogate pair). */
function cut(text: string): string {
  if (text.length <= MAX_CELL_CHARS) return text;
  let end = MAX_CELL_CHARS - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * A cell as a widget sends it: dates as ISO strings, a missing value as null, a list or a document as
 * its JSON text (the viewer shows text, not structure), and every string cut to MAX_CELL_CHARS.
 */
const cell = (value: unknown): unknown => {
  if (value instanceof Date) return value.toISOString();
  if (value === undefined) return null;
  if (typeof value === 'string') return cut(value);
  if (value !== null && typeof value === 'object') return cut(JSON.stringify(value));
  return value;
};

/** Bucket starts as milliseconds, for filling; anything else (a null bucket) as null. */
const instantOf = (value: unknown): number | null => (value instanceof Date ? value.getTime() : null);

/**
 * Every bucket of a time series, in ascending order, with `empty` where the pipeline had none.
 *
 * Why here and not `$densify`/`$fill` in the pipeline: `$densify` steps by a fixed amount of a unit
 * in UTC (MongoDB 5.1+ takes no zone there), so a New York day series across a DST change, or a
 * month series in any zone but UTC, would get buckets that `$dateTrunc` never produced; mingo's
 * copies of both stages follow MongoDB's. Filling after the pipeline, with the very arithmetic the
 * memory adapter's `$dateTrunc` uses (query/zoned-time.ts), gives the same buckets on both stores.
 * It is bounded by the range (or the data's first and last bucket) and by the widget's limit.
 */
function fillBuckets(
  rows: Array<{ at: number; series: unknown; value: unknown }>,
  unit: TimeUnit,
  view: View,
  limit: number,
  truncated: boolean,
  empty: 0 | null,
): Array<{ at: number; series: unknown; value: unknown }> {
  if (rows.length === 0 && (!view.from || !view.to)) return rows;
  const first = view.from ? truncate(view.from.getTime(), unit, view.timezone, view.weekStart) : rows[0]!.at;
  // A truncated result (the limit was reached) stops at its last bucket: past it, buckets are not empty, just cut.
  const lastData = rows.length ? rows[rows.length - 1]!.at : first;
  const end = view.to && !truncated ? view.to.getTime() : lastData + 1;
  const series = [...new Set(rows.map((row) => row.series))].sort((a, b) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : String(a) < String(b) ? -1 : 1));
  if (series.length === 0) series.push(null);
  const byKey = new Map(rows.map((row) => [`${row.at}|${String(row.series)}`, row.value]));
  const filled: Array<{ at: number; series: unknown; value: unknown }> = [];
  for (let at = Math.min(first, rows[0]?.at ?? first); at < end && filled.length < limit; at = nextStart(at, unit, view.timezone)) {
    for (const name of series) filled.push({ at, series: name, value: byKey.has(`${at}|${String(name)}`) ? byKey.get(`${at}|${String(name)}`) : empty });
  }
  return filled.slice(0, limit);
}

/** Shapes a pipeline's output as `{ columns, rows }` for the widget, filling the gaps of a time series. */
export function toWidgetData(query: WidgetQuery, output: ReadonlyArray<Record<string, unknown>>, view: View = UTC_VIEW): WidgetData {
  const metricLabel = query.metric ? (query.metric.fn === 'COUNT' ? 'count' : `${query.metric.fn.toLowerCase()}(${query.metric.field})`) : METRIC_COLUMN;
  const empty = !query.metric || query.metric.fn === 'COUNT' || query.metric.fn === 'SUM' ? 0 : null;
  if (query.groupBy || query.bucket) {
    const keyColumn = query.bucket ? 'at' : query.groupBy!;
    let rows = output.map((row) => {
      const id = row['_id'] as Record<string, unknown> | unknown;
      return query.seriesBy
        ? { key: (id as Record<string, unknown>)?.['k'], series: (id as Record<string, unknown>)?.['s'], value: row[METRIC_COLUMN] }
        : { key: id, series: undefined, value: row[METRIC_COLUMN] };
    });
    if (query.bucket && isTimeSeries(query) && rows.every((row) => instantOf(row.key) !== null)) {
      const limit = Math.min(query.limit ?? MAX_LIMIT, MAX_LIMIT);
      const filled = fillBuckets(
        rows.map((row) => ({ at: instantOf(row.key)!, series: row.series, value: row.value })),
        BUCKET_UNITS[query.bucket],
        view,
        limit,
        output.length >= limit,
        empty,
      );
      rows = filled.map((row) => ({ key: new Date(row.at), series: row.series, value: row.value }));
    }
    if (query.seriesBy) {
      return { columns: [keyColumn, query.seriesBy, metricLabel], rows: rows.map((row) => [cell(row.key), cell(row.series), cell(row.value)]) };
    }
    return { columns: [keyColumn, metricLabel], rows: rows.map((row) => [cell(row.key), cell(row.value)]) };
  }
  if (query.metric) {
    return { columns: [metricLabel], rows: [[cell(output[0]?.[METRIC_COLUMN] ?? empty)]] };
  }
  const select = query.select ?? ['owner', 'at'];
  return { columns: select, rows: output.map((row) => select.map((_, index) => cell(row[`c${index}`]))) };
}

/** Checks a declared query when a page is saved, so that an embed never meets a broken one. */
export function validateWidgetQuery(kind: WidgetKind, query: WidgetQuery, where: string): void {
  assertDatasetName(query.dataset);
  query.filters.forEach((rule, index) => ruleToMatch(parseRule(rule, `${where}.filters[${index}]`)));
  if (query.groupBy) assertFieldName(query.groupBy, `${where}.groupBy`);
  if (query.groupBy && query.bucket) throw badInput(`${where}: use groupBy or bucket, not both.`);
  if (query.seriesBy) {
    assertFieldName(query.seriesBy, `${where}.seriesBy`);
    if (kind !== 'BAR' && kind !== 'LINE') throw badInput(`${where}: seriesBy is for BAR and LINE widgets.`);
  }
  if (query.metric && query.metric.fn !== 'COUNT') assertFieldName(query.metric.field, `${where}.metric.field`);
  for (const field of query.select ?? []) assertFieldName(field, `${where}.select`);
  if ((query.select?.length ?? 0) > 20) throw badInput(`${where}: select at most 20 fields.`);
  if (query.sort) assertFieldName(query.sort.field, `${where}.sort.field`);
  if (query.limit !== null && (query.limit < 1 || query.limit > MAX_LIMIT)) throw badInput(`${where}: limit must be 1–${MAX_LIMIT}.`);
  const grouped = Boolean(query.groupBy || query.bucket);
  if (kind === 'NUMBER' && (grouped || !query.metric)) throw badInput(`${where}: a NUMBER widget needs a metric and no groupBy or bucket.`);
  if (kind === 'LINE' && !query.bucket) throw badInput(`${where}: a LINE widget needs a time bucket.`);
  if (kind === 'BAR' && !grouped) throw badInput(`${where}: a BAR widget needs groupBy or bucket.`);
}

/**
 * What a dataset's records hold, for the catalog to count again (after records left): one row per
 * data field and observed type (`NUMBER`, `STRING`, `BOOLEAN`, `DATE`, or null for values it does
 * not count), `{ _id: { k, t }, c }`, exactly as `CatalogService.observe` would have counted them:
 * a string is a DATE when it matches `isoDate`.
 */
export function compileFieldCensus(workspaceId: string, dataset: string, isoDate: string): Pipeline {
  assertDatasetName(dataset);
  const type = { $type: '$f.v' };
  return [
    { $match: { $and: [{ workspaceId: { $eq: workspaceId } }, { dataset: { $eq: dataset } }] } },
    { $project: { _id: 0, f: { $objectToArray: '$data' } } },
    { $unwind: '$f' },
    {
      $group: {
        _id: {
          k: '$f.k',
          t: {
            $switch: {
              branches: [
                { case: { $isNumber: '$f.v' }, then: 'NUMBER' },
                { case: { $eq: [type, 'bool'] }, then: 'BOOLEAN' },
                { case: { $eq: [type, 'date'] }, then: 'DATE' },
                // `$and` stops at its first false operand, so the pattern only ever reads a string.
                { case: { $and: [{ $eq: [type, 'string'] }, { $regexMatch: { input: '$f.v', regex: isoDate } }] }, then: 'DATE' },
                { case: { $eq: [type, 'string'] }, then: 'STRING' },
              ],
              default: null,
            },
          },
        },
        c: { $sum: 1 },
      },
    },
  ];
}

/** The owners of the records stored under these `_id`s in a dataset, `{ _id, owner }` (only those stored). */
export function compileOwnersOfIds(workspaceId: string, dataset: string, ids: readonly string[]): Pipeline {
  assertDatasetName(dataset);
  return [
    { $match: { $and: [{ workspaceId: { $eq: workspaceId } }, { dataset: { $eq: dataset } }, { _id: { $in: [...ids] } }] } },
    { $project: { _id: 1, owner: 1 } },
  ];
}

/** A dataset's record count, last `at` and how many records name an owner, `{ n, last, owners }` (no row when it has none). */
export function compileDatasetCensus(workspaceId: string, dataset: string): Pipeline {
  assertDatasetName(dataset);
  return [
    { $match: { $and: [{ workspaceId: { $eq: workspaceId } }, { dataset: { $eq: dataset } }] } },
    { $group: { _id: null, n: { $sum: 1 }, last: { $max: '$at' }, owners: { $sum: { $cond: [{ $eq: [{ $ifNull: ['$owner', null] }, null] }, 0, 1] } } } },
  ];
}

/**
 * The most frequent values of one field within a scope (for filter pickers): the scope's match first,
 * then a `$group` on the field, most frequent first (ties by value), at most `limit`. Only literal values
 * (strings, numbers, booleans, dates) are grouped; lists, objects and strings longer than MAX_CELL_CHARS are left out.
 */
export function compileFieldValues(dataset: string, field: string, scope: Scope, limit: number): Pipeline {
  const path = fieldPath(field);
  return [
    { $match: scopeMatch(scope, dataset) },
    // A string longer than a cell is no value to pick from a list (a cell would cut it): left out, so `limit`
    // values of at most MAX_CELL_CHARS each bound the answer. An anchored pattern rather than `$strLenCP` in
    // `$expr`: mingo evaluates that about five times slower, and only strings can match a pattern.
    { $match: { $and: [{ [path]: { $type: ['string', 'number', 'bool', 'date'] } }, { [path]: { $not: { $regex: `^[\\s\\S]{${MAX_CELL_CHARS + 1}}` } } }] } },
    { $group: { _id: `$${path}`, count: { $sum: 1 } } },
    { $sort: { count: -1, _id: 1 } },
    { $limit: Math.min(limit, MAX_LIMIT) },
  ];
}
