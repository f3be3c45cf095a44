import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import mongoose from 'mongoose';
import { newId } from '../../server/src/crypto/random.js';
import { StoreUnavailableError } from '../../server/src/errors.js';
import { MongoStore } from '../../server/src/store/mongo/mongo-store.js';
import { DuplicateKeyError } from '../../server/src/store/port.js';
import { MongoWirePeer } from '../support/mongo-wire-peer.js';

/**
 * The mongo adapter through the real MongoDB driver against a wire-protocol peer that answers
 * like an empty standalone server and injects the faults a real deployment has: a server that
 * goes silent, a query over its time limit, a primary stepping down, a duplicate key, a socket
 * dropped mid-write. No mongod is needed, so this runs everywhere; it checks the adapter's
 * reading of driver errors and its deadline, not MongoDB's own behaviour.
 */

let peer: MongoWirePeer;
let store: MongoStore;

const record = () => ({ _id: newId(), workspaceId: newId(), dataset: 'calls', owner: 'ada', at: new Date(), data: {} });

/** Runs `work`, reports how long it took (reported, not asserted: tests hold no timing assertions), returns what it threw. */
async function failure(label: string, work: () => Promise<unknown>): Promise<unknown> {
  const started = performance.now();
  try {
    await work();
  } catch (error) {
    console.log(`wire peer: ${label} failed as ${(error as Error).name} after ${Math.round(performance.now() - started)} ms`);
    return error;
  }
  throw new Error(`${label} succeeded`);
}

beforeAll(async () => {
  peer = new MongoWirePeer();
  await peer.open();
  store = await MongoStore.connect(peer.uri);
});
afterEach(() => {
  peer.react = () => undefined;
});
afterAll(async () => {
  await store?.close();
  await peer.close();
});

describe('the mongo adapter against a fault-injecting wire peer', () => {
  test('a URI without a database writes to "porthole", and the declared indexes are built at start', () => {
    const databases = new Set(peer.commands.map((command) => command.$db));
    expect(databases.has('porthole')).toBe(true);
    expect(databases.has('test')).toBe(false);
    expect(store.report).toMatchObject({ database: 'porthole', databaseDefaulted: true });
    const built = peer.commands
      .filter((command) => 'createIndexes' in command)
      .flatMap((command) => (command['indexes'] as Array<{ name: string }>).map((index) => `${String(command['createIndexes'])}.${index.name}`));
    expect(built).toEqual(
      expect.arrayContaining(['records.workspaceId_1_dataset_1_at_-1__id_1', 'users.workspaceId_1__id_1', 'users.workspaceId_1_externalId_1']),
    );
  });

  test('the happy path answers through the real driver', async () => {
    await expect(store.users.find({ workspaceId: 'w' })).resolves.toEqual([]);
    await expect(store.records.insertMany([record()])).resolves.toBeUndefined();
    await expect(store.ping()).resolves.toBeUndefined();
  });

  test('every find carries the _id tie-break and a server-side time limit', async () => {
    await store.signingSecrets.find({ workspaceId: 'w' }, { sort: { createdAt: -1 }, limit: 1 });
    const find = peer.commands.filter((command) => command['find'] === 'signingSecrets').at(-1)!;
    expect(find['sort']).toEqual({ createdAt: -1, _id: 1 });
    expect(find['maxTimeMS']).toBeGreaterThan(0);
  });

  test('a server that accepts commands and goes silent fails the operation, retries included, as StoreUnavailableError', async () => {
    peer.react = (name) => (name === 'find' || name === 'insert' || name === 'ping' ? 'silent' : undefined);
    expect(await failure('silent find', () => store.users.find({ workspaceId: 'w' }))).toBeInstanceOf(StoreUnavailableError);
    expect(await failure('silent insert', () => store.users.insertOne({ _id: newId() } as never))).toBeInstanceOf(StoreUnavailableError);
    expect(await failure('silent ping', () => store.ping())).toBeInstanceOf(StoreUnavailableError);
    peer.react = () => undefined;
    await expect(store.users.find({ workspaceId: 'w' })).resolves.toEqual([]);
  });

  test('MaxTimeMSExpired (50) on a query is an outage, not a 500', async () => {
    peer.react = (name) => (name === 'aggregate' ? { ok: 0, code: 50, codeName: 'MaxTimeMSExpired', errmsg: 'operation exceeded time limit' } : undefined);
    expect(await failure('aggregate over its time limit', () => store.aggregateRecords([{ $match: { workspaceId: { $eq: 'w' } } }]))).toBeInstanceOf(
      StoreUnavailableError,
    );
  });

  test('NotWritablePrimary (10107, RetryableWriteError) on an insert is an outage; the store recovers', async () => {
    peer.react = (name) =>
      name === 'insert' ? { ok: 0, code: 10107, codeName: 'NotWritablePrimary', errmsg: 'not primary', errorLabels: ['RetryableWriteError'] } : undefined;
    expect(await failure('insert on a stepped-down primary', () => store.users.insertOne({ _id: newId() } as never))).toBeInstanceOf(StoreUnavailableError);
    peer.react = () => undefined;
    let recovered = false;
    for (let attempt = 0; attempt < 20 && !recovered; attempt += 1) {
      recovered = await store.records.insertMany([record()]).then(
        () => true,
        () => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 250)),
      );
    }
    expect(recovered).toBe(true);
  });

  test('a write error E11000 is DuplicateKeyError', async () => {
    peer.react = (name) =>
      name === 'insert'
        ? { ok: 1, n: 0, writeErrors: [{ index: 0, code: 11000, errmsg: 'E11000 duplicate key error collection: porthole.users' }] }
        : undefined;
    expect(await failure('duplicate insert', () => store.users.insertOne({ _id: newId() } as never))).toBeInstanceOf(DuplicateKeyError);
  });

  test("insertNew takes the server's duplicates as an answer (every other document was stored), and an outage as an outage", async () => {
    peer.react = (name) =>
      name === 'insert'
        ? { ok: 1, n: 2, writeErrors: [{ index: 1, code: 11000, errmsg: 'E11000 duplicate key error collection: porthole.records' }] }
        : undefined;
    const docs = [record(), record(), record()];
    await expect(store.records.insertNew(docs)).resolves.toEqual([docs[0]!._id, docs[2]!._id]);
    peer.react = (name) => (name === 'insert' ? 'close' : undefined);
    expect(await failure('insertNew on a dropped socket', () => store.records.insertNew([record()]))).toBeInstanceOf(StoreUnavailableError);
  });

  test('a socket dropped mid-write is an outage', async () => {
    peer.react = (name) => (name === 'insert' || name === 'findAndModify' ? 'close' : undefined);
    expect(await failure('insert on a dropped socket', () => store.records.insertMany([record()]))).toBeInstanceOf(StoreUnavailableError);
    expect(await failure('upsert on a dropped socket', () => store.counters.upsertIncrement(newId(), 'count', 1, {}))).toBeInstanceOf(StoreUnavailableError);
  });
});

