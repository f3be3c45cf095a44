import { describe, expect, test } from '@jest/globals';
import mongoose from 'mongoose';
import { StoreUnavailableError } from '../../server/src/errors.js';
import { escapeRegExp, toMongoSort } from '../../server/src/store/filter.js';
import { connectionOptionsFor, describeMongoUri, mongoConnectionOptions } from '../../server/src/store/mongo/connection-options.js';
import { declaredIndexes, indexName, planIndexes } from '../../server/src/store/mongo/indexes.js';
import { translate } from '../../server/src/store/mongo/translate-error.js';
import { DuplicateKeyError } from '../../server/src/store/port.js';

/**
 * The mongo adapter's decisions that need no server: how driver failures map onto the port's
 * errors (built from mongoose's own driver classes, as the adapter meets them), which
 * database and options a connection string leads to, and how declared indexes compare with
 * existing ones.
 */

const { mongo } = mongoose;

const outcome = (error: unknown): unknown => {
  try {
    translate(error, 'users');
  } catch (thrown) {
    return thrown;
  }
  throw new Error('translate() returned');
};

const selectionError = () =>
  new mongo.MongoServerSelectionError('Server selection timed out after 1500 ms', { error: null, servers: new Map(), type: 'Unknown' } as never);
const socketError = (code: string) => Object.assign(new Error('This socket has been ended by the other party'), { code });
const serverError = (code: number, extra: Record<string, unknown> = {}) => new mongo.MongoServerError({ message: `server error ${code}`, code, ...extra });
const bulkError = (cause: object) => new mongo.MongoBulkWriteError(cause as never, {} as never);

describe('translate()', () => {
  test.each([
    ['a MongoBulkWriteError wrapping a MongoServerSelectionError (insertMany during an outage)', () => bulkError(selectionError())],
    ['a MongoBulkWriteError wrapping a MongoNetworkError', () => bulkError(new mongo.MongoNetworkError('connection 3 to 10.0.0.1:27017 closed'))],
    ['a MongoBulkWriteError wrapping a plain EPIPE', () => bulkError(socketError('EPIPE'))],
    ['a MongoBulkWriteError carrying a write concern error 91', () => bulkError({ message: 'shutting down', code: 91 })],
    ['a MongoServerSelectionError', selectionError],
    ['a MongoNetworkError', () => new mongo.MongoNetworkError('connection closed')],
    ['a MongoNetworkTimeoutError', () => new mongo.MongoNetworkTimeoutError('connection timed out')],
    ['a MongoServerClosedError', () => new mongo.MongoServerClosedError()],
    ['a MongoTopologyClosedError', () => new mongo.MongoTopologyClosedError()],
    ['a MongoNotConnectedError', () => new mongo.MongoNotConnectedError('Client must be connected')],
    ['a MongoOperationTimeoutError', () => new mongo.MongoOperationTimeoutError('Timed out during socket read')],
    ['MaxTimeMSExpired (50)', () => serverError(50, { codeName: 'MaxTimeMSExpired' })],
    ['ShutdownInProgress (91)', () => serverError(91)],
    ['PrimarySteppedDown (189)', () => serverError(189)],
    ['NotWritablePrimary (10107) labelled RetryableWriteError', () => serverError(10107, { errorLabels: ['RetryableWriteError'] })],
    ['InterruptedAtShutdown (11600)', () => serverError(11600)],
    ['InterruptedDueToReplStateChange (11602)', () => serverError(11602)],
    ['NotPrimaryNoSecondaryOk (13435)', () => serverError(13435)],
    ['NotPrimaryOrSecondary (13436)', () => serverError(13436)],
    ['any server error labelled RetryableWriteError', () => serverError(12345, { errorLabels: ['RetryableWriteError'] })],
    ['a plain EPIPE', () => socketError('EPIPE')],
    ['a plain ECONNRESET', () => socketError('ECONNRESET')],
    ['a plain ECONNREFUSED', () => socketError('ECONNREFUSED')],
    ['a MongooseServerSelectionError', () => new mongoose.Error.MongooseServerSelectionError('Could not connect')],
  ])('%s becomes StoreUnavailableError (503)', (_, make) => {
    const error = make();
    const thrown = outcome(error);
    expect(thrown).toBeInstanceOf(StoreUnavailableError);
    expect((thrown as StoreUnavailableError).cause).toBe(error);
  });

  test.each([
    ['a MongoServerError E11000', () => serverError(11000, { keyPattern: { workspaceId: 1, externalId: 1 } })],
    [
      'a MongoBulkWriteError whose write error is E11000',
      () => bulkError({ message: 'E11000 duplicate key error', code: 11000, writeErrors: [{ code: 11000 }] }),
    ],
  ])('%s becomes DuplicateKeyError', (_, make) => {
    const thrown = outcome(make());
    expect(thrown).toBeInstanceOf(DuplicateKeyError);
    expect((thrown as DuplicateKeyError).collection).toBe('users');
  });

  test.each([
    ['a BadValue server error (2)', () => serverError(2)],
    ['an authentication failure (18)', () => serverError(18)],
    ['a TypeError', () => new TypeError('Refusing a non-literal filter on x.')],
  ])('%s stays itself (masked as a 500 upstream)', (_, make) => {
    const error = make();
    expect(outcome(error)).toBe(error);
  });
});

