import mongoose, { type Connection } from 'mongoose';
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
import { toMongoFilter, toMongoSort, toMongoUpdate } from '../filter.js';
import {
  collectionNames,
  type Accumulate,
  type AggregationRun,
  type BatchRead,
  type BatchResult,
  type Collection,
  type CollectionName,
  type FindOptions,
  type Match,
  type Pipeline,
  type RollupCell,
  type RollupSource,
  type Store,
  type Update,
} from '../port.js';
import { connectionOptionsFor, INDEX_BUILD_DEADLINE_MS, OPERATION_DEADLINE_MS, SERVER_TIME_LIMIT_MS, type MongoUriFacts } from './connection-options.js';
import { declaredIndexes, planIndexes, type ExistingIndex } from './indexes.js';
import { isDuplicateKey, isOutage, translate } from './translate-error.js';

export { mongoConnectionOptions } from './connection-options.js';

// Documents carry string ids, so the driver's ObjectId-shaped defaults do not apply.
type NativeCollection = mongoose.mongo.Collection<{ _id: string } & mongoose.mongo.Document>;

/** A rollup build reads a whole dataset on the server; it may take far longer than a request's read. */
const ROLLUP_BUILD_DEADLINE_MS = 10 * 60_000;
const ROLLUP_WRITE_BATCH = 1000;
/**
 * Each batch of rollup upserts may take this long: a thousand upserts is more work than a request's
 * read (and 15-minute cells make more rows), yet an unreachable database still fails the write in seconds.
 */
const ROLLUP_WRITE_DEADLINE_MS = 10_000;

/**
 * The first batch of a render's reads: everything it needs in one answer (a real server stops a
 * batch at 16 MiB whatever this says). The driver's default, 101 documents, would leave a larger
 * answer to `getMore` round trips.
 */
