import { Query } from 'mingo';
import { Aggregator } from 'mingo/aggregator';
import { Context } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { update as applyUpdate } from 'mingo/updater';
import { ensureArray, isEqual, resolve } from 'mingo/util';
import mongoose from 'mongoose';
import { zonedDateTrunc } from '../../server/src/store/memory/date-trunc.js';
import type { Command } from './mongo-wire-peer.js';

const { BSON } = mongoose.mongo;

type Doc = Record<string, unknown> & { _id?: unknown };
type PipelineOperator = (collection: { map(fn: (doc: Doc) => Doc): unknown }, expr: unknown, options: never) => unknown;

/** The first batch a real server sends when the command names no batch size (find and aggregate alike). */
const DEFAULT_FIRST_BATCH = 101;

interface UniqueIndex {
  keys: string[];
  partial: Query | null;
}

/**
 * `$lookup` with `localField`/`foreignField` and a `pipeline` together (MongoDB 5.0+): the pipeline runs
 * over the foreign documents that match on the fields. mingo 7.2.7 runs it over the whole foreign
 * collection in that form, so this is MongoDB's meaning, written out; every other form is mingo's.
 */
const mingoLookup = (pipelineOperators as unknown as Record<string, PipelineOperator>)['$lookup']!;
const $lookup: PipelineOperator = (collection, expr, options) => {
  const { from, localField, foreignField, pipeline, as } = expr as { from: string; localField?: string; foreignField?: string; pipeline?: Doc[]; as: string };
  if (!localField || !foreignField || !pipeline?.length) return mingoLookup(collection, expr, options);
  const resolver = (options as { collectionResolver?: (name: string) => Doc[] }).collectionResolver!;
  const foreign = resolver(from);
  const valuesOf = (doc: Doc, path: string): unknown[] => ensureArray((resolve(doc, path) as unknown) ?? null) as unknown[];
  return collection.map((doc) => {
    const local = valuesOf(doc, localField);
    const matched = foreign.filter((candidate) => valuesOf(candidate, foreignField).some((value) => local.some((mine) => isEqual(mine, value))));
    return { ...doc, [as]: new Aggregator(pipeline, options).run(matched) };
  });
};

/** Every mingo operator, with the memory adapter's `$dateTrunc` (named zones as MongoDB cuts them) and MongoDB's `$lookup`. */
const context = Context.init({
  accumulator: accumulatorOperators,
  expression: { ...expressionOperators, $dateTrunc: zonedDateTrunc },
  pipeline: { ...pipelineOperators, $lookup },
  projection: projectionOperators,
  query: queryOperators,
  window: windowOperators,
} as never);

/**
 * A deep copy of a document as BSON holds it: plain objects and arrays copied, dates copied, other
 * values (strings, numbers, BSON types) shared, as they are immutable. Written out rather than a
 * BSON round trip, which cost a rollup build's upserts most of their 2 s deadline.
 */
function clone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(clone) as T;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Doc = {};
  for (const key of Object.keys(value)) copy[key] = clone((value as Doc)[key]);
  return copy as T;
}

/** BSON's order of types, for `$min`/`$max` between values of different types (null lowest, dates above numbers and strings). */
const typeRank = (value: unknown): number =>
  value === null || value === undefined
    ? 0
    : typeof value === 'number'
      ? 1
      : typeof value === 'string'
        ? 2
        : typeof value === 'boolean'
          ? 8
          : value instanceof Date
            ? 9
            : -1;

/** The object holding a dotted path's last segment, made on the way as mongod does. */
function parentOf(doc: Doc, path: string): { parent: Doc; key: string } {
  const segments = path.split('.');
  let parent = doc;
  for (const segment of segments.slice(0, -1)) {
    if (parent[segment] === null || typeof parent[segment] !== 'object') parent[segment] = {};
    parent = parent[segment] as Doc;
  }
  return { parent, key: segments[segments.length - 1]! };
}

/**
 * `$set`, `$inc`, `$min`, `$max` and `$unset` on plain values, written out: mingo's updater takes
 * about half a millisecond a call, and a rollup build sends thousands of upserts under a 2 s
 * deadline. Anything else (arrays, other operators, values of other types) is mingo's.
 */