describe('the connection string', () => {
  test.each([
    ['mongodb+srv://app:s3cr%40t@cluster0.abcde.mongodb.net/?retryWrites=true&w=majority', 'porthole', true, ['retryWrites', 'w']],
    ['mongodb+srv://app:pw@cluster0.abcde.mongodb.net', 'porthole', true, []],
    ['mongodb://a:1,b:2,c:3/orders?replicaSet=rs0', 'orders', false, ['replicaSet']],
    ['mongodb://localhost:27017/?', 'porthole', true, []],
    ['mongodb://u:p@host/my%20db', 'my db', false, []],
  ])('%s uses database %s', (uri, database, databaseDefaulted, uriOptions) => {
    expect(describeMongoUri(uri)).toEqual({ database, databaseDefaulted, uriOptions });
  });

  test('names the default database to the driver only when the URI has none', () => {
    expect(connectionOptionsFor('mongodb+srv://x.example.net/?w=majority').options['dbName']).toBe('porthole');
    expect(connectionOptionsFor('mongodb://x/orders').options['dbName']).toBeUndefined();
  });

  test('an option set in the URI wins over the code default (matched case-insensitively)', () => {
    const { options, overriddenByUri } = connectionOptionsFor('mongodb://x/db?serverselectiontimeoutms=30000&maxPoolSize=200');
    expect(overriddenByUri).toEqual(['serverSelectionTimeoutMS', 'maxPoolSize']);
    expect(options['serverSelectionTimeoutMS']).toBeUndefined();
    expect(options['maxPoolSize']).toBeUndefined();
    expect(options['waitQueueTimeoutMS']).toBe(mongoConnectionOptions.waitQueueTimeoutMS);
    expect(options['bufferCommands']).toBe(false);
  });

  test('bounds the wait for a pooled connection and leaves sockets to the per-operation deadline', () => {
    expect(mongoConnectionOptions.waitQueueTimeoutMS).toBeGreaterThan(0);
    expect(mongoConnectionOptions.socketTimeoutMS).toBe(0);
    expect(mongoConnectionOptions.bufferCommands).toBe(false);
  });
});

