import { Aggregator, Query } from 'mingo';
import type {
  ApiKeyDoc,
  ConsoleSessionDoc,
  CounterDoc,
  PageDoc,
  PageEmbedDoc,
  PrincipalDoc,
  RecordDoc,
  SigningSecretDoc,
  UserDoc,
  WorkspaceDoc,
} from '../../domain/types.js';
import { StoreUnavailableError } from '../../errors.js';
import { toMongoFilter } from '../filter.js';
import {
  collectionIndexes,
  DuplicateKeyError,
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

class MemoryCollection<T extends { _id: string }> implements Collection<T> {
  readonly #docs = new Map<string, T>();

  constructor(
    private readonly name: CollectionName,
    private readonly unique: string[][],
  ) {}

  /** The live documents, for the aggregation runner (read-only use). */
  values(): T[] {
    return [...this.#docs.values()];
  }

  async insertOne(doc: T): Promise<void> {
    this.#assertUnique(doc);
    this.#docs.set(doc._id, copy(doc));
  }

  async insertMany(docs: readonly T[]): Promise<void> {
    for (const doc of docs) await this.insertOne(doc);
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
    this.#docs.set(next._id, next);
    return copy(next);
  }

  async upsertIncrement(id: string, field: keyof T & string, by: number, setOnInsert: Partial<T>): Promise<T> {
    const current = this.#docs.get(id);
    const next = (current ? { ...current } : { ...copy(setOnInsert), _id: id }) as Record<string, unknown>;
    next[field] = Number(next[field] ?? 0) + by;
    this.#docs.set(id, next as T);
    return copy(next as T);
  }

  async deleteOne(match: Match): Promise<boolean> {
    const [current] = this.#select(match, { limit: 1 });
    return current ? this.#docs.delete(current._id) : false;
  }

  async deleteMany(match: Match): Promise<number> {
    const doomed = this.#select(match, {});
    for (const doc of doomed) this.#docs.delete(doc._id);
    return doomed.length;
  }

  #select(match: Match, options: FindOptions): T[] {
    if (match['_id'] !== undefined && typeof match['_id'] === 'string' && !options.search && options.afterId === undefined) {
      // Fast path for the most common lookup; the filter still runs so the semantics stay mingo's.
      const doc = this.#docs.get(match['_id']);
      return doc && new Query(toMongoFilter(match)).test(doc) ? [doc] : [];
    }
    let cursor = new Query(toMongoFilter(match, options)).find<T>(this.values());
    cursor = cursor.sort(options.sort ? { ...options.sort } : { _id: 1 });
    if (options.limit !== undefined) cursor = cursor.limit(options.limit);
    return cursor.all() as T[];
  }

  #assertUnique(doc: T): void {
    const record = doc as Record<string, unknown>;
    for (const fields of this.unique) {
      for (const other of this.#docs.values()) {
        if (other._id === doc._id) continue;
        const otherRecord = other as Record<string, unknown>;
        if (fields.every((field) => otherRecord[field] === record[field])) throw new DuplicateKeyError(this.name);
      }
    }
  }
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

  constructor() {
    const make = <T extends { _id: string }>(name: CollectionName) =>
      new MemoryCollection<T>(name, collectionIndexes[name].unique ?? []);
    this.workspaces = make<WorkspaceDoc>('workspaces');
    this.principals = make<PrincipalDoc>('principals');
    this.apiKeys = make<ApiKeyDoc>('apiKeys');
    this.users = make<UserDoc>('users');
    this.records = make<RecordDoc>('records');
    this.pages = make<PageDoc>('pages');
    this.signingSecrets = make<SigningSecretDoc>('signingSecrets');
    this.pageEmbeds = make<PageEmbedDoc>('pageEmbeds');
    this.counters = make<CounterDoc>('counters');
    this.consoleSessions = make<ConsoleSessionDoc>('consoleSessions');
  }

  async aggregateRecords(pipeline: Pipeline): Promise<Array<Record<string, unknown>>> {
    // Aggregation stages never modify their input documents in mingo, so the live values are safe to pass.
    const result = new Aggregator(pipeline.map((stage) => ({ ...stage }))).run(this.records.values());
    return copy(result as Array<Record<string, unknown>>);
  }

  async ping(): Promise<void> {
    if (this.#closed) throw new StoreUnavailableError();
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}
