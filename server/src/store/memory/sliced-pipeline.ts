import { compare, HashMap, isNil, isNumber, resolve } from 'mingo/util';
import { runPipeline } from './date-trunc.js';

/**
 * How the memory store shares the event loop while it aggregates: documents go through in
 * chunks, and between chunks, once a run has held the loop for `sliceMs`, it yields
 * (`setImmediate`), so requests that arrived meanwhile are served before it goes on.
 */
export interface SliceOptions {
  /** Documents handled between two looks at the clock. */
  chunk: number;
  /** How long a run may hold the event loop before it yields; 0 yields after every chunk. */
  sliceMs: number;
}

/**
 * 128 documents take 0.3–3 ms in mingo on an idle core (a `$match`: ~2 µs each; a `$group` on a zoned
 * `$dateTrunc`: up to ~25 µs), so a slice ends within a few ms of its 8 ms budget.
 */
export const DEFAULT_SLICES: SliceOptions = { chunk: 128, sliceMs: 8 };

type Stage = Record<string, unknown>;
type Doc = Record<string, unknown>;

/** Stages whose output for a document depends on that document alone: a chunk at a time gives what the whole gives. */
const PER_DOCUMENT = new Set(['$match', '$project', '$unwind', '$addFields', '$set', '$unset', '$replaceRoot', '$replaceWith']);

const nameOf = (stage: Stage | undefined): string | undefined => (stage ? Object.keys(stage)[0] : undefined);

/*
 * Slices take turns, one per turn of the event loop, across every aggregation in the process. Yielding
 * with a bare `setImmediate` would not do: Node runs every immediate queued before its check phase in
 * that one phase, so eight aggregations yielding together would hold the loop for eight slices in a row.
 * Here one immediate at a time hands the turn to the aggregation that has waited longest (first come,
 * first served); timers and I/O run between any two slices.
 */
const waiting: Array<() => void> = [];
let handing = false;
/** When the slice running now was handed its turn. */
let turnStartedAt = 0;

function handOver(): void {
  const next = waiting.shift();
  handing = waiting.length > 0;
  if (handing) setImmediate(handOver);
  turnStartedAt = performance.now();
  next?.();
}

/** Resolves in a later turn of the event loop, when it is this caller's turn to run a slice. */
export function takeTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!handing) {
      handing = true;
      setImmediate(handOver);
    }
  });
}

/** Yields once the slice running now has held the event loop for `sliceMs` (0: at every tick). */
export class Pacer {
  constructor(private readonly sliceMs: number) {}

  async tick(): Promise<void> {
    if (performance.now() - turnStartedAt < this.sliceMs) return;
    await takeTurn();
  }
}

/**
 * Runs an aggregation pipeline as `runPipeline` does (same stages, same mingo, same answers,
 * ties in the same order), without holding the event loop for more than about one slice:
 *
 * - per-document stages (`$match`, `$project`, `$unwind`, …) run a chunk at a time;
 * - a `$group` whose accumulators are `$sum`, `$avg`, `$min` or `$max` (all the compiler and
 *   the rollup planner emit) runs per chunk by mingo, and the chunks' groups are merged in
 *   mingo's terms: groups keyed by mingo's own `HashMap` (its equality, first seen first),
 *   `$sum`/`$avg` over the chunks' values in document order (so sums add up left to right
 *   exactly as mingo's do), `$min`/`$max` by mingo's `compare`, earliest (min) and latest
 *   (max) among equals, as its stable sort picks them;
 * - a `$sort` followed by a `$limit` keeps, chunk by chunk, the documents that can still be
 *   among the first `limit`, ordered as mingo's `$sort` orders them (mingo's `compare` on the
 *   sort keys, a stable sort; ties with the last one kept); mingo itself orders any run of
 *   documents whose keys `compare` finds equal: its stable order over a subset is its order
 *   over the whole, restricted to that subset;
 * - `$count` counts what the per-document stages let through, a chunk at a time;
 * - any other stage, or anything left once a set fits in one chunk, runs as mingo runs it.
 */
