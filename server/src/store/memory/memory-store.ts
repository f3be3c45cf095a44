import { Query } from 'mingo';
import type {
  ApiKeyDoc,
  ConsoleSessionDoc,
  CounterDoc,
  DatasetDoc,
  DatasetFieldDoc,
  ExportTicketDoc,
  AuditEventDoc,
  InvitationDoc,
  PageDoc,
  PageEmbedDoc,
  PasskeyDoc,
  PasswordDoc,
  PrincipalDoc,
  RecordDoc,
  RollupMarkDoc,
  RollupRowDoc,
  RollupSpecDoc,
  SigningSecretDoc,
  TokenIssuerDoc,
  UserDoc,
  WebAuthnChallengeDoc,
  WorkspaceDoc,
} from '../../domain/types.js';
import { StoreUnavailableError } from '../../errors.js';
import { toMongoFilter, toMongoSort } from '../filter.js';
import { groupKeyOf } from '../group-key.js';
import { DEFAULT_SLICES, Pacer, runPipelineInSlices, takeTurn, type SliceOptions } from './sliced-pipeline.js';
import {
  collectionIndexes,
  collectionNames,
  DuplicateKeyError,
  type Accumulate,
  type AggregationRun,
  type BatchRead,
  type BatchResult,
  type Collection,
  type CollectionName,
  type FindOptions,
  type Match,
  type OneOf,
  type Pipeline,
  type RollupCell,
  type RollupSource,
  type Scalar,
  type Store,
  type Update,
} from '../port.js';

/**
 * Documents are copied in and out, so callers can never mutate what the store holds.
 * (Not `structuredClone`: under test runners that use VM contexts it returns dates of
 * another realm, which `instanceof Date` then rejects.)
 */
function copy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) {
    const result = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index += 1) result[index] = copy(value[index]);
    return result as T;
  }
  const result: Record<string, unknown> = {};
  // Own enumerable keys, as Object.entries gives them, without allocating the pairs.
  for (const key of Object.keys(value)) result[key] = copy((value as Record<string, unknown>)[key]);
  return result as T;
}

/**
 * MongoDB's `{ $eq: literal }` on a stored top-level value, answered without mingo for the
 * values documents hold at the top level (strings, numbers, booleans, dates, null, missing);
 * undefined for anything else (an array or a sub-document), which mingo then answers.
 */
function literalEquals(stored: unknown, literal: Scalar): boolean | undefined {
  if (Array.isArray(stored) || (stored !== null && typeof stored === 'object' && !(stored instanceof Date))) return undefined;
  if (literal === null) return stored === null || stored === undefined;
  if (literal instanceof Date) return stored instanceof Date && stored.getTime() === literal.getTime();
  if (stored instanceof Date || (typeof literal === 'number' && Number.isNaN(literal))) return stored instanceof Date ? false : undefined;
  return stored === literal;
}

/** An equality match (literals and `oneOf` lists on top-level fields) tested directly; undefined: ask mingo. */
function quickTest(doc: object, match: Match): boolean | undefined {
  for (const [field, value] of Object.entries(match)) {
    if (field.includes('.')) return undefined;
    const stored = (doc as Record<string, unknown>)[field];
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      let any = false;
      for (const literal of (value as OneOf).oneOf) {
        const equal = literalEquals(stored, literal);
        if (equal === undefined) return undefined;
        if (equal) {
          any = true;
          break;
        }
      }
      if (!any) return false;
      continue;
    }
    const equal = literalEquals(stored, value as Scalar);
    if (equal === undefined) return undefined;
    if (!equal) return false;
  }
  return true;
}

/** A `{ oneOf }` match of string ids only. */
const isIdList = (value: unknown): value is OneOf =>
  value !== null && typeof value === 'object' && Array.isArray((value as OneOf).oneOf) && (value as OneOf).oneOf.every((one) => typeof one === 'string');

/** The ids a join field names: its string, or the strings of its list (anything else names nothing, as no `_id` equals it). */
const namedIds = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((one): one is string => typeof one === 'string') : [];

/** How often, at most, expired documents are swept from a collection with a TTL field (MongoDB's TTL monitor runs every 60 s). */
const TTL_SWEEP_INTERVAL_MS = 30_000;

