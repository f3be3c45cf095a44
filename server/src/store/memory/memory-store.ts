import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Query } from 'mingo';
import type {
  ApiKeyDoc,
  ConsoleSessionDoc,
  CounterDoc,
  DatasetDoc,
  DatasetFieldDoc,
  PageDoc,
  PageEmbedDoc,
  PrincipalDoc,
  RecordDoc,
  SigningSecretDoc,
  UserDoc,
  WorkspaceDoc,
} from '../../domain/types.js';
import { StoreUnavailableError } from '../../errors.js';
import { toMongoFilter, toMongoSort } from '../filter.js';
import { runPipeline } from './date-trunc.js';
import {
  collectionIndexes,
  DuplicateKeyError,
  type Accumulate,
  type Collection,
  type CollectionName,
  type FindOptions,
  type Match,
  type Pipeline,
  type Store,
  type Update,
} from '../port.js';

/**
 * Documents are copied in and out, so callers can never mutate what the store holds.
 * (Not `structuredClone`: under test runners that use VM contexts it returns dates of
 * another realm, which `instanceof Date` then rejects.)
 */
function copy<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(copy) as T;
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) result[key] = copy(inner);
    return result as T;
  }
  return value;
}

/** How often, at most, expired documents are swept from a collection with a TTL field (MongoDB's TTL monitor runs every 60 s). */
const TTL_SWEEP_INTERVAL_MS = 30_000;

interface CollectionOptions<T> {
  unique: string[][];
  /** A field whose date ends the document's life, as MongoDB's TTL indexes do. */
  ttl?: string;
  /** Groups documents by a key (workspace and dataset, for records) so a scan can start from one group. */
  partition?: (doc: T) => string;
}

class MemoryCollection<T extends { _id: string }> implements Collection<T> {
  readonly #docs = new Map<string, T>();
  readonly #partitions = new Map<string, Map<string, T>>();
  #lastSweep = Date.now();

  constructor(
    private readonly name: CollectionName,
    private readonly options: CollectionOptions<T>,
  ) {}

  /** The live documents, for the aggregation runner (read-only use). */
  values(): T[] {
    return [...this.#docs.values()];
  }

  /** The live documents of one partition, in insertion order (read-only use). */
  partitionValues(key: string): T[] {
    const partition = this.#partitions.get(key);
    return partition ? [...partition.values()] : [];
  }

  #put(doc: T): void {
    const previous = this.#docs.get(doc._id);
    this.#docs.set(doc._id, doc);
    const partitionOf = this.options.partition;
    if (!partitionOf) return;
    if (previous) this.#partitions.get(partitionOf(previous))?.delete(doc._id);
    const key = partitionOf(doc);
    let partition = this.#partitions.get(key);
    if (!partition) this.#partitions.set(key, (partition = new Map()));
    partition.set(doc._id, doc);
  }