function applyOperators(doc: Doc, update: Doc): void {
  const simple = Object.entries(update).every(
    ([operator, fields]) =>
      ['$set', '$inc', '$min', '$max', '$unset'].includes(operator) &&
      Object.values(fields as Doc).every((value) => operator === '$set' || operator === '$unset' || typeRank(value) >= 0),
  );
  if (!simple) return void applyUpdate(doc, update as never);
  for (const [operator, fields] of Object.entries(update)) {
    for (const [path, value] of Object.entries(fields as Doc)) {
      const { parent, key } = parentOf(doc, path);
      const current = parent[key];
      if (operator === '$set') parent[key] = value;
      else if (operator === '$unset') delete parent[key];
      else if (operator === '$inc') parent[key] = (typeof current === 'number' ? current : 0) + (value as number);
      else if (current === undefined || typeRank(current) < 0) parent[key] = value;
      else {
        const order =
          typeRank(value) - typeRank(current) ||
          (value instanceof Date
            ? value.getTime() - (current as Date).getTime()
            : (value as number) < (current as number)
              ? -1
              : (value as number) > (current as number)
                ? 1
                : 0);
        if (operator === '$min' ? order < 0 : order > 0) parent[key] = value;
      }
    }
  }
}

/**
 * Fields whose equalities a leading `$match` is answered from, most precise first: a rollup plan's
 * partition, a spec's rows, a dataset's records, a workspace's documents.
 */
const VALUE_INDEXES: ReadonlyArray<readonly string[]> = [['specId', 'generation', 'level', 'a'], ['specId'], ['workspaceId', 'dataset'], ['workspaceId']];

/** A string, number or boolean (values equal by JSON text exactly when equal in BSON). */
const isPlain = (value: unknown): value is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof value);