interface CollectionOptions<T> {
  unique: string[][];
  /** Unique only among documents where every field is a string (MongoDB's partial index on `$type: 'string'`). */
  uniqueIfPresent: string[][];
  /** A field whose date ends the document's life, as MongoDB's TTL indexes do. */
  ttl?: string;
  /** Groups documents by a key (workspace and dataset, for records) so a scan can start from one group. */
  partition?: (doc: T) => string;
  /** A string field whose equality in a match picks the candidates from an index instead of a scan (`specId`, for rollups). */
  indexedField?: string;
  /** Called after every write, so a snapshot can follow (`MemoryStore`'s `onChange`). */
  changed: () => void;
}

class MemoryCollection<T extends { _id: string }> implements Collection<T> {
  readonly #docs = new Map<string, T>();
  readonly #partitions = new Map<string, Map<string, T>>();
  readonly #index = new Map<unknown, Set<string>>();
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

  /** Every live document, copied: what a snapshot writes. */
  dump(): T[] {
    return [...this.#docs.values()].map(copy);
  }

  /** Puts documents read back from a snapshot (into an empty collection, before anything else runs). */
  restore(docs: readonly T[]): void {
    for (const doc of docs) this.#put(copy(doc));
  }

  #put(doc: T): void {
    this.options.changed();
    const previous = this.#docs.get(doc._id);
    this.#docs.set(doc._id, doc);
    const indexed = this.options.indexedField;
    if (indexed) {
      if (previous) this.#index.get((previous as Record<string, unknown>)[indexed])?.delete(doc._id);
      const value = (doc as Record<string, unknown>)[indexed];
      let ids = this.#index.get(value);
      if (!ids) this.#index.set(value, (ids = new Set()));
      ids.add(doc._id);
    }
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
    this.options.changed();
    this.#docs.delete(id);
    const indexed = this.options.indexedField;
    if (indexed) {
      const value = (previous as Record<string, unknown>)[indexed];
      const ids = this.#index.get(value);
      ids?.delete(id);
      if (ids?.size === 0) this.#index.delete(value);
    }
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

  async insertNew(docs: readonly T[]): Promise<string[]> {
    this.#sweepExpired();
    const inserted: string[] = [];
    for (const doc of docs) {
      if (this.#docs.has(doc._id)) continue;
      try {
        this.#assertUnique(doc);
      } catch (error) {
        if (error instanceof DuplicateKeyError) continue;
        throw error;
      }
      this.#put(copy(doc));
      inserted.push(doc._id);
    }
    return inserted;
  }

  /** The live document with this `_id` (read-only use). */
  peek(id: string): T | undefined {
    return this.#docs.get(id);
  }

  /** Stores `doc`, or what `merge` makes of it and the stored one (a new object; neither is changed). */
  upsertMerged(doc: T, merge: (stored: T, incoming: T) => T): void {
    const stored = this.#docs.get(doc._id);
    this.#put(stored ? merge(stored, doc) : copy(doc));
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
    for (const [field, date] of Object.entries(update.max ?? {})) {
      const record = next as Record<string, unknown>;
      const previous = record[field];
      // As MongoDB's `$max` between a date and a missing field, null or an older date.
      if (!(previous instanceof Date) || previous.getTime() < (date as Date).getTime()) record[field] = new Date((date as Date).getTime());
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

  async takeOne(match: Match): Promise<T | null> {
    const [current] = this.#select(match, { limit: 1 });
    if (!current) return null;
    this.#remove(current._id);
    return copy(current);
  }

  async deleteMany(match: Match): Promise<number> {
    const doomed = this.#select(match, {});
    for (const doc of doomed) this.#remove(doc._id);
    return doomed.length;
  }

  #select(match: Match, options: FindOptions): T[] {
    // Built first in every case: it refuses any value that is not a literal.
    const filter = toMongoFilter(match, options);
    const plain = options.afterId === undefined && !options.search;
    let query: Query | undefined;
    const test = (doc: T): boolean => (plain ? quickTest(doc, match) : undefined) ?? (query ??= new Query(filter)).test(doc);
    const id = match['_id'];
    if (typeof id === 'string' && plain) {
      // Fast path for the most common lookup.
      const doc = this.#docs.get(id);
      return doc && test(doc) ? [doc] : [];
    }
    const indexed = this.options.indexedField;
    const key = indexed ? match[indexed] : undefined;
    let candidates: T[];
    if (isIdList(id)) {
      // `_id` among literals: the documents by id, as MongoDB's _id index gives them (each once).
      candidates = [];
      for (const one of new Set(id.oneOf)) {
        const doc = this.#docs.get(one as string);
        if (doc) candidates.push(doc);
      }
    } else if (typeof key === 'string') candidates = [...(this.#index.get(key) ?? [])].map((one) => this.#docs.get(one)!);
    else candidates = this.values();
    const found = candidates.filter(test);
    if (!options.sort) {
      found.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
      return options.limit !== undefined ? found.slice(0, options.limit) : found;
    }
    let cursor = new Query({}).find<T>(found).sort(toMongoSort(options.sort));
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
    for (const fields of this.options.uniqueIfPresent) {
      // A document without every field as a string is not in the partial index: it collides with nothing.
      if (!fields.every((field) => typeof record[field] === 'string')) continue;
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
const rollupPartitionKey = (specId: string, generation: number, level: string, a: boolean): string => `${specId}\u0000${generation}\u0000${level}\u0000${a}`;

/** Finds `{ [field]: { $eq: <scalar> } }` (exactly that shape) among `$and` conditions. */
function equalityOn<V extends string | number | boolean = string>(
  conditions: readonly unknown[],
  field: string,
  type: 'string' | 'number' | 'boolean' = 'string',
): { condition: unknown; value: V } | undefined {
  for (const condition of conditions) {
    if (condition === null || typeof condition !== 'object' || Object.keys(condition).length !== 1) continue;
    const test = (condition as Record<string, unknown>)[field];
    if (test === null || typeof test !== 'object' || Object.keys(test).length !== 1) continue;
    const value = (test as Record<string, unknown>)['$eq'];
    if (typeof value === type) return { condition, value: value as V };
  }
  return undefined;
}

/** Finds `{ _id: { $in: [<string>…] } }` among `$and` conditions. */
function idsIn(conditions: readonly unknown[]): { condition: unknown; ids: string[] } | undefined {
  for (const condition of conditions) {
    if (condition === null || typeof condition !== 'object' || Object.keys(condition).length !== 1) continue;
    const test = (condition as Record<string, unknown>)['_id'];
    if (test === null || typeof test !== 'object' || Object.keys(test).length !== 1) continue;
    const ids = (test as Record<string, unknown>)['$in'];
    if (Array.isArray(ids) && ids.every((id) => typeof id === 'string')) return { condition, ids };
  }
  return undefined;
}

/** A record's value at a compiled path (`owner`, `at`, `data.<field>`). */
function valueAt(record: RecordDoc, path: string): unknown {
  if (path === 'owner') return record.owner;
  if (path === 'at') return record.at;
  return path.startsWith('data.') ? record.data[path.slice(5)] : undefined;
}

const lesser = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
const greater = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

/** Two rows of one rollup cell as one. */
function mergeRow(stored: RollupRowDoc, incoming: RollupRowDoc): RollupRowDoc {
  return {
    ...stored,
    c: stored.c + incoming.c,
    s: stored.s + incoming.s,
    n: stored.n + incoming.n,
    x: stored.x + incoming.x,
    mn: lesser(stored.mn, incoming.mn),
    mx: greater(stored.mx, incoming.mx),
  };
}

/**
 * The in-process store: tests, and the offline fallback of `npm start`. It runs the same
 * filters and the same compiled aggregation pipelines as MongoDB would, through mingo.
 * Nothing survives a restart, unless `memory/snapshot.ts` writes it down (`onChange`) and loads it back (`restore`).
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
  readonly tokenIssuers: MemoryCollection<TokenIssuerDoc>;
  readonly counters: MemoryCollection<CounterDoc>;
  readonly consoleSessions: MemoryCollection<ConsoleSessionDoc>;
  readonly invitations: MemoryCollection<InvitationDoc>;
  readonly passwords: MemoryCollection<PasswordDoc>;
  readonly passkeys: MemoryCollection<PasskeyDoc>;
  readonly webauthnChallenges: MemoryCollection<WebAuthnChallengeDoc>;
  readonly rollupSpecs: MemoryCollection<RollupSpecDoc>;
  readonly rollups: MemoryCollection<RollupRowDoc>;
  readonly rollupMarks: MemoryCollection<RollupMarkDoc>;
  readonly datasets: MemoryCollection<DatasetDoc>;
  readonly datasetFields: MemoryCollection<DatasetFieldDoc>;
  readonly exportTickets: MemoryCollection<ExportTicketDoc>;
  readonly auditEvents: MemoryCollection<AuditEventDoc>;
  /** How aggregations share the event loop (tests shrink the chunks to run every path of the slicing). */
  readonly #slices: SliceOptions;

  constructor(options: { slices?: SliceOptions; onChange?: () => void } = {}) {
    this.#slices = options.slices ?? DEFAULT_SLICES;
    const changed = options.onChange ?? (() => undefined);
    const make = <T extends { _id: string }>(name: CollectionName, partition?: (doc: T) => string, indexedField?: string) =>
      new MemoryCollection<T>(name, {
        changed,
        unique: collectionIndexes[name].unique ?? [],
        uniqueIfPresent: collectionIndexes[name].uniqueIfPresent ?? [],
        ...(collectionIndexes[name].ttl ? { ttl: collectionIndexes[name].ttl } : {}),
        ...(partition ? { partition } : {}),
        ...(indexedField ? { indexedField } : {}),
      });
    this.workspaces = make<WorkspaceDoc>('workspaces');
    this.principals = make<PrincipalDoc>('principals');
    this.apiKeys = make<ApiKeyDoc>('apiKeys');
    this.users = make<UserDoc>('users');
    this.records = make<RecordDoc>('records', (doc) => partitionKey(doc.workspaceId, doc.dataset));
    this.pages = make<PageDoc>('pages');
    this.signingSecrets = make<SigningSecretDoc>('signingSecrets');
    this.pageEmbeds = make<PageEmbedDoc>('pageEmbeds');
    this.tokenIssuers = make<TokenIssuerDoc>('tokenIssuers');
    this.counters = make<CounterDoc>('counters');
    this.consoleSessions = make<ConsoleSessionDoc>('consoleSessions');
    this.invitations = make<InvitationDoc>('invitations');
    this.passwords = make<PasswordDoc>('passwords');
    this.passkeys = make<PasskeyDoc>('passkeys');
    this.webauthnChallenges = make<WebAuthnChallengeDoc>('webauthnChallenges');
    this.datasets = make<DatasetDoc>('datasets');
    this.datasetFields = make<DatasetFieldDoc>('datasetFields');
    this.rollupSpecs = make<RollupSpecDoc>('rollupSpecs');
    this.rollups = make<RollupRowDoc>('rollups', (row) => rollupPartitionKey(row.specId, row.generation, row.level, row.a), 'specId');
    this.rollupMarks = make<RollupMarkDoc>('rollupMarks');
    this.exportTickets = make<ExportTicketDoc>('exportTickets');
    this.auditEvents = make<AuditEventDoc>('auditEvents');
  }

  /**
   * The records are grouped here in plain code rather than by mingo (whose `$group` on a
   * compound key costs tens of microseconds a record): a rebuild over a million records then takes
   * seconds, not minutes. Filters still go through mingo, so they mean what they mean in a render.
   */
  async rollupRecords(source: RollupSource): Promise<RollupCell[]> {
    const candidates = source.ids
      ? source.ids.flatMap((id) => {
          const record = this.records.peek(id);
          return record && record.workspaceId === source.workspaceId && record.dataset === source.dataset ? [record] : [];
        })
      : this.records.partitionValues(partitionKey(source.workspaceId, source.dataset));
    const filter = source.filters.length > 0 ? new Query({ $and: source.filters.map(copy) }) : null;
    const cells = new Map<string, RollupCell>();
    // A rebuild reads every record of the dataset: it yields between chunks, as aggregations do.
    const pacer = new Pacer(this.#slices.sliceMs);
    let read = 0;
    for (const record of candidates) {
      if (++read % this.#slices.chunk === 0) await pacer.tick();
      if (filter && !filter.test(record as never)) continue;
      const t = Math.floor(record.at.getTime() / source.grainMs) * source.grainMs;
      // A missing dimension stays missing (a compound `$group` key leaves it out, apart from null).
      const d = source.groupPath ? valueAt(record, source.groupPath) : undefined;
      const e = source.seriesPath ? valueAt(record, source.seriesPath) : undefined;
      const key = `${groupKeyOf(record.owner)}|${t}|${groupKeyOf(d)}|${groupKeyOf(e)}`;
      let cell = cells.get(key);
      if (!cell) {
        cell = { o: record.owner, t: new Date(t), c: 0, s: 0, n: 0, x: 0, mn: null, mx: null };
        if (d !== undefined) cell.d = copy(d);
        if (e !== undefined) cell.e = copy(e);
        cells.set(key, cell);
      }
      cell.c += 1;
      if (!source.fieldPath) continue;
      const value = valueAt(record, source.fieldPath);
      if (typeof value === 'number') {
        cell.s += value;
        cell.n += 1;
        cell.mn = lesser(cell.mn, value);
        cell.mx = greater(cell.mx, value);
      } else if (value !== undefined && value !== null) cell.x += 1;
    }
    return [...cells.values()];
  }

  async mergeRollups(rows: readonly RollupRowDoc[]): Promise<void> {
    for (const row of rows) this.rollups.upsertMerged(row, mergeRow);
  }

  /**
   * Rollup pipelines open with `{ $match: { $and: [{ specId: { $eq } }, { generation: { $eq } }, { level: { $eq } }, { a: { $eq } }, …] } }`:
   * those four pick one partition of the rollups, so only its rows are scanned.
   */
  async aggregateRollups(pipeline: Pipeline): Promise<Array<Record<string, unknown>>> {
    const stages = pipeline.map((stage) => ({ ...stage }));
    const conditions = (stages[0]?.['$match'] as { $and?: unknown } | undefined)?.$and;
    let source: RollupRowDoc[] | undefined;
    if (Array.isArray(conditions)) {
      const specId = equalityOn<string>(conditions, 'specId');
      const generation = equalityOn<number>(conditions, 'generation', 'number');
      const level = equalityOn<string>(conditions, 'level');
      const all = equalityOn<boolean>(conditions, 'a', 'boolean');
      if (specId && generation && level && all)
        source = this.rollups.partitionValues(rollupPartitionKey(specId.value, generation.value, level.value, all.value));
    }
    return copy((await runPipelineInSlices(stages, source ?? this.rollups.values(), this.#slices)) as Array<Record<string, unknown>>);
  }

  async aggregateRecords(pipeline: Pipeline): Promise<Array<Record<string, unknown>>> {
    // mingo runs synchronously: wait for a turn of the event loop first, so that the widgets of a render
    // (and of concurrent renders) each start in their own turn, with other requests between them,
    // as they would against a database; then run the pipeline in slices, taking turns between them,
    // so that no aggregation holds the loop for longer than a slice, however many records it reads.
    await takeTurn();
    const { source, stages } = this.#startFromPartition(pipeline);
    // Aggregation stages never modify their input documents in mingo, so the live values are safe to pass.
    const result = await runPipelineInSlices(stages, source, this.#slices);
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
    // A match on a list of ids (the records an ingest just stored) starts from those records alone.
    const ids = idsIn(rest);
    const source = ids
      ? ids.ids.flatMap((id) => {
          const record = this.records.peek(id);
          return record && record.workspaceId === workspaceId.value && record.dataset === dataset.value ? [record] : [];
        })
      : this.records.partitionValues(partitionKey(workspaceId.value, dataset.value));
    return { source, stages: [...remaining, ...stages.slice(1)] };
  }

  /** In process there are no round trips to save: each read as `find` answers it, each join by its ids. */
  async readBatch(reads: Readonly<Record<string, BatchRead>>): Promise<Record<string, BatchResult>> {
    const results: Record<string, BatchResult> = {};
    for (const [name, read] of Object.entries(reads)) {
      const docs = (await this[read.from].find(read.match, read.limit !== undefined ? { limit: read.limit } : {})) as unknown as Array<Record<string, unknown>>;
      const joined: BatchResult['joined'] = {};
      for (const [joinName, join] of Object.entries(read.joins ?? {})) {
        const ids = [...new Set(docs.flatMap((doc) => namedIds(doc[join.field])))];
        joined[joinName] =
          ids.length === 0 ? [] : ((await this[join.from].find({ ...join.match, _id: { oneOf: ids } })) as unknown as Array<Record<string, unknown>>);
      }
      results[name] = { docs, joined };
    }
    return results;
  }

  /** Every collection's documents, copied: what `memory/snapshot.ts` writes. */
  dump(): Record<CollectionName, Array<{ _id: string }>> {
    return Object.fromEntries(collectionNames.map((name) => [name, this[name].dump()])) as unknown as Record<CollectionName, Array<{ _id: string }>>;
  }

  /** Loads what `dump` gave (a snapshot read at start), collection by collection; unknown collections are ignored. */
  restore(dumped: Partial<Record<string, ReadonlyArray<{ _id: string }>>>): void {
    for (const name of collectionNames) {
      const docs = dumped[name];
      if (Array.isArray(docs)) (this[name] as unknown as MemoryCollection<{ _id: string }>).restore(docs);
    }
  }

  aggregateAll(runs: readonly AggregationRun[]): Promise<Array<Array<Record<string, unknown>>>> {
    return Promise.all(runs.map((run) => (run.over === 'records' ? this.aggregateRecords(run.pipeline) : this.aggregateRollups(run.pipeline))));
  }

  async ping(): Promise<void> {
    if (this.#closed) throw new StoreUnavailableError();
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}
