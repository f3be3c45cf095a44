import type {
  ApiKeyDoc,
  AuditEventDoc,
  ConsoleSessionDoc,
  CounterDoc,
  DatasetDoc,
  DatasetFieldDoc,
  ExportTicketDoc,
  InvitationDoc,
  PageDoc,
  PageEmbedDoc,
  PasskeyDoc,
  PasswordDoc,
  PrincipalDoc,
  RecordDoc,
  RollupMarkDoc,
  RollupPartials,
  RollupRowDoc,
  RollupSpecDoc,
  SigningSecretDoc,
  TokenIssuerDoc,
  UserDoc,
  WebAuthnChallengeDoc,
  WorkspaceDoc,
} from '../domain/types.js';

/**
 * The storage port. Services read and write through it and never see an adapter.
 *
 * Filters are *equality only*: every value is a literal, and adapters wrap each one in `$eq`,
 * so no value that reached us from a client can ever act as a MongoDB operator.
 */
export type Scalar = string | number | boolean | Date | null;
/**
 * A match value that accepts any of the listed literals (`$in`). For lists the server holds,
 * such as the owners a principal may read; every entry is still checked to be a literal.
 */
export interface OneOf {
  readonly oneOf: readonly Scalar[];
}
export type Match = Readonly<Record<string, Scalar | OneOf>>;

export interface FindOptions {
  /** Ties are always broken by `_id` ascending (appended when the sort does not name `_id`), on every adapter. */
  sort?: Readonly<Record<string, 1 | -1>>;
  limit?: number;
  /** Only documents whose `_id` is greater than this (cursor pagination in `_id` order). */
  afterId?: string;
  /** Case-insensitive substring search over these fields (the text is escaped, never a pattern). */
  search?: { fields: readonly string[]; text: string };
}

export interface Update<T> {
  set?: Partial<T>;
  inc?: Partial<Record<keyof T & string, number>>;
  /** Raises each date field to the given date, never lowers it (MongoDB's `$max`): writers in any order agree. */
  max?: Partial<Record<keyof T & string, Date>>;
}

/**
 * One accumulating upsert: creates the document `id` with `setOnInsert` when absent, then adds each
 * `inc` amount and raises each `max` date. Keys of `inc`/`max` may be dotted paths into nested objects
 * whose segments the caller has validated (field names, never client text that could start with `$`).
 */
export interface Accumulate<T> {
  id: string;
  setOnInsert: Partial<T>;
  inc: Readonly<Record<string, number>>;
  max?: Readonly<Record<string, Date>>;
}

export interface Collection<T extends { _id: string }> {
  /** Throws `DuplicateKeyError` when a unique index would be violated, or a document with this `_id` exists. */
  insertOne(doc: T): Promise<void>;
  /** In order; stops at the first duplicate (`DuplicateKeyError`), keeping the documents before it, as MongoDB's ordered insert does. */
  insertMany(docs: readonly T[]): Promise<void>;
  /** Inserts the document unless one with its `_id` exists; true when it was inserted. Safe under races. */
  insertIfAbsent(doc: T): Promise<boolean>;
  /**
   * Inserts each document unless its `_id` (or another unique key) is already stored or came
   * earlier in `docs`; those are skipped, not refused. Returns the `_id`s it stored (in `docs`
   * order), so a retried write stores nothing twice and a caller can act on exactly the new
   * documents (the catalog and rollups count each record once, retried or not).
   */
  insertNew(docs: readonly T[]): Promise<string[]>;
  findOne(match: Match): Promise<T | null>;
  find(match: Match, options?: FindOptions): Promise<T[]>;
  count(match: Match, options?: Pick<FindOptions, 'search'>): Promise<number>;
  /** Applies the update to the first match and returns the updated document, or null. */
  updateOne(match: Match, update: Update<T>): Promise<T | null>;
  /** Increments `field`, creating the document when absent; returns the new document. */
  upsertIncrement(id: string, field: keyof T & string, by: number, setOnInsert: Partial<T>): Promise<T>;
  /** Applies accumulating upserts, each atomic on its own document (no read-modify-write). */
  accumulate(operations: readonly Accumulate<T>[]): Promise<void>;
  deleteOne(match: Match): Promise<boolean>;
  /**
   * Removes the first match and returns it, or null: atomic, so of callers racing for one document
   * exactly one gets it (a one-time claim, such as an export's download ticket).
   */
  takeOne(match: Match): Promise<T | null>;
  deleteMany(match: Match): Promise<number>;
}

/** An aggregation pipeline produced by the query compiler (never by a client). */
export type Pipeline = ReadonlyArray<Record<string, unknown>>;