/** The plain value a `$match` names `field` by (`{ f: v }`, `{ f: { $eq: v } }`, at its top or in its `$and`), if it does. */
function equalityOn(match: Doc, field: string): string | number | boolean | undefined {
  const value = match[field];
  if (isPlain(value)) return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && isPlain((value as Doc)['$eq'])) {
    return (value as Doc)['$eq'] as string | number | boolean;
  }
  const all = match['$and'];
  if (!Array.isArray(all)) return undefined;
  for (const part of all as Doc[]) {
    const found = part !== null && typeof part === 'object' ? equalityOn(part, field) : undefined;
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The string an `_id` equality names (`{ _id: 'x' }` or `{ _id: { $eq: 'x' } }`, alone or beside other conditions), if the query has one. */
function idEquality(query: Doc): string | undefined {
  const id = query['_id'];
  if (typeof id === 'string') return id;
  if (id !== null && typeof id === 'object' && !Array.isArray(id) && Object.keys(id).length === 1 && typeof (id as Doc)['$eq'] === 'string') {
    return (id as Doc)['$eq'] as string;
  }
  return undefined;
}

/**
 * The documents behind a `MongoWirePeer`: collections held in memory and the commands the driver
 * sends for the mongo adapter answered over them — find, aggregate (with `$unionWith` and
 * `$lookup` across collections), insert, update and findAndModify (upserts, `$setOnInsert`,
 * `$inc`, `$max`, …), delete, cursors with `getMore`, and the unique indexes `createIndexes`
 * declares (partial ones included). Matching and aggregation are mingo's (the memory adapter's
 * engine), so this checks what the adapter sends and how many times, not MongoDB itself.
 *
 * Use as `peer.react = (name, command) => documents.answer(name, command)`; a test that injects
 * faults answers its own commands first and leaves the rest to this.
 */
export class WireDocuments {
  readonly #collections = new Map<string, Doc[]>();
  readonly #indexes = new Map<string, Array<{ name: string; key: Doc; unique?: boolean; partialFilterExpression?: Doc; expireAfterSeconds?: number }>>();
  readonly #cursors = new Map<number, { ns: string; docs: Doc[] }>();
  /** Each collection's documents by string `_id`, as mongod's `_id` index: a rollup build's thousands of upserts each find their row at once. */
  readonly #byId = new Map<string, { ids: Map<string, Doc>; length: number }>();
  /** Each collection's documents by the value of a field (`specId`, `workspaceId`), for aggregations; see `#aggregate`. */
  readonly #byValue = new Map<string, { version: number; length: number; values: Map<string, Doc[]> }>();
  readonly #versions = new Map<string, number>();
  #nextCursor = 1;

  /** The documents of a collection (live: for a test to read or seed). */
  collection(name: string): Doc[] {
    let docs = this.#collections.get(name);
    if (!docs) this.#collections.set(name, (docs = []));
    return docs;
  }

  /** The answer to one command, or undefined for the peer's default (handshakes, `ping`, `endSessions`, …). */
  answer(name: string, command: Command): Record<string, unknown> | undefined {
    const target = String(command[name]);
    const ns = `${command.$db}.${target}`;
    try {
      switch (name) {
        case 'find':
          return this.#cursor(ns, this.#find(target, command), command['batchSize'] as number | undefined, command['singleBatch'] === true);
        case 'aggregate':
          return this.#cursor(ns, this.#aggregate(target, command['pipeline'] as Doc[]), (command['cursor'] as { batchSize?: number } | undefined)?.batchSize);
        case 'getMore':
          return this.#getMore(Number(command['getMore']), command['batchSize'] as number | undefined);
        case 'killCursors':
          for (const id of command['cursors'] as unknown[]) this.#cursors.delete(Number(id));
          return { cursorsKilled: command['cursors'], ok: 1 };
        case 'insert':
          return this.#insert(target, command['documents'] as Doc[], command['ordered'] !== false);
        case 'update':
          return this.#update(target, command['updates'] as Doc[], command['ordered'] !== false);
        case 'findAndModify':
          return this.#findAndModify(target, command);
        case 'delete':
          return this.#delete(target, command['deletes'] as Doc[]);
        case 'listIndexes':
          return {
            cursor: {
              id: BSON.Long.fromNumber(0),
              ns,
              firstBatch: [{ v: 2, key: { _id: 1 }, name: '_id_' }, ...(this.#indexes.get(target) ?? []).map((index) => ({ v: 2, ...index }))],
            },
            ok: 1,
          };
        case 'createIndexes': {
          const indexes = this.#indexes.get(target) ?? [];
          indexes.push(...(command['indexes'] as typeof indexes));
          this.#indexes.set(target, indexes);
          this.collection(target);
          return { numIndexesBefore: 1, numIndexesAfter: 1 + indexes.length, ok: 1 };
        }
        default:
          return undefined;
      }
    } catch (error) {
      return { ok: 0, code: 2, codeName: 'BadValue', errmsg: `wire documents: ${(error as Error).message}` };
    }
  }

  /** The `_id` index of a collection, rebuilt if documents came or went without it (a test seeding the live array). */
  #ids(target: string): Map<string, Doc> {
    const docs = this.collection(target);
    let index = this.#byId.get(target);
    if (!index || index.length !== docs.length) {
      index = { ids: new Map(docs.flatMap((doc) => (typeof doc._id === 'string' ? [[doc._id, doc] as const] : []))), length: docs.length };
      this.#byId.set(target, index);
    }
    return index.ids;
  }

  /** The documents a query matches, in stored order; an equality on a string `_id` is answered from the `_id` index (mingo checks the rest). */
  #select(target: string, query: Doc): Doc[] {
    const id = idEquality(query);
    if (id === undefined) return new Query(query).find<Doc>(this.collection(target)).all();
    const doc = this.#ids(target).get(id);
    if (!doc) return [];
    return Object.keys(query).length === 1 || new Query(query).test(doc) ? [doc] : [];
  }

  #add(target: string, doc: Doc): void {
    this.#written(target);
    const ids = this.#ids(target);
    this.collection(target).push(doc);
    if (typeof doc._id === 'string') ids.set(doc._id, doc);
    this.#byId.get(target)!.length += 1;
  }

  /** Removes documents, keeping the others in their order (one pass, whatever how many go). */
  #remove(target: string, doomed: ReadonlySet<Doc>): void {
    this.#written(target);
    const docs = this.collection(target);
    const ids = this.#ids(target);
    let kept = 0;
    for (const doc of docs) {
      if (doomed.has(doc)) {
        if (typeof doc._id === 'string') ids.delete(doc._id);
      } else docs[kept++] = doc;
    }
    docs.length = kept;
    this.#byId.get(target)!.length = kept;
  }

  #find(target: string, command: Command): Doc[] {
    let cursor = new Query({}).find<Doc>(this.#select(target, (command['filter'] as Doc | undefined) ?? {}));
    if (command['sort']) cursor = cursor.sort(command['sort'] as Record<string, 1 | -1>);
    if (command['skip']) cursor = cursor.skip(Number(command['skip']));
    if (command['limit']) cursor = cursor.limit(Math.abs(Number(command['limit'])));
    return cursor.all();
  }

  /**
   * A pipeline over a collection, and each `$unionWith` branch over its own: where a pipeline's
   * first `$match` names a string `_id`, `specId` or `workspaceId` by equality, it starts from
   * those documents, as mongod starts from an index (a render's rollup branches would otherwise
   * each scan every row). mingo still runs every stage, so the answer is the same.
   */
  #aggregate(target: string, pipeline: Doc[]): Doc[] {
    const narrowed = new Map<string, Doc[]>();
    const narrow = (collection: string, stages: Doc[]): { source: Doc[]; stages: Doc[] } => {
      const rewritten = stages.map((stage) => {
        const union = stage['$unionWith'] as { coll?: unknown; pipeline?: Doc[] } | undefined;
        if (!union || typeof union.coll !== 'string') return stage;
        const branch = narrow(union.coll, union.pipeline ?? []);
        const name = `\u0000branch ${narrowed.size}`;
        narrowed.set(name, branch.source);
        return { $unionWith: { coll: name, pipeline: branch.stages } };
      });
      return { source: this.#startOf(collection, rewritten[0]?.['$match'] as Doc | undefined), stages: rewritten };
    };
    const { source, stages } = target === '1' ? { source: [], stages: pipeline } : narrow(target, pipeline);
    return new Aggregator(stages, { context, collectionResolver: (name: string) => narrowed.get(name) ?? this.collection(name) } as never).run(source) as Doc[];
  }

  /** The documents a leading `$match` can only be among, in stored order (all of them when it names no indexed equality). */
  #startOf(target: string, match: Doc | undefined): Doc[] {
    if (!match) return this.collection(target);
    const id = equalityOn(match, '_id');
    if (typeof id === 'string') {
      const doc = this.#ids(target).get(id);
      return doc ? [doc] : [];
    }
    for (const fields of VALUE_INDEXES) {
      const values = fields.map((field) => equalityOn(match, field));
      if (values.every((value) => value !== undefined)) return this.#valuesOf(target, fields).get(JSON.stringify(values)) ?? [];
    }
    return this.collection(target);
  }

  /** A collection's documents by the values of some fields, rebuilt after any write to it. */
  #valuesOf(target: string, fields: readonly string[]): Map<string, Doc[]> {
    const key = `${target}\u0000${fields.join(',')}`;
    const docs = this.collection(target);
    const version = this.#versions.get(target) ?? 0;
    let index = this.#byValue.get(key);
    if (!index || index.version !== version || index.length !== docs.length) {
      const values = new Map<string, Doc[]>();
      for (const doc of docs) {
        const value = JSON.stringify(fields.map((field) => doc[field] ?? null));
        const same = values.get(value);
        if (same) same.push(doc);
        else values.set(value, [doc]);
      }
      this.#byValue.set(key, (index = { version, length: docs.length, values }));
    }
    return index.values;
  }

  /** Marks a collection written: indexes by value are rebuilt on their next use. */
  #written(target: string): void {
    this.#versions.set(target, (this.#versions.get(target) ?? 0) + 1);
  }

  #cursor(ns: string, docs: Doc[], batchSize: number | undefined, singleBatch = false): Record<string, unknown> {
    const size = batchSize && batchSize > 0 ? batchSize : DEFAULT_FIRST_BATCH;
    const first = docs.slice(0, size);
    let id = 0;
    if (!singleBatch && docs.length > size) {
      id = this.#nextCursor++;
      this.#cursors.set(id, { ns, docs: docs.slice(size) });
    }
    return { cursor: { id: BSON.Long.fromNumber(id), ns, firstBatch: clone(first) }, ok: 1 };
  }

  #getMore(id: number, batchSize: number | undefined): Record<string, unknown> {
    const open = this.#cursors.get(id);
    if (!open) return { ok: 0, code: 43, codeName: 'CursorNotFound', errmsg: `cursor id ${id} not found` };
    const next = batchSize && batchSize > 0 ? open.docs.splice(0, batchSize) : open.docs.splice(0);
    if (open.docs.length === 0) this.#cursors.delete(id);
    return { cursor: { id: BSON.Long.fromNumber(open.docs.length === 0 ? 0 : id), ns: open.ns, nextBatch: clone(next) }, ok: 1 };
  }

  /** The unique keys a document breaks in `target`, ignoring `self` (the document it replaces), as E11000 would name them. */
  #duplicate(target: string, doc: Doc, self: Doc | null): string | null {
    const docs = this.collection(target);
    if (typeof doc._id === 'string') {
      const other = this.#ids(target).get(doc._id);
      if (other && other !== self) return '_id_';
    } else if (docs.some((other) => other !== self && isEqual(other._id, doc._id))) return '_id_';
    for (const index of this.#uniqueIndexes(target)) {
      if (index.partial && !index.partial.test(doc)) continue;
      const key = index.keys.map((field) => resolve(doc, field) ?? null);
      const clash = docs.some(
        (other) =>
          other !== self && (!index.partial || index.partial.test(other)) && index.keys.every((field, at) => isEqual(resolve(other, field) ?? null, key[at])),
      );
      if (clash) return index.keys.join('_');
    }
    return null;
  }

  #uniqueIndexes(target: string): UniqueIndex[] {
    return (this.#indexes.get(target) ?? [])
      .filter((index) => index.unique)
      .map((index) => ({ keys: Object.keys(index.key), partial: index.partialFilterExpression ? new Query(index.partialFilterExpression) : null }));
  }

  #duplicateError(target: string, index: string) {
    return { code: 11000, errmsg: `E11000 duplicate key error collection: ${target} index: ${index}` };
  }

  #insert(target: string, documents: Doc[], ordered: boolean): Record<string, unknown> {
    const writeErrors: Array<Record<string, unknown>> = [];
    let n = 0;
    for (const [index, doc] of documents.entries()) {
      const duplicate = this.#duplicate(target, doc, null);
      if (duplicate) {
        writeErrors.push({ index, ...this.#duplicateError(target, duplicate) });
        if (ordered) break;
        continue;
      }
      this.#add(target, clone(doc));
      n += 1;
    }
    return { n, ...(writeErrors.length > 0 ? { writeErrors } : {}), ok: 1 };
  }

  /** The fields an upsert starts from: the query's equalities (`{ _id: { $eq: 'x' } }`, `{ a: 1 }`, inside `$and` too). */
  #seed(query: Doc): Doc {
    const seed: Doc = {};
    for (const [field, value] of Object.entries(query)) {
      if (field === '$and') for (const part of value as Doc[]) Object.assign(seed, this.#seed(part));
      if (field.startsWith('$')) continue;
      if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Array.isArray(value)) {
        if ('$eq' in value) seed[field] = (value as Doc)['$eq'];
      } else seed[field] = value;
    }
    return clone(seed);
  }

  /** Applies an update document (operators, or a replacement) to `doc` in place; `inserting` applies `$setOnInsert` too. */
  #apply(doc: Doc, update: Doc, inserting: boolean): void {
    const operators = Object.keys(update);
    if (operators.length > 0 && !operators[0]!.startsWith('$')) {
      for (const key of Object.keys(doc)) if (key !== '_id') delete doc[key];
      Object.assign(doc, clone(update));
      return;
    }
    const { $setOnInsert, ...rest } = update as { $setOnInsert?: Doc } & Doc;
    if (inserting && $setOnInsert) applyOperators(doc, { $set: clone($setOnInsert) });
    if (Object.keys(rest).length > 0) applyOperators(doc, clone(rest));
  }

  /**
   * One update of `target`: the first match (or every one, with `multi`), or an upsert. Answers what
   * MongoDB's `update` and `findAndModify` report, or the duplicate key it would refuse.
   */
  #updateOne(target: string, query: Doc, update: Doc, options: { upsert?: boolean; multi?: boolean; sort?: Doc }) {
    const found = this.#select(target, query);
    const sorted =
      options.sort && found.length > 1
        ? new Query({})
            .find<Doc>(found)
            .sort(options.sort as Record<string, 1 | -1>)
            .all()
        : found;
    const matched = options.multi ? sorted : sorted.slice(0, 1);
    if (matched.length === 0) {
      if (!options.upsert) return { matched: 0, before: null, after: null, upserted: null };
      const doc = this.#seed(query);
      this.#apply(doc, update, true);
      doc._id ??= new BSON.ObjectId();
      const duplicate = this.#duplicate(target, doc, null);
      if (duplicate) return { error: this.#duplicateError(target, duplicate) };
      this.#add(target, doc);
      return { matched: 0, before: null, after: doc, upserted: doc._id };
    }
    let last: { before: Doc; after: Doc } | null = null;
    for (const current of matched) {
      const before = clone(current);
      const next = clone(current);
      this.#apply(next, update, false);
      const duplicate = this.#duplicate(target, next, current);
      if (duplicate) return { error: this.#duplicateError(target, duplicate) };
      for (const key of Object.keys(current)) delete current[key];
      Object.assign(current, next);
      this.#written(target);
      last = { before, after: current };
    }
    return { matched: matched.length, before: last!.before, after: last!.after, upserted: null };
  }

  #update(target: string, updates: Doc[], ordered: boolean): Record<string, unknown> {
    const writeErrors: Array<Record<string, unknown>> = [];
    const upserted: Array<Record<string, unknown>> = [];
    let n = 0;
    for (const [index, one] of updates.entries()) {
      const result = this.#updateOne(target, one['q'] as Doc, one['u'] as Doc, { upsert: one['upsert'] === true, multi: one['multi'] === true });
      if ('error' in result) {
        writeErrors.push({ index, ...result.error });
        if (ordered) break;
        continue;
      }
      if (result.upserted !== null) {
        upserted.push({ index, _id: result.upserted });
        n += 1;
      } else n += result.matched;
    }
    return { n, nModified: n - upserted.length, ...(upserted.length > 0 ? { upserted } : {}), ...(writeErrors.length > 0 ? { writeErrors } : {}), ok: 1 };
  }

  #findAndModify(target: string, command: Command): Record<string, unknown> {
    const query = (command['query'] as Doc | undefined) ?? {};
    if (command['remove']) {
      const [found] = this.#select(target, query);
      if (found) this.#remove(target, new Set([found]));
      return { lastErrorObject: { n: found ? 1 : 0 }, value: found ?? null, ok: 1 };
    }
    const result = this.#updateOne(target, query, command['update'] as Doc, {
      upsert: command['upsert'] === true,
      ...(command['sort'] ? { sort: command['sort'] as Doc } : {}),
    });
    if ('error' in result) return { ok: 0, codeName: 'DuplicateKey', ...result.error };
    const value = command['new'] ? result.after : result.before;
    return {
      lastErrorObject: {
        n: result.upserted !== null ? 1 : result.matched,
        updatedExisting: result.matched > 0,
        ...(result.upserted !== null ? { upserted: result.upserted } : {}),
      },
      value: value ? clone(value) : null,
      ok: 1,
    };
  }

  #delete(target: string, deletes: Doc[]): Record<string, unknown> {
    let n = 0;
    for (const one of deletes) {
      const found = this.#select(target, one['q'] as Doc);
      const doomed = new Set(Number(one['limit']) === 1 ? found.slice(0, 1) : found);
      this.#remove(target, doomed);
      n += doomed.size;
    }
    return { n, ok: 1 };
  }
}
