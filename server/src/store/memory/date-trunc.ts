import { Aggregator } from 'mingo/aggregator';
import { Context, evalExpr } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { canonicalZone, truncate, WEEKDAYS, type TimeUnit, type Weekday } from '../../query/zoned-time.js';

const UNITS: readonly string[] = ['hour', 'day', 'week', 'month', 'year'];
const DAY_NAMES: Record<string, Weekday> = Object.fromEntries(WEEKDAYS.map((day) => [day.slice(0, 3).toLowerCase(), day]));

type MingoOperator = (obj: unknown, expr: unknown, options: never) => unknown;
const mingoDateTrunc = (expressionOperators as unknown as Record<string, MingoOperator>)['$dateTrunc']!;

/**
 * `$dateTrunc` as MongoDB computes it for the units the compiler emits. mingo 7.2.7's is wrong in
 * IANA zones (a New York day of 2026-11-01T03:30Z came back as 2026-11-01T04:00Z, the right answer
 * being 2026-10-31T04:00Z; a Kolkata hour started at :00 rather than :30; "UTC" was refused), so
 * named zones go through `Intl` (server/src/query/zoned-time.ts); anything else — fixed offsets,
 * sub-hour units, `binSize` above 1 — is left to mingo's own, which handles those correctly.
 */
const $dateTrunc: MingoOperator = (obj, expr, options) => {
  const args = evalExpr(obj, expr, options) as { date?: unknown; unit?: unknown; timezone?: unknown; startOfWeek?: unknown; binSize?: unknown };
  if (args.date === null || args.date === undefined || args.unit === null || args.unit === undefined) return null;
  const zone = args.timezone === undefined || args.timezone === null ? 'UTC' : canonicalZone(args.timezone);
  if (!(args.date instanceof Date) || !UNITS.includes(String(args.unit)) || zone === null || (args.binSize !== undefined && args.binSize !== 1)) {
    return mingoDateTrunc(obj, expr, options);
  }
  const weekStart =
    DAY_NAMES[
      String(args.startOfWeek ?? 'sunday')
        .slice(0, 3)
        .toLowerCase()
    ];
  if (!weekStart) throw new Error(`$dateTrunc: startOfWeek '${String(args.startOfWeek)}' is not valid.`);
  return new Date(truncate(args.date.getTime(), args.unit as TimeUnit, zone, weekStart));
};

/** The same `$dateTrunc`, for other mingo contexts that must cut time as MongoDB does (the tests' wire peer). */
export const zonedDateTrunc = $dateTrunc;

/*
 * A context holding every mingo operator but with our `$dateTrunc`. It is built from the operator
 * modules rather than passed to the default `Aggregator`: mingo merges a caller's context *under*
 * its own, so an operator of the same name there would be ignored.
 */
const context = Context.init({
  accumulator: accumulatorOperators,
  expression: { ...expressionOperators, $dateTrunc },
  pipeline: pipelineOperators,
  projection: projectionOperators,
  query: queryOperators,
  window: windowOperators,
} as never);

/** Runs an aggregation pipeline as MongoDB would, `$dateTrunc` in named zones included. */
export function runPipeline(stages: Array<Record<string, unknown>>, source: readonly object[]): unknown[] {
  return new Aggregator(stages, { context }).run(source as object[]);
}
