import type { Bucket, Literal, Rule, RuleOp, WidgetKind, WidgetQuery } from '../domain/types.js';
import { assertDatasetName, assertFieldName, parseRule } from '../domain/validation.js';
import { badInput } from '../errors.js';
import type { Pipeline } from '../store/port.js';

/** What an embed may see: ANDed into every query before anything else. */
export interface Scope {
  workspaceId: string;
  /** null: every owner; otherwise only records of these owners. */
  owners: readonly string[] | null;
  rules: readonly Rule[];
}

export const MAX_LIMIT = 1000;
const DEFAULT_TABLE_LIMIT = 100;
const METRIC_COLUMN = 'value';

const OPERATORS: Record<RuleOp, string> = { EQ: '$eq', NE: '$ne', GT: '$gt', GTE: '$gte', LT: '$lt', LTE: '$lte', IN: '$in', NIN: '$nin' };
const BUCKET_UNITS: Record<Bucket, string> = { HOUR: 'hour', DAY: 'day', WEEK: 'week', MONTH: 'month' };

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

function accumulator(metric: WidgetQuery['metric']): Record<string, unknown> {
  if (!metric || metric.fn === 'COUNT') return { $sum: 1 };
  const operand = `$${fieldPath(metric.field!)}`;
  return { SUM: { $sum: operand }, AVG: { $avg: operand }, MIN: { $min: operand }, MAX: { $max: operand } }[metric.fn];
}

/**
 * Compiles a widget's declared query plus a scope into one aggregation pipeline. The first
 * stage matches workspace, dataset and scope; nothing a viewer sends reaches this function.
 */
export function compileQuery(query: WidgetQuery, scope: Scope): Pipeline {
  const stages: Array<Record<string, unknown>> = [{ $match: scopeMatch(scope, query.dataset) }];
  if (query.filters.length > 0) stages.push({ $match: { $and: query.filters.map(ruleToMatch) } });
  const limit = Math.min(query.limit ?? (query.metric ? MAX_LIMIT : DEFAULT_TABLE_LIMIT), MAX_LIMIT);
  const descending = query.sort?.direction === 'DESC' ? -1 : 1;

  if (query.groupBy || query.bucket) {
    const key = query.bucket ? { $dateTrunc: { date: '$at', unit: BUCKET_UNITS[query.bucket] } } : `$${fieldPath(query.groupBy!)}`;
    stages.push({ $group: { _id: key, [METRIC_COLUMN]: accumulator(query.metric) } });
    const sortByValue = query.sort?.field === METRIC_COLUMN || (query.metric && query.sort && query.sort.field === query.metric.field);
    // Time series read left to right; groups default to the largest first. `_id` breaks ties.
    const sort = sortByValue
      ? { [METRIC_COLUMN]: descending, _id: 1 }
      : query.sort
        ? { _id: descending }
        : query.bucket
          ? { _id: 1 }
          : { [METRIC_COLUMN]: -1, _id: 1 };
    stages.push({ $sort: sort }, { $limit: limit });
    return stages;
  }
  if (query.metric) {
    stages.push({ $group: { _id: null, [METRIC_COLUMN]: accumulator(query.metric) } });
    return stages;
  }
  const select = query.select ?? ['owner', 'at'];
  stages.push({ $sort: query.sort ? { [fieldPath(query.sort.field)]: descending, _id: 1 } : { at: -1, _id: 1 } }, { $limit: limit });
  stages.push({ $project: { _id: 0, ...Object.fromEntries(select.map((field, index) => [`c${index}`, `$${fieldPath(field)}`])) } });
  return stages;
}

export interface WidgetData {
  columns: string[];
  rows: unknown[][];
}

const cell = (value: unknown): unknown => (value instanceof Date ? value.toISOString() : value === undefined ? null : value);

/** Shapes a pipeline's output as `{ columns, rows }` for the widget. */
export function toWidgetData(query: WidgetQuery, output: ReadonlyArray<Record<string, unknown>>): WidgetData {
  const metricLabel = query.metric ? (query.metric.fn === 'COUNT' ? 'count' : `${query.metric.fn.toLowerCase()}(${query.metric.field})`) : METRIC_COLUMN;
  if (query.groupBy || query.bucket) {
    return { columns: [query.bucket ? 'at' : query.groupBy!, metricLabel], rows: output.map((row) => [cell(row['_id']), cell(row[METRIC_COLUMN])]) };
  }
  if (query.metric) {
    const empty = query.metric.fn === 'COUNT' || query.metric.fn === 'SUM' ? 0 : null;
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
 * The most frequent values of one field within a scope (for filter pickers): the scope's match first,
 * then a `$group` on the field, most frequent first (ties by value), at most `limit`. Only literal values
 * (strings, numbers, booleans, dates) are grouped; lists and objects are left out.
 */
export function compileFieldValues(dataset: string, field: string, scope: Scope, limit: number): Pipeline {
  const path = fieldPath(field);
  return [
    { $match: scopeMatch(scope, dataset) },
    { $match: { [path]: { $type: ['string', 'number', 'bool', 'date'] } } },
    { $group: { _id: `$${path}`, count: { $sum: 1 } } },
    { $sort: { count: -1, _id: 1 } },
    { $limit: Math.min(limit, MAX_LIMIT) },
  ];
}
