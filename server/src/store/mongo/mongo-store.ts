import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import type {
  ApiKeyDoc,
  ConsoleSessionDoc,
  CounterDoc,
  PageDoc,
  PageEmbedDoc,
  PrincipalDoc,
  RecordDoc,
  RollupRowDoc,
  RollupSpecDoc,
  SigningSecretDoc,
  UserDoc,
  WorkspaceDoc,
} from '../../domain/types.js';
import { StoreUnavailableError } from '../../errors.js';
import { toMongoFilter, toMongoUpdate } from '../filter.js';
import {
  collectionIndexes,
  collectionNames,
  DuplicateKeyError,
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

/**
 * Driver settings that make an unreachable database fail fast instead of queueing:
 * no command buffering, short server selection, bounded operations.
 */
export const mongoConnectionOptions = {
  bufferCommands: false,
  autoIndex: false,
  autoCreate: false,
  serverSelectionTimeoutMS: 1500,
  connectTimeoutMS: 1500,
  socketTimeoutMS: 5000,
  heartbeatFrequencyMS: 2000,
  maxPoolSize: 50,
} as const;

const OPERATION_TIMEOUT_MS = 1800;
/** A rollup build reads a whole dataset on the server; it may take longer than a request's read. */
const ROLLUP_BUILD_TIMEOUT_MS = 120_000;
const ROLLUP_WRITE_BATCH = 1000;

/** Network-level failures become `StoreUnavailableError` (503); everything else stays itself. */
function translate(error: unknown, collection: string): never {
  const name = (error as { name?: string })?.name ?? '';
  if ((error as { code?: number })?.code === 11000) throw new DuplicateKeyError(collection);
  if (/Network|ServerSelection|NotConnected|Timeout|PoolCleared|Interrupted/i.test(name) || error instanceof mongoose.Error.MongooseServerSelectionError) {
    throw new StoreUnavailableError(error);
  }
  const message = (error as { message?: string })?.message ?? '';
  if (/connection|client must be connected|topology/i.test(message)) throw new StoreUnavailableError(error);
  throw error;
}

class MongoCollection<T extends { _id: string }> implements Collection<T> {
  constructor(private readonly model: Model<T>) {}

  async #guard<R>(work: () => Promise<R>): Promise<R> {
    try {
      return await work();
    } catch (error) {
      return translate(error, this.model.collection.collectionName);
    }
  }

  insertOne(doc: T): Promise<void> {
    return this.insertMany([doc]);
  }

  insertMany(docs: readonly T[]): Promise<void> {
    return this.#guard(async () => {
      if (docs.length === 0) return;
      await this.model.collection.insertMany(docs.map((doc) => ({ ...doc })) as never[], { ordered: true, maxTimeMS: OPERATION_TIMEOUT_MS } as never);
    });
  }

  /**
   * An upsert whose update only sets on insert: an existing document is left as it is. Two
   * racing upserts on one `_id` may see E11000 on the loser, which means "already there".
   */
  insertIfAbsent(doc: T): Promise<boolean> {
    return this.#guard(async () => {
      const { _id, ...fields } = doc;
      try {
        const result = await this.model.collection.updateOne(
          { _id: { $eq: _id } } as never,
          { $setOnInsert: fields } as never,
          {
            upsert: true,
            maxTimeMS: OPERATION_TIMEOUT_MS,
          } as never,
        );
        return result.upsertedCount === 1;
      } catch (error) {
        if ((error as { code?: number })?.code === 11000) return false;
        throw error;
      }
    });
  }

  /**
   * An unordered insertMany: the server tries every document and reports each duplicate key
   * as a write error (code 11000) in a MongoBulkWriteError whose `insertedCount` counts the
   * rest. Only when every write error is a duplicate key is that an answer; anything else
   * (another write error, a write-concern error) is a failure.
   */
  insertManyIgnoringDuplicates(docs: readonly T[]): Promise<number> {
    return this.#guard(async () => {
      if (docs.length === 0) return 0;
      try {
        const result = await this.model.collection.insertMany(
          docs.map((doc) => ({ ...doc })) as never[],
          { ordered: false, maxTimeMS: OPERATION_TIMEOUT_MS } as never,
        );
        return result.insertedCount;
      } catch (error) {
        if (error instanceof mongoose.mongo.MongoBulkWriteError && !error.err) {
          const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
          if (writeErrors.every((writeError) => writeError.code === 11000)) return error.insertedCount;
        }
        throw error;
      }
    });
  }

  /**
   * An unordered insertMany, as above; a duplicate key error names the failed document by its
   * `index` in `docs`, so what was stored is every other document.
   */
  insertNew(docs: readonly T[]): Promise<string[]> {
    return this.#guard(async () => {
      if (docs.length === 0) return [];
      try {
        await this.model.collection.insertMany(docs.map((doc) => ({ ...doc })) as never[], { ordered: false, maxTimeMS: OPERATION_TIMEOUT_MS } as never);
        return docs.map((doc) => doc._id);
      } catch (error) {
        if (error instanceof mongoose.mongo.MongoBulkWriteError && !error.err) {
          const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
          if (writeErrors.every((writeError) => writeError.code === 11000)) {
            const failed = new Set(writeErrors.map((writeError) => writeError.index));
            return docs.flatMap((doc, index) => (failed.has(index) ? [] : [doc._id]));
          }
        }
        throw error;
      }
    });
  }

  findOne(match: Match): Promise<T | null> {
    return this.#guard(() => this.model.findOne(toMongoFilter(match)).maxTimeMS(OPERATION_TIMEOUT_MS).lean<T>().exec());
  }

  find(match: Match, options: FindOptions = {}): Promise<T[]> {
    return this.#guard(() => {
      let query = this.model.find(toMongoFilter(match, options)).sort(options.sort ? { ...options.sort } : { _id: 1 });
      if (options.limit !== undefined) query = query.limit(options.limit);
      return query.maxTimeMS(OPERATION_TIMEOUT_MS).lean<T[]>().exec();
    });
  }

  count(match: Match, options: Pick<FindOptions, 'search'> = {}): Promise<number> {
    return this.#guard(() => this.model.countDocuments(toMongoFilter(match, options)).maxTimeMS(OPERATION_TIMEOUT_MS).exec());
  }

  updateOne(match: Match, update: Update<T>): Promise<T | null> {
    return this.#guard(() =>
      this.model.findOneAndUpdate(toMongoFilter(match), toMongoUpdate(update), { returnDocument: 'after', maxTimeMS: OPERATION_TIMEOUT_MS }).lean<T>().exec(),
    );
  }

  upsertIncrement(id: string, field: keyof T & string, by: number, setOnInsert: Partial<T>): Promise<T> {
    return this.#guard(async () => {
      const doc = await this.model
        .findOneAndUpdate({ _id: { $eq: id } } as never, { $inc: { [field]: by }, $setOnInsert: setOnInsert } as never, {
          upsert: true,
          returnDocument: 'after',
          maxTimeMS: OPERATION_TIMEOUT_MS,
        })
        .lean<T>()
        .exec();
      return doc!;
    });
  }

  deleteOne(match: Match): Promise<boolean> {
    return this.#guard(async () => (await this.model.deleteOne(toMongoFilter(match)).exec()).deletedCount === 1);
  }

  deleteMany(match: Match): Promise<number> {
    return this.#guard(async () => (await this.model.deleteMany(toMongoFilter(match)).exec()).deletedCount);
  }

  aggregate(pipeline: Pipeline, options: { maxTimeMS?: number; allowDiskUse?: boolean } = {}): Promise<Array<Record<string, unknown>>> {
    return this.#guard(() =>
      this.model
        .aggregate([...pipeline] as never[])
        .option({ maxTimeMS: options.maxTimeMS ?? OPERATION_TIMEOUT_MS, ...(options.allowDiskUse ? { allowDiskUse: true } : {}) })
        .exec(),
    );
  }

  /** Unordered bulk writes, `ROLLUP_WRITE_BATCH` at a time. */
  bulkWrite(operations: readonly Record<string, unknown>[]): Promise<void> {
    return this.#guard(async () => {
      for (let index = 0; index < operations.length; index += ROLLUP_WRITE_BATCH) {
        await this.model.collection.bulkWrite(operations.slice(index, index + ROLLUP_WRITE_BATCH) as never[], { ordered: false });
      }
    });
  }
}

