import type { RollupLevel, RollupSpecDoc } from '../domain/types.js';
import { groupKey, ruleToMatch, sortOf } from '../query/compiler.js';
import type { QueryForm } from '../query/query-form.js';
import type { Pipeline } from '../store/port.js';
import { DAY_MS, HOUR_MS, nestsUtcHours } from './rollup-spec.js';

/** A rollup pipeline, and what to check on its answer before trusting it. */
export interface RollupPlan {
  pipeline: Pipeline;
  /** The rows it reads: quarter-hour cells, UTC hours, UTC days, or the totals. */
  level: RollupLevel;
  /** The form's limit, applied after the checks (which need every group). */
  limit: number | null;
  /** MIN/MAX: a group with non-numeric values (`x`) must be answered from the records. */
  numericOnly: boolean;
}

/**
 * Why a widget is answered from the records instead of its rollup. Decided from the form alone
 * (the first ones), or from the rollup's answer (the last two, when its rows cannot vouch):
 *
 * - `record list`: no metric; a list of records is no sum of partials.
 * - `dimension on at`: every instant its own group; cells cannot tell instants apart.
 * - `no ready rollup`: not built yet, being rebuilt, or a write on its dataset is marked.
 * - `other workspace`: the scope is not the rollup's workspace.
 * - `scope outside the rollup`: a scope rule on a field the rows do not keep (only the owner and
 *   the dimension fields are).
 * - `range off the quarter hour`: a bound inside a cell; the rows cannot be cut there.
 * - `cell split by the zone`: a row straddles two buckets (a zone offset that is not a whole
 *   number of quarter hours at that instant, as local mean times before standard time were).
 * - `values that are not numbers`: MIN/MAX over a group holding non-numbers (MongoDB orders them
 *   above numbers; the rows keep only numeric extremes).
 *
 * Every metric the compiler emits composes from the partials (COUNT and SUM add, AVG is the sum of
 * sums over the sum of numeric counts, MIN/MAX of minima/maxima); a metric that does not compose
 * (a distinct count, a median) would need its own reason here and always read records.
 */
export type FallBackReason =
  | 'record list'
  | 'dimension on at'
  | 'no ready rollup'
  | 'other workspace'
  | 'scope outside the rollup'
  | 'range off the quarter hour'
  | 'cell split by the zone'
  | 'values that are not numbers';

/** The planner's decision for one widget: a plan over the rollup rows, or the reason the records answer. */
export type RollupDecision = { plan: RollupPlan; fallBack?: undefined } | { plan?: undefined; fallBack: FallBackReason };

const LEVEL_MS: Record<Exclude<RollupLevel, 'total'>, number> = { day: DAY_MS, hour: HOUR_MS, cell: 0 };

const aligned = (date: Date | null, ms: number): boolean => date === null || ((date.getTime() % ms) + ms) % ms === 0;

const VALUE: Record<NonNullable<QueryForm['metric']>['fn'], unknown> = {
  COUNT: '$c',
  SUM: '$s',
  AVG: { $cond: [{ $gt: ['$n', 0] }, { $divide: ['$s', '$n'] }, null] },
  MIN: '$mn',
  MAX: '$mx',
};

/**
 * The coarsest rows that answer the form exactly, or null. Rows must begin and end on the range's
 * bounds, and lie each within one bucket: UTC days nest in UTC days, weeks and months; UTC hours
 * in every period of a zone a whole number of hours from UTC; quarter-hour cells in every zone's
 * periods (checked per row where the zone is not UTC). With no time dimension and no range, the
 * totals answer.
 */
function levelFor(form: QueryForm, grainMs: number): RollupLevel | null {
  const { from, to } = form.range;
  const time = form.dimensions.find((dimension) => dimension.kind === 'time');
  if (!time && from === null && to === null) return 'total';
  const inRange = (ms: number) => aligned(from, ms) && aligned(to, ms);
  if (inRange(DAY_MS) && (!time || (time.zone === 'UTC' && time.unit !== 'hour'))) return 'day';
  if (inRange(HOUR_MS) && (!time || nestsUtcHours(time.zone))) return 'hour';
  return inRange(grainMs) ? 'cell' : null;
}

