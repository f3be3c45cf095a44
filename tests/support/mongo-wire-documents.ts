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

const clone = <T>(value: T): T => BSON.deserialize(BSON.serialize({ value })).value as T;

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
 * The documents a query matches, in stored order. An equality on a string `_id` picks its document
 * directly, as mongod's `_id` index does (mingo then checks the rest of the query): without it, a
 * rollup build's thousands of upserts would each test every stored row.
 */
function select(docs: Doc[], query: Doc): Doc[] {
  const id = idEquality(query);
  if (id === undefined) return new Query(query).find<Doc>(docs).all();
  const found = docs.filter((doc) => doc._id === id);
  return Object.keys(query).length === 1 ? found : new Query(query).find<Doc>(found).all();
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

  #find(target: string, command: Command): Doc[] {
    let cursor = new Query({}).find<Doc>(select(this.collection(target), (command['filter'] as Doc | undefined) ?? {}));
    if (command['sort']) cursor = cursor.sort(command['sort'] as Record<string, 1 | -1>);
    if (command['skip']) cursor = cursor.skip(Number(command['skip']));
    if (command['limit']) cursor = cursor.limit(Math.abs(Number(command['limit'])));
    return cursor.all();
  }

  #aggregate(target: string, pipeline: Doc[]): Doc[] {
    const source = target === '1' ? [] : this.collection(target);
    return new Aggregator(pipeline, { context, collectionResolver: (name: string) => this.collection(name) } as never).run(source) as Doc[];
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
    const sameId = typeof doc._id === 'string' ? (other: Doc) => other._id === doc._id : (other: Doc) => isEqual(other._id, doc._id);
    if (docs.some((other) => other !== self && sameId(other))) return '_id_';
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
      this.collection(target).push(clone(doc));
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
    if (inserting && $setOnInsert) applyUpdate(doc, { $set: clone($setOnInsert) } as never);
    if (Object.keys(rest).length > 0) applyUpdate(doc, clone(rest) as never);
  }

  /**
   * One update of `target`: the first match (or every one, with `multi`), or an upsert. Answers what
   * MongoDB's `update` and `findAndModify` report, or the duplicate key it would refuse.
   */
  #updateOne(target: string, query: Doc, update: Doc, options: { upsert?: boolean; multi?: boolean; sort?: Doc }) {
    const docs = this.collection(target);
    let cursor = new Query({}).find<Doc>(select(docs, query));
    if (options.sort) cursor = cursor.sort(options.sort as Record<string, 1 | -1>);
    const matched = options.multi ? cursor.all() : cursor.limit(1).all();
    if (matched.length === 0) {
      if (!options.upsert) return { matched: 0, before: null, after: null, upserted: null };
      const doc = this.#seed(query);
      this.#apply(doc, update, true);
      doc._id ??= new BSON.ObjectId();
      const duplicate = this.#duplicate(target, doc, null);
      if (duplicate) return { error: this.#duplicateError(target, duplicate) };
      docs.push(doc);
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
      const docs = this.collection(target);
      const [found] = select(docs, query);
      if (found) docs.splice(docs.indexOf(found), 1);
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
      const docs = this.collection(target);
      const found = select(docs, one['q'] as Doc);
      for (const doc of Number(one['limit']) === 1 ? found.slice(0, 1) : found) {
        docs.splice(docs.indexOf(doc), 1);
        n += 1;
      }
    }
    return { n, ok: 1 };
  }
}