  #remove(id: string): boolean {
    const previous = this.#docs.get(id);
    if (!previous) return false;
    this.#docs.delete(id);
    const partitionOf = this.options.partition;
    if (partitionOf) {
      const key = partitionOf(previous);
      const partition = this.#partitions.get(key);
      partition?.delete(id);
      if (partition?.size === 0) this.#partitions.delete(key);
    }
    return true;
  }

  /** Drops documents whose TTL date has passed, at most every TTL_SWEEP_INTERVAL_MS, so rate-limit counters do not pile up. */
  #sweepExpired(): void {
    const field = this.options.ttl;
    const now = Date.now();
    if (!field || now - this.#lastSweep < TTL_SWEEP_INTERVAL_MS) return;
    this.#lastSweep = now;
    for (const doc of [...this.#docs.values()]) {
      const expiresAt = (doc as Record<string, unknown>)[field];
      if (expiresAt instanceof Date && expiresAt.getTime() <= now) this.#remove(doc._id);
    }
  }

  async insertOne(doc: T): Promise<void> {
    this.#sweepExpired();
    // MongoDB refuses a second document with the same `_id` (E11000 on the `_id_` index); so does this store.
    if (this.#docs.has(doc._id)) throw new DuplicateKeyError(this.name);
    this.#assertUnique(doc);
    this.#put(copy(doc));
  }

  async insertIfAbsent(doc: T): Promise<boolean> {
    if (this.#docs.has(doc._id)) return false;
    await this.insertOne(doc);
    return true;
  }

  async insertMany(docs: readonly T[]): Promise<void> {
    for (const doc of docs) await this.insertOne(doc);
  }

  async insertManyIgnoringDuplicates(docs: readonly T[]): Promise<number> {
    this.#sweepExpired();
    let inserted = 0;
    for (const doc of docs) {
      if (this.#docs.has(doc._id)) continue;
      try {
        this.#assertUnique(doc);
      } catch (error) {
        if (error instanceof DuplicateKeyError) continue;
        throw error;
      }
      this.#put(copy(doc));
      inserted += 1;
    }
    return inserted;
  }

  async findOne(match: Match): Promise<T | null> {
    const [first] = this.#select(match, { limit: 1 });
    return first ? copy(first) : null;
  }

  async find(match: Match, options: FindOptions = {}): Promise<T[]> {
    return this.#select(match, options).map(copy);
  }

  async count(match: Match, options: Pick<FindOptions, 'search'> = {}): Promise<number> {
    return this.#select(match, options).length;
  }

  async updateOne(match: Match, update: Update<T>): Promise<T | null> {
    const [current] = this.#select(match, { limit: 1 });
    if (!current) return null;
    const next = { ...current, ...copy(update.set ?? {}) } as T;
    for (const [field, by] of Object.entries(update.inc ?? {})) {
      const record = next as Record<string, unknown>;
      record[field] = Number(record[field] ?? 0) + Number(by);
    }
    this.#assertUnique(next);
    this.#put(next);
    return copy(next);
  }

  async upsertIncrement(id: string, field: keyof T & string, by: number, setOnInsert: Partial<T>): Promise<T> {
    this.#sweepExpired();
    const current = this.#docs.get(id);
    const next = (current ? { ...current } : { ...copy(setOnInsert), _id: id }) as Record<string, unknown>;
    next[field] = Number(next[field] ?? 0) + by;
    this.#put(next as T);
    return copy(next as T);
  }

  async accumulate(operations: readonly Accumulate<T>[]): Promise<void> {
    for (const operation of operations) {
      const current = this.#docs.get(operation.id);
      const next = (current ? copy(current) : { ...copy(operation.setOnInsert), _id: operation.id }) as Record<string, unknown>;
      for (const [path, by] of Object.entries(operation.inc)) {
        const { parent, key } = pathIn(next, path);
        parent[key] = Number(parent[key] ?? 0) + by;
      }
      for (const [path, date] of Object.entries(operation.max ?? {})) {
        const { parent, key } = pathIn(next, path);
        const previous = parent[key];
        if (!(previous instanceof Date) || previous.getTime() < date.getTime()) parent[key] = new Date(date.getTime());
      }
      this.#put(next as T);
    }
  }

  async deleteOne(match: Match): Promise<boolean> {
    const [current] = this.#select(match, { limit: 1 });
    return current ? this.#remove(current._id) : false;
  }

  async deleteMany(match: Match): Promise<number> {
    const doomed = this.#select(match, {});
    for (const doc of doomed) this.#remove(doc._id);
    return doomed.length;
  }

  #select(match: Match, options: FindOptions): T[] {
    if (match['_id'] !== undefined && typeof match['_id'] === 'string' && !options.search && options.afterId === undefined) {
      // Fast path for the most common lookup; the filter still runs so the semantics stay mingo's.
      const doc = this.#docs.get(match['_id']);
      return doc && new Query(toMongoFilter(match)).test(doc) ? [doc] : [];
    }
    let cursor = new Query(toMongoFilter(match, options)).find<T>(this.values());
    cursor = cursor.sort(toMongoSort(options.sort));
    if (options.limit !== undefined) cursor = cursor.limit(options.limit);
    return cursor.all() as T[];
  }

  #assertUnique(doc: T): void {
    const record = doc as Record<string, unknown>;
    for (const fields of this.options.unique) {
      for (const other of this.#docs.values()) {
        if (other._id === doc._id) continue;
        const otherRecord = other as Record<string, unknown>;
        if (fields.every((field) => otherRecord[field] === record[field])) throw new DuplicateKeyError(this.name);
      }
    }
  }
}

/** The object holding the last segment of a dotted path, created on the way like MongoDB's `$inc` does. */
function pathIn(doc: Record<string, unknown>, path: string): { parent: Record<string, unknown>; key: string } {
  const segments = path.split('.');
  if (segments.some((segment) => segment === '__proto__' || segment === 'constructor' || segment === 'prototype' || segment.startsWith('$'))) {
    throw new TypeError(`Refusing the update path ${path}.`);
  }
  let parent = doc;
  for (const segment of segments.slice(0, -1)) {
    const inner = parent[segment];
    if (inner === null || typeof inner !== 'object') parent[segment] = {};
    parent = parent[segment] as Record<string, unknown>;
  }
  return { parent, key: segments[segments.length - 1]! };
}

const partitionKey = (workspaceId: string, dataset: string): string => `${workspaceId}\u0000${dataset}`;

/** Finds `{ [field]: { $eq: <string> } }` (exactly that shape) among `$and` conditions. */
function equalityOn(conditions: readonly unknown[], field: string): { condition: unknown; value: string } | undefined {
  for (const condition of conditions) {
    if (condition === null || typeof condition !== 'object' || Object.keys(condition).length !== 1) continue;
    const test = (condition as Record<string, unknown>)[field];
    if (test === null || typeof test !== 'object' || Object.keys(test).length !== 1) continue;
    const value = (test as Record<string, unknown>)['$eq'];
    if (typeof value === 'string') return { condition, value };
  }
  return undefined;
}

/**
 * The in-process store: tests, and the offline fallback of `npm start`. It runs the same
 * filters and the same compiled aggregation pipelines as MongoDB would, through mingo.
 * Nothing survives a restart.
 */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  #closed = false;
  readonly workspaces: MemoryCollection<WorkspaceDoc>;
  readonly principals: MemoryCollection<PrincipalDoc>;
  readonly apiKeys: MemoryCollection<ApiKeyDoc>;
  readonly users: MemoryCollection<UserDoc>;
  readonly records: MemoryCollection<RecordDoc>;
  readonly pages: MemoryCollection<PageDoc>;
  readonly signingSecrets: MemoryCollection<SigningSecretDoc>;
  readonly pageEmbeds: MemoryCollection<PageEmbedDoc>;
  readonly counters: MemoryCollection<CounterDoc>;
  readonly consoleSessions: MemoryCollection<ConsoleSessionDoc>;
  readonly datasets: MemoryCollection<DatasetDoc>;
  readonly datasetFields: MemoryCollection<DatasetFieldDoc>;

  constructor() {
    const make = <T extends { _id: string }>(name: CollectionName, partition?: (doc: T) => string) =>
      new MemoryCollection<T>(name, {
        unique: collectionIndexes[name].unique ?? [],
        ...(collectionIndexes[name].ttl ? { ttl: collectionIndexes[name].ttl } : {}),
        ...(partition ? { partition } : {}),
      });
    this.workspaces = make<WorkspaceDoc>('workspaces');
    this.principals = make<PrincipalDoc>('principals');
    this.apiKeys = make<ApiKeyDoc>('apiKeys');
    this.users = make<UserDoc>('users');
    this.records = make<RecordDoc>('records', (doc) => partitionKey(doc.workspaceId, doc.dataset));
    this.pages = make<PageDoc>('pages');
    this.signingSecrets = make<SigningSecretDoc>('signingSecrets');
    this.pageEmbeds = make<PageEmbedDoc>('pageEmbeds');
    this.counters = make<CounterDoc>('counters');
    this.consoleSessions = make<ConsoleSessionDoc>('consoleSessions');
    this.datasets = make<DatasetDoc>('datasets');
    this.datasetFields = make<DatasetFieldDoc>('datasetFields');
  }

  async aggregateRecords(pipeline: Pipeline): Promise<Array<Record<string, unknown>>> {
    // mingo runs synchronously: yield to the event loop first, so that the widgets of a render
    // (and of concurrent renders) each run in their own turn, with other requests between them,
    // as they would against a database.
    await yieldToEventLoop();
    const { source, stages } = this.#startFromPartition(pipeline);
    // Aggregation stages never modify their input documents in mingo, so the live values are safe to pass.
    const result = runPipeline(stages, source);
    return copy(result as Array<Record<string, unknown>>);
  }

  /**
   * Compiled pipelines open with `{ $match: { $and: [{ workspaceId: { $eq } }, { dataset: { $eq } }, …] } }`.
   * Those two conditions are answered by the records' partition (as MongoDB answers them from
   * the `workspaceId, dataset, …` index), so mingo scans one dataset of one workspace and
   * evaluates only the conditions left. Any other pipeline runs over every record.
   */
  #startFromPartition(pipeline: Pipeline): { source: RecordDoc[]; stages: Array<Record<string, unknown>> } {
    const stages = pipeline.map((stage) => ({ ...stage }));
    const conditions = (stages[0]?.['$match'] as { $and?: unknown } | undefined)?.$and;
    if (!Array.isArray(conditions) || Object.keys(stages[0]!).length !== 1 || Object.keys(stages[0]!['$match'] as object).length !== 1) {
      return { source: this.records.values(), stages };
    }
    const workspaceId = equalityOn(conditions, 'workspaceId');
    const dataset = equalityOn(conditions, 'dataset');
    if (workspaceId === undefined || dataset === undefined) return { source: this.records.values(), stages };
    const rest = conditions.filter((condition) => condition !== workspaceId.condition && condition !== dataset.condition);
    const remaining = rest.length > 0 ? [{ $match: { $and: rest } }] : [];
    return { source: this.records.partitionValues(partitionKey(workspaceId.value, dataset.value)), stages: [...remaining, ...stages.slice(1)] };
  }

  async ping(): Promise<void> {
    if (this.#closed) throw new StoreUnavailableError();
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}
