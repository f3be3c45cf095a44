import type { RollupLevel, RollupSpecDoc, WidgetQuery } from '../domain/types.js';
import { fieldPath, ruleToMatch, type Scope } from '../query/compiler.js';
import type { Pipeline } from '../store/port.js';
import { DAY_MS } from './rollup-spec.js';

/** The date range a render reads, `[from, to)` (null: unbounded on that side). */
export interface RollupRange {
  from: Date | null;
  to: Date | null;
}

/** A rollup pipeline, and what to check on its answer before trusting it. */
export interface RollupPlan {
  pipeline: Pipeline;
  /** The widget's `$limit`, applied after the checks (which need every group). */
  limit: number | null;
  /** MIN/MAX: a group with non-numeric values (`x`) must be answered from the records. */
  numericOnly: boolean;
}

const aligned = (date: Date | null, ms: number): boolean => date === null || ((date.getTime() % ms) + ms) % ms === 0;

/** Replaces whole strings (field references) anywhere in a compiled expression. */
function rename(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return names.get(value) ?? value;
  if (Array.isArray(value)) return value.map((item) => rename(item, names));
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, rename(inner, names)]));
}

/** The `$dateTrunc` of a compiled group key, if it has one (a time bucket). */
function dateTruncOf(key: unknown): Record<string, unknown> | null {
  if (key === null || typeof key !== 'object' || Array.isArray(key)) return null;
  const record = key as Record<string, unknown>;
  if (record['$dateTrunc']) return record['$dateTrunc'] as Record<string, unknown>;
  for (const inner of Object.values(record)) {
    const found = dateTruncOf(inner);
    if (found) return found;
  }
  return null;
}

const VALUE: Record<NonNullable<WidgetQuery['metric']>['fn'], unknown> = {
  COUNT: '$c',
  SUM: '$s',
  AVG: { $cond: [{ $gt: ['$n', 0] }, { $divide: ['$s', '$n'] }, null] },
  MIN: '$mn',
  MAX: '$mx',
};

/**
 * Turns a widget's compiled record pipeline into one over the spec's rollup rows, or says it
 * cannot (null): the scope must be owners and rules on the rollup's dimensions, the range must
 * fall on the rows' boundaries, and the rows must be at least as fine as the buckets. The group
 * key, sort and limit are the compiled pipeline's own, with record paths renamed to row fields,
 * so both answers are shaped, ordered and cut alike.
 */
export function planRollup(spec: RollupSpecDoc, query: WidgetQuery, scope: Scope, range: RollupRange, compiled: Pipeline): RollupPlan | null {
  if (!query.metric || scope.workspaceId !== spec.workspaceId) return null;
  const groupIndex = compiled.findIndex((stage) => '$group' in stage);
  if (groupIndex === -1) return null;
  const group = compiled[groupIndex]!['$group'] as Record<string, unknown>;
  const tail = compiled.slice(groupIndex + 1);
  if (tail.some((stage) => !('$sort' in stage) && !('$limit' in stage))) return null;
  const limitStage = tail.find((stage) => '$limit' in stage);
  const limit = limitStage ? Number(limitStage['$limit']) : null;

  const trunc = dateTruncOf(group['_id']);
  const zone = (trunc?.['timezone'] as string | undefined) ?? 'UTC';
  const unit = trunc?.['unit'] as string | undefined;
  let level: RollupLevel;
  if (trunc) level = zone === 'UTC' && (unit === 'day' || unit === 'week' || unit === 'month') ? 'day' : 'cell';
  else level = range.from === null && range.to === null ? 'total' : 'day';
  if (level === 'day' && !(aligned(range.from, DAY_MS) && aligned(range.to, DAY_MS))) level = 'cell';
  if (level === 'cell' && !(aligned(range.from, spec.grainMs) && aligned(range.to, spec.grainMs))) return null;
  const levelMs = level === 'day' ? DAY_MS : spec.grainMs;

  const names = new Map<string, string>([['$at', '$t']]);
  if (spec.seriesBy) names.set(`$${fieldPath(spec.seriesBy)}`, '$e');
  if (spec.groupBy) names.set(`$${fieldPath(spec.groupBy)}`, '$d');
  const rowField = (field: string): string | null => (field === 'owner' ? 'o' : field === spec.groupBy ? 'd' : field === spec.seriesBy ? 'e' : null);

  // Rows summed over every owner serve a scope of every owner; anything about owners needs the per-owner rows.
  let everyOwner = scope.owners === null;
  const conditions: Array<Record<string, unknown>> = [];
  if (scope.owners !== null) conditions.push({ o: { $in: [...scope.owners] } });
  for (const rule of scope.rules) {
    const field = rowField(rule.field);
    if (!field) return null;
    if (field === 'o') everyOwner = false;
    const [condition] = Object.values(ruleToMatch(rule));
    conditions.push({ [field]: condition });
  }
  if (range.from || range.to) conditions.push({ t: { ...(range.from && { $gte: range.from }), ...(range.to && { $lt: range.to }) } });
  const partition = [
    { specId: { $eq: spec._id } },
    { generation: { $eq: spec.generation } },
    { level: { $eq: level } },
    { a: { $eq: everyOwner } },
    { workspaceId: { $eq: spec.workspaceId } },
  ];

  const key = rename(group['_id'], names);
  const accumulators: Record<string, unknown> = {
    _id: key,
    c: { $sum: '$c' },
    s: { $sum: '$s' },
    n: { $sum: '$n' },
    x: { $sum: '$x' },
    mn: { $min: '$mn' },
    mx: { $max: '$mx' },
  };
  if (trunc && zone !== 'UTC') {
    // A row counts toward one bucket only if it lies wholly inside it (a zone's offset that is
    // not a multiple of the grain, as before 1970 in some zones, would split it): else fall back.
    // In UTC rows nest in buckets by construction (UTC cells and days inside UTC hours, days, weeks, months).
    const cut = (date: unknown) => ({ $dateTrunc: { ...(rename(trunc, names) as Record<string, unknown>), date } });
    accumulators['bad'] = { $sum: { $cond: [{ $eq: [cut('$t'), cut({ $add: ['$t', levelMs - 1] })] }, 0, 1] } };
  }
  const pipeline: Array<Record<string, unknown>> = [
    { $match: { $and: [...partition, ...conditions] } },
    { $group: accumulators },
    { $project: { _id: 1, value: VALUE[query.metric.fn], x: 1, bad: 1 } },
    ...tail.filter((stage) => '$sort' in stage),
  ];
  return { pipeline, limit, numericOnly: query.metric.fn === 'MIN' || query.metric.fn === 'MAX' };
}