export async function runPipelineInSlices(stages: readonly Stage[], source: readonly object[], options: SliceOptions = DEFAULT_SLICES): Promise<unknown[]> {
  const pacer = new Pacer(options.sliceMs);
  let data: readonly object[] = source;
  let index = 0;
  while (index < stages.length) {
    if (data.length <= options.chunk) return runPipeline(stages.slice(index) as Stage[], data);
    let end = index;
    while (end < stages.length && PER_DOCUMENT.has(nameOf(stages[end])!)) end += 1;
    const perDocument = stages.slice(index, end);
    const next = stages[end];
    const group = nameOf(next) === '$group' ? mergeableGroup(next!['$group']) : null;
    const limit = nameOf(next) === '$sort' && nameOf(stages[end + 1]) === '$limit' ? Number(stages[end + 1]!['$limit']) : NaN;
    if (group) {
      data = await groupInSlices(perDocument, group, data, options.chunk, pacer);
      index = end + 1;
    } else if (Number.isInteger(limit) && limit > 0) {
      data = await firstInSlices(perDocument, next!['$sort'] as Record<string, 1 | -1>, limit, data, options.chunk, pacer);
      index = end + 2;
    } else if (nameOf(next) === '$count' && isFieldName(next!['$count'])) {
      data = [{ [next!['$count'] as string]: await countInSlices(perDocument, data, options.chunk, pacer) }];
      index = end + 1;
    } else if (perDocument.length > 0) {
      data = await mapInSlices(perDocument, data, options.chunk, pacer);
      index = end;
    } else {
      data = runPipeline([next!], data) as object[];
      index += 1;
    }
  }
  return [...data];
}

/** A name mingo's `$count` accepts (it refuses any other, and then runs it to say so). */
const isFieldName = (name: unknown): name is string => typeof name === 'string' && name.trim().length > 0 && !name.includes('.') && !name.startsWith('$');

/** How many documents the per-document stages let through: mingo's `$count` (one document, 0 included) a chunk at a time. */
async function countInSlices(stages: readonly Stage[], data: readonly object[], chunk: number, pacer: Pacer): Promise<number> {
  if (stages.length === 0) return data.length;
  let count = 0;
  for (let start = 0; start < data.length; start += chunk) {
    count += runPipeline(stages as Stage[], data.slice(start, start + chunk)).length;
    await pacer.tick();
  }
  return count;
}

async function mapInSlices(stages: readonly Stage[], data: readonly object[], chunk: number, pacer: Pacer): Promise<object[]> {
  const out: object[] = [];
  for (let start = 0; start < data.length; start += chunk) {
    for (const doc of runPipeline(stages as Stage[], data.slice(start, start + chunk))) out.push(doc as object);
    await pacer.tick();
  }
  return out;
}

type Accumulator = { field: string } & ({ kind: 'count'; by: number } | { kind: 'sum' | 'avg'; operand: unknown } | { kind: 'min' | 'max'; operand: unknown });

interface MergeableGroup {
  id: unknown;
  accumulators: Accumulator[];
}

/** A `$group` spec whose accumulators can be merged across chunks, or null. */
function mergeableGroup(spec: unknown): MergeableGroup | null {
  if (spec === null || typeof spec !== 'object' || !('_id' in spec)) return null;
  const accumulators: Accumulator[] = [];
  for (const [field, value] of Object.entries(spec as Record<string, unknown>)) {
    if (field === '_id') continue;
    if (value === null || typeof value !== 'object' || Object.keys(value).length !== 1) return null;
    const [operator, operand] = Object.entries(value as Record<string, unknown>)[0]!;
    // mingo's `$sum` of a number is (documents × that number); a nil operand means something else again.
    if (isNil(operand)) return null;
    if (operator === '$sum' && isNumber(operand)) accumulators.push({ field, kind: 'count', by: operand });
    else if (operator === '$sum' || operator === '$avg') accumulators.push({ field, kind: operator === '$sum' ? 'sum' : 'avg', operand });
    else if (operator === '$min' || operator === '$max') accumulators.push({ field, kind: operator === '$min' ? 'min' : 'max', operand });
    else return null;
  }
  return { id: (spec as Stage)['_id'], accumulators };
}

/** What one chunk's `$group` computes per accumulator: a count, every value (for sums and averages), or its own min or max. */
function partialOf(accumulator: Accumulator): Record<string, unknown> {
  switch (accumulator.kind) {
    case 'count':
      return { $sum: 1 };
    case 'sum':
    case 'avg':
      return { $push: accumulator.operand };
    case 'min':
      return { $min: accumulator.operand };
    case 'max':
      return { $max: accumulator.operand };
  }
}