/**
 * Plans a form over a spec's rollup rows (the spec its `rollupShapeOf` names), or says why the
 * records must answer. The group key, order and limit are built from the form exactly as the
 * pipeline compiler builds them over the records (`groupKey`, `sortOf`), with row fields in
 * place of record paths, so both answers are shaped, ordered and cut alike.
 */
export function planRollup(spec: RollupSpecDoc, form: QueryForm): RollupDecision {
  if (!form.metric) return { fallBack: 'record list' };
  if (form.scope.workspaceId !== spec.workspaceId) return { fallBack: 'other workspace' };
  const level = levelFor(form, spec.grainMs);
  if (!level) return { fallBack: 'range off the quarter hour' };
  const rowField = (field: string): string | null => (field === 'owner' ? 'o' : field === spec.groupBy ? 'd' : field === spec.seriesBy ? 'e' : null);

  // Rows summed over every owner serve a scope of every owner; anything about owners needs the per-owner rows.
  let everyOwner = form.scope.owners === null;
  const conditions: Array<Record<string, unknown>> = [];
  if (form.scope.owners !== null) conditions.push({ o: { $in: [...form.scope.owners] } });
  for (const rule of form.scope.rules) {
    const field = rowField(rule.field);
    if (!field) return { fallBack: 'scope outside the rollup' };
    if (field === 'o') everyOwner = false;
    const [condition] = Object.values(ruleToMatch(rule));
    conditions.push({ [field]: condition });
  }
  const { from, to } = form.range;
  if (from || to) conditions.push({ t: { ...(from && { $gte: from }), ...(to && { $lt: to }) } });
  const partition = [
    { specId: { $eq: spec._id } },
    { generation: { $eq: spec.generation } },
    { level: { $eq: level } },
    { a: { $eq: everyOwner } },
    { workspaceId: { $eq: spec.workspaceId } },
  ];

  // The first field dimension is kept as `d` (groupBy), the series as `e` (seriesBy): see `rollupShapeOf`.
  const key = groupKey(form.dimensions, (index) => (index === 0 ? '$d' : '$e'), '$t');
  const accumulators: Record<string, unknown> = {
    _id: key,
    c: { $sum: '$c' },
    s: { $sum: '$s' },
    n: { $sum: '$n' },
    x: { $sum: '$x' },
    mn: { $min: '$mn' },
    mx: { $max: '$mx' },
  };
  const time = form.dimensions.find((dimension) => dimension.kind === 'time');
  if (time && time.zone !== 'UTC' && level !== 'total') {
    // A row counts toward one bucket only if it lies wholly inside it (its first and last instant
    // fall in the same bucket); one that does not sends the widget to the records. In UTC rows
    // nest in buckets by construction (see `levelFor`).
    const rowMs = level === 'cell' ? spec.grainMs : LEVEL_MS[level];
    const last = groupKey([time], () => '', { $add: ['$t', rowMs - 1] });
    accumulators['bad'] = { $sum: { $cond: [{ $eq: [groupKey([time], () => '', '$t'), last] }, 0, 1] } };
  }
  const pipeline: Array<Record<string, unknown>> = [
    { $match: { $and: [...partition, ...conditions] } },
    { $group: accumulators },
    { $project: { _id: 1, value: VALUE[form.metric.fn], x: 1, bad: 1 } },
  ];
  if (form.sort.length > 0) pipeline.push({ $sort: sortOf(form) });
  return { plan: { pipeline, level, limit: form.limit, numericOnly: form.metric.fn === 'MIN' || form.metric.fn === 'MAX' } };
}