/** Which records `rollupRecords` summarises, and how. */
export interface RollupSource {
  workspaceId: string;
  dataset: string;
  /** Only the records with these `_id`s (those an ingest just stored); null: every record of the dataset. */
  ids: readonly string[] | null;
  /** Compiled match conditions (a widget's filters), ANDed; built by the query compiler, never by a client. */
  filters: ReadonlyArray<Record<string, unknown>>;
  /** Record paths (`owner`, `data.channel`) of the groupBy and seriesBy dimensions, and of the metric's field. */
  groupPath: string | null;
  seriesPath: string | null;
  fieldPath: string | null;
  /** The cell length: a whole number of minutes dividing a day (60 or 15 minutes). */
  grainMs: number;
}

/**
 * One cell of `rollupRecords`' answer: the records of one owner in one UTC cell with one
 * groupBy/seriesBy value. Semantics are MongoDB `$group`'s on a compound key: values group by
 * BSON equality, a missing dimension is absent (`d`/`e` left out, apart from null), sums count
 * numbers only.
 */
export interface RollupCell extends RollupPartials {
  o: string | null;
  t: Date;
  d?: unknown;
  e?: unknown;
}

/**
 * Documents of another collection that each found document names: those whose `_id` is the value
 * of its `field` (or one of the values, when the field holds a list), and that also match `match`.
 */
export interface BatchJoin {
  from: CollectionName;
  field: string;
  match: Match;
}

/** One read of `readBatch`: the documents of `from` that match (in `_id` order, at most `limit`), and what they name. */
export interface BatchRead {
  from: CollectionName;
  match: Match;
  limit?: number;
  joins?: Readonly<Record<string, BatchJoin>>;
}

/** What one read of `readBatch` found: its documents, and every join's documents (each once, in `_id` order). */
export interface BatchResult {
  docs: Array<Record<string, unknown>>;
  joined: Record<string, Array<Record<string, unknown>>>;
}

/** One pipeline of `aggregateAll`: a compiled widget query over the records, or a rollup plan over the rollups. */
export interface AggregationRun {
  over: 'records' | 'rollups';
  pipeline: Pipeline;
}