const REQUEST_BATCH = 100_000;
/** Where `readBatch` puts each join's documents on the way back (a name no stored document uses). */
const JOINED = '__porthole_joined_';
const byId = (a: Record<string, unknown>, b: Record<string, unknown>): number => {
  const [x, y] = [String(a['_id']), String(b['_id'])];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** What every request-path operation is given: a client-side deadline and a server-side time limit. */
interface Bounds {
  signal: AbortSignal;
  maxTimeMS: number;
}

/**
 * Runs one driver operation under the adapter's deadline and maps its failure onto the port's
 * errors. The signal aborts server selection, connection checkout, the socket read and any retry.
 */
async function bounded<R>(collection: string, work: (bounds: Bounds) => Promise<R>, deadlineMs = OPERATION_DEADLINE_MS): Promise<R> {
  const signal = AbortSignal.timeout(deadlineMs);
  try {
    return await work({ signal, maxTimeMS: SERVER_TIME_LIMIT_MS });
  } catch (error) {
    if (signal.aborted && !isDuplicateKey(error)) throw new StoreUnavailableError(error);
    return translate(error, collection);
  }
}

class MongoCollection<T extends { _id: string }> implements Collection<T> {
  constructor(private readonly collection: NativeCollection) {}

  #run<R>(work: (bounds: Bounds) => Promise<R>): Promise<R> {
    return bounded(this.collection.collectionName, work);
  }

  insertOne(doc: T): Promise<void> {
    return this.insertMany([doc]);
  }

  insertMany(docs: readonly T[]): Promise<void> {
    return this.#run(async (bounds) => {
      if (docs.length === 0) return;
      await this.collection.insertMany(
        docs.map((doc) => ({ ...doc }) as { _id: string }),
        { ordered: true, ...bounds },
      );
    });
  }

  /**
   * An upsert whose update only sets on insert: an existing document is left as it is. Two
   * racing upserts on one `_id` may see E11000 on the loser, which means "already there".
   */
  insertIfAbsent(doc: T): Promise<boolean> {
    return this.#run(async (bounds) => {
      const { _id, ...fields } = doc;
      try {
        const result = await this.collection.updateOne({ _id: { $eq: _id } }, { $setOnInsert: fields }, { upsert: true, ...bounds });
        return result.upsertedCount === 1;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    });
  }

  /**
   * An unordered insertMany: the server tries every document and reports each duplicate key as a
   * write error (code 11000) naming its document by `index` in `docs`, so what was stored is every
   * other document. Only when every write error is a duplicate key is that an answer; a bulk error
   * wrapping an outage carries no write errors at all and must stay an outage (503), not "none new".
   */
  insertNew(docs: readonly T[]): Promise<string[]> {
    return this.#run(async (bounds) => {
      if (docs.length === 0) return [];
      try {
        await this.collection.insertMany(
          docs.map((doc) => ({ ...doc }) as { _id: string }),
          { ordered: false, ...bounds },
        );
        return docs.map((doc) => doc._id);
      } catch (error) {
        if (error instanceof mongoose.mongo.MongoBulkWriteError && !error.err) {
          const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
          if (writeErrors.length > 0 && writeErrors.every((writeError) => writeError.code === 11000)) {
            const failed = new Set(writeErrors.map((writeError) => writeError.index));
            return docs.flatMap((doc, index) => (failed.has(index) ? [] : [doc._id]));
          }
        }
        throw error;
      }
    });
  }

  findOne(match: Match): Promise<T | null> {
    return this.#run(async (bounds) => (await this.collection.findOne(toMongoFilter(match), bounds)) as T | null);
  }

  find(match: Match, options: FindOptions = {}): Promise<T[]> {
    return this.#run(async (bounds) => {
      let cursor = this.collection.find(toMongoFilter(match, options), bounds).sort(toMongoSort(options.sort));
      if (options.limit !== undefined) cursor = cursor.limit(options.limit);
      return (await cursor.toArray()) as unknown as T[];
    });
  }

  count(match: Match, options: Pick<FindOptions, 'search'> = {}): Promise<number> {
    return this.#run((bounds) => this.collection.countDocuments(toMongoFilter(match, options), bounds));
  }

  updateOne(match: Match, update: Update<T>): Promise<T | null> {
    return this.#run(
      async (bounds) =>
        (await this.collection.findOneAndUpdate(toMongoFilter(match), toMongoUpdate(update), { returnDocument: 'after', ...bounds })) as T | null,
    );
  }

  upsertIncrement(id: string, field: keyof T & string, by: number, setOnInsert: Partial<T>): Promise<T> {
    return this.#run(async (bounds) => {
      const doc = await this.collection.findOneAndUpdate({ _id: { $eq: id } } as never, { $inc: { [field]: by }, $setOnInsert: setOnInsert } as never, {
        upsert: true,
        returnDocument: 'after',
        ...bounds,
      });
      return doc as unknown as T;
    });
  }

  /**
   * One unordered bulkWrite of `updateOne` upserts (`$setOnInsert`, `$inc`, `$max`): each is atomic on its
   * document, and an upsert race on `_id` is retried by the server (equality on a unique index).
   */
  accumulate(operations: readonly Accumulate<T>[]): Promise<void> {
    return this.#run(async (bounds) => {
      if (operations.length === 0) return;
      const writes = operations.map((operation) => {
        const update: Record<string, unknown> = { $setOnInsert: operation.setOnInsert, $inc: operation.inc };
        if (operation.max && Object.keys(operation.max).length > 0) update['$max'] = operation.max;
        return { updateOne: { filter: { _id: { $eq: operation.id } }, update, upsert: true } };
      });
      // Same options as insertMany (BulkWriteOptions): unordered, under the adapter's deadline and time limit.
      await this.collection.bulkWrite(writes as never[], { ordered: false, ...bounds });
    });
  }

  deleteOne(match: Match): Promise<boolean> {
    return this.#run(async (bounds) => (await this.collection.deleteOne(toMongoFilter(match), bounds)).deletedCount === 1);
  }

  /** `findOneAndDelete`: the server removes and returns the document in one atomic step. */
  takeOne(match: Match): Promise<T | null> {
    return this.#run(async (bounds) => (await this.collection.findOneAndDelete(toMongoFilter(match), bounds)) as T | null);
  }

  deleteMany(match: Match): Promise<number> {
    return this.#run(async (bounds) => (await this.collection.deleteMany(toMongoFilter(match), bounds)).deletedCount);
  }

  /** `batchSize`: documents in the first answer (default 101; past it, each further batch is one more round trip). */
  aggregate(pipeline: Pipeline, batchSize?: number): Promise<Array<Record<string, unknown>>> {
    return this.#run((bounds) => this.collection.aggregate([...pipeline], { ...bounds, ...(batchSize ? { batchSize } : {}) }).toArray());
  }

  /** A whole-dataset aggregation (a rollup build): a long deadline and the server's disk for large groups. */
  aggregateLong(pipeline: Pipeline): Promise<Array<Record<string, unknown>>> {
    return bounded(
      this.collection.collectionName,
      ({ signal }) => this.collection.aggregate([...pipeline], { signal, maxTimeMS: ROLLUP_BUILD_DEADLINE_MS - 5000, allowDiskUse: true }).toArray(),
      ROLLUP_BUILD_DEADLINE_MS,
    );
  }

  /** Unordered bulk writes, `ROLLUP_WRITE_BATCH` at a time, each under `ROLLUP_WRITE_DEADLINE_MS`. */
  async bulkWrite(operations: readonly mongoose.mongo.AnyBulkWriteOperation<{ _id: string }>[]): Promise<void> {
    for (let index = 0; index < operations.length; index += ROLLUP_WRITE_BATCH) {
      const batch = operations.slice(index, index + ROLLUP_WRITE_BATCH);
      await bounded(
        this.collection.collectionName,
        ({ signal }) => this.collection.bulkWrite(batch, { ordered: false, signal } as mongoose.mongo.BulkWriteOptions),
        ROLLUP_WRITE_DEADLINE_MS,
      );
    }
  }
}