describe('indexes', () => {
  test('declares the TABLE sort under workspace and dataset, and the users list in _id order', () => {
    expect(declaredIndexes('records').map((index) => index.key)).toContainEqual({ workspaceId: 1, dataset: 1, at: -1, _id: 1 });
    expect(declaredIndexes('users').map((index) => index.key)).toContainEqual({ workspaceId: 1, _id: 1 });
    expect(indexName({ workspaceId: 1, dataset: 1, at: -1, _id: 1 })).toBe('workspaceId_1_dataset_1_at_-1__id_1');
  });

  test('plans only the missing indexes, and reports changed and undeclared ones', () => {
    const declared = declaredIndexes('users');
    const plan = planIndexes(declared, [
      { name: '_id_', key: { _id: 1 } },
      // The unique index exists without its uniqueness.
      { name: 'workspaceId_1_externalId_1', key: { workspaceId: 1, externalId: 1 } },
      { name: 'workspaceId_1_status_1', key: { workspaceId: 1, status: 1 } },
      { name: 'email_1', key: { email: 1 } },
    ]);
    expect(plan.create.map((index) => index.name)).toEqual(['workspaceId_1__id_1']);
    expect(plan.changed).toHaveLength(1);
    expect(plan.changed[0]!.difference).toBe('not unique, no TTL, declared unique, no TTL');
    expect(plan.undeclared.map((index) => index.name)).toEqual(['email_1']);
  });

  test('reports an index whose name is taken by other keys, and a TTL that changed', () => {
    const byName = planIndexes(declaredIndexes('records'), [{ name: 'workspaceId_1_dataset_1_at_-1__id_1', key: { workspaceId: 1, at: -1 } }]);
    expect(byName.changed[0]!.difference).toContain('declared {"workspaceId":1,"dataset":1,"at":-1,"_id":1}');
    const ttl = planIndexes(declaredIndexes('counters'), [{ name: 'expiresAt_1', key: { expiresAt: 1 }, expireAfterSeconds: 3600 }]);
    expect(ttl.changed[0]!.difference).toBe('not unique, TTL 3600 s, declared not unique, TTL 0 s');
    expect(planIndexes(declaredIndexes('counters'), [{ name: 'expiresAt_1', key: { expiresAt: 1 }, expireAfterSeconds: 0 }])).toEqual({
      create: [],
      changed: [],
      undeclared: [],
    });
  });
});

describe('unique-if-present indexes', () => {
  test("a principal's email is unique per workspace through a partial index on strings, so agents and older principals never collide", () => {
    expect(declaredIndexes('principals')).toContainEqual({
      name: 'workspaceId_1_email_1',
      key: { workspaceId: 1, email: 1 },
      unique: true,
      partialFilterExpression: { workspaceId: { $type: 'string' }, email: { $type: 'string' } },
    });
  });

  test('the same keys unique without the partial filter stop nothing but are reported; the same filter in another key order is the same index', () => {
    const plain = planIndexes(declaredIndexes('principals'), [{ name: 'workspaceId_1_email_1', key: { workspaceId: 1, email: 1 }, unique: true }]);
    expect(plain.changed[0]!.difference).toBe('unique, no TTL, declared unique, no TTL, partial {"workspaceId":{"$type":"string"},"email":{"$type":"string"}}');
    const reordered = planIndexes(declaredIndexes('principals'), [
      {
        name: 'workspaceId_1_email_1',
        key: { workspaceId: 1, email: 1 },
        unique: true,
        partialFilterExpression: { email: { $type: 'string' }, workspaceId: { $type: 'string' } },
      },
      { name: 'workspaceId_1', key: { workspaceId: 1 } },
      { name: 'email_1', key: { email: 1 } },
    ]);
    expect(reordered).toEqual({ create: [], changed: [], undeclared: [] });
  });
});

describe('filters both adapters share', () => {
  test('every sort ends with _id unless it names _id', () => {
    expect(toMongoSort(undefined)).toEqual({ _id: 1 });
    expect(Object.entries(toMongoSort({ createdAt: -1 }))).toEqual([
      ['createdAt', -1],
      ['_id', 1],
    ]);
    expect(toMongoSort({ _id: -1 })).toEqual({ _id: -1 });
  });

  test('a NUL in search text becomes an escape that matches the NUL itself', () => {
    const pattern = escapeRegExp('a\u0000b.');
    expect(pattern).toBe('a\\x00b\\.');
    expect(pattern.includes('\u0000')).toBe(false);
    expect(new RegExp(pattern).test('xa\u0000b.y')).toBe(true);
  });
});