async function groupInSlices(perDocument: readonly Stage[], group: MergeableGroup, data: readonly object[], chunk: number, pacer: Pacer): Promise<Doc[]> {
  const partial: Stage = { $group: { _id: group.id, ...Object.fromEntries(group.accumulators.map((acc) => [acc.field, partialOf(acc)])) } };
  // One entry per group, in the order mingo's groupBy first meets them; each holds its accumulators' running state.
  const groups = HashMap.init<unknown, unknown[]>();
  for (let start = 0; start < data.length; start += chunk) {
    for (const row of runPipeline([...perDocument, partial] as Stage[], data.slice(start, start + chunk)) as Doc[]) {
      const key = row['_id'] ?? null;
      let state = groups.get(key);
      if (!state) {
        state = group.accumulators.map((acc) => (acc.kind === 'count' ? 0 : acc.kind === 'sum' || acc.kind === 'avg' ? [] : null));
        groups.set(key, state);
      }
      group.accumulators.forEach((acc, position) => {
        const value = row[acc.field];
        if (acc.kind === 'count') state![position] = (state![position] as number) + (value as number);
        else if (acc.kind === 'sum' || acc.kind === 'avg') for (const item of value as unknown[]) (state![position] as unknown[]).push(item);
        else if (!isNil(value)) {
          const current = state![position];
          // mingo takes the first of equal minima and the last of equal maxima (a stable ascending sort).
          if (isNil(current) || (acc.kind === 'min' ? compare(value, current) < 0 : compare(value, current) >= 0)) state![position] = value;
        }
      });
    }
    await pacer.tick();
  }
  const out: Doc[] = [];
  for (const [key, state] of groups) {
    const row: Doc = { _id: key };
    group.accumulators.forEach((acc, position) => {
      row[acc.field] = finalValue(acc, state[position]);
    });
    out.push(row);
  }
  return out;
}

/** An accumulator's answer from its merged state, computed as mingo's own `$sum`, `$avg`, `$min`, `$max` compute it. */
function finalValue(accumulator: Accumulator, state: unknown): unknown {
  if (accumulator.kind === 'count') return (state as number) * accumulator.by;
  if (accumulator.kind === 'min' || accumulator.kind === 'max') return isNil(state) ? null : state;
  let sum = 0;
  let count = 0;
  for (const value of state as unknown[]) {
    if (!isNumber(value)) continue;
    sum += value;
    count += 1;
  }
  if (accumulator.kind === 'sum') return sum;
  return count === 0 ? null : sum / count;
}

interface Keyed {
  doc: object;
  keys: unknown[];
}

async function firstInSlices(
  perDocument: readonly Stage[],
  sort: Record<string, 1 | -1>,
  limit: number,
  data: readonly object[],
  chunk: number,
  pacer: Pacer,
): Promise<object[]> {
  const paths = Object.keys(sort);
  const directions = paths.map((path) => (sort[path] === -1 ? -1 : 1));
  // The sort keys as mingo's `$sort` reads them (a missing value is null).
  const keyed = (doc: object): Keyed => ({ doc, keys: paths.map((path) => resolve(doc as Doc, path) ?? null) });
  const order = (a: Keyed, b: Keyed): number => {
    for (let position = 0; position < paths.length; position += 1) {
      const difference = compare(a.keys[position], b.keys[position]);
      if (difference !== 0) return difference * directions[position]!;
    }
    return 0;
  };
  let kept: Keyed[] = [];
  let pending: Keyed[] = [];
  // Kept sorted (Array#sort is stable, and every pending document came after every kept one, so a tie
  // keeps the kept one first), cut after the `limit`-th, keeping those tied with it: mingo's own sort
  // decides among them at the end. The pending ones are sorted alone and merged in, in linear time.
  const settle = () => {
    pending.sort(order);
    const merged: Keyed[] = [];
    let k = 0;
    let p = 0;
    while (k < kept.length && p < pending.length) merged.push(order(pending[p]!, kept[k]!) < 0 ? pending[p++]! : kept[k++]!);
    while (k < kept.length) merged.push(kept[k++]!);
    while (p < pending.length) merged.push(pending[p++]!);
    kept = merged;
    pending = [];
    let end = Math.min(limit, kept.length);
    while (end < kept.length && order(kept[end]!, kept[limit - 1]!) === 0) end += 1;
    kept.length = end;
  };
  for (let start = 0; start < data.length; start += chunk) {
    const part = data.slice(start, start + chunk);
    for (const doc of perDocument.length > 0 ? (runPipeline(perDocument as Stage[], part) as object[]) : part) {
      const entry = keyed(doc);
      if (kept.length >= limit && order(entry, kept[limit - 1]!) > 0) continue;
      pending.push(entry);
    }
    if (pending.length >= chunk) settle();
    await pacer.tick();
  }
  settle();
  // Entries that differ by `compare` are in mingo's order already; mingo orders each run of equal ones (keys
  // it sees as distinct but `compare` as equal, like [1, 2] and [2, 1]) among themselves, as it would in the whole.
  const out: object[] = [];
  for (let start = 0; start < kept.length && out.length < limit;) {
    let end = start + 1;
    while (end < kept.length && order(kept[end]!, kept[start]!) === 0) end += 1;
    const run = kept.slice(start, end).map((entry) => entry.doc);
    for (const doc of run.length > 1 ? (runPipeline([{ $sort: sort }], run) as object[]) : run) out.push(doc);
    start = end;
  }
  out.length = Math.min(out.length, limit);
  return out;
}