export interface Store {
  readonly kind: 'memory' | 'mongo';
  readonly workspaces: Collection<WorkspaceDoc>;
  readonly principals: Collection<PrincipalDoc>;
  readonly apiKeys: Collection<ApiKeyDoc>;
  readonly users: Collection<UserDoc>;
  readonly records: Collection<RecordDoc>;
  readonly pages: Collection<PageDoc>;
  readonly signingSecrets: Collection<SigningSecretDoc>;
  readonly pageEmbeds: Collection<PageEmbedDoc>;
  /** Partners' own signers of page embed tokens (public keys only). */
  readonly tokenIssuers: Collection<TokenIssuerDoc>;
  readonly counters: Collection<CounterDoc>;
  readonly consoleSessions: Collection<ConsoleSessionDoc>;
  /** People's sign-in: invitations (by code hash), passwords (by principal), passkeys, WebAuthn challenges. */
  readonly invitations: Collection<InvitationDoc>;
  readonly passwords: Collection<PasswordDoc>;
  readonly passkeys: Collection<PasskeyDoc>;
  readonly webauthnChallenges: Collection<WebAuthnChallengeDoc>;
  readonly rollupSpecs: Collection<RollupSpecDoc>;
  readonly rollups: Collection<RollupRowDoc>;
  /** Writes in flight on a dataset's derived numbers (see `RollupMarkDoc`). */
  readonly rollupMarks: Collection<RollupMarkDoc>;
  /** The dataset catalog: one document per dataset, one per field of a dataset. */
  readonly datasets: Collection<DatasetDoc>;
  readonly datasetFields: Collection<DatasetFieldDoc>;
  /** One-time download tickets of embed exports (5 minutes). */
  readonly exportTickets: Collection<ExportTicketDoc>;
  /** The audit trail: append-only, hash-chained per workspace by `seq` (see docs/audit.md). */
  readonly auditEvents: Collection<AuditEventDoc>;
  /** Runs a compiled pipeline over the records collection. */
  aggregateRecords(pipeline: Pipeline): Promise<Array<Record<string, unknown>>>;
  /** Groups records into rollup cells (per owner, UTC cell of `grainMs`, dimension values) with their partials. */
  rollupRecords(source: RollupSource): Promise<RollupCell[]>;
  /**
   * Merges rows into the rollups collection by `_id`: a new row is stored as given; an existing
   * one adds `c`, `s`, `n`, `x` and keeps the least `mn` and greatest `mx` (nulls ignored).
   * Atomic per row, so instances merging the same cell at once lose nothing.
   */
  mergeRollups(rows: readonly RollupRowDoc[]): Promise<void>;
  /** Runs a pipeline (built by the rollup planner, never by a client) over the rollups collection. */
  aggregateRollups(pipeline: Pipeline): Promise<Array<Record<string, unknown>>>;
  /**
   * Several equality reads (and the documents they name) as one round trip: what a render needs
   * before it can run its queries. The same documents as the reads made one by one.
   */
  readBatch(reads: Readonly<Record<string, BatchRead>>): Promise<Record<string, BatchResult>>;
  /**
   * Runs every pipeline (built by the query compiler or the rollup planner, never by a client) as
   * one round trip, each answering as `aggregateRecords`/`aggregateRollups` would, in the order given.
   */
  aggregateAll(runs: readonly AggregationRun[]): Promise<Array<Array<Record<string, unknown>>>>;
  /** Resolves when the store answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type CollectionName = Exclude<
  keyof Store,
  'kind' | 'aggregateRecords' | 'rollupRecords' | 'mergeRollups' | 'aggregateRollups' | 'readBatch' | 'aggregateAll' | 'ping' | 'close'
>;

export class DuplicateKeyError extends Error {
  constructor(readonly collection: string) {
    super(`Duplicate key in ${collection}.`);
    this.name = 'DuplicateKeyError';
  }
}

/** An index's keys in order, each ascending (1) or descending (-1). */
export type IndexKeys = Readonly<Record<string, 1 | -1>>;

/**
 * Indexes every adapter honours. The mongo adapter creates them (and reports at start any
 * that exist with other options, or that are no longer declared); the memory adapter
 * enforces the unique ones, so uniqueness behaves the same on both.
 */
export interface CollectionIndexes {
  unique?: string[][];
  /**
   * Unique among the documents in which every listed field holds a string; a document where one
   * is missing or null is not indexed (MongoDB: a partial index on `$type: 'string'`), so any
   * number of them may coexist. For optional keys such as a principal's email.
   */
  uniqueIfPresent?: string[][];
  lookup?: IndexKeys[];
  ttl?: string;
}

export const collectionIndexes: Record<CollectionName, CollectionIndexes> = {
  workspaces: { unique: [['slug']] },
  // Emails are unique per workspace; agents and older principals have none. Sign-in looks one up by email alone.
  principals: { uniqueIfPresent: [['workspaceId', 'email']], lookup: [{ workspaceId: 1 }, { email: 1 }] },
  apiKeys: { unique: [['hash']], lookup: [{ principalId: 1 }] },
  // `workspaceId, _id`: the users list (cursor in `_id` order) and its count read the index, not the workspace.
  users: {
    unique: [['workspaceId', 'externalId']],
    lookup: [
      { workspaceId: 1, status: 1 },
      { workspaceId: 1, _id: 1 },
    ],
  },
  records: {
    lookup: [
      { workspaceId: 1, dataset: 1, owner: 1, at: 1 },
      // The TABLE widget's default order (`at` newest first, ties by `_id`), and any range on `at`.
      { workspaceId: 1, dataset: 1, at: -1, _id: 1 },
    ],
  },
  pages: { lookup: [{ workspaceId: 1, dashboard: 1 }] },
  signingSecrets: { lookup: [{ workspaceId: 1 }] },
  // A load finds its token's issuer by workspace and `iss`.
  tokenIssuers: { lookup: [{ workspaceId: 1, issuer: 1 }] },
  // Expired embed records leave on their own, as their tokens stop working at the same moment.
  pageEmbeds: { lookup: [{ workspaceId: 1, pageId: 1 }], ttl: 'expiresAt' },
  counters: { ttl: 'expiresAt' },
  consoleSessions: { lookup: [{ principalId: 1 }], ttl: 'expiresAt' },
  invitations: { lookup: [{ principalId: 1 }], ttl: 'expiresAt' },
  passwords: {},
  passkeys: { unique: [['credentialId']], lookup: [{ principalId: 1 }] },
  webauthnChallenges: { ttl: 'expiresAt' },
  rollupSpecs: { lookup: [{ workspaceId: 1, dataset: 1 }] },
  rollups: { lookup: [{ specId: 1, generation: 1, level: 1, a: 1, o: 1, t: 1 }] },
  // No TTL: a mark left behind by a failed write is a request for repair, removed by the repair.
  rollupMarks: { lookup: [{ workspaceId: 1 }] },
  datasets: { lookup: [{ workspaceId: 1, name: 1 }] },
  datasetFields: { lookup: [{ workspaceId: 1, dataset: 1 }] },
  exportTickets: { ttl: 'expiresAt' },
  // `(workspaceId, seq)` unique: two instances appending at once cannot both take the same place in a chain.
  auditEvents: { unique: [['workspaceId', 'seq']], lookup: [{ workspaceId: 1, seq: -1 }], ttl: 'expiresAt' },
};

export const collectionNames = Object.keys(collectionIndexes) as CollectionName[];
