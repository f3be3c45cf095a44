import mongoose, { Schema, type Connection, type Model } from 'mongoose';
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
import { toMongoFilter, toMongoUpdate } from '../filter.js';
import {
  collectionIndexes,
  collectionNames,
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

  /**
   * One unordered bulkWrite of `updateOne` upserts (`$setOnInsert`, `$inc`, `$max`): each is atomic on its
   * document, and an upsert race on `_id` is retried by the server (equality on a unique index).
   */
  accumulate(operations: readonly Accumulate<T>[]): Promise<void> {
    return this.#guard(async () => {
      if (operations.length === 0) return;
      const writes = operations.map((operation) => {
        const update: Record<string, unknown> = { $setOnInsert: operation.setOnInsert, $inc: operation.inc };
        if (operation.max && Object.keys(operation.max).length > 0) update['$max'] = operation.max;
        return { updateOne: { filter: { _id: { $eq: operation.id } }, update, upsert: true } };
      });
      await this.model.collection.bulkWrite(writes as never[], { ordered: false, maxTimeMS: OPERATION_TIMEOUT_MS } as never);
    });
  }

  deleteOne(match: Match): Promise<boolean> {
    return this.#guard(async () => (await this.model.deleteOne(toMongoFilter(match)).exec()).deletedCount === 1);
  }

  deleteMany(match: Match): Promise<number> {
    return this.#guard(async () => (await this.model.deleteMany(toMongoFilter(match)).exec()).deletedCount);
  }

  aggregate(pipeline: Pipeline): Promise<Array<Record<string, unknown>>> {
    return this.#guard(() =>
      this.model
        .aggregate([...pipeline] as never[])
        .option({ maxTimeMS: OPERATION_TIMEOUT_MS })
        .exec(),
    );
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
  readonly datasets: MongoCollection<DatasetDoc>;
  readonly datasetFields: MongoCollection<DatasetFieldDoc>;

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
    this.datasets = wrap('datasets');
    this.datasetFields = wrap('datasetFields');
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