/** What the store found at start, for the start-up log: never a credential. */
export interface MongoStartReport {
  database: string;
  databaseDefaulted: boolean;
  /** Options Porthole would set that MONGODB_URI sets itself (the URI's value is used). */
  overriddenByUri: string[];
  /** Index problems an operator should act on, one sentence each. */
  indexWarnings: string[];
  /** Indexes built now, as `collection.index`. */
  indexesBuilt: string[];
}

export interface MongoConnectOptions {
  /** Attempts at the first connect when the database cannot be reached (default 3). */
  attempts?: number;
  /** Pause before the second attempt; doubled each time (default 1 s). */
  retryDelayMs?: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The production store: the MongoDB driver (through mongoose's connection), lean documents
 * throughout, the indexes that uniqueness and the hot queries need, and every operation
 * bounded by a deadline so an unreachable or silent database answers 503 within about 2 s.
 */
export class MongoStore implements Store {
  readonly kind = 'mongo' as const;
  readonly workspaces: MongoCollection<WorkspaceDoc>;
  readonly principals: MongoCollection<PrincipalDoc>;
  readonly apiKeys: MongoCollection<ApiKeyDoc>;
  readonly users: MongoCollection<UserDoc>;
  readonly records: MongoCollection<RecordDoc>;
  readonly pages: MongoCollection<PageDoc>;
  readonly signingSecrets: MongoCollection<SigningSecretDoc>;
  readonly pageEmbeds: MongoCollection<PageEmbedDoc>;
  readonly tokenIssuers: MongoCollection<TokenIssuerDoc>;
  readonly counters: MongoCollection<CounterDoc>;
  readonly consoleSessions: MongoCollection<ConsoleSessionDoc>;
  readonly invitations: MongoCollection<InvitationDoc>;
  readonly passwords: MongoCollection<PasswordDoc>;
  readonly passkeys: MongoCollection<PasskeyDoc>;
  readonly webauthnChallenges: MongoCollection<WebAuthnChallengeDoc>;
  readonly rollupSpecs: MongoCollection<RollupSpecDoc>;
  readonly rollups: MongoCollection<RollupRowDoc>;
  readonly rollupMarks: MongoCollection<RollupMarkDoc>;
  readonly datasets: MongoCollection<DatasetDoc>;
  readonly datasetFields: MongoCollection<DatasetFieldDoc>;
  readonly exportTickets: MongoCollection<ExportTicketDoc>;
  readonly auditEvents: MongoCollection<AuditEventDoc>;

  private constructor(
    private readonly connection: Connection,
    private readonly db: mongoose.mongo.Db,
    readonly report: MongoStartReport,
  ) {
    const wrap = <T extends { _id: string }>(name: CollectionName) => new MongoCollection<T>(db.collection<{ _id: string }>(name));
    this.workspaces = wrap('workspaces');
    this.principals = wrap('principals');
    this.apiKeys = wrap('apiKeys');
    this.users = wrap('users');
    this.records = wrap('records');
    this.pages = wrap('pages');
    this.signingSecrets = wrap('signingSecrets');
    this.pageEmbeds = wrap('pageEmbeds');
    this.tokenIssuers = wrap('tokenIssuers');
    this.counters = wrap('counters');
    this.consoleSessions = wrap('consoleSessions');
    this.invitations = wrap('invitations');
    this.passwords = wrap('passwords');
    this.passkeys = wrap('passkeys');
    this.webauthnChallenges = wrap('webauthnChallenges');
    this.rollupSpecs = wrap('rollupSpecs');
    this.rollups = wrap('rollups');
    this.rollupMarks = wrap('rollupMarks');
    this.datasets = wrap('datasets');
    this.datasetFields = wrap('datasetFields');
    this.exportTickets = wrap('exportTickets');
    this.auditEvents = wrap('auditEvents');
  }

  /**
   * Connects (retrying while the database cannot be reached: a cold cluster, SRV and TLS take
   * time), then makes sure the declared indexes exist. On any failure the connection is closed.
   */
  static async connect(uri: string, options: MongoConnectOptions = {}): Promise<MongoStore> {
    const { options: driverOptions, facts, overriddenByUri } = connectionOptionsFor(uri);
    const attempts = options.attempts ?? 3;
    let delay = options.retryDelayMs ?? 1000;
    let connection: Connection | undefined;
    for (let attempt = 1; ; attempt += 1) {
      const candidate = mongoose.createConnection(uri, driverOptions);
      try {
        await candidate.asPromise();
        connection = candidate;
        break;
      } catch (error) {
        await candidate.close(true).catch(() => undefined);
        // A refused login or a malformed URI will not improve with time.
        if (attempt >= attempts || !isOutage(error)) throw isOutage(error) ? new StoreUnavailableError(error) : error;
        await pause(delay);
        delay *= 2;
      }
    }
    try {
      const db = connection.db;
      if (!db) throw new Error('The MongoDB connection has no database handle.');
      const indexes = await ensureIndexes(db);
      return new MongoStore(connection, db, { ...describe(facts), overriddenByUri, ...indexes });
    } catch (error) {
      await connection.close(true).catch(() => undefined);
      throw error;
    }
  }

  aggregateRecords(pipeline: Pipeline): Promise<Array<Record<string, unknown>>> {
    return this.records.aggregate(pipeline);
  }

  /**
   * One `$group` on the server: `$dateTrunc` with a `binSize` cuts UTC cells (its bins count from
   * 2000-01-01T00:00Z, a whole number of hours and quarter hours after the epoch); `$isNumber`
   * keeps sums, minima and maxima to numbers, as the memory adapter does. A missing dimension is
   * left out of a compound `_id` by the server, and read back as null.
   */
  async rollupRecords(source: RollupSource): Promise<RollupCell[]> {
    const conditions: Array<Record<string, unknown>> = [{ workspaceId: { $eq: source.workspaceId } }, { dataset: { $eq: source.dataset } }];
    if (source.ids) conditions.push({ _id: { $in: [...source.ids] } });
    conditions.push(...source.filters);
    const minutes = source.grainMs / 60_000;
    const cell = minutes % 60 === 0 ? { unit: 'hour', binSize: minutes / 60 } : { unit: 'minute', binSize: minutes };
    const field = source.fieldPath ? `$${source.fieldPath}` : null;
    const isNumber = field ? { $isNumber: field } : false;
    const pipeline = [
      { $match: { $and: conditions } },
      {
        $group: {
          _id: {
            o: '$owner',
            t: { $dateTrunc: { date: '$at', ...cell } },
            // A missing path leaves its field out of the key (null stays null), as records group.
            ...(source.groupPath ? { d: `$${source.groupPath}` } : {}),
            ...(source.seriesPath ? { e: `$${source.seriesPath}` } : {}),
          },
          c: { $sum: 1 },
          s: { $sum: field ? { $cond: [isNumber, field, 0] } : 0 },
          n: { $sum: field ? { $cond: [isNumber, 1, 0] } : 0 },
          x: { $sum: field ? { $cond: [{ $or: [isNumber, { $eq: [{ $ifNull: [field, null] }, null] }] }, 0, 1] } : 0 },
          mn: { $min: field ? { $cond: [isNumber, field, null] } : null },
          mx: { $max: field ? { $cond: [isNumber, field, null] } : null },
        },
      },
    ];
    const rows = source.ids ? await this.records.aggregate(pipeline) : await this.records.aggregateLong(pipeline);
    return rows.map((row) => {
      const id = row['_id'] as { o?: string | null; t: Date; d?: unknown; e?: unknown };
      return {
        o: id.o ?? null,
        t: id.t,
        ...('d' in id ? { d: id.d } : {}),
        ...('e' in id ? { e: id.e } : {}),
        c: Number(row['c']),
        s: Number(row['s']),
        n: Number(row['n']),
        x: Number(row['x']),
        mn: (row['mn'] as number | null | undefined) ?? null,
        mx: (row['mx'] as number | null | undefined) ?? null,
      };
    });
  }

  /** One upsert per row: `$inc` the counts and sums, `$min`/`$max` the extremes (left out when null, which BSON orders first). */
  mergeRollups(rows: readonly RollupRowDoc[]): Promise<void> {
    return this.rollups.bulkWrite(
      rows.map((row) => {
        const { _id, c, s, n, x, mn, mx, ...keys } = row;
        return {
          updateOne: {
            filter: { _id: { $eq: _id } },
            update: {
              $setOnInsert: keys,
              $inc: { c, s, n, x },
              ...(mn !== null ? { $min: { mn } } : {}),
              ...(mx !== null ? { $max: { mx } } : {}),
            },
            upsert: true,
          },
        };
      }),
    );
  }

  aggregateRollups(pipeline: Pipeline): Promise<Array<Record<string, unknown>>> {
    return this.rollups.aggregate(pipeline);
  }

  /**
   * One `aggregate` for every read: the first read's collection, then each other read through
   * `$unionWith` (MongoDB 4.4+), its documents tagged with the read's name (`$replaceWith`); joins
   * are `$lookup`s on `_id` with the join's match as their pipeline (the concise form, MongoDB 5.0+,
   * which uses the `_id` index). `$unionWith` promises no order, so documents are put in `_id` order here.
   */
  async readBatch(reads: Readonly<Record<string, BatchRead>>): Promise<Record<string, BatchResult>> {
    const entries = Object.entries(reads);
    const results: Record<string, BatchResult> = {};
    for (const [name, read] of entries) results[name] = { docs: [], joined: Object.fromEntries(Object.keys(read.joins ?? {}).map((join) => [join, []])) };
    if (entries.length === 0) return results;
    const branch = (name: string, read: BatchRead): Array<Record<string, unknown>> => [
      { $match: toMongoFilter(read.match) },
      ...(read.limit !== undefined ? [{ $sort: { _id: 1 } }, { $limit: read.limit }] : []),
      ...Object.entries(read.joins ?? {}).map(([join, { from, field, match }]) => ({
        $lookup: { from, localField: field, foreignField: '_id', pipeline: [{ $match: toMongoFilter(match) }], as: `${JOINED}${join}` },
      })),
      { $replaceWith: { k: { $literal: name }, d: '$$ROOT' } },
    ];
    const [[firstName, first], ...rest] = entries as [[string, BatchRead], ...Array<[string, BatchRead]>];
    const pipeline = [...branch(firstName, first), ...rest.map(([name, read]) => ({ $unionWith: { coll: read.from, pipeline: branch(name, read) } }))];
    const rows = await this[first.from].aggregate(pipeline, REQUEST_BATCH);
    const joinedIds = new Map<string, Set<unknown>>();
    for (const row of rows) {
      const name = row['k'] as string;
      const doc = row['d'] as Record<string, unknown>;
      const result = results[name];
      if (!result) continue;
      for (const join of Object.keys(result.joined)) {
        const seen = joinedIds.get(`${name}\u0000${join}`) ?? new Set<unknown>();
        joinedIds.set(`${name}\u0000${join}`, seen);
        for (const named of (doc[`${JOINED}${join}`] as Array<Record<string, unknown>> | undefined) ?? []) {
          if (seen.has(named['_id'])) continue;
          seen.add(named['_id']);
          result.joined[join]!.push(named);
        }
        delete doc[`${JOINED}${join}`];
      }
      result.docs.push(doc);
    }
    for (const result of Object.values(results)) {
      result.docs.sort(byId);
      for (const docs of Object.values(result.joined)) docs.sort(byId);
    }
    return results;
  }

  /**
   * One `aggregate` for every pipeline: the first over its collection, each other through
   * `$unionWith`, so every pipeline still starts from its own indexes (a `$facet` would read the
   * collection without them). Each pipeline's rows are gathered into one document tagged with its
   * position (`$push` keeps the order they arrive in; `$unionWith` keeps no order between pipelines).
   */
  async aggregateAll(runs: readonly AggregationRun[]): Promise<Array<Array<Record<string, unknown>>>> {
    const outputs = runs.map((): Array<Record<string, unknown>> => []);
    if (runs.length === 0) return outputs;
    const tagged = (run: AggregationRun, index: number) => [
      ...run.pipeline,
      { $group: { _id: null, rows: { $push: '$$ROOT' } } },
      { $project: { _id: 0, w: { $literal: index }, rows: 1 } },
    ];
    const [first, ...rest] = runs as [AggregationRun, ...AggregationRun[]];
    const pipeline = [...tagged(first, 0), ...rest.map((run, index) => ({ $unionWith: { coll: run.over, pipeline: tagged(run, index + 1) } }))];
    for (const row of await this[first.over].aggregate(pipeline, REQUEST_BATCH)) {
      outputs[Number(row['w'])] = row['rows'] as Array<Record<string, unknown>>;
    }
    return outputs;
  }

  async ping(): Promise<void> {
    try {
      await bounded('admin', (bounds) => this.db.command({ ping: 1 }, bounds));
    } catch (error) {
      throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(error);
    }
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

const describe = (facts: MongoUriFacts) => ({ database: facts.database, databaseDefaulted: facts.databaseDefaulted });

/**
 * Creates each collection's missing indexes, one at a time so that a failure names its index.
 * An index that exists under the declared keys with other options is reported, not replaced
 * (dropping it is an operator's decision); a declared unique index that exists without its
 * uniqueness stops the start, since the store could not then refuse duplicates.
 */
async function ensureIndexes(db: mongoose.mongo.Db): Promise<Pick<MongoStartReport, 'indexWarnings' | 'indexesBuilt'>> {
  const indexWarnings: string[] = [];
  const indexesBuilt: string[] = [];
  const fatal: string[] = [];
  for (const name of collectionNames) {
    const collection = db.collection(name);
    const existing = await bounded(name, async (bounds) => {
      try {
        return (await collection.listIndexes(bounds).toArray()) as ExistingIndex[];
      } catch (error) {
        // NamespaceNotFound: the collection does not exist yet; createIndex creates it.
        if ((error as { code?: unknown }).code === 26) return [];
        throw error;
      }
    });
    const plan = planIndexes(declaredIndexes(name), existing);
    for (const { declared, existing: found, difference } of plan.changed) {
      const fix = `drop it (db.${name}.dropIndex("${found.name}")) and restart to build it as declared`;
      const sentence = `Index ${name}.${found.name} differs from what Porthole declares (${difference}): ${fix}.`;
      (declared.unique && !found.unique ? fatal : indexWarnings).push(sentence);
    }
    for (const index of plan.undeclared) {
      indexWarnings.push(`Index ${name}.${index.name} is not declared by this version of Porthole; drop it once no running version needs it.`);
    }
    for (const index of plan.create) {
      await bounded(
        name,
        (bounds) =>
          collection.createIndex(
            index.key as Record<string, 1 | -1>,
            {
              name: index.name,
              ...(index.unique ? { unique: true } : {}),
              ...(index.partialFilterExpression ? { partialFilterExpression: index.partialFilterExpression } : {}),
              ...(index.expireAfterSeconds !== undefined ? { expireAfterSeconds: index.expireAfterSeconds } : {}),
              // The driver honours the signal on every command (its types list it only for some).
              signal: bounds.signal,
            } as mongoose.mongo.CreateIndexesOptions,
          ),
        INDEX_BUILD_DEADLINE_MS,
      );
      indexesBuilt.push(`${name}.${index.name}`);
    }
  }
  if (fatal.length > 0) throw new Error(`MongoDB indexes need attention before Porthole can start:\n  ${fatal.join('\n  ')}`);
  return { indexWarnings, indexesBuilt };
}