describe('starting the mongo adapter', () => {
  test('retries the first connect while the database cannot be reached, and an option in the URI wins over the code default', async () => {
    const later = new MongoWirePeer();
    await later.open();
    const port = later.port;
    await later.close();
    // serverSelectionTimeoutMS=300 in the URI replaces the code's 10 s: without that, one attempt would outlast the test.
    const connecting = MongoStore.connect(`mongodb://127.0.0.1:${port}/retry?directConnection=true&serverSelectionTimeoutMS=300&heartbeatFrequencyMS=500`, {
      attempts: 4,
      retryDelayMs: 100,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const peerLater = new MongoWirePeer();
    await peerLater.open(port);
    const connected = await connecting;
    expect(connected.report).toMatchObject({
      database: 'retry',
      databaseDefaulted: false,
      overriddenByUri: ['serverSelectionTimeoutMS', 'heartbeatFrequencyMS'],
    });
    await connected.close();
    await peerLater.close();
  });

  test('gives up after its attempts with StoreUnavailableError', async () => {
    const gone = new MongoWirePeer();
    await gone.open();
    const port = gone.port;
    await gone.close();
    const error = await failure('connect to nothing', () =>
      MongoStore.connect(`mongodb://127.0.0.1:${port}/?directConnection=true&serverSelectionTimeoutMS=200`, { attempts: 2, retryDelayMs: 50 }),
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
  });

  test('an existing index that lost its uniqueness stops the start with a clear message, and the connection is closed', async () => {
    const other = new MongoWirePeer();
    await other.open();
    other.react = (name, command) =>
      name === 'listIndexes' && command['listIndexes'] === 'users'
        ? {
            cursor: {
              id: mongoose.mongo.BSON.Long.fromNumber(0),
              ns: 'porthole.users',
              firstBatch: [
                { v: 2, key: { _id: 1 }, name: '_id_' },
                { v: 2, key: { workspaceId: 1, externalId: 1 }, name: 'workspaceId_1_externalId_1' },
              ],
            },
            ok: 1,
          }
        : undefined;
    const error = (await failure('start over a changed unique index', () => MongoStore.connect(other.uri))) as Error;
    expect(error.message).toContain('Index users.workspaceId_1_externalId_1 differs from what Porthole declares (not unique, no TTL, declared unique, no TTL)');
    expect(error.message).toContain('db.users.dropIndex("workspaceId_1_externalId_1")');
    for (let attempt = 0; attempt < 20 && other.connections > 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(other.connections).toBe(0);
    await other.close();
  });

  test('an index no longer declared, or declared with another TTL, is reported at start and left in place', async () => {
    const other = new MongoWirePeer();
    await other.open();
    other.react = (name, command) => {
      if (name !== 'listIndexes') return undefined;
      const extra =
        command['listIndexes'] === 'records'
          ? [{ v: 2, key: { workspaceId: 1, dataset: 1, at: 1 }, name: 'workspaceId_1_dataset_1_at_1' }]
          : command['listIndexes'] === 'counters'
            ? [{ v: 2, key: { expiresAt: 1 }, name: 'expiresAt_1', expireAfterSeconds: 3600 }]
            : [];
      return {
        cursor: {
          id: mongoose.mongo.BSON.Long.fromNumber(0),
          ns: `porthole.${String(command['listIndexes'])}`,
          firstBatch: [{ v: 2, key: { _id: 1 }, name: '_id_' }, ...extra],
        },
        ok: 1,
      };
    };
    const started = await MongoStore.connect(other.uri);
    expect(started.report.indexWarnings).toEqual([
      'Index records.workspaceId_1_dataset_1_at_1 is not declared by this version of Porthole; drop it once no running version needs it.',
      'Index counters.expiresAt_1 differs from what Porthole declares (not unique, TTL 3600 s, declared not unique, TTL 0 s): drop it (db.counters.dropIndex("expiresAt_1")) and restart to build it as declared.',
    ]);
    expect(other.commands.some((command) => command['dropIndexes'] !== undefined)).toBe(false);
    await started.close();
    await other.close();
  });
});