/**
 * The production store: one mongoose model per collection, with the indexes that
 * uniqueness and lookups need, and lean reads throughout.
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
  readonly counters: MongoCollection<CounterDoc>;
  readonly consoleSessions: MongoCollection<ConsoleSessionDoc>;
  readonly rollupSpecs: MongoCollection<RollupSpecDoc>;
  readonly rollups: MongoCollection<RollupRowDoc>;

  private constructor(
    private readonly connection: Connection,
    models: Record<CollectionName, Model<never>>,
  ) {
    const wrap = <T extends { _id: string }>(name: CollectionName) => new MongoCollection<T>(models[name] as unknown as Model<T>);
    this.workspaces = wrap('workspaces');
    this.principals = wrap('principals');
    this.apiKeys = wrap('apiKeys');
    this.users = wrap('users');
    this.records = wrap('records');
    this.pages = wrap('pages');
    this.signingSecrets = wrap('signingSecrets');
    this.pageEmbeds = wrap('pageEmbeds');
    this.counters = wrap('counters');
    this.consoleSessions = wrap('consoleSessions');
    this.rollupSpecs = wrap('rollupSpecs');
    this.rollups = wrap('rollups');
  }

  /** Connects, declares the models and makes sure their indexes exist. */
  static async connect(uri: string): Promise<MongoStore> {
    const connection = mongoose.createConnection(uri, mongoConnectionOptions);
    await connection.asPromise();
    const models = {} as Record<CollectionName, Model<never>>;
    for (const name of collectionNames) {
      // Documents are shaped by the domain types, so the schemas declare only `_id`. `strictQuery: false`
      // is essential: with strict queries mongoose would silently drop filters on undeclared paths,
      // and `findOne({ hash })` would match any key.
      const schema = new Schema({ _id: String }, { strict: false, strictQuery: false, versionKey: false, minimize: false, collection: name, _id: false });
      const spec = collectionIndexes[name];
      for (const fields of spec.unique ?? []) schema.index(Object.fromEntries(fields.map((field) => [field, 1])), { unique: true });
      for (const fields of spec.lookup ?? []) schema.index(Object.fromEntries(fields.map((field) => [field, 1])));
      if (spec.ttl) schema.index({ [spec.ttl]: 1 }, { expireAfterSeconds: 0 });
      models[name] = connection.model(name, schema) as unknown as Model<never>;
    }
    await Promise.all(Object.values(models).map((model) => model.createCollection().then(() => model.createIndexes())));
    return new MongoStore(connection, models);
  }

  aggregateRecords(pipeline: Pipeline): Promise<Array<Record<string, unknown>>> {
    return this.records.aggregate(pipeline);
  }

  /**
   * One `$group` on the server: `$dateTrunc` with a `binSize` cuts UTC cells (its bins count from
   * 2000-01-01T00:00Z, a whole number of hours and quarter hours after the epoch); `$isNumber`
   * keeps sums, minima and maxima to numbers, as the memory adapter does.
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
            d: source.groupPath ? `$${source.groupPath}` : null,
            e: source.seriesPath ? `$${source.seriesPath}` : null,
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
    const rows = await this.records.aggregate(pipeline, { maxTimeMS: ROLLUP_BUILD_TIMEOUT_MS, allowDiskUse: true });
    return rows.map((row) => {
      const id = row['_id'] as { o?: string | null; t: Date; d?: unknown; e?: unknown };
      return {
        o: id.o ?? null,
        t: id.t,
        d: id.d ?? null,
        e: id.e ?? null,
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

  async ping(): Promise<void> {
    try {
      const db = this.connection.db;
      if (!db) throw new Error('not connected');
      await db.admin().ping({ maxTimeMS: OPERATION_TIMEOUT_MS } as never);
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
